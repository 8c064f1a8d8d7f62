import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrationChangedError, listMigrations, migrate, migrationChecksum } from '../../src/adapters/db/migrate.ts';
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

  test('each applied migration is recorded with the checksum of its file', async () => {
    const recorded = await database.db.selectFrom('schema_migrations').select(['version', 'checksum']).orderBy('version').execute();
    assert.deepEqual(recorded, listMigrations().map((m) => ({ version: m.version, checksum: migrationChecksum(m) })));
  });

  test('a migration edited after it was applied is refused, naming its file, and nothing more is applied', async () => {
    const [first, ...rest] = listMigrations();
    const edited = { ...first!, sql: `${first!.sql}\nALTER TABLE offices ADD COLUMN edited_later text;` };
    const extra = { version: 9999, name: 'never_applied', sql: 'CREATE TABLE never_applied (id integer);' };
    await assert.rejects(migrate(database.db, [edited, ...rest, extra]), (error: unknown) => {
      assert.ok(error instanceof MigrationChangedError);
      assert.match(error.message, /^la migrazione 0001_initial\.sql è stata modificata dopo essere stata applicata/);
      return true;
    });
    const after = await database.db.selectFrom('schema_migrations').select('version').where('version', '=', extra.version).execute();
    assert.deepEqual(after, []);
  });

  test('migrations applied before checksums were kept get the checksum of their file, once', async () => {
    await database.db.updateTable('schema_migrations').set({ checksum: null }).execute();
    assert.deepEqual(await migrate(database.db), []);
    const missing = await database.db.selectFrom('schema_migrations').select('version').where('checksum', 'is', null).execute();
    assert.deepEqual(missing, []);
    assert.deepEqual(await migrate(database.db), []);
  });
});
