import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../src/adapters/db/database.ts';
import type { DatabaseHandle } from '../src/adapters/db/database.ts';
import { migrate } from '../src/adapters/db/migrate.ts';

export const BENCH_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A PostgreSQL database made for one benchmark and dropped after it. */
export async function temporaryPostgres(label: string): Promise<DatabaseHandle> {
  const name = `pratica_bench_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  await migrate(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: BENCH_SERVER_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** One kind of request the load picks at random: a path and its headers (a token, a session cookie). */
export interface LoadRequest {
  path: string;
  headers?: Record<string, string>;
}

/**
 * HTTP load on loopback with autocannon, run in a worker thread so that it does not share the measured
 * server's event loop; every request is one of `requests` (paths, or paths with headers) picked at random.
 */
export async function load(
  baseUrl: string,
  requests: Array<string | LoadRequest>,
  options: { connections?: number; seconds?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: {
      url: baseUrl,
      connections: options.connections ?? 50,
      seconds: options.seconds ?? Number(process.env.BENCH_SECONDS ?? 10),
      requests: requests.map((r) => (typeof r === 'string' ? { path: r, headers: options.headers ?? {} } : { path: r.path, headers: { ...options.headers, ...r.headers } })),
    },
  });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`load worker exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
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
