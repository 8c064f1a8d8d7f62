#!/usr/bin/env node
// Runs every *.test.ts / *.test.tsx file under test/ with node's own test runner (through tsx), or the files named.
// TEST_DATABASE_URL=postgres://... runs the database suites against PostgreSQL instead of PGlite.
//
// Before the files run, one migrated database is made for the whole run, and one with the demo catalogue seeded
// (test/support/template.ts): each file's database starts as a copy of one of them instead of being migrated and
// seeded again. Two lanes run side by side: the browser suites
// (Chromium, one at a time: two browsers at once only slow each other down) and every other file, as many at once
// as the machine has cores. At the end the slowest files are listed with their time.
//   node scripts/test.mjs                          every file, both lanes
//   node scripts/test.mjs test/web/edge.test.ts    the files named
//   node scripts/test.mjs --lane browser           one lane (browser | main)
//   node scripts/test.mjs --database-only          only the files that use a database (CI's PostgreSQL pass)
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { reachesDatabase } from './test-selection.mjs';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const argv = process.argv.slice(2);
const databaseOnlyIndex = argv.indexOf('--database-only');
const databaseOnly = databaseOnlyIndex >= 0 && argv.splice(databaseOnlyIndex, 1).length > 0;
const laneIndex = argv.indexOf('--lane');
const onlyLane = laneIndex >= 0 ? argv.splice(laneIndex, 2)[1] : undefined;
if (onlyLane !== undefined && onlyLane !== 'browser' && onlyLane !== 'main') {
  console.error('uso: node scripts/test.mjs [--lane browser|main] [--database-only] [file.test.ts ...]');
  process.exit(2);
}
const files = (argv.length > 0 ? argv : findTests('test').sort()).filter((file) => !databaseOnly || reachesDatabase(file));
const isBrowserSuite = (file) => /support\/browser\.ts'/.test(readFileSync(file, 'utf8'));
const lanes = [
  { name: 'browser', files: files.filter(isBrowserSuite), concurrency: 1 },
  { name: 'main', files: files.filter((file) => !isBrowserSuite(file)), concurrency: Math.max(1, availableParallelism()) },
].filter((lane) => lane.files.length > 0 && (onlyLane === undefined || lane.name === onlyLane));

const started = Date.now();
register();
const template = await import('../test/support/template.ts');
// each test process writes its own running time here (test/support/preload.ts); the seeded PGlite template too
const runDir = mkdtempSync(join(tmpdir(), 'pratica-test-run-'));
const timings = join(runDir, 'timings');
mkdirSync(timings);
const serverUrl = process.env.TEST_DATABASE_URL;
const postgresTemplate = serverUrl ? await template.preparePostgresTemplate(serverUrl) : undefined;
const migratedTemplate = postgresTemplate ? undefined : await template.preparePgliteTemplate();
const templates = postgresTemplate
  ? { [template.TEMPLATE_ENV]: postgresTemplate.name, [template.SEEDED_TEMPLATE_ENV]: postgresTemplate.seeded }
  : { [template.TEMPLATE_ENV]: migratedTemplate, [template.SEEDED_TEMPLATE_ENV]: await template.preparePgliteSeededTemplate(migratedTemplate, runDir) };
const setupSeconds = (Date.now() - started) / 1000;

const children = new Set();
const dropTemplate = async () => {
  rmSync(runDir, { recursive: true, force: true });
  await postgresTemplate?.drop().catch((error) => console.error(`test database template not dropped: ${error.message}`));
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    void dropTemplate().then(() => process.exit(130));
  });
}

const preload = pathToFileURL(join(import.meta.dirname, '../test/support/preload.ts')).href;
const runLane = (lane) => new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', preload, '--test', `--test-concurrency=${lane.concurrency}`, ...lane.files],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'test', ...templates, PRATICA_TEST_TIMINGS: timings },
    },
  );
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    resolve({ lane, code: code ?? (signal ? 1 : 0) });
  });
});

const results = await Promise.all(lanes.map(runLane));
const times = readdirSync(timings).map((name) => JSON.parse(readFileSync(join(timings, name), 'utf8')));
times.sort((a, b) => b.seconds - a.seconds);
const wall = (Date.now() - started) / 1000;
console.log(`\n# ${files.length} files in ${wall.toFixed(1)} s (migrated and seeded templates ${setupSeconds.toFixed(1)} s; ` +
  `${lanes.map((lane) => `${lane.name} lane: ${lane.files.length} files, ${lane.concurrency} at a time`).join('; ')})`);
console.log('# slowest files:');
for (const { file, seconds } of times.slice(0, 15)) console.log(`#   ${seconds.toFixed(1).padStart(6)} s  ${file}`);
await dropTemplate();
const failed = results.filter((result) => result.code !== 0);
for (const { lane, code } of failed) console.error(`# ${lane.name} lane failed (exit code ${code})`);
process.exit(failed.length > 0 ? 1 : 0);
