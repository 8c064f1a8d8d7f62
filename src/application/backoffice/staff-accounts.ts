/**
 * What an administrator (or an office manager, for their office's staff) does to an account besides editing it:
 * deactivate and reactivate it, send its owner a link to choose a new password, or, when the owner cannot read
 * that e-mail, give a temporary password to hand over in person, which must be replaced at the first sign-in.
 * Each is audited; a password never enters the audit log.
 */
import type { Services } from '../services.ts';
import type { Db } from '../../adapters/db/database.ts';
import { DomainError } from '../../domain/errors.ts';
import { canManageStaff } from '../../domain/policy.ts';
import type { Principal } from '../../domain/policy.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { newPassword } from '../credentials.ts';
import { inTransaction } from '../transaction.ts';
import { queueResetMessage } from './password-reset.ts';

export interface StaffAccountDeps extends Pick<Services, 'clock' | 'staffPasswords'> {
  db: Db;
}

/** The account, locked for the transaction, when `who` may manage it; otherwise it does not exist for them. */
async function managedAccount(trx: Db, who: Principal, id: string) {
  const row = await trx.selectFrom('staff').select(['id', 'name', 'email', 'role', 'office_id', 'active']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row || !canManageStaff(who, { officeId: row.office_id, role: row.role })) throw new DomainError('not-found', 'Utente non trovato.');
  return row;
}

/**
 * One's own account cannot be deactivated, nor the last active administrator deactivated or given another role,
 * or nobody could manage the service from the back office: the rule of every path that changes an account.
 */
export async function assertManageableAfter(trx: Db, who: Principal, row: { id: string; role: string; active: boolean }, next: { active: boolean; role: string }): Promise<void> {
  if (row.active && !next.active && row.id === who.id) throw new DomainError('conflict', 'Non è possibile disattivare il proprio account.');
  if (row.role !== 'admin' || !row.active || (next.active && next.role === 'admin')) return;
  const others = await trx.selectFrom('staff').select('id').where('role', '=', 'admin').where('active', '=', true).where('id', '!=', row.id).limit(1).forUpdate().execute();
  if (others.length === 0) throw new DomainError('conflict', 'È l\'ultimo amministratore attivo: attivarne un altro prima di disattivarlo o di cambiarne il ruolo.');
}

/**
 * Deactivation ends every session at once; one's own account and the last active administrator cannot be
 * deactivated, or nobody could manage the service from the back office. Reactivation keeps the password.
 */
export async function setStaffActive(deps: StaffAccountDeps, actor: Actor, who: Principal, id: string, active: boolean): Promise<{ changed: boolean }> {
  return inTransaction(deps.db, async (trx) => {
    const row = await managedAccount(trx, who, id);
    if (row.active === active) return { changed: false };
    await assertManageableAfter(trx, who, row, { active, role: row.role });
    await trx.updateTable('staff').set(active ? { active, failed_logins: 0, locked_until: null } : { active }).where('id', '=', id).execute();
    const ended = active ? 0 : Number((await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).executeTakeFirst()).numDeletedRows);
    await audit(trx, actor, {
      action: active ? 'staff.reactivated' : 'staff.deactivated', entity: 'staff', entityId: id, officeId: row.office_id,
      ...(active ? {} : { after: { sessionsEnded: ended } }),
    });
    return { changed: true };
  });
}

/** The owner gets the same e-mail as from "Password dimenticata?" (and the same hourly limit). */
export async function sendResetLink(deps: StaffAccountDeps, actor: Actor, who: Principal, id: string): Promise<{ sent: boolean }> {
  const sent = await inTransaction(deps.db, async (trx) => {
    const row = await managedAccount(trx, who, id);
    if (!row.active) throw new DomainError('conflict', 'L\'account è disattivato: riattivarlo prima di inviare il collegamento.');
    const queued = await queueResetMessage(trx, row, deps.clock.now());
    await audit(trx, actor, { action: queued ? 'staff.password-reset-sent' : 'staff.password-reset-throttled', entity: 'staff', entityId: id, officeId: row.office_id });
    return queued;
  });
  return { sent };
}

/**
 * A temporary password, returned once for the administrator to hand over: the old password and every link sent
 * before stop working, sessions end, a lock ends, and the owner must choose a new password at the first sign-in.
 */
export async function issueTemporaryPassword(deps: StaffAccountDeps, actor: Actor, who: Principal, id: string): Promise<{ password: string; email: string }> {
  const password = newPassword();
  const passwordHash = await deps.staffPasswords.hash(password);
  return inTransaction(deps.db, async (trx) => {
    const row = await managedAccount(trx, who, id);
    if (!row.active) throw new DomainError('conflict', 'L\'account è disattivato: riattivarlo prima di assegnare una password.');
    if (row.id === who.id) throw new DomainError('conflict', 'La propria password si cambia dalla pagina "Cambia password".');
    await trx.updateTable('staff').set({ password_hash: passwordHash, must_change_password: true, failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    const ended = await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).executeTakeFirst();
    await audit(trx, actor, { action: 'staff.temporary-password', entity: 'staff', entityId: id, officeId: row.office_id, after: { sessionsEnded: Number(ended.numDeletedRows) } });
    return { password, email: row.email };
  });
}
