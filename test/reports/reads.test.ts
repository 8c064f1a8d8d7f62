import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pino from 'pino';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import type { Database } from '../../src/adapters/db/schema.ts';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { generateCases } from '../../src/application/generator.ts';
import { upgradeDatabase } from '../../src/startup.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY, seedCatalogue } from '../support/fixtures.ts';
import { ADMIN, StaffClient } from '../backoffice/client.ts';
import { testServices } from '../support/services.ts';

/**
 * A page that writes while it is read makes every reader a writer: it takes locks the use cases wait on and fails
 * on a read-only replica. The reports must read only, even over cases whose figures were never derived.
 */
describe('report pages read and never write', () => {
  let database: DatabaseHandle;
  let app: App;
  let admin: StaffClient;
  /** every statement the application sends, seen through its own database handle */
  const statements: string[] = [];
  const writes = () => statements.filter((s) => /\b(insert|update|delete|merge|truncate)\b/i.test(s));
  const underived = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE figures_at IS NULL`.execute(database.db)).rows[0]!.n;

  before(async () => {
    database = await createTestDatabase();
    const clock = fixedClock(TODAY);
    await seedCatalogue(database.db, clock);
    await generateCases(database.db, { count: 300, today: TODAY, seed: 5 });
    // as a database migrated across 0005 finds its older cases
    await sql`UPDATE cases SET suspended_days = NULL, figures_at = NULL WHERE id IN (SELECT id FROM cases ORDER BY id LIMIT 100)`.execute(database.db);
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (event) => void statements.push(event.query.sql),
    });
    app = await buildApp({ db, listen: database.listen, ...testServices(clock), publicBaseUrl: 'http://localhost:3000', production: false, sessionSecret: 'test-session-secret-that-is-long-enough-0123456789' });
    await app.ready();
    admin = new StaffClient(app);
    await admin.signIn(ADMIN);
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  const pages: [string, (url: string) => Promise<{ statusCode: number }>, string][] = [
    ['the public transparency page', (url) => app.inject(url), '/trasparenza/tempi-procedimentali?anno=2025'],
    ['the times report', (url) => admin.get(url), '/uffici/report?dal=2025-01-01&al=2025-12-31'],
    ['the drill-down', (url) => admin.get(url), '/uffici/report/pratiche?dato=closed&dal=2025-01-01&al=2025-12-31'],
  ];
  for (const [name, get, url] of pages) {
    test(`${name} writes nothing, not even the figures still missing`, async () => {
      const before = await underived();
      statements.length = 0;
      const response = await get(url);
      assert.equal(response.statusCode, 200);
      assert.ok(statements.length > 0, 'the page was read through the handle that is watched');
      assert.deepEqual(writes(), []);
      assert.equal(await underived(), before);
    });
  }

  test('the figures missing are derived when the database is brought up to date, as every start does', async () => {
    assert.equal(await underived(), 100);
    const upgraded = await upgradeDatabase(database.db, pino({ level: 'silent' }));
    assert.deepEqual(upgraded, { migrations: [], derivedFigures: 100 });
    assert.equal(await underived(), 0);
  });
});
