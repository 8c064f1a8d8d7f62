import { createHash } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import { DomainError } from '../domain/errors.ts';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/**
 * Runs a write once per (token, Idempotency-Key): the key is claimed in the same transaction as the
 * write, so a retried request gets the first response and records nothing twice, even when the two
 * requests race (the second waits on the key's row lock, then finds the stored response).
 */
export async function runIdempotent(
  db: Db,
  tokenId: string,
  key: string,
  fingerprint: string,
  work: (trx: Db) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new DomainError('invalid-input', 'L\'intestazione Idempotency-Key deve avere da 1 a 255 caratteri ASCII visibili.', { field: 'Idempotency-Key' });
  }
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({ token_id: tokenId, key, request_hash: fingerprint })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
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
      return { status: stored.response_status ?? 200, body: stored.response_body, replayed: true };
    }
    const response = await work(trx);
    await trx
      .updateTable('idempotency_keys')
      .set({ response_status: response.status, response_body: JSON.stringify(response.body) })
      .where('token_id', '=', tokenId)
      .where('key', '=', key)
      .execute();
    return { ...response, replayed: false };
  });
}
