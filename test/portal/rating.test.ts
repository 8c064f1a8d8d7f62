import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../../src/adapters/db/database.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { shuffleHeldAnswers } from '../../src/application/portal/questionnaire.ts';
import { Visitor, createPortalApp, csrfOf, demoCase, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

const xmins = async (db: Db, table: string) =>
  (await sql<{ xmin: string }>`SELECT xmin::text AS xmin FROM ${sql.table(table)} ORDER BY ctid`.execute(db)).rows.map((r) => r.xmin);

describe('"Quanto è stato facile usare questo servizio?": the service pages\' rating', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('the sign-in page and the case page carry it: five radio buttons in a labelled group, no script', async () => {
    const visitor = new Visitor(testApp, '192.0.2.40');
    const { code } = await demoCase(testApp, 'acque meteoriche');
    const pages = [(await visitor.get('/pratica')).body];
    await visitor.signIn(code);
    pages.push((await visitor.get('/pratica/dettaglio')).body);
    for (const page of pages) {
      const section = /<section class="cmp-rating[^"]*" data-element="feedback"[^>]*>(.*?)<\/section>/s.exec(page)?.[1];
      assert.ok(section, 'the feedback component');
      assert.match(section, /<h2 id="rating-title" class="h4">Quanto è stato facile usare questo servizio\?<\/h2>/);
      assert.match(section, /<fieldset class="rating[^"]*"><legend class="visually-hidden">Valuta da 1 a 5 stelle<\/legend>/);
      assert.deepEqual([...section.matchAll(/<input type="radio" id="rating-(\d)" name="rating" value="(\d)" required\/>/g)].map((m) => m[2]), ['5', '4', '3', '2', '1']);
      for (let n = 1; n <= 5; n++) assert.match(section, new RegExp(`<label class="full rating-star" for="rating-${n}">.*?Valuta ${n} ${n === 1 ? 'stella' : 'stelle'} su 5`, 's'));
    }
  });

  test('is stored with its month alone, held and shuffled like the questionnaire: the row cannot be tied to the case', async () => {
    const db = testApp.database.db;
    const c = await demoCase(testApp, 'acque meteoriche');
    const visitor = new Visitor(testApp, '192.0.2.41');
    await visitor.signIn(c.code);
    const txBefore = (await sql<{ tx: string }>`SELECT pg_current_xact_id()::text AS tx`.execute(db)).rows[0]!.tx;
    const sent = await visitor.submit('/pratica/dettaglio', '/pratica/valutazione', { rating: '4', pagina: 'dettaglio' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/pratica/dettaglio?esito=valutazione#rating-title');
    assert.match(visibleText((await visitor.get('/pratica/dettaglio?esito=valutazione')).body), /Grazie per la valutazione/);

    const columns = async (table: string) =>
      (await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = ${table} ORDER BY column_name`.execute(db)).rows.map((r) => r.column_name);
    assert.deepEqual(await columns('service_ratings_held'), ['month', 'rating', 'shuffled'], 'no case, office, procedure, time or address');
    assert.deepEqual(await columns('service_ratings'), ['id', 'month', 'rating']);
    const references = await sql`SELECT 1 FROM pg_constraint WHERE conrelid IN ('service_ratings'::regclass, 'service_ratings_held'::regclass) AND contype = 'f'`.execute(db);
    assert.equal(references.rows.length, 0, 'no reference to anything');

    // as written, the row still has its own transaction's id; the job rewrites it in a transaction of its own
    const [written] = await xmins(db, 'service_ratings_held');
    assert.ok(BigInt(written!) > BigInt(txBefore));
    await shuffleHeldAnswers({ db, clock: testApp.clock });
    const [rewritten] = await xmins(db, 'service_ratings_held');
    assert.notEqual(rewritten, written, 'the transaction id the rating was written with is gone');
    assert.deepEqual(await db.selectFrom('service_ratings_held').select(['month', 'rating', 'shuffled']).execute(), [{ month: '2026-11-01', rating: 4, shuffled: true }]);
    assert.equal((await db.selectFrom('service_ratings').selectAll().execute()).length, 0, 'held until its month is over');

    await shuffleHeldAnswers({ db, clock: fixedClock('2026-12-02') });
    const published = await db.selectFrom('service_ratings').selectAll().execute();
    assert.deepEqual(published.map((r) => [r.month, r.rating]), [['2026-11-01', 4]]);
    const stored = JSON.stringify(published);
    for (const secret of [c.id, c.code, c.office_id]) assert.ok(!stored.includes(secret), `${secret} is not stored with the rating`);
  });

  test('needs no session, refuses what is not 1 to 5 stars, and goes back only to a page of its own', async () => {
    const visitor = new Visitor(testApp, '192.0.2.42');
    const page = (await visitor.get('/pratica')).body;
    const anonymous = await visitor.post('/pratica/valutazione', { _csrf: csrfOf(page), rating: '5', pagina: 'https://example.org/' });
    assert.equal(anonymous.headers.location, '/pratica?esito=valutazione#rating-title');
    const refused = await visitor.post('/pratica/valutazione', { _csrf: csrfOf(page), rating: '6', pagina: 'accesso' });
    assert.equal(refused.statusCode, 400);
    assert.match(visibleText(refused.body), /Scegliere un numero di stelle da 1 a 5/);
  });
});
