import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/db/database.ts';
import type { DatabaseHandle } from '../src/adapters/db/database.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import type { Actor } from '../src/application/audit.ts';
import { enrolCase } from '../src/application/cases.ts';
import { fixedClock } from '../src/application/clock.ts';
import type { Clock } from '../src/application/clock.ts';
import { seedDemoData } from '../src/application/demo.ts';
import { generateCases } from '../src/application/generator.ts';
import { createServices } from '../src/application/services.ts';
import type { Services } from '../src/application/services.ts';

export const BENCH_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One key for every benchmark process and for the datasets kept between runs, so that what one sealed another opens. */
export const BENCH_CREDENTIALS_KEY = createHash('sha256').update('pratica-online: the benchmarks\' credentials key').digest();

export const BENCH_CREDENTIALS_KEYS = Object.freeze({ current: BENCH_CREDENTIALS_KEY, previous: [] });

export function benchServices(clock: Clock): Services {
  return createServices({ clock, credentialsKeys: BENCH_CREDENTIALS_KEYS });
}

export const BENCH_ACTOR: Actor = { kind: 'system', id: 'bench', name: 'Benchmark', officeId: null };

/**
 * The demo data with its own messages set aside, and `count` cases of one procedure whose citizens chose e-mail:
 * the cases a message benchmark sends to. Enrolled one after another, so their codes come in order.
 */
export async function messageBenchCases(db: DatabaseHandle['db'], count: number): Promise<{ clock: Clock; codes: string[] }> {
  const clock = fixedClock('2026-11-26');
  const services = benchServices(clock);
  await seedDemoData({ ...services, db });
  await db.updateTable('notifications').set({ status: 'cancelled' }).where('status', '=', 'created').execute();
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    codes.push((await enrolCase({ ...services, db }, BENCH_ACTOR, {
      procedureCode: 'TE-01', subject: `Trasporto eccezionale ${i}`, applicantName: 'Banco di prova S.r.l.', receivedOn: '2026-11-20',
      email: `cittadino${i}@example.org`, channels: ['email'],
    })).code);
  }
  return { clock, codes };
}

/** A PostgreSQL database made for one benchmark and dropped after it. */
export async function temporaryPostgres(label: string): Promise<DatabaseHandle> {
  const name = `pratica_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const handle = await openDroppedOnClose(name);
  await migrate(handle.db);
  return handle;
}

/** Opens the benchmark database `name`; closing the handle drops the database. */
async function openDroppedOnClose(name: string): Promise<DatabaseHandle> {
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: BENCH_SERVER_URL });
      await cleanup.connect();
      // without FORCE first: a connection the process is still closing would report its termination as an error
      for (let attempt = 0; ; attempt++) {
        try {
          await cleanup.query(`DROP DATABASE IF EXISTS ${name}${attempt === 20 ? ' WITH (FORCE)' : ''}`);
          break;
        } catch (error) {
          if (attempt === 20) throw error;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      await cleanup.end();
    },
  };
}

/**
 * A database for one benchmark with the demo data and `count` generated cases (as of `today`), copied
 * from a template database kept on the server between runs: generating a million cases takes minutes,
 * copying them seconds. The copy is then migrated, as a production database would be. The template's
 * name carries the size, the day, the seed and BENCH_DATASET_VERSION (drop old ones with DROP DATABASE).
 */
export async function benchDataset(label: string, count: number, today: string, seed: number): Promise<{ database: DatabaseHandle; generatedSeconds: number | null }> {
  const template = `pratica_bench_tpl_${count}_${today.replaceAll('-', '')}_${seed}_v${BENCH_DATASET_VERSION}`;
  const admin = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await admin.connect();
  let generatedSeconds: number | null = null;
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    if (!exists) {
      const started = performance.now();
      await admin.query(`CREATE DATABASE ${template}`);
      const url = new URL(BENCH_SERVER_URL);
      url.pathname = `/${template}`;
      const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
      try {
        await migrate(handle.db);
        await seedDemoData({ ...benchServices(fixedClock(today)), db: handle.db });
        await generateCases(handle.db, {
          count, today, seed, batchSize: 2000,
          onProgress: (done) => process.stderr.write(`\r${label}: ${done.toLocaleString('en')}/${count.toLocaleString('en')} cases generated`),
        });
        process.stderr.write('\n');
        await handle.pool.query('VACUUM ANALYZE');
      } catch (error) {
        await handle.close();
        await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
        throw error;
      }
      await handle.close();
      generatedSeconds = (performance.now() - started) / 1000;
    }
    const name = `pratica_bench_${label}_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const database = await openDroppedOnClose(name);
    if ((await migrate(database.db)).length > 0) await database.pool.query('VACUUM ANALYZE');
    return { generatedSeconds, database };
  } finally {
    await admin.end();
  }
}

/** Bump when the generator writes something different: benchmark data sets are then generated afresh. */
const BENCH_DATASET_VERSION = 2;

/** The back-office and report benchmarks share one generated data set (and so one template database). */
export const BENCH_DATASET_SEED = 20261126;

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One kind of request the load picks at random: a path, its headers (a token, a session cookie) and its body. */
export interface LoadRequest {
  path: string;
  headers?: Record<string, string>;
  /** A JSON body in which each `{{n}}` becomes a number unique in the run. */
  body?: string;
}

/**
 * HTTP load on loopback with autocannon, run in a process of its own so that it shares nothing with the measured
 * server; every request is one of `requests` (paths, or paths with headers and bodies) picked at random, or with
 * `each` every one of them once, in order.
 */
export async function load(
  baseUrl: string,
  requests: Array<string | LoadRequest>,
  options: { connections?: number; seconds?: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; each?: boolean } = {},
): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./load-worker.mjs', import.meta.url)), [], { execArgv: [] });
  try {
    const listed = requests.map((r) => (typeof r === 'string' ? { path: r, headers: options.headers ?? {} } : { path: r.path, headers: { ...options.headers, ...r.headers }, body: r.body }));
    child.send({
      url: baseUrl,
      connections: options.connections ?? 50,
      seconds: options.seconds ?? Number(process.env.BENCH_SECONDS ?? 10),
      method: options.method,
      each: options.each ?? false,
      bodies: listed.some((r) => r.body !== undefined),
      requests: listed,
    });
    return await answerOf<LoadResult>(child, 'load generator');
  } finally {
    child.kill();
  }
}

/** The first message of a child process, or its failure. */
function answerOf<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${what} exited with code ${code}`)));
  });
}

/** The reference route (`GET /` of a bare Fastify server) in a process of its own; `close` stops it. */
export async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL('./bare-server.mjs', import.meta.url)), [], { execArgv: [] });
  const { url } = await answerOf<{ url: string }>(child, 'bare reference server');
  return {
    url,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}`;
}

export const ratio = (value: number, reference: number): string => `${((100 * value) / reference).toFixed(0)}%`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** The median of each figure over several runs; errors and non-2xx answers are added up. */
export function medianOf(results: LoadResult[]): LoadResult {
  return {
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

/**
 * The reference and the measured load, one after the other, `rounds` times (BENCH_ROUNDS, default 3):
 * a virtual machine's speed drifts within a minute, so each ratio compares runs made side by side, and
 * the medians are reported.
 */
export async function alternate(reference: () => Promise<LoadResult>, measured: () => Promise<LoadResult>, rounds = Number(process.env.BENCH_ROUNDS ?? 3)): Promise<{ reference: LoadResult; measured: LoadResult; ratios: number[] }> {
  const references: LoadResult[] = [];
  const measurements: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    references.push(await reference());
    measurements.push(await measured());
  }
  return {
    reference: medianOf(references),
    measured: medianOf(measurements),
    ratios: measurements.map((m, index) => m.requestsPerSecond / references[index]!.requestsPerSecond),
  };
}

/** The API load of a benchmark is one token: the per-token limit (API_RATE_LIMIT, 1,200 a minute by default) would answer 429. */
export const BENCH_API_RATE_LIMIT = 10_000_000;
