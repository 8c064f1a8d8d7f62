import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.ts';
import { StaffPasswords } from './credentials.ts';
import type { CredentialsKeys } from './notifications/secrets.ts';
import { credentialsKeysOf } from './notifications/secrets.ts';

/**
 * What the use cases take from the process rather than from module state: built once when a process starts (the
 * server, `pratica worker`, a CLI command) and passed through their deps, so that a test builds its own.
 */
export interface Services {
  clock: Clock;
  /** CREDENTIALS_KEY and CREDENTIALS_KEY_PREVIOUS: key the case passwords' HMAC and seal their copies for the messages */
  credentialsKeys: CredentialsKeys;
  /** argon2id for the staff's passwords, at the production cost unless a test builds a cheaper one */
  staffPasswords: StaffPasswords;
}

export function createServices(input: { clock: Clock; credentialsKeys: CredentialsKeys; staffPasswords?: StaffPasswords }): Services {
  return Object.freeze({ clock: input.clock, credentialsKeys: credentialsKeysOf(input.credentialsKeys), staffPasswords: input.staffPasswords ?? new StaffPasswords() });
}

/**
 * For the benchmarks and the documentation scripts, which never read back what another process sealed: a key
 * that lives as long as the process.
 */
export function ephemeralServices(clock: Clock): Services {
  return createServices({ clock, credentialsKeys: { current: randomBytes(32), previous: [] } });
}
