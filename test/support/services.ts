import { createHash } from 'node:crypto';
import type { Clock } from '../../src/application/clock.ts';
import { StaffPasswords } from '../../src/application/credentials.ts';
import { createServices } from '../../src/application/services.ts';
import type { Services } from '../../src/application/services.ts';
import type { CredentialsKeys } from '../../src/application/notifications/secrets.ts';

/** One credentials key for the whole suite, the key of the seeded template's sealed passwords (test/support/template.ts). */
export const TEST_CREDENTIALS_KEY = createHash('sha256').update('pratica-online: the test suite\'s credentials key').digest();
export const TEST_CREDENTIALS_KEYS: CredentialsKeys = Object.freeze({ current: TEST_CREDENTIALS_KEY, previous: [] });

// argon2id at its production cost takes tens of milliseconds of CPU per staff sign-in, and the suite signs in
// hundreds of times; the algorithm and its code path stay the same (test/backoffice/staff-password-cost.test.ts
// checks the production cost itself).
export const TEST_STAFF_PASSWORDS = new StaffPasswords({ memoryCost: 256, timeCost: 1, parallelism: 1 });

/** The services a test process runs on: its clock, the suite's key, the cheap staff hash; a test about keys gives its own. */
export function testServices(clock: Clock, keys: CredentialsKeys = TEST_CREDENTIALS_KEYS): Services {
  return createServices({ clock, credentialsKeys: keys, staffPasswords: TEST_STAFF_PASSWORDS });
}
