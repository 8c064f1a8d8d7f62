import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import { Checks, DomainError } from '../domain/errors.ts';
import { isUuid } from '../domain/text.ts';
import { audit } from './audit.ts';
import type { Actor } from './audit.ts';
import { parseChange } from './case-cache.ts';
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

interface CheckedToken {
  actor: Actor;
  lastUsedAt: Date | null;
}

/**
 * The actors behind the bearer tokens this process has checked, kept while the change feed is heard: a
 * revocation notifies 'tokens' (migration 0028) and every process drops what it keeps, so a revoked token is
 * refused at once everywhere; without the feed every request reads the database. The last use is written at
 * most once a minute. An unknown token is never kept.
 */
export class ApiTokenCache {
  private readonly known = new Map<string, CheckedToken>();
  /** counts the invalidations: a token read while one happened may be revoked already and is not kept */
  private generation = 0;
  private listening = false;

  constructor(private readonly maxEntries = 10_000) {}

  /** The actor behind a bearer token, or undefined for an unknown or revoked token. */
  async authenticate(db: Db, token: string, now: Date): Promise<Actor | undefined> {
    const tokenHash = hashApiToken(token);
    let checked = this.listening ? this.known.get(tokenHash) : undefined;
    if (!checked) {
      const generation = this.generation;
      const row = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'office_id', 'last_used_at'])
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      checked = { actor: { kind: 'token', id: row.id, name: `API: ${row.name}`, officeId: row.office_id }, lastUsedAt: row.last_used_at };
      if (this.listening && generation === this.generation) {
        if (this.known.size >= this.maxEntries) this.known.clear();
        this.known.set(tokenHash, checked);
      }
    }
    if (!checked.lastUsedAt || now.getTime() - checked.lastUsedAt.getTime() >= 60_000) {
      checked.lastUsedAt = now;
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', checked.actor.id).execute();
    }
    return checked.actor;
  }

  /** Applies one notification payload from the database. */
  changed(payload: string): void {
    const change = parseChange(payload);
    if (change === 'tokens' || change === 'everything') this.clear();
  }

  /** Something this process wrote, whose notification may come later. */
  clear(): void {
    this.generation++;
    this.known.clear();
  }

  /** While notifications may be missed, nothing is kept. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.clear();
  }
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
