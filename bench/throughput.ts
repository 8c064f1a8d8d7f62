import { buildApp } from '../src/adapters/web/app.ts';
import { systemClock } from '../src/application/clock.ts';
import { DEMO_LOGINS, seedDemoData } from '../src/application/demo.ts';
import { BENCH_API_RATE_LIMIT, alternate, bareServer, load, machine, ratio, temporaryPostgres, benchServices } from './support.ts';
import type { LoadResult } from './support.ts';

const CONNECTIONS = 16;

/**
 * Writes through the API on PostgreSQL with the demo data, each against the bare route in the same run:
 * enrolments (`POST /api/v1/cases`, each with its own protocol number) for a time, then the start of the cases
 * just enrolled (`POST /api/v1/cases/{code}/start`, each case once). Every write is one transaction with its
 * event, outbox rows, audit entry and report counters; no dispatcher runs, so messages only queue.
 */
export async function benchThroughput(): Promise<string> {
  const database = await temporaryPostgres('throughput');
  const bare = await bareServer();
  const clock = systemClock;
  try {
    await seedDemoData({ ...benchServices(clock), db: database.db });
    const app = await buildApp({
      db: database.db, listen: database.listen, ...benchServices(clock), publicBaseUrl: 'https://pratica.provincia.example', production: true,
      sessionSecret: 'bench-session-secret-0123456789abcdefghij',
      apiRateLimit: BENCH_API_RATE_LIMIT,
    });
    try {
      const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
      const headers = { authorization: `Bearer ${DEMO_LOGINS.apiToken}`, 'content-type': 'application/json' };
      const receivedOn = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
      const checked = (what: string) => (result: LoadResult) => {
        if (result.non2xx || result.errors) throw new Error(`${what}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        return result;
      };
      let round = 0;
      const enrolments = () => {
        round++;
        const body = JSON.stringify({
          procedureCode: 'TE-01', subject: 'Trasporto eccezionale di prova', applicantName: 'Banco di prova S.r.l.', receivedOn,
          protocolNumber: `B${round}/{{n}}`, email: `cittadino.${round}.{{n}}@example.org`, channels: ['email'],
        });
        return load(appUrl, [{ path: '/api/v1/cases', body }], { method: 'POST', headers, connections: CONNECTIONS }).then(checked('enrolments'));
      };
      const reference = () => load(bare.url, ['/'], { connections: CONNECTIONS });
      await load(bare.url, ['/'], { seconds: 2 });
      await enrolments(); // warm-up: JIT, pool connections, templates
      const enrolled = await alternate(reference, enrolments);

      // each round starts cases no earlier round started: about 3 s of work at the target rate, each case once
      const enrolledCodes = (await database.db.selectFrom('cases').select('code').where('state', '=', 'enrolled').where('demo', '=', false).orderBy('code').execute()).map((r) => r.code);
      const perRound = Math.min(1_200, Math.floor(enrolledCodes.length / 4));
      let next = 0;
      const starts = () => {
        const codes = enrolledCodes.slice(next, next + perRound);
        next += perRound;
        const body = JSON.stringify({ reason: 'Domanda completa' });
        return load(appUrl, codes.map((code) => ({ path: `/api/v1/cases/${code}/start`, body })), { method: 'POST', headers, connections: CONNECTIONS, each: true }).then(checked('starts'));
      };
      await starts(); // warm-up
      const started = await alternate(reference, starts);

      const row = (label: string, run: typeof enrolled, target: string) =>
        `| ${label} | ${run.measured.requestsPerSecond.toFixed(0)} | ${run.measured.p50} | ${run.measured.p99} | ` +
        `${ratio(run.measured.requestsPerSecond, run.reference.requestsPerSecond)} (rounds: ${run.ratios.map((x) => `${(100 * x).toFixed(1)}%`).join(', ')}) | ${target} |`;
      return [
        '## Writes through the API',
        '',
        `Machine: ${machine()}. PostgreSQL with the demo data; ${CONNECTIONS} connections; autocannon in a process of its own, ` +
          `the bare route in another, the API server in the benchmark's process; each kind of write alternates with the bare ` +
          `route over the rounds (medians). Enrolments run ${process.env.BENCH_SECONDS ?? 10} s a round; each start round ` +
          `starts ${perRound} cases enrolled before, each once.`,
        '',
        '| route | req/s | p50 ms | p99 ms | req/s vs bare route | target |',
        '|---|---:|---:|---:|---:|---|',
        `| bare Fastify route (reference) | ${enrolled.reference.requestsPerSecond.toFixed(0)} | ${enrolled.reference.p50} | ${enrolled.reference.p99} | 100% | |`,
        row('`POST /api/v1/cases` (enrolment)', enrolled, '≥ 300/s'),
        row('`POST /api/v1/cases/{code}/start`', started, '≥ 400/s, p99 < 100 ms'),
        '',
      ].join('\n');
    } finally {
      await app.close();
    }
  } finally {
    await bare.close();
    await database.close();
  }
}
