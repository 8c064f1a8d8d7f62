import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import type { Actor } from '../../src/application/audit.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { seedDemoData } from '../../src/application/demo.ts';
import { generateCases } from '../../src/application/generator.ts';
import { checkReportCounters, repairReportCounters } from '../../src/application/reports/counters.ts';
import { timesReport } from '../../src/application/reports/times.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY } from '../support/fixtures.ts';
import { testServices } from '../support/services.ts';

const operator: Actor = { kind: 'cli', id: 'it-office', name: 'riga di comando', officeId: null };

describe('report counters: checked against a count over the cases, and counted again on request', () => {
  let database: DatabaseHandle;
  const deps = () => ({ ...testServices(fixedClock(TODAY)), db: database.db });
  const yearReport = () => timesReport(deps(), { from: '2026-01-01', to: TODAY, scopeOfficeId: null });

  before(async () => {
    database = await createTestDatabase();
    await seedDemoData(deps());
    await generateCases(database.db, { count: 400, today: TODAY, seed: 7 });
    // and a few changes through the use case, as staff make them
    const open = await database.db.selectFrom('cases').select('code').where('state', 'in', ['in-progress', 'resumed']).limit(5).execute();
    for (const { code } of open) {
      await recordEvent(deps(), operator, code, { type: 'suspend', effectiveOn: TODAY, kind: 'art2c7', reason: 'Richiesta integrazione documentale' });
    }
  });
  after(() => database.close());

  test('after bulk inserts and use cases, every counter equals the count made afresh', async () => {
    const check = await checkReportCounters(database.db);
    assert.equal(check.differences, 0, check.examples.join('\n'));
    assert.deepEqual(check.examples, []);
    assert.ok(check.caseCounters > 100, `${check.caseCounters} case counters`);
    assert.ok(check.suspensionCounters > 10, `${check.suspensionCounters} suspension counters`);
  });

  test('counters put wrong by hand are found, named, and counted again with an audit entry; the report is right again', async () => {
    const right = await yearReport();
    await sql`UPDATE case_report_count_shards SET cases = cases + 3
      WHERE (measure, on_day, office_id, procedure_id, days) = (SELECT measure, on_day, office_id, procedure_id, days FROM case_report_count_shards WHERE measure = 'gross' AND on_day >= '2026-01-01' AND cases > 0 LIMIT 1)`.execute(database.db);
    await sql`DELETE FROM suspension_report_count_shards WHERE (kind, from_on, office_id, procedure_id) = (SELECT kind, from_on, office_id, procedure_id FROM suspension_report_count_shards LIMIT 1)`.execute(database.db);
    assert.notDeepEqual((await yearReport()).total, right.total, 'the hand edit shows in the report');

    const wrong = await checkReportCounters(database.db);
    assert.equal(wrong.differences, 2);
    assert.equal(wrong.examples.length, 2);
    assert.ok(wrong.examples.some((e) => /^gross 2026-\d\d-01 .*: kept \d+, counted \d+$/.test(e)), wrong.examples.join('\n'));
    assert.ok(wrong.examples.some((e) => /: kept 0 \(0 days\), counted [1-9]\d* \(\d+ days\)$/.test(e)), wrong.examples.join('\n'));

    await repairReportCounters(database.db, operator);
    assert.equal((await checkReportCounters(database.db)).differences, 0);
    assert.deepEqual((await yearReport()).total, right.total);
    const entry = await database.db.selectFrom('audit_log').select(['actor', 'entity']).where('action', '=', 'report-counts.repair').executeTakeFirst();
    assert.deepEqual(entry, { actor: 'cli:it-office', entity: 'report-counts' });
  });
});
