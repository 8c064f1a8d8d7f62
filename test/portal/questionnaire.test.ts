import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../src/adapters/db/database.ts';
import type { Db } from '../../src/adapters/db/database.ts';
import { listMigrations, migrate } from '../../src/adapters/db/migrate.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { questionnaireMarker, questionnaireSummary, shuffleHeldAnswers, submitAnswer } from '../../src/application/portal/questionnaire.ts';
import { satisfactionReport } from '../../src/application/reports/satisfaction.ts';
import { startQuestionnaireJob } from '../../src/worker/questionnaire.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { createServerDatabase } from '../support/database.ts';
import { Visitor, createPortalApp, demoCase, eventually, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

const ANSWER = { clarity: '5', timeliness: '4', courtesy: '5', overall: '4', comment: 'Tutto chiaro <script>x</script>' };

/** The worker's job on the second day of the next month: the answers of November are published. */
const publishNovember = (db: Db) => shuffleHeldAnswers({ db, clock: fixedClock('2026-12-02') });

/** Each row's transaction id, in the table's physical order. */
const xmins = async (db: Db, table: string) =>
  (await sql<{ xmin: string }>`SELECT xmin::text AS xmin FROM ${sql.table(table)} ORDER BY ctid`.execute(db)).rows.map((r) => r.xmin);

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
    assert.equal((await db.selectFrom('questionnaire_answers').selectAll().execute()).length, 0, 'held until its month is over');
    await publishNovember(db);
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
    const heldColumns = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'questionnaire_held_answers' ORDER BY column_name`.execute(db);
    assert.deepEqual(heldColumns.rows.map((r) => r.column_name), ['clarity', 'comment', 'courtesy', 'month', 'office_id', 'overall', 'procedure_id', 'shuffled', 'timeliness'], 'a held answer has no marker, case or time either');
  });

  test('asks for every rating, refuses out-of-range values and over-long comments', async () => {
    const c = await demoCase(testApp, 'gru semovente');
    const visitor = new Visitor(testApp, '192.0.2.22');
    await visitor.signIn(c.code);
    const missing = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { clarity: '5' });
    assert.equal(missing.statusCode, 422);
    assert.match(visibleText(missing.body), /Indicare un valore da 1 a 5 per ogni domanda/);
    const outOfRange = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { ...ANSWER, overall: '6' });
    assert.equal(outOfRange.statusCode, 422);
    const long = await visitor.submit('/pratica/dettaglio', '/pratica/questionario', { ...ANSWER, comment: 'x'.repeat(1001) });
    assert.equal(long.statusCode, 422);
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
    assert.equal((await questionnaireSummary(testApp.database, { fromMonth: '2026-11', toMonth: '2026-11' })).answers, 1, 'the month is not over');
    await publishNovember(testApp.database.db);
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

describe('the questionnaire against a copy of the database', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('no answer keeps its marker\'s transaction id or row order, and no notification names the marker or the case', async () => {
    const db = testApp.database.db;
    const payloads: string[] = [];
    const unlisten = await testApp.database.listen('pratica_changes', { message: (payload) => payloads.push(payload), listening: () => {} });
    const cases = await db.selectFrom('cases').select('id').where('state', '!=', 'enrolled').orderBy('code').execute();
    assert.ok(cases.length >= 15, `${cases.length} started demo cases`);
    const portal = { db, clock: testApp.clock, secret: TEST_SESSION_SECRET };
    for (const [i, c] of cases.entries()) {
      await submitAnswer(portal, c.id, { clarity: '4', timeliness: '3', courtesy: '5', overall: String((i % 5) + 1), comment: `Risposta ${i}` });
    }
    await eventually(async () => payloads.length, (n) => n >= cases.length);
    await unlisten();
    const markers = cases.map((c) => questionnaireMarker(TEST_SESSION_SECRET, c.id));
    assert.ok(payloads.length >= cases.length, 'each answer is told, so that the pages drop the questionnaire');
    for (const payload of payloads) {
      for (const secret of [...markers, ...cases.map((c) => c.id)]) assert.ok(!payload.includes(secret), `${payload} names no marker and no case`);
    }

    const markerXmins = new Set(await xmins(db, 'questionnaire_markers'));
    assert.equal(markerXmins.size, cases.length, 'one transaction per answer');
    // within the month: held, rewritten in the job's own transaction
    assert.deepEqual(await shuffleHeldAnswers({ db, clock: testApp.clock }), { published: 0, held: cases.length });
    const heldXmins = await xmins(db, 'questionnaire_held_answers');
    assert.equal(new Set(heldXmins).size, 1, 'all held answers rewritten in one transaction');
    assert.ok(!markerXmins.has(heldXmins[0]!), 'a held answer shares no transaction with a marker');

    // not at midnight: an answer of November may still be on its way
    assert.deepEqual(await shuffleHeldAnswers({ db, clock: fixedClock('2026-12-01') }), { published: 0, held: 0 });
    assert.equal((await db.selectFrom('questionnaire_answers').selectAll().execute()).length, 0);
    // once the month is over: all published in one transaction, in an order that is not the order of the answers
    assert.deepEqual(await publishNovember(db), { published: cases.length, held: 0 });
    const answerXmins = await xmins(db, 'questionnaire_answers');
    assert.equal(answerXmins.length, cases.length);
    assert.equal(new Set(answerXmins).size, 1, 'all published in one transaction');
    assert.ok(!markerXmins.has(answerXmins[0]!), 'no answer shares a transaction with a marker');
    const order = (await sql<{ comment: string }>`SELECT comment FROM questionnaire_answers ORDER BY ctid`.execute(db)).rows.map((r) => r.comment);
    const given = cases.map((_, i) => `Risposta ${i}`);
    assert.deepEqual([...order].sort(), [...given].sort());
    assert.notDeepEqual(order, given, 'the physical order is not the order the answers (and their markers) were written in');
    assert.notDeepEqual(order, [...given].reverse());
    assert.equal((await db.selectFrom('questionnaire_held_answers').selectAll().execute()).length, 0);

    // the results count them all, in November
    const report = await satisfactionReport(db, { fromMonth: '2026-11', toMonth: '2026-11', scopeOfficeId: null });
    assert.equal(report.total.answers, cases.length);
    const summary = await questionnaireSummary({ db }, { fromMonth: '2026-11', toMonth: '2026-11' });
    const overall = cases.map((_, i) => (i % 5) + 1);
    assert.equal(summary.averages?.overall, Math.round((overall.reduce((a, b) => a + b, 0) / overall.length) * 10) / 10);
  });

  test('the job is idempotent, all or nothing, and one answer per case still holds', async () => {
    const db = testApp.database.db;
    const [c] = await db.selectFrom('cases').select('id').where('state', '!=', 'enrolled').orderBy('code').execute();
    const portal = { db, clock: testApp.clock, secret: TEST_SESSION_SECRET };
    await assert.rejects(
      submitAnswer(portal, c!.id, { clarity: '1', timeliness: '1', courtesy: '1', overall: '1' }),
      (error) => error instanceof DomainError && error.code === 'conflict',
    );
    assert.equal((await db.selectFrom('questionnaire_held_answers').selectAll().execute()).length, 0, 'the second answer is not held');
    const published = (await db.selectFrom('questionnaire_answers').select('id').execute()).length;
    assert.deepEqual(await publishNovember(db), { published: 0, held: 0 }, 'a second run finds nothing to do');
    assert.equal((await db.selectFrom('questionnaire_answers').select('id').execute()).length, published);

    // a job that fails half-way (here: after its statements, before the commit) leaves the answers held as they were
    const another = await db.selectFrom('cases').select('id').where('state', '=', 'enrolled').executeTakeFirstOrThrow();
    await db.updateTable('cases').set({ state: 'in-progress' }).where('id', '=', another.id).execute();
    await submitAnswer(portal, another.id, { clarity: '2', timeliness: '2', courtesy: '2', overall: '2', comment: 'Dopo' });
    const before = await xmins(db, 'questionnaire_held_answers');
    await assert.rejects(db.transaction().execute(async (trx) => {
      assert.deepEqual(await publishNovember(trx), { published: 1, held: 0 });
      throw new Error('the worker stops here');
    }), /the worker stops here/);
    assert.deepEqual(await xmins(db, 'questionnaire_held_answers'), before);
    assert.equal((await db.selectFrom('questionnaire_answers').select('id').execute()).length, published);
    assert.deepEqual(await publishNovember(db), { published: 1, held: 0 });
  });

  test('the worker runs the job at start and then periodically', async () => {
    const db = testApp.database.db;
    const portal = { db, clock: testApp.clock, secret: TEST_SESSION_SECRET };
    const cases = await db.selectFrom('cases').select('id').where('state', '=', 'enrolled').limit(2).execute();
    await db.updateTable('cases').set({ state: 'in-progress' }).where('id', 'in', cases.map((c) => c.id)).execute();
    const shuffled = async () => (await db.selectFrom('questionnaire_held_answers').select('shuffled').execute()).map((r) => r.shuffled);
    await submitAnswer(portal, cases[0]!.id, { clarity: '3', timeliness: '3', courtesy: '3', overall: '3' });
    const job = startQuestionnaireJob({ db, clock: testApp.clock, everyMs: 20 });
    try {
      assert.deepEqual(await eventually(shuffled, (rows) => rows.every(Boolean)), [true], 'at start');
      await submitAnswer(portal, cases[1]!.id, { clarity: '3', timeliness: '3', courtesy: '3', overall: '3' });
      assert.deepEqual(await eventually(shuffled, (rows) => rows.every(Boolean)), [true, true], 'at the next run');
    } finally {
      await job.stop();
    }
  });
});

describe('migration 0013', () => {
  test('writes the answers given before it again, apart from their markers\' transactions', async () => {
    const server = process.env.TEST_DATABASE_URL ? await createServerDatabase(process.env.TEST_DATABASE_URL) : undefined;
    const database = await openDatabase(server ? { databaseUrl: server.url, poolSize: 2 } : { dataDir: 'memory://' });
    try {
      const all = listMigrations();
      await migrate(database.db, all.filter((m) => m.version < 13));
      for (const marker of ['m1', 'm2', 'm3']) {
        await database.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO questionnaire_markers (marker) VALUES (${marker})`.execute(trx);
          await sql`INSERT INTO questionnaire_answers (id, month, clarity, timeliness, courtesy, overall, comment)
                    VALUES (gen_random_uuid(), '2026-01-01', 3, 3, 3, 3, ${marker})`.execute(trx);
        });
      }
      assert.deepEqual(await xmins(database.db, 'questionnaire_answers'), await xmins(database.db, 'questionnaire_markers'), 'as they were written');
      await migrate(database.db, all);
      const markerXmins = new Set(await xmins(database.db, 'questionnaire_markers'));
      const answerXmins = await xmins(database.db, 'questionnaire_answers');
      assert.equal(answerXmins.length, 3, 'no answer lost');
      for (const xmin of answerXmins) assert.ok(!markerXmins.has(xmin));
    } finally {
      await database.close();
      await server?.drop();
    }
  });
});
