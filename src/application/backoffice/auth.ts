import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../adapters/db/database.ts';
import type { Principal, Role } from '../../domain/policy.ts';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import type { Clock } from '../clock.ts';
import { hashStaffPassword, verifyStaffPassword } from '../credentials.ts';
import { inTransaction } from '../transaction.ts';

/** Five wrong passwords in a row lock the account for 15 minutes (OWASP ASVS 2.2.1). */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** An office day: sessions end 10 hours after sign-in, or after 60 idle minutes. */
export const SESSION_HOURS = 10;
export const SESSION_IDLE_MINUTES = 60;

export interface AuthDeps {
  db: Db;
  clock: Clock;
}

export interface StaffUser extends Principal {
  name: string;
  email: string;
  officeName: string | null;
  officeCode: string | null;
}

export type SignInResult =
  | { ok: true; sessionId: string; user: StaffUser }
  | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: Date };

// A hash to verify against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashStaffPassword('not-a-real-password-only-for-timing'));

export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

export function actorOf(user: StaffUser): Actor {
  return { kind: 'staff', id: user.id, name: user.name, officeId: user.role === 'admin' ? null : user.officeId };
}

function staffQuery(db: Db) {
  return db
    .selectFrom('staff')
    .leftJoin('offices', 'offices.id', 'staff.office_id')
    .select([
      'staff.id', 'staff.name', 'staff.email', 'staff.role', 'staff.office_id', 'staff.password_hash', 'staff.active',
      'staff.failed_logins', 'staff.locked_until', 'offices.name as office_name', 'offices.code as office_code',
    ]);
}

type StaffJoined = Awaited<ReturnType<ReturnType<typeof staffQuery>['executeTakeFirstOrThrow']>>;

function toUser(row: StaffJoined): StaffUser {
  return {
    id: row.id, name: row.name, email: row.email, role: row.role as Role, officeId: row.office_id,
    officeName: row.office_name, officeCode: row.office_code,
  };
}

/** Checks e-mail and password; counts failures and locks the account; opens a server-side session. */
export async function signIn(deps: AuthDeps, email: string, password: string): Promise<SignInResult> {
  const now = deps.clock.now();
  const normalized = email.trim().toLowerCase();
  const row = normalized ? await staffQuery(deps.db).where((eb) => eb(eb.fn('lower', ['staff.email']), '=', normalized)).executeTakeFirst() : undefined;
  if (!row || !row.active || !row.password_hash) {
    await verifyStaffPassword(await dummy(), password);
    return { ok: false, reason: 'invalid' };
  }
  if (row.locked_until && row.locked_until > now) return { ok: false, reason: 'locked', lockedUntil: row.locked_until };
  // the same argon2id helper as the CLI and the demo data, so their accounts sign in here
  const valid = await verifyStaffPassword(row.password_hash, password);
  const actor: Actor = { kind: 'staff', id: row.id, name: row.name, officeId: row.office_id };
  if (!valid) {
    return inTransaction(deps.db, async (trx) => {
      const failures = row.failed_logins + 1;
      const lock = failures >= MAX_FAILED_LOGINS;
      const lockedUntil = lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
      await trx.updateTable('staff').set({ failed_logins: lock ? 0 : failures, locked_until: lockedUntil }).where('id', '=', row.id).execute();
      await audit(trx, actor, { action: lock ? 'staff.locked' : 'staff.sign-in-failed', entity: 'staff', entityId: row.id, officeId: row.office_id, after: { failures } });
      return lock ? { ok: false as const, reason: 'locked' as const, lockedUntil: lockedUntil! } : { ok: false as const, reason: 'invalid' as const };
    });
  }
  const sessionId = randomBytes(32).toString('base64url');
  await inTransaction(deps.db, async (trx) => {
    await trx.updateTable('staff').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', row.id).execute();
    await trx.insertInto('staff_sessions').values({
      id_hash: hashSessionId(sessionId), staff_id: row.id, created_at: now, last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000),
    }).execute();
    await audit(trx, actor, { action: 'staff.sign-in', entity: 'staff', entityId: row.id, officeId: row.office_id });
  });
  return { ok: true, sessionId, user: toUser(row) };
}

/** The user of a live session, or undefined (expired, idle too long, signed out, deactivated). */
export async function userOfSession(deps: AuthDeps, sessionId: string): Promise<StaffUser | undefined> {
  const now = deps.clock.now();
  const session = await deps.db
    .selectFrom('staff_sessions')
    .select(['staff_id', 'expires_at', 'last_seen_at'])
    .where('id_hash', '=', hashSessionId(sessionId))
    .executeTakeFirst();
  if (!session || session.expires_at <= now || now.getTime() - session.last_seen_at.getTime() > SESSION_IDLE_MINUTES * 60_000) return undefined;
  const row = await staffQuery(deps.db).where('staff.id', '=', session.staff_id).executeTakeFirst();
  if (!row || !row.active) return undefined;
  // refresh the idle timer at most once a minute, to keep reads cheap
  if (now.getTime() - session.last_seen_at.getTime() > 60_000) {
    await deps.db.updateTable('staff_sessions').set({ last_seen_at: now }).where('id_hash', '=', hashSessionId(sessionId)).execute();
  }
  return toUser(row);
}

export async function signOut(deps: AuthDeps, sessionId: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const session = await trx.deleteFrom('staff_sessions').where('id_hash', '=', hashSessionId(sessionId)).returning('staff_id').executeTakeFirst();
    if (session) {
      await audit(trx, { kind: 'staff', id: session.staff_id, name: '', officeId: null }, { action: 'staff.sign-out', entity: 'staff', entityId: session.staff_id });
    }
  });
}
