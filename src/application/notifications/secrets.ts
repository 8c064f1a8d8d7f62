import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The citizen's password is kept beside its hash, sealed with AES-256-GCM under a key that
 * lives in the configuration (CREDENTIALS_KEY), never in the database: every message can then carry the
 * same, working password (docs/security.md explains the choice and its threat model).
 * The password hash is the additional authenticated data: if anyone changes the hash, the sealed copy no
 * longer opens, and the dispatcher knows it must not send a stale password.
 */

export interface CredentialsKeys {
  /** seals new passwords */
  current: Buffer;
  /** still open what older keys sealed, during a key rotation */
  previous: Buffer[];
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The keys of the configuration (CREDENTIALS_KEY, CREDENTIALS_KEY_PREVIOUS), checked once when the process builds its services. */
export function credentialsKeysOf(keys: CredentialsKeys): CredentialsKeys {
  for (const key of [keys.current, ...keys.previous]) {
    if (key.length !== 32) throw new RangeError('a credentials key has 32 bytes (AES-256)');
  }
  return Object.freeze({ current: keys.current, previous: [...keys.previous] });
}

export function sealPassword(password: string, passwordHash: string, keys: CredentialsKeys): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current, iv);
  cipher.setAAD(Buffer.from(passwordHash, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return ['v1', keyId(keys.current), iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** The password, or undefined when the key is unknown or the hash changed since sealing. */
export function openPassword(sealed: string, passwordHash: string, keys: CredentialsKeys): string | undefined {
  const [version, id, iv, ciphertext, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || ciphertext === undefined || !tag) return undefined;
  const key = [keys.current, ...keys.previous].find((k) => keyId(k) === id);
  if (!key) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(passwordHash, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Where the citizen signs in ("La tua pratica on line", the portal at /pratica). The e-mail's one-click
 * link is made by the portal's createSignInLink (application/portal/sign-in-link.ts) when it is sent.
 */
export function caseLink(publicBaseUrl: string): string {
  return `${publicBaseUrl}/pratica`;
}
