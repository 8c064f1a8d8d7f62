// Loaded into every test process by scripts/test.mjs (node --import), before any test file.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
// scripts/test.mjs lists the slowest files: each test process writes how long it ran, start-up included
const timings = process.env.PRATICA_TEST_TIMINGS;
const file = process.argv[1];
if (timings && file) {
  process.on('exit', () => {
    const name = relative(process.cwd(), file);
    writeFileSync(join(timings, `${process.pid}.json`), JSON.stringify({ file: name, seconds: process.uptime() }));
  });
}
