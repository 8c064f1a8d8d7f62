import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import { DomainError } from '../domain/errors.ts';
import { audit } from './audit.ts';
import type { Actor } from './audit.ts';
import { hashApiToken, newApiToken } from './credentials.ts';
import { inTransaction } from './transaction.ts';

export interface CreatedToken {
  id: string;
  name: string;
  officeCode: string | null;
  /** shown once: only its hash is stored */
  token: string;
}

export async function createApiToken(db: Db, actor: Actor, name: string, officeCode?: string): Promise<CreatedToken> {
  const cleanName = name.trim();
  if (!/^[\p{L}\p{N} ._-]{1,80}$/u.test(cleanName)) {
    throw new DomainError('invalid-input', 'Il nome del token deve avere da 1 a 80 caratteri tra lettere, cifre, spazi, punto, trattino.', { field: 'name' });
  }
  return inTransaction(db, async (trx) => {
    let officeId: string | null = null;
    if (officeCode) {
      const office = await trx.selectFrom('offices').select('id').where('code', '=', officeCode).executeTakeFirst();
      if (!office) throw new DomainError('not-found', `Ufficio "${officeCode}" non trovato.`, { field: 'office' });
      officeId = office.id;
    }
    const token = newApiToken();
    const id = randomUUID();
    await trx.insertInto('api_tokens').values({ id, name: cleanName, office_id: officeId, token_hash: hashApiToken(token) }).execute();
    await audit(trx, actor, { action: 'token.create', entity: 'api_token', entityId: id, officeId, after: { name: cleanName, officeCode: officeCode ?? null } });
    return { id, name: cleanName, officeCode: officeCode ?? null, token };
  });
}

/** The actor behind a bearer token, or undefined for an unknown or revoked token. */
export async function authenticateApiToken(db: Db, token: string): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'office_id'])
    .where('token_hash', '=', hashApiToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { kind: 'token', id: row.id, name: `API: ${row.name}`, officeId: row.office_id } : undefined;
}
