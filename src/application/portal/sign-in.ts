/**
 * Citizen sign-in to "La tua pratica on line" (seed section 5): case code + password, or a sign-in link.
 * Failures are throttled per case code and per address (growing delays, then a lock recorded in the
 * audit log); the answer to a wrong code and to a wrong password is the same, in content and in time.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../../adapters/db/database.ts';
import { normalizeCaseCode } from '../../domain/case/codes.ts';
import { ADDRESS_POLICY, CODE_POLICY, FRESH, admit, countAttempt, succeeded } from '../../domain/portal/throttle.ts';
import type { ThrottlePolicy, ThrottleState } from '../../domain/portal/throttle.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { inTransaction } from '../transaction.ts';
import type { Clock } from '../clock.ts';
import { hashPassword, verifyPassword } from '../credentials.ts';
import { readSignInToken } from './sign-in-link.ts';

export interface PortalDeps {
  db: Db;
  clock: Clock;
  /** SESSION_SECRET: signs links and keys the questionnaire markers */
  secret: string;
}

export interface SignedInCase {
  caseId: string;
  code: string;
  /** changes when the password is reissued: sessions opened with the old one end */
  fingerprint: string;
}

export type SignInResult =
  | { ok: true; signedIn: SignedInCase }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAt: Date; locked: boolean };

const PORTAL_ACTOR: Actor = { kind: 'system', id: 'portal', name: 'La tua pratica on line', officeId: null };

/** Codes and passwords are short typed texts: anything much longer is not one. */
const MAX_INPUT = 100;

// verified when the code does not exist, so that the answer takes as long as for a wrong password
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => (dummyHash ??= hashPassword('NONE-NONE-NONE-NONE'));

export function sessionFingerprint(secret: string, passwordHash: string): string {
  return createHmac('sha256', `pratica-online/session/${secret}`).update(passwordHash).digest('base64url').slice(0, 16);
}

interface Key {
  key: string;
  kind: 'code' | 'address';
  policy: ThrottlePolicy;
}

function keysFor(code: string | undefined, address: string): Key[] {
  const keys: Key[] = [{ key: `ip:${address}`, kind: 'address', policy: ADDRESS_POLICY }];
  if (code) keys.unshift({ key: `code:${code}`, kind: 'code', policy: CODE_POLICY });
  return keys;
}

async function loadStates(trx: Db, keys: Key[], now: Date): Promise<Map<string, ThrottleState>> {
  await trx
    .insertInto('portal_throttle')
    .values(keys.map((k) => ({ key: k.key, failures: 0, updated_at: now })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const rows = await trx
    .selectFrom('portal_throttle')
    .selectAll()
    .where('key', 'in', keys.map((k) => k.key))
    .orderBy('key')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.key, { failures: r.failures, nextAttemptAt: r.next_attempt_at, locked: r.locked }]));
}

async function saveState(trx: Db, key: string, state: ThrottleState, now: Date): Promise<void> {
  // a fresh state is what a missing row means (loadStates): after a successful sign-in nothing is kept
  if (state.failures === 0 && state.nextAttemptAt === null && !state.locked) {
    await trx.deleteFrom('portal_throttle').where('key', '=', key).execute();
    return;
  }
  await trx
    .updateTable('portal_throttle')
    .set({ failures: state.failures, next_attempt_at: state.nextAttemptAt, locked: state.locked, updated_at: now })
    .where('key', '=', key)
    .execute();
}

/** Counts the attempt on every key first (see countAttempt), or refuses it when a key is waiting. */
async function reserveAttempt(db: Db, keys: Key[], now: Date): Promise<{ allowed: true } | { allowed: false; retryAt: Date; locked: boolean }> {
  return inTransaction(db, async (trx) => {
    const states = await loadStates(trx, keys, now);
    let refusal: { retryAt: Date; locked: boolean } | undefined;
    for (const k of keys) {
      const admission = admit(states.get(k.key) ?? FRESH, now);
      if (!admission.allowed && (!refusal || admission.retryAt > refusal.retryAt)) refusal = { retryAt: admission.retryAt, locked: admission.locked };
    }
    if (refusal) return { allowed: false as const, ...refusal };
    for (const k of keys) await saveState(trx, k.key, countAttempt(states.get(k.key) ?? FRESH, now, k.policy), now);
    return { allowed: true as const };
  });
}

async function recordOutcome(deps: PortalDeps, keys: Key[], success: boolean, officeId: string | null, address: string): Promise<void> {
  const now = deps.clock.now();
  await inTransaction(deps.db, async (trx) => {
    const states = await loadStates(trx, keys, now);
    for (const k of keys) {
      const state = states.get(k.key) ?? FRESH;
      if (success) {
        await saveState(trx, k.key, succeeded(state, k.kind), now);
      } else if (state.locked && state.failures % k.policy.lockAfterFailures === 0) {
        // each step up of the lock is recorded, not every refused guess (those never reach the password check)
        await audit(trx, PORTAL_ACTOR, {
          action: 'portal.sign-in-locked',
          entity: k.kind === 'code' ? 'case' : 'address',
          entityId: k.kind === 'code' ? k.key.slice('code:'.length) : address,
          officeId: k.kind === 'code' ? officeId : null,
          after: { failures: state.failures, lockedUntil: state.nextAttemptAt?.toISOString() ?? null },
        });
      }
    }
  });
}

/** Case code + password. `address` is the client's IP address, for the per-address throttle. */
export async function signInWithPassword(deps: PortalDeps, input: { code: string; password: string; address: string }): Promise<SignInResult> {
  const rawCode = input.code.slice(0, MAX_INPUT + 1);
  const code = rawCode.length <= MAX_INPUT ? normalizeCaseCode(rawCode) : undefined;
  const keys = keysFor(code, input.address);
  const reservation = await reserveAttempt(deps.db, keys, deps.clock.now());
  if (!reservation.allowed) return { ok: false, reason: 'throttled', retryAt: reservation.retryAt, locked: reservation.locked };

  const row = code
    ? await deps.db.selectFrom('cases').select(['id', 'code', 'office_id', 'password_hash']).where('code', '=', code).executeTakeFirst()
    : undefined;
  const password = input.password.length <= MAX_INPUT ? input.password : '';
  const valid = row && password !== '' ? await verifyPassword(row.password_hash, password) : (await verifyPassword(await dummy(), 'x'), false);
  await recordOutcome(deps, keys, valid, row?.office_id ?? null, input.address);
  if (!valid || !row) return { ok: false, reason: 'invalid' };
  return { ok: true, signedIn: { caseId: row.id, code: row.code, fingerprint: sessionFingerprint(deps.secret, row.password_hash) } };
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
  const row = await deps.db.selectFrom('cases').select(['id', 'code', 'password_hash']).where('id', '=', check.caseId).executeTakeFirst();
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
  return { ok: true, signedIn: { caseId: row.id, code: row.code, fingerprint: sessionFingerprint(deps.secret, row.password_hash) } };
}

/** The case of a session, if it still stands: the case exists and its password was not reissued since. */
export async function sessionCase(deps: PortalDeps, session: { caseId: string; fingerprint: string }): Promise<{ code: string } | undefined> {
  const row = await deps.db.selectFrom('cases').select(['code', 'password_hash']).where('id', '=', session.caseId).executeTakeFirst();
  if (!row || sessionFingerprint(deps.secret, row.password_hash) !== session.fingerprint) return undefined;
  return { code: row.code };
}
