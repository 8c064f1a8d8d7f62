/**
 * Citizen sign-in to "La tua pratica on line" (docs/domain.md, the service, 5): case code + password, or a sign-in link.
 * Attempts are rate-limited per address, per case code and per code and address (domain/portal/throttle.ts),
 * never locked; the answer to a wrong code and to a wrong password is the same, in content and in time.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../adapters/db/database.ts';
import { normalizeCaseCode } from '../../domain/case/codes.ts';
import { ADDRESS_POLICY, CODE_POLICY, FULL, admit, availableAt, failed, isAuditedStep, isFresh, succeeded } from '../../domain/portal/throttle.ts';
import type { BucketState, SignInBuckets } from '../../domain/portal/throttle.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { inTransaction } from '../transaction.ts';
import type { Services } from '../services.ts';
import { caseHashIsOutdated, hashPassword, verifyPassword } from '../credentials.ts';
import { storeCaseCredentials } from '../notifications.ts';
import { openPassword } from '../notifications/secrets.ts';
import { readSignInToken } from './sign-in-link.ts';

export interface PortalDeps extends Pick<Services, 'clock'> {
  db: Db;
  /** SESSION_SECRET: signs links and keys the questionnaire markers */
  secret: string;
}

/** A case password is checked (and its hash upgraded) under the process's keys. */
export type PasswordSignInDeps = PortalDeps & Pick<Services, 'credentialsKeys'>;

export interface SignedInCase {
  caseId: string;
  code: string;
  /** changes when the password is reissued: sessions opened with the old one end */
  fingerprint: string;
}

export type SignInResult =
  | { ok: true; signedIn: SignedInCase }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAt: Date };

const PORTAL_ACTOR: Actor = { kind: 'system', id: 'portal', name: 'La tua pratica on line', officeId: null };

/** Codes and passwords are short typed texts: anything much longer is not one. */
const MAX_INPUT = 100;


/** What a session cookie must match: the case's password and its sign-out count, so either change ends it. */
export function sessionFingerprint(secret: string, row: { password_hash: string; session_generation: number }): string {
  return createHmac('sha256', `pratica-online/session/${secret}`).update(`${row.session_generation}:${row.password_hash}`).digest('base64url').slice(0, 16);
}

export interface Keys {
  address: string;
  code?: { code: string; codeAddress: string };
}

function keysFor(code: string | undefined, address: string): Keys {
  return { address: `ip:${address}`, ...(code ? { code: { code: `code:${code}`, codeAddress: `code-ip:${code}|${address}` } } : {}) };
}

const keyList = (keys: Keys): string[] => [keys.address, ...(keys.code ? [keys.code.code, keys.code.codeAddress] : [])];

/** The buckets of the keys, locked for this transaction (a missing row is a full bucket: inserted first, so that it can be locked). */
async function loadBuckets(trx: Db, keys: Keys, now: Date): Promise<SignInBuckets> {
  const list = keyList(keys);
  await trx
    .insertInto('portal_throttle')
    .values(list.map((key) => ({ key, failures: 0, updated_at: now })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const rows = await trx.selectFrom('portal_throttle').select(['key', 'failures', 'full_at']).where('key', 'in', list).orderBy('key').forUpdate().execute();
  const byKey = new Map(rows.map((r) => [r.key, { fullAt: r.full_at, failures: r.failures }]));
  const of = (key: string): BucketState => byKey.get(key) ?? FULL;
  return { address: of(keys.address), ...(keys.code ? { code: { code: of(keys.code.code), codeAddress: of(keys.code.codeAddress) } } : {}) };
}

async function saveBuckets(trx: Db, keys: Keys, buckets: SignInBuckets, now: Date): Promise<void> {
  const pairs: [string, BucketState][] = [[keys.address, buckets.address]];
  if (keys.code && buckets.code) pairs.push([keys.code.code, buckets.code.code], [keys.code.codeAddress, buckets.code.codeAddress]);
  for (const [key, state] of pairs) {
    // a fresh state is what a missing row means (loadBuckets): the table keeps only keys that are counting
    if (isFresh(state, now)) await trx.deleteFrom('portal_throttle').where('key', '=', key).execute();
    else await trx.updateTable('portal_throttle').set({ failures: state.failures, full_at: state.fullAt, updated_at: now }).where('key', '=', key).execute();
  }
}

/**
 * Takes the attempt from every bucket before the password is checked, so that parallel guesses cannot all slip through.
 * The online adhesion request takes its sending from an address bucket of its own (`adhesion-ip:` keys) the same way.
 */
export async function reserveAttempt(db: Db, keys: Keys, now: Date): Promise<{ allowed: true } | { allowed: false; retryAt: Date }> {
  return inTransaction(db, async (trx) => {
    const admission = admit(await loadBuckets(trx, keys, now), now);
    if (!admission.allowed) return admission;
    await saveBuckets(trx, keys, admission.buckets, now);
    return { allowed: true as const };
  });
}

async function recordOutcome(deps: PortalDeps, keys: Keys, success: boolean, officeId: string | null, address: string): Promise<void> {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (trx) => {
    const buckets = await loadBuckets(trx, keys, now);
    if (success) return saveBuckets(trx, keys, succeeded(buckets, now), now);
    const after: SignInBuckets = {
      address: failed(buckets.address),
      ...(buckets.code ? { code: { code: failed(buckets.code.code), codeAddress: failed(buckets.code.codeAddress) } } : {}),
    };
    await saveBuckets(trx, keys, after, now);
    // each full bucket's worth of failures in a row is recorded, not every guess
    const steps = [
      { state: after.address, policy: ADDRESS_POLICY, entity: 'address', entityId: address, officeId: null },
      ...(after.code && keys.code ? [{ state: after.code.code, policy: CODE_POLICY, entity: 'case', entityId: keys.code.code.slice('code:'.length), officeId }] : []),
    ];
    for (const step of steps.filter((s) => isAuditedStep(s.state.failures, s.policy))) {
      await audit(trx, PORTAL_ACTOR, {
        action: 'portal.sign-in-throttled',
        entity: step.entity,
        entityId: step.entityId,
        officeId: step.officeId,
        after: { failures: step.state.failures, nextAttemptAt: availableAt(step.state, step.policy, now).toISOString() },
      });
    }
  });
}

/** Case code + password. `address` is the client's IP address, for the per-address throttle. */
export async function signInWithPassword(deps: PasswordSignInDeps, input: { code: string; password: string; address: string }): Promise<SignInResult> {
  const rawCode = input.code.slice(0, MAX_INPUT + 1);
  const code = rawCode.length <= MAX_INPUT ? normalizeCaseCode(rawCode) : undefined;
  const keys = keysFor(code, input.address);
  const reservation = await reserveAttempt(deps.db, keys, deps.clock.now());
  if (!reservation.allowed) return { ok: false, reason: 'throttled', retryAt: reservation.retryAt };

  const row = code
    ? await deps.db.selectFrom('cases').select(['id', 'code', 'office_id', 'password_hash', 'session_generation']).where('code', '=', code).executeTakeFirst()
    : undefined;
  const password = input.password.length <= MAX_INPUT ? input.password : '';
  // checked against a hash of no case when the code does not exist, so that the answer takes as long as for a wrong password
  const valid = row && password !== ''
    ? await verifyPassword(row.password_hash, password, deps.credentialsKeys)
    : (await verifyPassword(await hashPassword('NONE-NONE-NONE-NONE', deps.credentialsKeys), 'x', deps.credentialsKeys), false);
  await recordOutcome(deps, keys, valid, row?.office_id ?? null, input.address);
  if (!valid || !row) return { ok: false, reason: 'invalid' };
  const current = { ...row, password_hash: await upgradeHash(deps, row, password) };
  return { ok: true, signedIn: { caseId: row.id, code: row.code, fingerprint: sessionFingerprint(deps.secret, current) } };
}

/**
 * A hash of the older kind (argon2id, or an HMAC under a previous key) is replaced by the current one
 * once the password is known to be right; the sealed copy, whose AAD is the hash, is sealed again with
 * it, so the messages keep carrying the same password. Returns the case's hash now.
 */
async function upgradeHash(deps: PasswordSignInDeps, row: { id: string; password_hash: string }, password: string): Promise<string> {
  const keys = deps.credentialsKeys;
  if (!caseHashIsOutdated(row.password_hash, keys)) return row.password_hash;
  const passwordHash = await hashPassword(password, keys);
  return inTransaction(deps.db, async (trx) => {
    const sealed = await trx.selectFrom('case_credentials').select('sealed').where('case_id', '=', row.id).executeTakeFirst();
    // a password issued meanwhile wins: its hash is not the one checked
    const updated = await trx.updateTable('cases').set({ password_hash: passwordHash }).where('id', '=', row.id).where('password_hash', '=', row.password_hash).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return row.password_hash;
    const kept = sealed ? openPassword(sealed.sealed, row.password_hash, keys) : undefined;
    if (kept) await storeCaseCredentials(trx, keys, { caseId: row.id, password: kept, passwordHash });
    return passwordHash;
  });
}

export type LinkCheck =
  | { ok: true; caseId: string; code: string; nonce: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'expired' | 'used' };

/** Reads a sign-in link without spending it (the page that asks for the click). */
export async function checkSignInLink(deps: PortalDeps, token: string): Promise<LinkCheck> {
  const check = readSignInToken(deps.secret, token, deps.clock.now());
  if (!check.valid) return { ok: false, reason: check.reason };
  const [row, used] = await Promise.all([
    deps.db.selectFrom('cases').select(['id', 'code']).where('id', '=', check.caseId).executeTakeFirst(),
    deps.db.selectFrom('portal_used_links').select('nonce').where('nonce', '=', check.nonce).executeTakeFirst(),
  ]);
  if (!row) return { ok: false, reason: 'malformed' };
  if (used) return { ok: false, reason: 'used' };
  return { ok: true, caseId: row.id, code: row.code, nonce: check.nonce, expiresAt: check.expiresAt };
}

/** Spends a sign-in link: the nonce insert decides, so two clicks at once cannot both get in. */
export async function signInWithLink(deps: PortalDeps, token: string): Promise<{ ok: true; signedIn: SignedInCase } | { ok: false; reason: 'malformed' | 'expired' | 'used' }> {
  const check = readSignInToken(deps.secret, token, deps.clock.now());
  if (!check.valid) return { ok: false, reason: check.reason };
  const row = await deps.db.selectFrom('cases').select(['id', 'code', 'password_hash', 'session_generation']).where('id', '=', check.caseId).executeTakeFirst();
  if (!row) return { ok: false, reason: 'malformed' };
  const now = deps.clock.now();
  const inserted = await deps.db
    .insertInto('portal_used_links')
    .values({ nonce: check.nonce, expires_at: check.expiresAt })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .returning('nonce')
    .executeTakeFirst();
  // nonces of links past their expiry are refused by the signature check anyway: no need to keep them
  await deps.db.deleteFrom('portal_used_links').where('expires_at', '<', now).execute();
  if (!inserted) return { ok: false, reason: 'used' };
  return { ok: true, signedIn: { caseId: row.id, code: row.code, fingerprint: sessionFingerprint(deps.secret, row) } };
}

/** The case of a session, if it still stands: the case exists, its password was not reissued and nobody signed out since. */
export async function sessionCase(deps: PortalDeps, session: { caseId: string; fingerprint: string }): Promise<{ code: string } | undefined> {
  const row = await deps.db.selectFrom('cases').select(['code', 'password_hash', 'session_generation']).where('id', '=', session.caseId).executeTakeFirst();
  if (!row || sessionFingerprint(deps.secret, row) !== session.fingerprint) return undefined;
  return { code: row.code };
}

/**
 * Signing out ends every session of the case, on every web process: the fingerprint changes with the
 * row's sign-out count, and the update of the row drops the cached case page everywhere (migration 0006).
 * A session that no longer stands changes nothing.
 */
export async function signOut(deps: PortalDeps, session: { caseId: string; fingerprint: string }): Promise<void> {
  const row = await deps.db.selectFrom('cases').select(['password_hash', 'session_generation']).where('id', '=', session.caseId).executeTakeFirst();
  if (!row || sessionFingerprint(deps.secret, row) !== session.fingerprint) return;
  await deps.db
    .updateTable('cases')
    .set((eb) => ({ session_generation: eb('session_generation', '+', 1) }))
    .where('id', '=', session.caseId)
    .where('session_generation', '=', row.session_generation)
    .execute();
}
