import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandsDatabase } from '../support/commands.ts';
import { usingPostgres } from '../support/database.ts';
import { openDatabase } from '../../src/adapters/db/database.ts';

const commands = commandsDatabase('pratica-backup-');
const { dataDir, pratica, spawn } = commands;

describe('pratica backup and restore', () => {
  test('without FILE: the usage, exit code 2', async () => {
    for (const command of ['backup', 'restore']) {
      const result = await pratica([command]);
      assert.equal(result.code, 2);
      assert.equal(result.stderr.split('\n')[0], `errore: uso: pratica ${command} FILE`);
    }
  });

  test('on PostgreSQL they name pg_dump and pg_restore and exit non-zero', { skip: usingPostgres() ? false : 'with TEST_DATABASE_URL only: the commands need a DATABASE_URL' }, async () => {
    for (const command of ['backup', 'restore']) {
      const result = await pratica([command, join(dataDir, 'copy.tgz')]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /pg_dump --format=custom/);
      assert.match(result.stderr, /pg_restore --clean/);
      assert.equal(existsSync(join(dataDir, 'copy.tgz')), false);
    }
  });

  const embeddedOnly = usingPostgres() ? 'the embedded database only: on PostgreSQL pg_dump does it' : false;

  test('back up, change the data, restore: the data is back', { skip: embeddedOnly }, async () => {
    assert.equal((await pratica(['migrate'])).code, 0);
    assert.equal((await pratica(['token', 'create', '--name', 'before-backup'])).code, 0);
    const file = join(dataDir, 'copy.tgz');
    const backup = await pratica(['backup', file]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /^backup del database incorporato scritto in .*copy\.tgz/);
    assert.equal((await pratica(['token', 'create', '--name', 'after-backup'])).code, 0);

    const restore = await pratica(['restore', file]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, /pglite\.before-restore/);
    const database = await openDatabase({ dataDir });
    try {
      const names = (await database.db.selectFrom('api_tokens').select('name').execute()).map((t) => t.name);
      assert.deepEqual(names, ['before-backup']);
    } finally {
      await database.close();
    }
  });

  test('a file that is not a backup is refused and changes nothing', { skip: embeddedOnly }, async () => {
    const result = await pratica(['restore', join(dataDir, 'session-secret')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^errore: il file .*session-secret non è un backup del database di Pratica Online/);
    assert.equal(existsSync(join(dataDir, 'pglite.restoring')), false);
    assert.equal((await pratica(['migrate'])).stdout, 'database già aggiornato\n');
  });

  test('refused while the server holds the database, with the process named', { skip: embeddedOnly }, async () => {
    const held = await openDatabase({ dataDir });
    try {
      for (const command of ['backup', 'restore']) {
        // a process of its own: within one process the lock is the process's own
        const result = spawn([command, join(dataDir, 'copy.tgz')]);
        assert.equal(result.code, 1, command);
        assert.equal(result.stderr, `errore: il database incorporato in ${dataDir} è in uso dal processo ${process.pid} (il server?): ` +
          `fermarlo e ripetere pratica ${command} (il database incorporato ammette un solo processo)\n`);
      }
    } finally {
      await held.close();
    }
  });
});
