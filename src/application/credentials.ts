import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_SYMBOLS, formatCaseCode, formatPassword, normalizePassword } from '../domain/case/codes.ts';

export function newCaseCode(prefix: string): string {
  return formatCaseCode(prefix, randomBytes(8));
}

export function newPassword(): string {
  return formatPassword(randomBytes(PASSWORD_SYMBOLS));
}

// argon2id with the library defaults (m=19 MiB, t=2, p=1: OWASP's first recommended profile)
export function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

/**
 * Staff passwords are chosen by people and checked exactly: unlike a case password (typed from an SMS,
 * so case and dashes are forgiven), folding them would shrink the space an attacker has to search.
 */
export function hashStaffPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyStaffPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** API tokens carry 256 random bits, so a fast hash is enough to store them safely. */
export function newApiToken(): string {
  return `po_${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
