// Loaded into every test process by scripts/test.mjs (node --import), before any test file.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setStaffPasswordCost } from '../../src/application/credentials.ts';
import { configureCredentialsKeys } from '../../src/application/notifications/secrets.ts';
import { TEST_CREDENTIALS_KEY } from './template.ts';

// argon2id at its production cost takes tens of milliseconds of CPU per staff sign-in, and the suite signs in
// hundreds of times; the algorithm and its code path stay the same (a test checks the production cost itself).
setStaffPasswordCost({ memoryCost: 256, timeCost: 1, parallelism: 1 });

// one credentials key for every test process (instead of a random one each), the key of the seeded template's sealed
// passwords (test/support/template.ts); a test about keys still configures its own
configureCredentialsKeys({ current: TEST_CREDENTIALS_KEY, previous: [] });

// scripts/test.mjs lists the slowest files: each test process writes how long it ran, start-up included
const timings = process.env.PRATICA_TEST_TIMINGS;
const file = process.argv[1];
if (timings && file) {
  process.on('exit', () => {
    const name = relative(process.cwd(), file);
    writeFileSync(join(timings, `${process.pid}.json`), JSON.stringify({ file: name, seconds: process.uptime() }));
  });
}
