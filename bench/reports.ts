import { sql } from 'kysely';
import { buildApp } from '../src/adapters/web/app.ts';
import { fixedClock, systemClock } from '../src/application/clock.ts';
import { recordEvent } from '../src/application/cases.ts';
import type { Actor } from '../src/application/audit.ts';
import { drilldown } from '../src/application/reports/drilldown.ts';
import { satisfactionReport } from '../src/application/reports/satisfaction.ts';
import { timesReport } from '../src/application/reports/times.ts';
import { newPublicTimesCache, publicTimes } from '../src/application/reports/transparency.ts';
import { median } from '../src/domain/reports/statistics.ts';
import type { DatabaseHandle } from '../src/adapters/db/database.ts';
import { BENCH_DATASET_SEED, benchDataset, load, machine, ratio, benchServices } from './support.ts';

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times.at(-1)! };
}

/**
 * The time reports on PostgreSQL with BENCH_REPORTS_CASES cases (default 1,000,000) and their events:
 * each report for one year and all offices, the drill-down, the satisfaction results, and the public page
 * (uncached, cached, and under HTTP load against a bare route).
 */
export async function benchReports(): Promise<string> {
  const count = Number(process.env.BENCH_REPORTS_CASES ?? 1_000_000);
  const today = systemClock.today();
  const clock = fixedClock(today);
  const { database, generatedSeconds } = await benchDataset('reports', count, today, BENCH_DATASET_SEED);
  try {
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events`.execute(database.db);
    const suspensions = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_suspensions`.execute(database.db);
    const deps = { db: database.db, clock, publicTimesCache: newPublicTimesCache() };
    const year = Number(today.slice(0, 4)) - 1;
    const filter = { from: `${year}-01-01`, to: `${year}-12-31`, scopeOfficeId: null };
    const office = await database.db.selectFrom('offices').select('id').where('code', '=', 'VIAB').executeTakeFirstOrThrow();

    const rows: [string, { median: number; max: number }][] = [];
    rows.push([`times report, ${year}, all offices (page, CSV and JSON export)`, await timed(5, () => timesReport(deps, filter))]);
    rows.push([`times report, ${year + 1} to date, all offices (this month's days read from the cases)`, await timed(5, () => timesReport(deps, { ...filter, from: `${year + 1}-01-01`, to: today }))]);
    rows.push([`times report, ${year}, one office`, await timed(5, () => timesReport(deps, { ...filter, scopeOfficeId: office.id }))]);
    rows.push([`drill-down: cases closed late in ${year}, first page`, await timed(5, () => drilldown(deps, filter, 'closed-late'))]);
    rows.push([`satisfaction results, ${year}`, await timed(5, () => satisfactionReport(database.db, { fromMonth: `${year}-01`, toMonth: `${year}-12`, scopeOfficeId: null }))]);
    let bust = 0;
    rows.push([`public page data, ${year}, not cached`, await timed(3, async () => {
      // a new event invalidates the cache: simulate it with a different clock day each run
      bust += 1;
      return publicTimes({ db: database.db, clock: fixedClock(`${year + 1}-01-0${bust}`), publicTimesCache: newPublicTimesCache() }, year);
    })]);
    rows.push([`public page data, ${year}, cached (no new event)`, await timed(5, () => publicTimes(deps, year))]);

    const app = await buildApp({ db: database.db, ...benchServices(clock), publicBaseUrl: 'http://localhost', production: true, sessionSecret: 'x'.repeat(40) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const reference = await load(base, ['/health'], { connections: 20 });
      const page = await load(base, [`/trasparenza/tempi-procedimentali?anno=${year}`], { connections: 20 });
      if (page.non2xx || page.errors) throw new Error(`public page failed: ${page.non2xx} non-2xx, ${page.errors} errors`);
      // last: the closings made with the triggers disabled leave the counters behind the cases
      const writes = await closingCost(database, clock);
      return [
        `### Time reports (${count.toLocaleString('en')} cases, ${events.rows[0]!.n.toLocaleString('en')} events, ${suspensions.rows[0]!.n.toLocaleString('en')} suspensions, PostgreSQL)`,
        '',
        `Machine: ${machine()}. Data ${generatedSeconds === null ? 'copied from the template database' : `generated (with the derived figures) in ${generatedSeconds.toFixed(0)} s`}.`,
        'Targets: each report for one year, all offices, under 1 s; the public page under 200 ms.',
        '',
        '| query | median ms | max ms |',
        '|---|---:|---:|',
        ...rows.map(([label, t]) => `| ${label} | ${t.median.toFixed(0)} | ${t.max.toFixed(0)} |`),
        '',
        `What keeping the report counters costs a writer: cases closed one after another through the use case (recordEvent: the case, its event, its figures, the outbox and the audit), ${writes.perRound} per round with the counters' triggers and ${writes.perRound} with them disabled, alternating over ${writes.rounds} rounds:`,
        '',
        '| closings | per second (median of rounds) | vs without counters |',
        '|---|---:|---:|',
        `| without the report counters (reference) | ${writes.without.toFixed(0)} | 100% |`,
        `| with the report counters (migration 0009) | ${writes.with.toFixed(0)} | ${ratio(writes.with, writes.without)} |`,
        '',
        `HTTP, 20 connections, ${process.env.BENCH_SECONDS ?? 10} s each:`,
        '',
        '| route | req/s | p50 ms | p99 ms | req/s vs /health |',
        '|---|---:|---:|---:|---:|',
        `| GET /health (reference, one SELECT 1) | ${reference.requestsPerSecond.toFixed(0)} | ${reference.p50} | ${reference.p99} | 100% |`,
        `| GET /trasparenza/tempi-procedimentali (cached) | ${page.requestsPerSecond.toFixed(0)} | ${page.p50} | ${page.p99} | ${ratio(page.requestsPerSecond, reference.requestsPerSecond)} |`,
        '',
      ].join('\n');
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

const COUNTER_TRIGGERS: [table: string, trigger: string][] = [
  ['cases', 'cases_report_counts_update'],
  ['case_suspensions', 'case_suspensions_report_counts_insert'],
  ['case_suspensions', 'case_suspensions_report_counts_update'],
  ['case_suspensions', 'case_suspensions_report_counts_delete'],
];

/** Closings per second through recordEvent, with and without the triggers that keep the report counters. */
async function closingCost(database: DatabaseHandle, clock: ReturnType<typeof fixedClock>): Promise<{ with: number; without: number; perRound: number; rounds: number }> {
  const perRound = 200;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const open = await database.db
    .selectFrom('cases').select('code').where('state', 'in', ['in-progress', 'resumed']).where('demo', '=', false)
    .orderBy('id').limit(perRound * rounds * 2).execute();
  const codes = open.map((c) => c.code);
  const actor: Actor = { kind: 'system', id: 'bench', name: 'benchmark', officeId: null };
  const setTriggers = async (enabled: boolean) => {
    for (const [table, trigger] of COUNTER_TRIGGERS) {
      await sql`ALTER TABLE ${sql.table(table)} ${sql.raw(enabled ? 'ENABLE' : 'DISABLE')} TRIGGER ${sql.ref(trigger)}`.execute(database.db);
    }
  };
  const closeSome = async (batch: string[]): Promise<number> => {
    const started = performance.now();
    for (const code of batch) {
      await recordEvent({ db: database.db, clock }, actor, code, { type: 'close', effectiveOn: clock.today(), outcome: 'accepted', reason: 'Provvedimento adottato' });
    }
    return batch.length / ((performance.now() - started) / 1000);
  };
  const withCounters: number[] = [];
  const without: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const batch = codes.slice(round * perRound * 2, (round + 1) * perRound * 2);
      await setTriggers(false);
      without.push(await closeSome(batch.slice(0, perRound)));
      await setTriggers(true);
      withCounters.push(await closeSome(batch.slice(perRound)));
    }
  } finally {
    await setTriggers(true);
  }
  return { with: median(withCounters)!, without: median(without)!, perRound, rounds };
}
