import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../src/adapters/db/database.ts';
import { commandsDatabase } from '../support/commands.ts';
import { usingPostgres } from '../support/database.ts';

/** The commands' database: embedded, or with TEST_DATABASE_URL a new database on that server. */
const commands = commandsDatabase('pratica-cli-');
const { dataDir, pratica, spawn } = commands;
const openCommandsDatabase = commands.open;

describe('the pratica command', () => {
  test('deadline prints the deadline and its explanation', async () => {
    const result = await pratica(['deadline', '--from', '2026-03-02', '--term', '30d', '--suspend', '2026-03-10:art2c7', '--resume', '2026-03-20']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /11\/04\/2026/);
  });

  test('deadline --json gives a machine-readable deadline', async () => {
    const result = await pratica(['deadline', '--from', '2026-04-01', '--term', '3 mesi', '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).deadline, '2026-07-01');
  });

  test('a refused event exits with 2 and an Italian message', async () => {
    const result = await pratica(['deadline', '--from', '2026-03-02', '--term', '30d', '--resume', '2026-03-05']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /errore: .*--resume/);
  });

  test('an unknown command exits with 2 and the usage', async () => {
    const result = await pratica(['fly']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /comando sconosciuto: fly/);
    assert.match(result.stderr, /uso: pratica/);
  });

  for (const [args, message] of [
    [['report-counts', '--fix'], 'opzione sconosciuta: --fix'],
    [['seed', '--cases'], "l'opzione --cases vuole un valore"],
    [['report-counts', '--repair=yes'], "l'opzione --repair non vuole un valore"],
    [['token', 'create', '--name', 'protocollo', 'extra'], 'argomento inatteso: extra'],
  ] as [string[], string][]) {
    test(`a wrong option is told in Italian: pratica ${args.join(' ')}`, async () => {
      const result = await pratica(args);
      assert.equal(result.code, 2);
      assert.equal(result.stderr.split('\n')[0], `errore: ${message}`);
    });
  }

  test('a bad configuration stops with one line naming the variable', async () => {
    const result = await pratica(['serve'], { PORT: 'tremila' });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'errore: configurazione non valida: PORT deve essere un numero di porta tra 0 e 65535 (trovato "tremila")');
  });

  test('migrate creates the embedded database; token create prints a token once, scoped to an office', async () => {
    const migrated = await pratica(['migrate']);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /migrazioni applicate: 1/);
    assert.match((await pratica(['migrate'])).stdout, /già aggiornato/);
    const refused = await pratica(['token', 'create', '--name', 'protocollo', '--office', 'NONE']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Ufficio "NONE" non trovato/);
    const created = await pratica(['token', 'create', '--name', 'protocollo']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /tutti gli uffici/);
    assert.match(created.stdout, /^po_[A-Za-z0-9_-]{43}$/m);
    const missing = await pratica(['token', 'create']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /manca --name/);
  });

  test('user create refuses a bad role, a bad e-mail or a missing office, and creates an administrator', async () => {
    const badRole = await pratica(['user', 'create', '--role', 'boss', '--email', 'a@example.org', '--name', 'A']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role deve essere/);
    const badEmail = await pratica(['user', 'create', '--role', 'admin', '--email', 'not-an-email', '--name', 'A']);
    assert.equal(badEmail.code, 2);
    assert.match(badEmail.stderr, /non è valido/);
    const noOffice = await pratica(['user', 'create', '--role', 'case-officer', '--email', 'b@example.org', '--name', 'B']);
    assert.equal(noOffice.code, 2);
    assert.match(noOffice.stderr, /--office è obbligatorio/);
    const created = await pratica(['user', 'create', '--role', 'admin', '--email', 'capo@example.org', '--name', 'Capo Ufficio']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^([2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}$/m);
    const database = await openCommandsDatabase();
    try {
      const row = await database.db.selectFrom('staff').select('must_change_password').where('email', '=', 'capo@example.org').executeTakeFirstOrThrow();
      assert.equal(row.must_change_password, true, 'the initial password is to be changed at the first sign-in');
    } finally {
      await database.close();
    }
    const again = await pratica(['user', 'create', '--role', 'admin', '--email', 'capo@example.org', '--name', 'Capo Ufficio']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /Esiste già/);
  });

  test('report-counts compares the report counters with the cases, and --repair counts them again', async () => {
    const seeded = await pratica(['seed', '--cases', '60']);
    assert.equal(seeded.code, 0, seeded.stderr);
    const clean = await pratica(['report-counts']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^contatori dei report: [1-9]\d* sulle pratiche, \d+ sulle sospensioni; uguali al conteggio sulle pratiche$/m);

    const database = await openCommandsDatabase();
    try {
      await sql`UPDATE case_report_count_shards SET cases = cases + 1 WHERE measure = 'received'`.execute(database.db);
    } finally {
      await database.close();
    }
    const found = await pratica(['report-counts']);
    assert.equal(found.code, 1);
    assert.match(found.stdout, /[1-9]\d* diversi dal conteggio sulle pratiche, ad esempio:\n {2}received \d{4}-\d\d-\d\d .*: kept \d+, counted \d+/);
    assert.match(found.stderr, /ricalcolare con: pratica report-counts --repair/);

    const repaired = await pratica(['report-counts', '--repair']);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stdout, /^ricalcolati: contatori dei report: .*uguali al conteggio sulle pratiche$/m);
  });

  test('migrate, serve and worker refuse, in one line and with exit code 1, a database whose applied migration has been edited', async () => {
    const database = await openCommandsDatabase();
    const tamper = (checksum: string) => sql`UPDATE schema_migrations SET checksum = ${checksum} WHERE version = 3`.execute(database.db);
    const [{ checksum }] = (await sql<{ checksum: string }>`SELECT checksum FROM schema_migrations WHERE version = 3`.execute(database.db)).rows as [{ checksum: string }];
    await tamper('0'.repeat(64));
    await database.close();
    try {
      // the worker runs on PostgreSQL only: on the embedded database it stops before opening it
      for (const command of usingPostgres() ? ['migrate', 'serve', 'worker'] : ['migrate', 'serve']) {
        const result = await pratica([command], { PORT: '0' });
        assert.equal(result.code, 1, `${command}: ${result.stdout}`);
        assert.equal(result.stderr, 'errore: la migrazione 0003_portal.sql è stata modificata dopo essere stata applicata a questo database: ' +
          'ripristinarne il testo originale e scrivere la modifica in una nuova migrazione\n', command);
      }
    } finally {
      const again = await openCommandsDatabase();
      await sql`UPDATE schema_migrations SET checksum = ${checksum} WHERE version = 3`.execute(again.db);
      await again.close();
    }
  });

  test('a second process on the same embedded database is refused with a clear message', {
    skip: usingPostgres() ? 'on a PostgreSQL server many processes share the database: only the embedded one is held by one process' : false,
  }, async () => {
    const held = await openDatabase({ dataDir });
    try {
      // a process of its own: within one process the lock is the process's own
      const result = spawn(['migrate']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /già in uso dal processo \d+/);
    } finally {
      await held.close();
    }
  });
});
