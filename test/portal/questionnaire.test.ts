import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { questionnaireSummary } from '../../src/application/portal/questionnaire.ts';
import { satisfactionReport } from '../../src/application/reports/satisfaction.ts';
import { Visitor, createPortalApp, demoCase, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

const ANSWER = { clarity: '5', timeliness: '4', courtesy: '5', overall: '4', comment: 'Tutto chiaro <script>x</script>' };

describe('the anonymous satisfaction questionnaire', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('is answered once per case, and the answer carries nothing that points to the case', async () => {
    const c = await demoCase(testApp, 'acque meteoriche');
    const visitor = new Visitor(testApp, '192.0.2.20');
    await visitor.signIn(c.code);
    const sent = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', ANSWER);
    assert.equal(sent.statusCode, 303);
    const page = visibleText((await visitor.get(sent.headers.location as string)).body);
    assert.match(page, /il questionario per questa pratica è stato compilato/);
    assert.doesNotMatch(page, /Invia il questionario/);

    // a second answer (a form kept open in another tab) is not stored
    const other = new Visitor(testApp, '192.0.2.21');
    await other.signIn(c.code);
    const again = await other.post('/pratica/questionario', { _csrf: (/name="_csrf" value="([^"]+)"/.exec((await other.get('/pratica')).body) ?? (await other.get('/pratica/dettaglio')).body.match(/name="_csrf" value="([^"]+)"/))![1]!, ...ANSWER });
    assert.equal(again.statusCode, 303);

    const db = testApp.database.db;
    const answers = await db.selectFrom('questionnaire_answers').selectAll().execute();
    assert.equal(answers.length, 1);
    const answer = answers[0]!;
    assert.equal(answer.month, '2026-11-01', 'only the month is kept');
    assert.equal(answer.comment, 'Tutto chiaro <script>x</script>');
    const theCase = await db.selectFrom('cases').select(['office_id', 'procedure_id']).where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.deepEqual([answer.office_id, answer.procedure_id], [theCase.office_id, theCase.procedure_id], 'the office and the procedure, for the results per procedure');
    const columns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'questionnaire_answers' ORDER BY column_name`.execute(db);
    assert.deepEqual(columns.rows.map((r) => r.column_name), ['clarity', 'comment', 'courtesy', 'id', 'month', 'office_id', 'overall', 'procedure_id', 'timeliness']);
    const references = await sql<{ table: string }>`
      SELECT confrelid::regclass::text AS table FROM pg_constraint
      WHERE conrelid = 'questionnaire_answers'::regclass AND contype = 'f' ORDER BY 1`.execute(db);
    assert.deepEqual(references.rows.map((r) => r.table), ['offices', 'procedures'], 'no reference to a case, a contact or a user');
    const stored = JSON.stringify([answers, await db.selectFrom('questionnaire_markers').selectAll().execute()]);
    for (const secret of [c.id, c.code, c.code.replace(/-/g, '')]) assert.ok(!stored.includes(secret), `${secret} is not stored with the answer`);
    const markerColumns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'questionnaire_markers'`.execute(db);
    assert.deepEqual(markerColumns.rows.map((r) => r.column_name), ['marker'], 'the marker has no time and no case id');
  });

  test('asks for every rating, refuses out-of-range values and over-long comments', async () => {
    const c = await demoCase(testApp, 'gru semovente');
    const visitor = new Visitor(testApp, '192.0.2.22');
    await visitor.signIn(c.code);
    const missing = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { clarity: '5' });
    assert.equal(missing.statusCode, 400);
    assert.match(visibleText(missing.body), /Indicare un valore da 1 a 5 per ogni domanda/);
    const outOfRange = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { ...ANSWER, overall: '6' });
    assert.equal(outOfRange.statusCode, 400);
    const long = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { ...ANSWER, comment: 'x'.repeat(1001) });
    assert.equal(long.statusCode, 400);
    assert.match(visibleText(long.body), /Il commento supera i 1000 caratteri/);
    assert.equal(await testApp.database.db.selectFrom('questionnaire_markers').select('marker').execute().then((r) => r.length), 1, 'nothing stored for this case');
  });

  test('is not offered, nor accepted, before the procedure starts', async () => {
    const c = await demoCase(testApp, 'licenza di pesca di tipo B');
    const visitor = new Visitor(testApp, '192.0.2.23');
    await visitor.signIn(c.code);
    const refused = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', ANSWER);
    assert.equal(refused.statusCode, 400);
    assert.match(visibleText(refused.body), /disponibile dopo l'avvio del procedimento/);
  });

  test('aggregates are shown only for groups of at least 5 answers', async () => {
    const few = await questionnaireSummary(testApp.database, { fromMonth: '2026-11', toMonth: '2026-11' });
    assert.equal(few.answers, 1);
    assert.equal(few.averages, null);
    for (const word of ['macchina agricola', 'SP 71', 'ponteggio', 'scarico industriale']) {
      const c = await demoCase(testApp, word);
      const visitor = new Visitor(testApp, '192.0.2.24');
      await visitor.signIn(c.code);
      assert.equal((await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { ...ANSWER, overall: '3' })).statusCode, 303);
    }
    const enough = await questionnaireSummary(testApp.database, { fromMonth: '2026-11', toMonth: '2026-11' });
    assert.equal(enough.answers, 5);
    assert.deepEqual(enough.averages, { clarity: 5, timeliness: 4, courtesy: 5, overall: 3.2 });

    // per procedure: each answer counts in its case's procedure, and no procedure here reaches 5
    const report = await satisfactionReport(testApp.database.db, { fromMonth: '2026-11', toMonth: '2026-11', scopeOfficeId: null });
    const perProcedure = await testApp.database.db.selectFrom('cases').innerJoin('procedures', 'procedures.id', 'cases.procedure_id')
      .select(['procedures.code', sql<number>`count(*)::int`.as('answers')])
      .where((eb) => eb.or(['acque meteoriche', 'macchina agricola', 'SP 71', 'ponteggio', 'scarico industriale'].map((w) => eb('cases.subject', 'like', `%${w}%`))))
      .groupBy('procedures.code').orderBy('procedures.code').execute();
    const procedures = report.offices.flatMap((o) => o.procedures);
    assert.deepEqual(procedures.map((p) => [p.procedureCode, p.answers]).sort(), perProcedure.map((p) => [p.code, p.answers]));
    for (const p of procedures) assert.deepEqual([p.shown, p.questions, p.comments], [false, null, []], `${p.procedureCode}: fewer than 5 answers`);
    assert.equal(report.total.answers, 5);
  });
});
