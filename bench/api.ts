import { buildApp } from '../src/adapters/web/app.ts';
import { systemClock } from '../src/application/clock.ts';
import { DEMO_LOGINS } from '../src/application/demo.ts';
import { BENCH_API_RATE_LIMIT, BENCH_DATASET_SEED, alternate, bareServer, benchDataset, benchServices, load, machine, ratio } from './support.ts';
import type { LoadResult } from './support.ts';

/**
 * Case read through the API (GET /api/v1/cases/:code: the case with its deadline and full history) on PostgreSQL
 * with BENCH_API_CASES cases (default 1,000,000, the data set shared with the back-office and report benchmarks),
 * against a bare Fastify route served in the same run: from each process's memory (the deployed set-up: the web
 * process LISTENs for changes) and, for comparison, from the database on every read (no LISTEN, no memory).
 */
export async function benchApi(): Promise<string> {
  const count = Number(process.env.BENCH_API_CASES ?? 1_000_000);
  const { database, generatedSeconds } = await benchDataset('api', count, systemClock.today(), BENCH_DATASET_SEED);
  try {
    const codes = (await database.db.selectFrom('cases').select('code').where('demo', '=', false).orderBy('id').limit(2000).execute())
      .map((r) => `/api/v1/cases/${r.code}`);
    const bare = await bareServer();
    const options = { db: database.db, ...benchServices(systemClock), publicBaseUrl: 'http://localhost', production: true, sessionSecret: 'x'.repeat(40), apiRateLimit: BENCH_API_RATE_LIMIT };
    const kept = await buildApp({ ...options, listen: database.listen });
    const uncached = await buildApp(options);
    try {
      const address = async (server: { listen(options: { port: number; host: string }): Promise<string> }) => server.listen({ port: 0, host: '127.0.0.1' });
      const [bareUrl, keptUrl, uncachedUrl] = [bare.url, await address(kept), await address(uncached)];
      const headers = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
      const checked = (result: LoadResult) => {
        if (result.non2xx || result.errors) throw new Error(`case reads failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        return result;
      };
      // steady state: each case read once, as the memory of a process that has been serving for a while holds it
      for (let i = 0; i < codes.length; i += 50) {
        await Promise.all(codes.slice(i, i + 50).map(async (path) => (await fetch(`${keptUrl}${path}`, { headers })).arrayBuffer()));
      }
      const reference = () => load(bareUrl, ['/']);
      const fromMemory = await alternate(reference, async () => checked(await load(keptUrl, codes, { headers })));
      const fromDatabase = await alternate(reference, async () => checked(await load(uncachedUrl, codes, { headers })));
      const row = (label: string, run: typeof fromMemory) =>
        `| ${label} | ${run.measured.requestsPerSecond.toFixed(0)} | ${run.measured.p50} | ${run.measured.p99} | ` +
        `${ratio(run.measured.requestsPerSecond, run.reference.requestsPerSecond)} (rounds: ${run.ratios.map((x) => `${(100 * x).toFixed(0)}%`).join(', ')}) |`;
      return [
        `### Case read through the API (${count.toLocaleString('en')} cases, PostgreSQL)`,
        '',
        `Machine: ${machine()}. Data ${generatedSeconds === null ? 'copied from the template database' : `generated in ${generatedSeconds.toFixed(0)} s`}. ` +
          `50 connections, ${process.env.BENCH_SECONDS ?? 10} s each, a random case among 2,000, one API token; ` +
          'each kind of read alternates with the bare route over the rounds (medians); autocannon and the bare route each run in a process of their own.',
        '',
        '| route | req/s | p50 ms | p99 ms | req/s vs bare route |',
        '|---|---:|---:|---:|---:|',
        `| bare Fastify route (reference) | ${fromMemory.reference.requestsPerSecond.toFixed(0)} | ${fromMemory.reference.p50} | ${fromMemory.reference.p99} | 100% |`,
        row('GET /api/v1/cases/:code, kept in memory (deployed: LISTEN on)', fromMemory),
        row('GET /api/v1/cases/:code, from the database on every read (LISTEN off)', fromDatabase),
        '',
        'Kept in memory, a read takes no database statement (the API tokens are kept too); the first read of a case, and the first after',
        'each change to it, loads it from the database as the second row does. The 2,000 cases are read once before the',
        'measurement, as a process that has served for a while holds them (5,000 cases by default).',
        '',
      ].join('\n');
    } finally {
      await kept.close();
      await uncached.close();
      await bare.close();
    }
  } finally {
    await database.close();
  }
}
