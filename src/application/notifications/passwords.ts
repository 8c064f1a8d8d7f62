import { createHash } from 'node:crypto';
import type { Db } from '../../adapters/db/database.ts';
import { audit } from '../audit.ts';
import { hashPassword, newPassword } from '../credentials.ts';
import { storeCaseCredentials } from '../notifications.ts';
import { inTransaction } from '../transaction.ts';
import { openPassword } from './secrets.ts';
import type { CredentialsKeys } from './secrets.ts';

/**
 * The password a message about to leave must carry: the one sealed at enrolment, if it still matches the
 * case's hash. If it does not (the hash was changed by something that did not reseal it, or the key was
 * lost), a new password is issued now — the older ones stop working, and the message is the latest, so
 * the rule "the password in the latest message always works" holds in every case.
 */
export async function sendablePassword(
  db: Db,
  caseRow: { caseId: string; passwordHash: string; sealed: string | null },
  now: Date,
  keys: CredentialsKeys,
): Promise<string> {
  const opened = caseRow.sealed ? openPassword(caseRow.sealed, caseRow.passwordHash, keys) : undefined;
  if (opened) return opened;
  return inTransaction(db, async (trx) => {
    // the case's row lock makes the repair happen once when several messages need it together
    const current = await trx.selectFrom('cases').select(['code', 'office_id', 'password_hash']).where('id', '=', caseRow.caseId).forUpdate().executeTakeFirstOrThrow();
    const sealed = await trx.selectFrom('case_credentials').select('sealed').where('case_id', '=', caseRow.caseId).executeTakeFirst();
    const again = sealed ? openPassword(sealed.sealed, current.password_hash, keys) : undefined;
    if (again) return again;
    const password = newPassword();
    const passwordHash = await hashPassword(password, keys);
    await trx.updateTable('cases').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', caseRow.caseId).execute();
    await storeCaseCredentials(trx, keys, { caseId: caseRow.caseId, password, passwordHash });
    await audit(trx, { kind: 'system', id: 'notifications', name: 'Invio messaggi', officeId: null }, {
      action: 'case.password-reissued', entity: 'case', entityId: current.code, officeId: current.office_id,
      after: { reason: 'la password conservata non corrispondeva più: nuova password nel messaggio in uscita' },
    });
    return password;
  });
}

/**
 * What an answer kept for a replay (an Idempotency-Key) holds instead of the password it carried: a digest of
 * the case's password hash, which tells a replay whether the password is still the one first issued.
 */
export function passwordStamp(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('hex');
}

/**
 * The password first issued, opened from its sealed copy, while it is still the case's password; undefined once
 * a new one was issued (it reached the citizen, not this caller) or the key that sealed it is gone.
 */
export async function reopenIssuedPassword(db: Db, code: string, stamp: string, keys: CredentialsKeys): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('case_credentials', 'case_credentials.case_id', 'cases.id')
    .select(['cases.password_hash', 'case_credentials.sealed'])
    .where('cases.code', '=', code)
    .executeTakeFirst();
  if (!row || passwordStamp(row.password_hash) !== stamp) return undefined;
  return openPassword(row.sealed, row.password_hash, keys);
}
