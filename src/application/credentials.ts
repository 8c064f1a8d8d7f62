import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_SYMBOLS, formatCaseCode, formatPassword, normalizePassword } from '../domain/case/codes.ts';
import { keyId } from './notifications/secrets.ts';
import type { CredentialsKeys } from './notifications/secrets.ts';

export function newCaseCode(prefix: string): string {
  return formatCaseCode(prefix, randomBytes(8));
}

export function newPassword(): string {
  return formatPassword(randomBytes(PASSWORD_SYMBOLS));
}

const CASE_HASH = 'hmac-sha256';

/** The HMAC key for case passwords, derived from a CREDENTIALS_KEY (which itself only seals). */
const caseHashKey = (key: Buffer): Buffer => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pratica-online/case-password', 32));

function caseMac(key: Buffer, password: string): string {
  return createHmac('sha256', caseHashKey(key)).update(normalizePassword(password)).digest('base64url');
}

/**
 * A case password carries 80 random bits: no guessing gets through that space, so a slow hash adds
 * nothing and costs every enrolment and sign-in tens of milliseconds of CPU (docs/security.md, measured
 * in docs/benchmarks.md). HMAC-SHA-256 under a key from the configuration, as for the API tokens, except
 * that the key also keeps a stolen database from confirming a password. `hmac-sha256$<key id>$<mac>`.
 */
export async function hashPassword(password: string, keys: CredentialsKeys): Promise<string> {
  return `${CASE_HASH}$${keyId(keys.current)}$${caseMac(keys.current, password)}`;
}

/** Checks HMAC hashes (under the current key or a previous one) and the argon2id hashes made before them. */
export async function verifyPassword(passwordHash: string, password: string, keys: CredentialsKeys): Promise<boolean> {
  const [scheme, id, mac] = passwordHash.split('$');
  if (scheme === CASE_HASH) {
    const key = [keys.current, ...keys.previous].find((k) => keyId(k) === id);
    if (!key || !mac) return false;
    const expected = Buffer.from(caseMac(key, password));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

/** An argon2id hash, or one under a previous key: replaced at the next successful sign-in. */
export function caseHashIsOutdated(passwordHash: string, keys: CredentialsKeys): boolean {
  return !passwordHash.startsWith(`${CASE_HASH}$${keyId(keys.current)}$`);
}

/**
 * The argon2id hash case passwords had before: kept for data that must verify in any process whatever
 * its key (the benchmark's generated cases), and for the benchmark that compares both.
 */
export function hashPasswordArgon2(password: string): Promise<string> {
  // argon2id with the library defaults (m=19 MiB, t=2, p=1: OWASP's first recommended profile)
  return hash(normalizePassword(password));
}

export interface Argon2Cost {
  /** KiB */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2id at OWASP's first recommended profile (m=19 MiB, t=2, p=1): the cost of every staff password hashed in production. */
export const STAFF_PASSWORD_COST: Readonly<Argon2Cost> = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

/**
 * Staff passwords are chosen by people and checked exactly: unlike a case password (typed from an SMS,
 * so case and dashes are forgiven), folding them would shrink the space an attacker has to search.
 * The cost is the process's: the test suite signs staff in hundreds of times and builds a cheaper one, which a
 * production process refuses. Verifying reads the cost from the stored hash, so hashes of either cost keep verifying.
 */
export class StaffPasswords {
  readonly cost: Readonly<Argon2Cost>;
  private dummy: Promise<string> | undefined;

  constructor(cost: Argon2Cost = STAFF_PASSWORD_COST, nodeEnv: string | undefined = process.env.NODE_ENV) {
    const weaker = cost.memoryCost < STAFF_PASSWORD_COST.memoryCost || cost.timeCost < STAFF_PASSWORD_COST.timeCost;
    if (nodeEnv === 'production' && weaker) throw new RangeError('staff passwords are hashed at no less than the production argon2id cost in production');
    if (![cost.memoryCost, cost.timeCost, cost.parallelism].every((n) => Number.isInteger(n) && n >= 1) || cost.memoryCost < 8 * cost.parallelism) {
      throw new RangeError('argon2id cost: whole numbers, memory at least 8 KiB per lane');
    }
    this.cost = Object.freeze({ ...cost });
  }

  hash(password: string): Promise<string> {
    // the library's default algorithm is argon2id
    return hash(password, { ...this.cost });
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** A hash of no one's password at this cost: an unknown e-mail is checked against it, so it takes as long as a wrong password. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash('not-a-real-password-only-for-timing');
    return this.dummy;
  }
}

/** API tokens carry 256 random bits, so a fast hash is enough to store them safely. */
export function newApiToken(): string {
  return `po_${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
