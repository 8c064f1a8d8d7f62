import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listMigrations, migrate } from '../../src/adapters/db/migrate.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { createTestDatabase } from '../support/database.ts';

describe('migrations', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  test('are numbered 0001, 0002, ... with no gap and no duplicate', () => {
    const versions = listMigrations().map((m) => m.version);
    assert.ok(versions.length > 0);
    assert.deepEqual(versions, versions.map((_, index) => index + 1));
  });

  test('are forward-only SQL: no down migrations', () => {
    for (const migration of listMigrations()) {
      assert.doesNotMatch(migration.name, /down|rollback|revert/, migration.name);
      assert.ok(migration.sql.trim().length > 0, `${migration.name} is empty`);
    }
  });

  test('are all applied once, and applying again changes nothing', async () => {
    const applied = await database.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
    assert.deepEqual(applied.map((row) => row.version), listMigrations().map((m) => m.version));
    assert.deepEqual(await migrate(database.db), []);
  });
});
