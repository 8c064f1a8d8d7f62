import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { createTestDatabase } from '../support/database.ts';

describe('values read from the database', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await createTestDatabase();
  });
  after(() => handle.close());

  test('a calendar day stays the day written, whatever the time zone, and a count is a number', async () => {
    const { rows } = await sql<{ day: unknown; count: unknown }>`SELECT DATE '2026-03-29' AS day, count(*) AS count FROM generate_series(1, 3)`.execute(handle.db);
    assert.deepEqual(rows, [{ day: '2026-03-29', count: 3 }]);
  });

  test("our pools keep their parsers to themselves: another pg client in the same process reads pg's defaults", async () => {
    assert.equal(pg.types.getTypeParser(pg.types.builtins.DATE)('2026-03-29') instanceof Date, true);
    assert.equal(pg.types.getTypeParser(pg.types.builtins.INT8)('3'), '3');
  });
});
