import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../adapters/db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { inTransaction } from './transaction.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
  /**
   * What is stored for a replay instead of `body`, when the body carries a secret (the enrolment's password):
   * `rebuild` turns it back into the answer.
   */
  kept?: unknown;
}

/** A retry comes within minutes; a day is ample, and keeps the table small (README, staff REST API). */
export const IDEMPOTENCY_KEY_HOURS = 24;
const expired = (column: string) => sql<boolean>`${sql.ref(column)} < now() - make_interval(hours => ${IDEMPOTENCY_KEY_HOURS})`;

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/**
 * Runs a write once per (token, Idempotency-Key): the key is claimed in the same transaction as the
 * write, so a retried request gets the first response and records nothing twice, even when the two
 * requests race (the second waits on the key's row lock, then finds the stored response). The claim and
 * the write are retried together after a deadlock, like every use case. A key older than a day is
 * forgotten: the same key then starts a new request.
 */
export async function runIdempotent(
  db: Db,
  tokenId: string,
  key: string,
  fingerprint: string,
  work: (trx: Db) => Promise<StoredResponse>,
  rebuild?: (trx: Db, kept: unknown) => Promise<unknown>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new DomainError('invalid-input', 'L\'intestazione Idempotency-Key deve avere da 1 a 255 caratteri ASCII visibili.', { field: 'Idempotency-Key' });
  }
  return inTransaction(db, async (trx) => {
    await forgetExpiredKeys(trx);
    // an expired key that the purge has not reached yet is claimed afresh
    const claimed = await sql<{ key: string }>`
      INSERT INTO idempotency_keys (token_id, key, request_hash) VALUES (${tokenId}, ${key}, ${fingerprint})
      ON CONFLICT (token_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, response_status = NULL, response_body = NULL, created_at = now()
        WHERE ${expired('idempotency_keys.created_at')}
      RETURNING key`.execute(trx).then((result) => result.rows[0]);
    if (!claimed) {
      const stored = await trx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'response_status', 'response_body'])
        .where('token_id', '=', tokenId)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (stored.request_hash !== fingerprint) {
        throw new DomainError('conflict', 'Questa Idempotency-Key è già stata usata per una richiesta diversa.', { field: 'Idempotency-Key' });
      }
      const body = rebuild ? await rebuild(trx, stored.response_body) : stored.response_body;
      return { status: stored.response_status ?? 200, body, replayed: true };
    }
    const response = await work(trx);
    await trx
      .updateTable('idempotency_keys')
      .set({ response_status: response.status, response_body: JSON.stringify('kept' in response ? response.kept : response.body) })
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .execute();
    return { status: response.status, body: response.body, replayed: false };
  });
}

/** A few expired keys at each claim: the table stays about a day's worth of keys without a sweeper. */
async function forgetExpiredKeys(trx: Db): Promise<void> {
  await sql`DELETE FROM idempotency_keys WHERE (token_id, key) IN (
    SELECT token_id, key FROM idempotency_keys WHERE ${expired('created_at')} ORDER BY created_at LIMIT 20 FOR UPDATE SKIP LOCKED)`.execute(trx);
}
