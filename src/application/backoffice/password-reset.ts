/**
 * "Password dimenticata?": a staff member chooses a new password through a link sent to the account's e-mail.
 * The link is a signed token (signed-token.ts) bound to the account's password hash and made by the dispatcher
 * when the e-mail leaves: nothing of it is stored, it expires after RESET_LINK_MINUTES, and any new password
 * (the one it sets, or any other) ends it and every other link sent before. The answer to a request is the same
 * whether the address belongs to an account or not.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import type { Db } from '../../adapters/db/database.ts';
import { RESET_LINK_MINUTES, staffResetMessage } from '../../domain/notification/index.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { decodeToken, signToken } from '../signed-token.ts';
import { inTransaction } from '../transaction.ts';
import { passwordChangeProblems } from './auth.ts';
import type { PasswordChangeResult } from './auth.ts';

export const RESET_PATH = '/uffici/password-dimenticata';

/** Reset e-mails one account may receive in an hour: enough for a mistyped request, too few to flood its owner. */
export const MAX_RESET_EMAILS_PER_HOUR = 3;

export interface ResetDeps extends Pick<Services, 'clock' | 'staffPasswords'> {
  db: Db;
  /** SESSION_SECRET: signs the links */
  secret: string;
}

export function createResetLink(input: { secret: string; baseUrl: string; staffId: string; passwordHash: string | null; now: Date }): string {
  const token = signToken('staff-reset', input.secret, {
    id: input.staffId, expiresAt: new Date(input.now.getTime() + RESET_LINK_MINUTES * 60_000), bound: input.passwordHash ?? '',
  });
  return `${input.baseUrl.replace(/\/+$/, '')}${RESET_PATH}/${token}`;
}

const staffActor = (staff: { id: string; name: string; office_id: string | null }): Actor => ({ kind: 'staff', id: staff.id, name: staff.name, officeId: staff.office_id });

/**
 * Queues the reset e-mail in the caller's transaction, unless the account already had MAX_RESET_EMAILS_PER_HOUR
 * in the last hour; the account's row is locked first, so parallel requests count each other.
 */
export async function queueResetMessage(trx: Db, staff: { id: string; name: string; email: string }, now: Date): Promise<boolean> {
  await trx.selectFrom('staff').select('id').where('id', '=', staff.id).forUpdate().execute();
  const recent = await trx.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('staff_id', '=', staff.id).where('kind', '=', 'staff-reset').where('created_at', '>', new Date(now.getTime() - 3_600_000))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= MAX_RESET_EMAILS_PER_HOUR) return false;
  const message = staffResetMessage({ name: staff.name, email: staff.email });
  await trx.insertInto('notifications').values({
    id: randomUUID(), staff_id: staff.id, kind: 'staff-reset', channel: 'email', recipient: staff.email,
    context: JSON.stringify({}), subject: message.subject, body: message.text, created_at: now, next_attempt_at: now,
  }).execute();
  return true;
}

/**
 * From the sign-in page: an active account with that address gets the e-mail; the caller is told nothing either way.
 * Both paths read the same rows and write in one transaction, so their times differ by one insert.
 */
export async function requestPasswordReset(deps: ResetDeps, email: string): Promise<void> {
  const now = deps.clock.now();
  const normalized = email.trim().toLowerCase().slice(0, 254);
  const staff = normalized
    ? await deps.db.selectFrom('staff').select(['id', 'name', 'email', 'office_id']).where((eb) => eb(eb.fn('lower', ['email']), '=', normalized)).where('active', '=', true).executeTakeFirst()
    : undefined;
  await inTransaction(deps.db, async (trx) => {
    if (!staff) {
      // the same count as for an account, on no account
      await trx.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('n')).where('staff_id', '=', '00000000-0000-0000-0000-000000000000').execute();
      return false;
    }
    const sent = await queueResetMessage(trx, staff, now);
    await audit(trx, staffActor(staff), {
      action: sent ? 'staff.password-reset-requested' : 'staff.password-reset-throttled', entity: 'staff', entityId: staff.id, officeId: staff.office_id,
    });
    return sent;
  });
}

export type ResetLinkCheck =
  | { ok: true; staff: { id: string; name: string; email: string; office_id: string | null; password_hash: string | null }; expiresAt: Date }
  | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Form, expiry, an active account, and a signature made with the account's current password hash: a link
 * already used, or sent before any later password change, fails that last check.
 */
export async function checkResetLink(deps: ResetDeps, token: string, db: Db = deps.db, lock = false): Promise<ResetLinkCheck> {
  const decoded = decodeToken(token);
  if (!decoded) return { ok: false, reason: 'invalid' };
  if (decoded.expiresAt.getTime() <= deps.clock.now().getTime()) return { ok: false, reason: 'expired' };
  let query = db.selectFrom('staff').select(['id', 'name', 'email', 'office_id', 'password_hash']).where('id', '=', decoded.id).where('active', '=', true);
  if (lock) query = query.forUpdate();
  const staff = await query.executeTakeFirst();
  if (!staff || !decoded.signedWith('staff-reset', deps.secret, staff.password_hash ?? '')) return { ok: false, reason: 'invalid' };
  return { ok: true, staff, expiresAt: decoded.expiresAt };
}

export type ResetResult =
  | { ok: true }
  | { ok: false; reason: 'expired' | 'invalid' }
  | { ok: false; reason: 'problems'; problems: Extract<PasswordChangeResult, { ok: false }>['problems'] };

/**
 * Sets the new password (the same rules as a change), ends the lock and every session of the account. The link is
 * checked again on the locked row, so two uses at once set one password.
 */
export async function resetPassword(deps: ResetDeps, token: string, input: { next: string; confirmation: string }): Promise<ResetResult> {
  const first = await checkResetLink(deps, token);
  if (!first.ok) return first;
  // no current password to give: the link stands for it
  const problems = passwordChangeProblems({ current: '', ...input }).filter((p) => p.field !== 'current');
  if (problems.length) return { ok: false, reason: 'problems', problems };
  const passwordHash = await deps.staffPasswords.hash(input.next);
  return inTransaction(deps.db, async (trx) => {
    const check = await checkResetLink(deps, token, trx, true);
    if (!check.ok) return check;
    const { staff } = check;
    await trx.updateTable('staff')
      .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, must_change_password: false })
      .where('id', '=', staff.id).execute();
    const ended = await trx.deleteFrom('staff_sessions').where('staff_id', '=', staff.id).executeTakeFirst();
    await audit(trx, staffActor(staff), {
      action: 'staff.password-reset', entity: 'staff', entityId: staff.id, officeId: staff.office_id,
      after: { sessionsEnded: Number(ended.numDeletedRows), lockEnded: true },
    });
    return { ok: true as const };
  });
}
