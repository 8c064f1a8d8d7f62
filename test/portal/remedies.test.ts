import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { Visitor, createPortalApp, csrfOf, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

// Today 26/11/2026. TE-01: 15 days; PE-01: 30 days, silenzio-assenso.
const api = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
let testApp: PortalTestApp;
let address = 20;

async function enrol(procedureCode: string, receivedOn: string): Promise<{ code: string; password: string }> {
  const response = await testApp.app.inject({
    method: 'POST', url: '/api/v1/cases', headers: api,
    payload: { procedureCode, subject: 'Domanda di prova', applicantName: 'Bianchi S.r.l.', receivedOn, email: 'bianchi@example.org', channels: ['email'] },
  });
  assert.equal(response.statusCode, 201, response.body);
  const { credentials } = JSON.parse(response.body) as { credentials: { code: string; password: string } };
  const started = await testApp.app.inject({ method: 'POST', url: `/api/v1/cases/${credentials.code}/start`, headers: api, payload: { effectiveOn: receivedOn } });
  assert.equal(started.statusCode, 201, started.body);
  return credentials;
}

async function visitorOf(c: { code: string; password: string }): Promise<Visitor> {
  const visitor = new Visitor(testApp, `203.0.113.${address++}`);
  assert.equal((await visitor.signIn(c.code, c.password)).statusCode, 303);
  return visitor;
}

before(async () => {
  testApp = await createPortalApp();
  await testApp.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
});
after(() => testApp.close());

describe('the overdue case page: what the citizen can do now', () => {
  // received Sun 25 Oct: deadline Mon 9 Nov; the 20 days end Sun 29 Nov → Mon 30 Nov
  let c: { code: string; password: string };
  before(async () => {
    c = await enrol('TE-01', '2026-10-25');
  });

  test('the substitute, the dates, the pre-filled request as PDF and as an e-mail', async () => {
    const visitor = await visitorOf(c);
    const page = await visitor.get('/pratica/dettaglio');
    const text = visibleText(page.body);
    assert.match(text, /Cosa puoi fare ora/);
    assert.match(text, /Dal 10\/11\/2026 puoi chiedere al titolare del potere sostitutivo di concludere il procedimento \(art\. 2 c\.9-bis L\. 241\/1990\)/);
    assert.match(text, /presenta la richiesta entro il 30\/11\/2026 \(20 giorni dalla scadenza, art\. 28 c\.2 D\.L\. 69\/2013\)/);
    assert.match(text, /Titolare del potere sostitutivo Segretario generale della Provincia/);
    assert.match(page.body, /href="\/pratica\/richiesta-potere-sostitutivo\.pdf"/);
    const mailto = /href="(mailto:[^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&') ?? '';
    assert.ok(mailto.startsWith('mailto:segreteria.generale@cert.provincia-fc.example?'), mailto);
    const params = new URLSearchParams(mailto.slice(mailto.indexOf('?') + 1));
    assert.match(params.get('subject') ?? '', new RegExp(`pratica ${c.code}`));
    assert.match(params.get('body') ?? '', /scaduto il 09\/11\/2026/);

    const pdf = await visitor.get('/pratica/richiesta-potere-sostitutivo.pdf');
    assert.equal(pdf.statusCode, 200);
    assert.match(String(pdf.headers['content-type']), /application\/pdf/);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  });

  test('once the request is recorded: the substitute\'s deadline and the indemnity accrued', async () => {
    const recorded = await testApp.app.inject({ method: 'POST', url: `/api/v1/cases/${c.code}/substitute-request`, headers: api, payload: { effectiveOn: '2026-11-20' } });
    assert.equal(recorded.statusCode, 201, recorded.body);
    const text = visibleText((await (await visitorOf(c)).get('/pratica/dettaglio')).body);
    // 15 days → 8 from Fri 20 Nov: Sat 28 Nov
    assert.match(text, /Hai presentato la richiesta al titolare del potere sostitutivo il 20\/11\/2026: deve concludere il procedimento entro il 28\/11\/2026 \(8 giorni/);
    // 9 Nov → 26 Nov: 17 days × 30 euro
    assert.match(text, /Indennizzo da ritardo maturato finora: 510 euro \(17 giorni di ritardo/);
    assert.match(text, /Richiesta al titolare del potere sostitutivo \(art\. 2 c\.9-bis L\. 241\/1990\)/, 'the history names the event');
  });

  test('a case not yet late gets no request', async () => {
    const fresh = await enrol('TE-01', '2026-11-20');
    const visitor = await visitorOf(fresh);
    assert.doesNotMatch(visibleText((await visitor.get('/pratica/dettaglio')).body), /Cosa puoi fare ora/);
    assert.equal((await visitor.get('/pratica/richiesta-potere-sostitutivo.pdf')).statusCode, 409);
  });

  test('without a session the request is not served', async () => {
    const response = await testApp.app.inject({ url: '/pratica/richiesta-potere-sostitutivo.pdf' });
    assert.notEqual(response.statusCode, 200);
  });
});

describe('silenzio-assenso past its term: accepted by law, the attestation on request', () => {
  // PE-01, 30 days from 1 Oct: Sat 31 Oct (Saturday does not move); accepted from 1 Nov
  test('the page says since when; the attestation is a PDF, recorded and audited', async () => {
    const c = await enrol('PE-01', '2026-10-01');
    const visitor = await visitorOf(c);
    const page = await visitor.get('/pratica/dettaglio');
    const text = visibleText(page.body);
    assert.match(text, /Domanda accolta per silenzio-assenso/);
    assert.match(text, /Il termine è scaduto il 31\/10\/2026 senza un provvedimento: per legge la domanda è accolta dal 01\/11\/2026 \(art\. 20 c\.1 L\. 241\/1990\)/);
    assert.doesNotMatch(text, /Cosa puoi fare ora/);
    // the general explanation of silenzio-assenso stays beside the acceptance
    assert.match(text, /Per questo procedimento vale il silenzio assenso \(art\. 20 L\. 241\/1990\)/);

    const response = await visitor.post('/pratica/attestazione-silenzio-assenso', { _csrf: csrfOf(page.body) });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /application\/pdf/);
    assert.equal(response.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const db = testApp.database.db;
    const caseRow = await db.selectFrom('cases').select('id').where('code', '=', c.code).executeTakeFirstOrThrow();
    const rows = await db.selectFrom('silence_attestations').selectAll().where('case_id', '=', caseRow.id).execute();
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.deadline, rows[0]!.accepted_from], ['2026-10-31', '2026-11-01']);
    const audit = await db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', c.code).where('action', '=', 'case.silence-attestation').execute();
    assert.equal(audit.length, 1);
  });

  test('refused, with nothing recorded, on a case without silenzio-assenso', async () => {
    const c = await enrol('TE-01', '2026-10-01');
    const visitor = await visitorOf(c);
    const page = await visitor.get('/pratica/dettaglio');
    const before = (await testApp.database.db.selectFrom('silence_attestations').select('id').execute()).length;
    const response = await visitor.post('/pratica/attestazione-silenzio-assenso', { _csrf: csrfOf(page.body) });
    assert.equal(response.statusCode, 409);
    assert.match(visibleText(response.body), /si rilascia solo quando il termine è decorso/);
    assert.equal((await testApp.database.db.selectFrom('silence_attestations').select('id').execute()).length, before);
  });

  test('without the CSRF token nothing is issued', async () => {
    const c = await enrol('PE-01', '2026-10-01');
    const visitor = await visitorOf(c);
    const response = await visitor.post('/pratica/attestazione-silenzio-assenso', {});
    assert.notEqual(response.statusCode, 200);
  });
});
