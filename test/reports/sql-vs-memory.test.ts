import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pino from 'pino';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { checkReportCounters } from '../../src/application/reports/counters.ts';
import { drilldown } from '../../src/application/reports/drilldown.ts';
import { timesReport } from '../../src/application/reports/times.ts';
import { present } from '../../src/domain/reports/statistics.ts';
import { upgradeDatabase } from '../../src/startup.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY } from '../support/fixtures.ts';
import { buildDataset } from './dataset.ts';
import { durationsOf, figuresOf, loadFacts, monthlyOf, openByDeadlineOf } from './reference.ts';
import type { CaseFacts } from './reference.ts';

const PERIODS: [string, string][] = [
  ['2025-01-01', '2025-12-31'], // a full year
  ['2026-07-01', '2026-09-30'], // a quarter
  ['2025-03-15', '2025-08-10'], // days of a month at each end
  ['2026-02-03', '2026-02-20'], // within one month
  ['2024-11-01', TODAY], // everything
  [TODAY, TODAY], // the events recorded today
];

describe('reports: SQL figures equal an in-memory computation over the same events', () => {
  let database: DatabaseHandle;
  let facts: CaseFacts[];
  const deps = () => ({ db: database.db, clock: fixedClock(TODAY) });

  before(async () => {
    database = await createTestDatabase();
    await buildDataset(database.db, { generated: 3000, unusual: 300, today: 30 });
  });
  after(() => database.close());

  test('the data set has what the comparison needs: interruptions, 10-bis observations, capped c.7, open-ended suspensions, holidays', async () => {
    const kinds = await sql<{ kind: string; n: number }>`SELECT suspension_kind AS kind, count(*)::int AS n FROM case_events WHERE type = 'suspend' GROUP BY 1`.execute(database.db);
    const byKind = Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n]));
    for (const kind of ['art2c7', 'art10bis', 'other', 'interruption']) assert.ok((byKind[kind] ?? 0) >= 20, `${kind}: ${byKind[kind]}`);
    const observations = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events WHERE type = 'observations'`.execute(database.db);
    assert.ok(observations.rows[0]!.n >= 20);
    const total = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(database.db);
    assert.ok(total.rows[0]!.n >= 3300);
    // some cases start without derived figures, as after migrating an existing database
    const pending = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE figures_at IS NULL`.execute(database.db);
    assert.ok(pending.rows[0]!.n > 0);
  });

  test('the counters kept by the triggers equal a count made afresh over the cases and their suspensions', async () => {
    await upgradeDatabase(database.db, pino({ level: 'silent' })); // derives the figures still missing, as every start does
    const check = await checkReportCounters(database.db);
    assert.equal(check.differences, 0, check.examples.join('\n'));
    assert.ok(check.caseCounters > 1000 && check.suspensionCounters > 50, JSON.stringify(check));
  });

  for (const [from, to] of PERIODS) {
    test(`${from} – ${to}: every procedure, office and total, and the three charts`, async () => {
      const report = await timesReport(deps(), { from, to, scopeOfficeId: null });
      facts ??= await loadFacts(database.db, TODAY);

      for (const line of report.procedures) {
        const group = facts.filter((f) => f.procedureCode === line.procedureCode);
        assert.deepEqual(line.figures, present(figuresOf(group, from, to, TODAY)), `procedure ${line.procedureCode}`);
      }
      for (const line of report.offices) {
        const group = facts.filter((f) => f.officeCode === line.officeCode);
        assert.deepEqual(line.figures, present(figuresOf(group, from, to, TODAY)), `office ${line.officeCode}`);
      }
      assert.deepEqual(report.total, present(figuresOf(facts, from, to, TODAY)), 'total');
      assert.ok(report.total.closed > 0 || from === to);

      const months = monthlyOf(facts, from, to);
      for (const m of report.monthly) {
        assert.equal(m.closed, months.get(m.month)?.closed ?? 0, `closed in ${m.month}`);
        assert.equal(m.closedOnTime, months.get(m.month)?.onTime ?? 0, `on time in ${m.month}`);
      }
      assert.equal(report.monthly.reduce((n, m) => n + m.closed, 0), report.total.closed);
      assert.deepEqual(report.durations.map((d) => d.count), durationsOf(facts, from, to));
      assert.deepEqual(Object.fromEntries(report.openByDeadline.map((b) => [b.bucket, b.count])), openByDeadlineOf(facts, TODAY));
    });
  }

  test('one office only (the scope of an office manager) gives that office\'s figures', async () => {
    const amb = await database.db.selectFrom('offices').select('id').where('code', '=', 'AMB').executeTakeFirstOrThrow();
    const report = await timesReport(deps(), { from: '2025-01-01', to: '2025-12-31', scopeOfficeId: amb.id });
    facts ??= await loadFacts(database.db, TODAY);
    assert.deepEqual(report.offices.map((o) => o.officeCode), ['AMB']);
    assert.deepEqual(report.total, present(figuresOf(facts.filter((f) => f.officeCode === 'AMB'), '2025-01-01', '2025-12-31', TODAY)));
  });

  test('the drill-down lists exactly the cases behind each figure', async () => {
    const filter = { from: '2025-01-01', to: '2025-12-31', scopeOfficeId: null, procedureCode: 'AC-01' };
    const report = await timesReport(deps(), filter);
    const line = report.procedures.find((p) => p.procedureCode === 'AC-01')!;
    const expected: Record<string, number> = {
      started: line.figures.started, closed: line.figures.closed, 'closed-on-time': line.figures.closedOnTime,
      'closed-late': line.figures.closed - line.figures.closedOnTime, open: line.figures.openAtEnd, overdue: line.figures.overdueOpen,
      'suspension:art10bis': -1,
    };
    for (const [metric, count] of Object.entries(expected)) {
      const list = await drilldown(deps(), filter, metric);
      if (count >= 0) assert.equal(list.total, count, metric);
      else assert.ok(list.total > 0 && list.total <= line.figures.suspensions.art10bis.count, metric);
    }
    // every late case shows its legal deadline and the days actually taken (art. 2 c.9-quinquies)
    const late = [];
    for (let offset = 0; ; offset += 100) {
      const page = await drilldown(deps(), filter, 'closed-late', offset);
      late.push(...page.cases);
      if (offset + 100 >= page.total) break;
    }
    assert.ok(late.length > 0);
    for (const c of late) {
      assert.ok(c.deadline && c.closedOn && c.closedOn > c.deadline);
      assert.ok(c.daysLate! > 0 && c.grossDays! >= c.netDays!);
    }
    assert.equal(Math.max(...late.map((c) => c.daysLate!)), line.figures.longestClosedDelay);
  });
});
