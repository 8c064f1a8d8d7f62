/**
 * The dashboard's figures kept by triggers (migration 0007) must equal what a scan of the cases and their
 * events gives, whatever wrote them: the demo data, the bulk generator, the use cases, a direct SQL update.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { recordEvent } from '../../src/application/cases.ts';
import { generateCases } from '../../src/application/generator.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';

async function countsFromCases(testApp: TestApp): Promise<string[]> {
  const rows = await sql<{ office_id: string; state: string; deadline: string | null; n: number }>`
    SELECT office_id, state, deadline, count(*)::int AS n FROM cases WHERE state <> 'closed' GROUP BY 1, 2, 3`.execute(testApp.database.db);
  return rows.rows.map((r) => `${r.office_id} ${r.state} ${r.deadline} ${r.n}`).sort();
}

async function countsKept(testApp: TestApp): Promise<string[]> {
  const rows = await testApp.database.db.selectFrom('open_case_counts').selectAll().where('cases', '<>', 0).execute();
  return rows.map((r) => `${r.office_id} ${r.state} ${r.deadline} ${r.cases}`).sort();
}

/** The suspension each suspended case is in, from its last suspend event; null for every other case. */
async function openSuspensionsDisagreeing(testApp: TestApp): Promise<unknown[]> {
  const rows = await sql`
    SELECT c.code, c.state, c.open_suspension_kind, c.open_suspension_since, last.suspension_kind, last.effective_on
    FROM cases c
    LEFT JOIN LATERAL (SELECT suspension_kind, effective_on FROM case_events e WHERE e.case_id = c.id AND e.type = 'suspend' ORDER BY seq DESC LIMIT 1) last ON true
    WHERE (c.state = 'suspended' AND (c.open_suspension_kind IS DISTINCT FROM last.suspension_kind OR c.open_suspension_since IS DISTINCT FROM last.effective_on))
       OR (c.state <> 'suspended' AND c.open_suspension_kind IS NOT NULL)`.execute(testApp.database.db);
  return rows.rows;
}

describe('dashboard figures kept by the database (migration 0007)', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  const assertInStep = async (when: string) => {
    assert.deepEqual(await countsKept(testApp), await countsFromCases(testApp), `open case counts, ${when}`);
    assert.deepEqual(await openSuspensionsDisagreeing(testApp), [], `open suspensions, ${when}`);
  };

  test('equal a scan of the cases after the demo data', () => assertInStep('demo data'));

  test('equal it after the bulk generator', async () => {
    await generateCases(testApp.database.db, { count: 400, today: TODAY, seed: 11 });
    await assertInStep('400 generated cases');
  });

  test('equal it after each state change recorded through the use cases', async () => {
    const deps = { db: testApp.database.db, clock: testApp.clock };
    // c.7 is allowed once per case: cases that never had one
    const open = await testApp.database.db
      .selectFrom('cases')
      .select(['code', 'state'])
      .where('state', 'in', ['in-progress', 'resumed'])
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('case_events').select('seq').whereRef('case_events.case_id', '=', 'cases.id').where('suspension_kind', '=', 'art2c7'))))
      .orderBy('code')
      .limit(6)
      .execute();
    assert.ok(open.length >= 3, 'enough cases to work on');
    for (const [index, { code }] of open.entries()) {
      await recordEvent(deps, systemActor, code, { type: 'suspend', kind: index % 2 ? 'art2c7' : 'other', effectiveOn: TODAY, reason: 'Integrazione', notes: '', ...(index % 2 ? {} : { legalBasis: 'L. 241/1990 art. 2 c.7' }) });
      await assertInStep(`${code} suspended`);
    }
    await recordEvent(deps, systemActor, open[0]!.code, { type: 'resume', effectiveOn: TODAY, reason: 'Documenti ricevuti', notes: '' });
    await assertInStep(`${open[0]!.code} resumed`);
    await recordEvent(deps, systemActor, open[1]!.code, { type: 'close', outcome: 'accepted', effectiveOn: TODAY, reason: 'Autorizzata', notes: '' });
    await assertInStep(`${open[1]!.code} closed while suspended`);
  });

  test('equal it after a direct SQL change of office, deadline and state', async () => {
    const offices = await testApp.database.db.selectFrom('offices').select('id').orderBy('code').execute();
    await sql`UPDATE cases SET office_id = ${offices[0]!.id}::uuid, deadline = deadline + 3 WHERE state <> 'closed' AND code IN (SELECT code FROM cases WHERE state <> 'closed' ORDER BY code DESC LIMIT 20)`.execute(testApp.database.db);
    await sql`UPDATE cases SET state = 'closed' WHERE code IN (SELECT code FROM cases WHERE state = 'resumed' ORDER BY code LIMIT 5)`.execute(testApp.database.db);
    assert.deepEqual(await countsKept(testApp), await countsFromCases(testApp));
  });

  test('the dashboard shows the kept counts and the c.7 suspensions past 30 days', async () => {
    const { loadDashboard } = await import('../../src/application/backoffice/dashboard.ts');
    const dashboard = await loadDashboard({ db: testApp.database.db, clock: testApp.clock }, null);
    const direct = await sql<{ open: number; overdue: number; suspended: number }>`
      SELECT count(*)::int AS open, (count(*) FILTER (WHERE deadline < ${TODAY}))::int AS overdue,
        (count(*) FILTER (WHERE state = 'suspended'))::int AS suspended FROM cases WHERE state <> 'closed'`.execute(testApp.database.db);
    assert.deepEqual({ open: dashboard.open, overdue: dashboard.overdue, suspended: dashboard.suspended }, direct.rows[0]);
    for (const c of dashboard.c7Over30) assert.ok(c.since! < '2026-10-27', `${c.code} suspended since ${c.since}`);
  });
});
