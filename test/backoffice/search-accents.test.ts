import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { searchCases } from '../../src/application/backoffice/case-search.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { createTestDatabase, usingPostgres } from '../support/database.ts';
import { TODAY, seedCatalogue } from '../support/fixtures.ts';

describe('case search ignores accents and case', () => {
  let database: DatabaseHandle;
  const clock = fixedClock(TODAY);
  const codesFor = async (q: string) => (await searchCases({ db: database.db, clock }, null, { q })).items.map((c) => c.code).sort();
  before(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db, clock);
  });
  after(() => database.close());

  test('"Logística", "LOGISTICA" and "logistica" find the same cases', async () => {
    const plain = await codesFor('logistica');
    assert.equal(plain.length, 1, 'the demo applicant "Logistica Adriatica S.r.l."');
    assert.deepEqual(await codesFor('Logística'), plain);
    assert.deepEqual(await codesFor('LOGISTICA'), plain);
    assert.deepEqual(await codesFor('LOGÌSTICA'), plain);
  });

  test('an accented subject is found by the term typed without its accent', async () => {
    // the demo subject "Nuovo accesso carraio su SP 71 Forlì-Predappio km 3+200"
    const found = await codesFor('forli-predappio');
    assert.equal(found.length, 1);
    assert.deepEqual(await codesFor('FORLÌ-Predappio'), found);
  });

  test('the trigram indexes serve the folded search on PostgreSQL', { skip: usingPostgres() ? false : 'the embedded database has no pg_trgm indexes' }, async () => {
    const plan = await database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const rows = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT id FROM cases WHERE search_text(subject) LIKE search_text(${'%logística%'})`.execute(trx);
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /cases_subject_search_trgm/);
  });
});
