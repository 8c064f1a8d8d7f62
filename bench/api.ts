import Fastify from 'fastify';
import { buildApp } from '../src/adapters/web/app.ts';
import { systemClock } from '../src/application/clock.ts';
import { DEMO_LOGINS, seedDemoData } from '../src/application/demo.ts';
import { generateCases } from '../src/application/generator.ts';
import { load, machine, ratio, temporaryPostgres } from './support.ts';

/**
 * Case read through the API (GET /api/v1/cases/:code, with deadline recomputation and full history)
 * on PostgreSQL with BENCH_API_CASES cases, against a bare Fastify route served in the same run.
 */
export async function benchApi(): Promise<string> {
  const count = Number(process.env.BENCH_API_CASES ?? 100_000);
  const database = await temporaryPostgres('api');
  try {
    await seedDemoData({ db: database.db, clock: systemClock });
    const started = Date.now();
    await generateCases(database.db, { count, today: systemClock.today(), seed: 42 });
    const seeded = (Date.now() - started) / 1000;
    const codes = (await database.db.selectFrom('cases').select('code').orderBy('id').limit(2000).execute()).map((r) => `/api/v1/cases/${r.code}`);

    const bare = Fastify();
    bare.get('/bare', async () => ({ status: 'ok' }));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const app = await buildApp({ db: database.db, clock: systemClock, publicBaseUrl: 'http://localhost', production: true, sessionSecret: 'x'.repeat(40) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = (server: { server: { address(): unknown } }) => `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
      const reference = await load(address(bare), ['/bare']);
      const measured = await load(address(app), codes, { headers: { authorization: `Bearer ${DEMO_LOGINS.apiToken}` } });
      if (measured.non2xx || measured.errors) throw new Error(`case reads failed: ${measured.non2xx} non-2xx, ${measured.errors} errors`);
      return [
        `### Case read through the API (${count.toLocaleString('en')} cases, PostgreSQL)`,
        '',
        `Machine: ${machine()}. Data generated in ${seeded.toFixed(0)} s. 50 connections, ${process.env.BENCH_SECONDS ?? 10} s each, random case among 2,000.`,
        '',
        '| route | req/s | p50 ms | p99 ms | req/s vs bare route |',
        '|---|---:|---:|---:|---:|',
        `| bare Fastify route (reference) | ${reference.requestsPerSecond.toFixed(0)} | ${reference.p50} | ${reference.p99} | 100% |`,
        `| GET /api/v1/cases/:code | ${measured.requestsPerSecond.toFixed(0)} | ${measured.p50} | ${measured.p99} | ${ratio(measured.requestsPerSecond, reference.requestsPerSecond)} |`,
        '',
      ].join('\n');
    } finally {
      await app.close();
      await bare.close();
    }
  } finally {
    await database.close();
  }
}
