import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { listMigrations, migrate } from '../../src/adapters/db/migrate.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { checkReportCounters } from '../../src/application/reports/counters.ts';
import { createTestDatabase } from '../support/database.ts';

/** A database as migration 0012 finds it: cases that read their term from their card. */
describe('migration 0012: each case gets the term of its card', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  test('existing cases take their card\'s term and flags; a card already without a numeric term leaves the default 30 days', async () => {
    // a database of its own, migrated up to 0011
    const db = database.db;
    await sql`DROP SCHEMA public CASCADE`.execute(db);
    await sql`CREATE SCHEMA public`.execute(db);
    await migrate(db, listMigrations().filter((m) => m.version < 12));
    const admin = randomUUID(), office = randomUUID(), staff = randomUUID(), numeric = randomUUID(), lost = randomUUID();
    await sql`INSERT INTO administrations (id, code, name) VALUES (${admin}, 'FC', 'Provincia')`.execute(db);
    await sql`INSERT INTO offices (id, administration_id, code, name, address) VALUES (${office}, ${admin}, 'VIAB', 'Viabilità', 'Piazza')`.execute(db);
    await sql`INSERT INTO staff (id, office_id, name, role, email) VALUES (${staff}, ${office}, 'Paolo', 'office-manager', 'p@example.org')`.execute(db);
    await sql`INSERT INTO procedures (id, code, office_id, responsible_staff_id, name, term_text, term_amount, term_unit, saturday_working, silenzio_assenso)
      VALUES (${numeric}, 'TE-01', ${office}, ${staff}, 'Transiti', '10 giorni lavorativi', 10, 'working-days', true, true),
             (${lost}, 'IN-01', ${office}, ${staff}, 'Informazioni', 'a vista', NULL, NULL, false, false)`.execute(db);
    await sql`INSERT INTO cases (id, code, procedure_id, office_id, subject, applicant_name, received_on, state, deadline, password_hash)
      VALUES (${randomUUID()}, 'FC-AAAA-0001', ${numeric}, ${office}, 'Gru', 'Rossi', '2026-10-01', 'enrolled', '2026-10-15', 'x'),
             (${randomUUID()}, 'FC-AAAA-0002', ${lost}, ${office}, 'Dati', 'Verdi', '2026-10-01', 'enrolled', '2026-10-31', 'x')`.execute(db);

    assert.deepEqual(await migrate(db, listMigrations().filter((m) => m.version <= 12)), [12]);
    const rows = await db.selectFrom('cases')
      .select(['code', 'term_text', 'term_amount', 'term_unit', 'saturday_working', 'saturday_moves_deadline', 'silenzio_assenso'])
      .orderBy('code').execute();
    assert.deepEqual(rows, [
      { code: 'FC-AAAA-0001', term_text: '10 giorni lavorativi', term_amount: 10, term_unit: 'working-days', saturday_working: true, saturday_moves_deadline: false, silenzio_assenso: true },
      { code: 'FC-AAAA-0002', term_text: '30 giorni', term_amount: 30, term_unit: 'calendar-days', saturday_working: false, saturday_moves_deadline: false, silenzio_assenso: false },
    ]);
    // the silenzio-assenso case is counted by the new measure, and every counter is as a fresh count gives it
    const silence = await sql<{ cases: number }>`SELECT cases FROM case_report_counts WHERE measure = 'silenzio-missed'`.execute(db);
    assert.deepEqual(silence.rows, [{ cases: 1 }]);
    assert.equal((await checkReportCounters(db)).differences, 0);
  });
});
