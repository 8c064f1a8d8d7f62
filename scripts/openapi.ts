/**
 * Lints the API's OpenAPI document with Redocly's recommended rules (npm run lint:openapi, and a CI step): the app is
 * built on an empty in-memory database, its document written to a temporary file (or to --out FILE) and checked by
 * the installed @redocly/cli, with its telemetry and update check off so that nothing leaves the machine.
 * Prints one line per problem; exits with 1 when there is an error.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/adapters/db/database.ts';
import { buildApp } from '../src/adapters/web/app.ts';
import { systemClock } from '../src/application/clock.ts';
import { ephemeralServices } from '../src/application/services.ts';

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  pointer: string;
}

export interface LintReport {
  errors: number;
  warnings: number;
  problems: LintProblem[];
}

const REDOCLY = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

/** Redocly's verdict on a document, read from its JSON report. */
export function lintOpenApi(document: unknown, keepAs?: string): LintReport {
  const dir = mkdtempSync(join(tmpdir(), 'pratica-openapi-'));
  const file = keepAs ?? join(dir, 'openapi.json');
  try {
    writeFileSync(file, JSON.stringify(document, null, 2));
    const run = spawnSync(process.execPath, [REDOCLY, 'lint', '--extends', 'recommended', '--format', 'json', file], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`redocly lint gave no report (exit ${run.status}): ${run.stderr.trim()}`);
    const report = JSON.parse(run.stdout.slice(start)) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: 'error' | 'warn'; message: string; location: { pointer: string }[] }[];
    };
    return {
      errors: report.totals.errors,
      warnings: report.totals.warnings,
      problems: report.problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer ?? '' })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The document the app serves at /api/v1/openapi.json, from an app on an empty in-memory database. */
export async function openApiDocument(): Promise<unknown> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const app = await buildApp({
    db: database.db, ...ephemeralServices(systemClock), publicBaseUrl: 'http://localhost:3000', production: false, sessionSecret: randomBytes(32).toString('base64'),
  });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    await database.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const report = lintOpenApi(await openApiDocument(), values.out);
  for (const p of report.problems) console.log(`${p.severity === 'error' ? 'errore  ' : 'avviso  '} ${p.ruleId} ${p.pointer}: ${p.message}`);
  console.log(`OpenAPI (redocly, regole recommended): ${report.errors} errori, ${report.warnings} avvisi`);
  process.exitCode = report.errors > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
