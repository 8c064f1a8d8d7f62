import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import { Checks, DomainError } from '../domain/errors.ts';
import { isUuid } from '../domain/text.ts';
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
  // the name and the office refused together: the form tells both at once
  const checks = new Checks();
  const cleanName = name.trim();
  if (!/^[\p{L}\p{N} ._-]{1,80}$/u.test(cleanName)) {
    checks.add(new DomainError('invalid-input', 'Il nome del token deve avere da 1 a 80 caratteri tra lettere, cifre, spazi, punto, trattino.', { field: 'name' }));
  }
  return inTransaction(db, async (trx) => {
    let officeId: string | null = null;
    if (officeCode) {
      const office = await trx.selectFrom('offices').select('id').where('code', '=', officeCode).executeTakeFirst();
      if (!office) checks.add(new DomainError('not-found', `Ufficio "${officeCode}" non trovato.`, { field: 'office' }));
      officeId = office?.id ?? null;
    }
    checks.done();
    const token = newApiToken();
    const id = randomUUID();
    await trx.insertInto('api_tokens').values({ id, name: cleanName, office_id: officeId, token_hash: hashApiToken(token) }).execute();
    await audit(trx, actor, { action: 'token.create', entity: 'api_token', entityId: id, officeId, after: { name: cleanName, officeCode: officeCode ?? null } });
    return { id, name: cleanName, officeCode: officeCode ?? null, token };
  });
}

/**
 * The actor behind a bearer token, or undefined for an unknown or revoked token. Read from the database on every
 * request (no process keeps tokens in memory), so a revocation holds at once everywhere; the last use is written
 * at most once a minute.
 */
export async function authenticateApiToken(db: Db, token: string, now: Date = new Date()): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'office_id', 'last_used_at'])
    .where('token_hash', '=', hashApiToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { kind: 'token', id: row.id, name: `API: ${row.name}`, officeId: row.office_id };
}

export interface TokenSummary {
  id: string;
  name: string;
  officeCode: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Every token, newest first, revoked ones included: what the CLI and the administrators' page list. */
export async function listApiTokens(db: Db): Promise<TokenSummary[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .leftJoin('offices', 'offices.id', 'api_tokens.office_id')
    .select(['api_tokens.id', 'api_tokens.name', 'offices.code', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, officeCode: r.code, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}

/** Revokes a token for good (audited); revoking it again changes nothing and says so. */
export async function revokeApiToken(db: Db, actor: Actor, id: string, now: Date = new Date()): Promise<{ name: string; alreadyRevoked: boolean }> {
  if (!isUuid(id)) throw new DomainError('not-found', `Token "${id}" non trovato.`);
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('api_tokens').select(['id', 'name', 'office_id', 'revoked_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new DomainError('not-found', `Token "${id}" non trovato.`);
    if (row.revoked_at) return { name: row.name, alreadyRevoked: true };
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
    await audit(trx, actor, { action: 'token.revoke', entity: 'api_token', entityId: id, officeId: row.office_id, after: { name: row.name } });
    return { name: row.name, alreadyRevoked: false };
  });
}
