/**
 * The counters kept by triggers are written in shards (migration 0025): two transactions changing the same counters
 * (cases of one office, in one state, with one deadline) do not wait for each other, and the sums stay exact.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { usingPostgres } from '../support/database.ts';
import { checkReportCounters } from '../../src/application/reports/counters.ts';

const DEADLINE = '2027-02-15';

describe('counters written by writers running together', { skip: usingPostgres() ? false : 'PGlite has one connection: two writers cannot run together' }, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  test('a writer changing the counters another open transaction changed goes through at once; the sums are exact after both', async () => {
    const [first, second] = (await sql<{ id: string }>`
      SELECT id FROM cases WHERE state <> 'closed' AND office_id = (
        SELECT office_id FROM cases WHERE state <> 'closed' GROUP BY 1 HAVING count(*) >= 2 ORDER BY count(*) DESC LIMIT 1)
      ORDER BY code LIMIT 2`.execute(testApp.database.db)).rows.map((row) => row.id);
    const one = await testApp.database.pool.connect();
    const other = await testApp.database.pool.connect();
    try {
      await one.query('BEGIN');
      await one.query('UPDATE cases SET deadline = $1 WHERE id = $2', [DEADLINE, first]);
      // the same office, state and deadline: the same counters, which the open transaction has just changed
      await other.query('BEGIN');
      await other.query("SET LOCAL lock_timeout = '3s'");
      await other.query('UPDATE cases SET deadline = $1 WHERE id = $2', [DEADLINE, second]);
      await other.query('COMMIT');
      await one.query('COMMIT');
    } finally {
      await Promise.all([one, other].map((client) => client.query('ROLLBACK').catch(() => undefined)));
      one.release();
      other.release();
    }
    const kept = await sql<{ cases: number }>`
      SELECT sum(cases)::int AS cases FROM open_case_counts WHERE deadline = ${DEADLINE}`.execute(testApp.database.db);
    assert.equal(kept.rows[0]!.cases, 2);
    const shards = await sql<{ shards: number }>`
      SELECT count(DISTINCT shard)::int AS shards FROM open_case_count_shards WHERE deadline = ${DEADLINE} AND cases <> 0`.execute(testApp.database.db);
    assert.equal(shards.rows[0]!.shards, 2, 'each writer wrote its own shard');
    assert.equal((await checkReportCounters(testApp.database.db)).differences, 0);
  });
});
