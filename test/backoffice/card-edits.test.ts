import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enrolCase, recordEvent } from '../../src/application/cases.ts';
import { checkReportCounters } from '../../src/application/reports/counters.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { Visitor, createPortalApp, visibleText } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';
import { systemActor } from '../support/fixtures.ts';
import { ADMIN, AMB_MANAGER, VIAB_MANAGER, StaffClient, text } from './client.ts';

const api = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
const CARD = { code: 'TC-01', name: 'Nulla osta di prova', officeCode: 'VIAB', responsibleEmail: VIAB_MANAGER.email, active: 'yes', action: 'save' };
// received 01/10/2026 (a Thursday): 30 days end on Saturday 31/10/2026, 60 days on Monday 30/11/2026
const RECEIVED = '2026-10-01';

describe('editing a procedure card changes new cases only: a case keeps the term it was enrolled with', () => {
  let testApp: PortalTestApp;
  let admin: StaffClient;
  const deps = () => ({ ...testApp.services, db: testApp.database.db });
  const enrol = (subject: string) =>
    enrolCase(deps(), systemActor, { procedureCode: 'TC-01', subject, applicantName: 'Lucia Fabbri', receivedOn: RECEIVED, email: 'lucia@example.org', channels: ['email'] });
  const saveCard = async (changes: Record<string, string>) => {
    await admin.get('/uffici/catalogo/procedimenti/TC-01');
    return admin.post('/uffici/catalogo/procedimenti/TC-01', { ...CARD, termText: '30 giorni', silenzioAssenso: 'yes', ...changes });
  };
  const apiCase = async (code: string) => (await testApp.app.inject({ url: `/api/v1/cases/${code}`, headers: api })).json();
  const report = async () => {
    const body = JSON.parse((await admin.get('/uffici/report/export.json?dal=2026-01-01&al=2026-11-26')).body);
    return body.procedures.find((p: { procedureCode: string }) => p.procedureCode === 'TC-01').figures;
  };

  before(async () => {
    testApp = await createPortalApp();
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    await admin.get('/uffici/catalogo/procedimenti/nuovo');
    const created = await admin.post('/uffici/catalogo/procedimenti/nuovo', { ...CARD, termText: '30 giorni', silenzioAssenso: 'yes' });
    assert.equal(created.statusCode, 303);
  });
  after(() => testApp.close());

  test('from 30 to 60 days: the old case keeps 31/10/2026 on its pages, in the API, the list and the report; a new case gets 60 days', async () => {
    const old = await enrol('Caso iscritto con 30 giorni');
    assert.equal((await saveCard({ termText: '60 giorni', silenzioAssenso: '' })).statusCode, 303);

    const read = await apiCase(old.code);
    assert.equal(read.deadline.date, '2026-10-31');
    assert.deepEqual([read.procedure.term.amount, read.procedure.term.text, read.procedure.silenzioAssenso], [30, '30 giorni', true]);
    assert.match(text((await admin.get(`/uffici/pratiche/${old.code}`)).body), /31\/10\/2026/);
    const citizen = new Visitor(testApp, '203.0.113.40');
    const signedIn = await citizen.signIn(old.code, old.password);
    assert.equal(signedIn.statusCode, 303);
    const page = visibleText((await citizen.get(String(signedIn.headers.location))).body);
    assert.match(page, /31\/10\/2026/);
    assert.match(page, /vale il silenzio.assenso/i);
    assert.doesNotMatch(page, /30\/11\/2026/);

    // an event recomputes the stored deadline from the case's own term, not the card's new one
    const started = await recordEvent(deps(), systemActor, old.code, { type: 'start', effectiveOn: '2026-10-02' });
    assert.equal(started.deadline.deadline, '2026-10-31');
    const list = (await testApp.app.inject({ url: '/api/v1/cases?procedure=TC-01', headers: api })).json();
    assert.equal(list.items.find((c: { code: string }) => c.code === old.code).deadline, '2026-10-31');
    // the report counts it as overdue and as a silenzio-assenso case (the card has the flag no more)
    const figures = await report();
    assert.equal(figures.overdueOpen, 1);
    assert.equal(figures.silenzioAssenso, 1);
    assert.deepEqual(await checkReportCounters(testApp.database.db).then((c) => c.differences), 0);

    const fresh = await enrol('Caso iscritto con 60 giorni');
    const freshRead = await apiCase(fresh.code);
    assert.equal(freshRead.deadline.date, '2026-11-30');
    assert.deepEqual([freshRead.procedure.term.amount, freshRead.procedure.silenzioAssenso], [60, false]);
  });

  test('to a term without a number: the card is saved, new enrolments are refused, the old cases work up to their closing', async () => {
    await saveCard({});
    const old = await enrol('Caso prima della modifica');
    assert.equal((await saveCard({ termText: 'a vista' })).statusCode, 303);

    const refused = await testApp.app.inject({
      method: 'POST', url: '/api/v1/cases', headers: { ...api, 'content-type': 'application/json' },
      payload: { procedureCode: 'TC-01', subject: 'Nuova', applicantName: 'Ada Neri', receivedOn: RECEIVED, email: 'ada@example.org', channels: ['email'] },
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.json().detail, /non ha un tempo di erogazione numerico \("a vista"\)/);

    assert.equal((await apiCase(old.code)).deadline.date, '2026-10-31');
    const citizen = new Visitor(testApp, '203.0.113.41');
    const signedIn = await citizen.signIn(old.code, old.password);
    assert.equal((await citizen.get(String(signedIn.headers.location))).statusCode, 200);
    assert.equal((await admin.get(`/uffici/pratiche/${old.code}`)).statusCode, 200);
    for (const [path, body] of [
      ['start', { effectiveOn: '2026-10-02' }],
      ['suspend', { effectiveOn: '2026-10-05', kind: 'art2c7', reason: 'Manca la planimetria' }],
      ['resume', { effectiveOn: '2026-10-09' }],
      ['close', { effectiveOn: '2026-11-20', outcome: 'accepted' }],
    ] as const) {
      const response = await testApp.app.inject({ method: 'POST', url: `/api/v1/cases/${old.code}/${path}`, headers: { ...api, 'content-type': 'application/json' }, payload: body });
      assert.equal(response.statusCode, 201, `${path}: ${response.body}`);
    }
    const closed = await apiCase(old.code);
    // 30 days plus the 4 days of the art. 2 c.7 suspension: Wednesday 04/11/2026
    assert.deepEqual([closed.state, closed.deadline.date, closed.closing.late], ['closed', '2026-11-04', true]);
    assert.equal((await checkReportCounters(testApp.database.db)).differences, 0);
  });

  test('to another office: its open cases move with an audit entry each, its closed cases stay where they were concluded', async () => {
    await saveCard({});
    const open = await enrol('Caso aperto da spostare');
    const closed = await enrol('Caso concluso che resta');
    await recordEvent(deps(), systemActor, closed.code, { type: 'start', effectiveOn: '2026-10-02' });
    await recordEvent(deps(), systemActor, closed.code, { type: 'close', effectiveOn: '2026-10-20', outcome: 'accepted' });
    const moved = await saveCard({ officeCode: 'AMB', responsibleEmail: AMB_MANAGER.email });
    assert.equal(moved.statusCode, 303);

    const db = testApp.database.db;
    const officeOf = async (code: string) =>
      (await db.selectFrom('cases').innerJoin('offices', 'offices.id', 'cases.office_id').select('offices.code').where('cases.code', '=', code).executeTakeFirstOrThrow()).code;
    assert.equal(await officeOf(open.code), 'AMB');
    assert.equal(await officeOf(closed.code), 'VIAB');
    const audits = await db.selectFrom('audit_log').select(['entity_id', 'before', 'after']).where('action', '=', 'case.move-office').execute();
    assert.ok(audits.some((a) => a.entity_id === open.code), 'the moved case has its audit entry');
    assert.ok(!audits.some((a) => a.entity_id === closed.code), 'a closed case is not moved');

    // the new office's staff see the open case, the old office's the closed one, each with its office on the page
    const amb = new StaffClient(testApp.app);
    await amb.signIn(AMB_MANAGER);
    assert.equal((await amb.get(`/uffici/pratiche/${open.code}`)).statusCode, 200);
    const viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
    assert.equal((await viab.get(`/uffici/pratiche/${open.code}`)).statusCode, 404);
    assert.equal((await apiCase(closed.code)).office.code, 'VIAB');
    assert.equal((await apiCase(open.code)).office.code, 'AMB');
    assert.equal((await checkReportCounters(db)).differences, 0);
  });
});
