import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eraseHandledRequestContacts } from '../../src/application/adhesion-requests.ts';
import { startRetentionJob } from '../../src/worker/retention.ts';
import { createPortalApp, csrfOf, eventually, Visitor } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';
import { ADMIN, AMB_MANAGER, VIAB_MANAGER, StaffClient, text } from './client.ts';

/** Sends a request from the public card, as a citizen would, and returns its id. */
async function sendRequest(testApp: PortalTestApp, procedureCode: string, fields: Record<string, string>, address: string): Promise<string> {
  const visitor = new Visitor(testApp, address);
  const page = `/trasparenza/procedimenti/${procedureCode}/adesione`;
  const sent = await visitor.post(page, {
    _csrf: csrfOf((await visitor.get(page)).body), applicantName: 'Maria Rossi', protocolDate: '2026-11-20', mobile: '', email: '', privacy: 'yes', ...fields,
  });
  assert.equal(sent.statusCode, 303, 'the request is accepted');
  // the request just sent: an earlier one with the same protocol number may have been handled already
  const row = await testApp.database.db.selectFrom('adhesion_requests').select('id').where('protocol_number', '=', fields.protocolNumber!)
    .where('status', '=', 'pending').executeTakeFirstOrThrow();
  return row.id;
}

describe('back office: the online adhesion requests, enrolled with one click or dismissed', () => {
  let testApp: PortalTestApp;
  let viab: StaffClient;
  let amb: StaffClient;
  let admin: StaffClient;
  let ambProcedure: string;
  before(async () => {
    testApp = await createPortalApp();
    viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
    amb = new StaffClient(testApp.app);
    await amb.signIn(AMB_MANAGER);
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    ambProcedure = (await testApp.database.db.selectFrom('procedures').innerJoin('offices', 'offices.id', 'procedures.office_id').select('procedures.code')
      .where('offices.code', '=', 'AMB').where('procedures.term_amount', 'is not', null).where('procedures.active', '=', true).orderBy('procedures.code').executeTakeFirstOrThrow()).code;
  });
  after(() => testApp.close());

  test('each office sees its own pending requests, with the count and the menu entry; an administrator sees all', async () => {
    await sendRequest(testApp, 'TE-01', { protocolNumber: 'VIAB/1', applicantName: 'Anna Viab', email: 'anna@example.org', channels: 'email' }, '203.0.113.1');
    await sendRequest(testApp, ambProcedure, { protocolNumber: 'AMB/1', applicantName: 'Bruno Amb', mobile: '333 765 4321', channels: 'sms' }, '203.0.113.2');
    const viabPage = await viab.get('/uffici/richieste-adesione');
    assert.equal(viabPage.statusCode, 200);
    assert.match(viabPage.body, /href="\/uffici\/richieste-adesione"[^>]*>Richieste online</);
    assert.match(text(viabPage.body), /Anna Viab/);
    assert.doesNotMatch(text(viabPage.body), /Bruno Amb/);
    assert.match(text(viabPage.body), /In attesa: 1/);
    const ambPage = text((await amb.get('/uffici/richieste-adesione')).body);
    assert.match(ambPage, /Bruno Amb/);
    assert.doesNotMatch(ambPage, /Anna Viab/);
    const all = text((await admin.get('/uffici/richieste-adesione')).body);
    assert.match(all, /Anna Viab/);
    assert.match(all, /Bruno Amb/);
    // another office's request cannot be opened, enrolled or dismissed
    const other = await testApp.database.db.selectFrom('adhesion_requests').select('id').where('protocol_number', '=', 'AMB/1').executeTakeFirstOrThrow();
    assert.equal((await viab.get(`/uffici/pratiche/nuova?richiesta=${other.id}`)).statusCode, 404);
    assert.equal((await viab.post(`/uffici/richieste-adesione/${other.id}/scarta`, { reason: 'non mio' })).statusCode, 404);
  });

  test('"Iscrivi" opens the enrolment form filled in; enrolling marks the request enrolled and linked, and the first message goes to its contacts', async () => {
    const id = await sendRequest(testApp, 'TE-01', { protocolNumber: 'VIAB/2', applicantName: 'Carla Bianchi', email: 'carla@example.org', mobile: '333 111 2222', channels: 'email' }, '203.0.113.3');
    const list = await viab.get('/uffici/richieste-adesione');
    assert.match(list.body, new RegExp(`href="/uffici/pratiche/nuova\\?richiesta=${id}">Iscrivi<`));
    const form = await viab.get(`/uffici/pratiche/nuova?richiesta=${id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<option value="TE-01" selected/);
    assert.match(form.body, /id="applicantName" name="applicantName" type="text" value="Carla Bianchi"/);
    assert.match(form.body, /id="protocolNumber" name="protocolNumber" type="text" value="VIAB\/2"/);
    assert.match(form.body, /name="receivedOn" type="date" value="2026-11-20"/);
    assert.match(form.body, /value="carla@example.org"/);
    assert.match(form.body, /id="channel-email" value="email" checked/);
    assert.match(form.body, new RegExp(`name="adhesionRequest" value="${id}"`));
    const formToken = /name="formToken" value="([^"]+)"/.exec(form.body)![1]!;
    const enrolled = await viab.post('/uffici/pratiche/nuova', {
      formToken, adhesionRequest: id, procedureCode: 'TE-01', subject: 'Trasporto eccezionale', applicantName: 'Carla Bianchi', receivedOn: '2026-11-20',
      protocolNumber: 'VIAB/2', mobile: '333 111 2222', email: 'carla@example.org', channels: 'email', privacy: 'yes', action: 'save',
    });
    assert.equal(enrolled.statusCode, 201);
    const request = await testApp.database.db.selectFrom('adhesion_requests').innerJoin('cases', 'cases.id', 'adhesion_requests.case_id')
      .select(['adhesion_requests.status', 'adhesion_requests.handled_by', 'cases.code', 'cases.protocol_number']).where('adhesion_requests.id', '=', id).executeTakeFirstOrThrow();
    assert.equal(request.status, 'enrolled');
    assert.equal(request.protocol_number, 'VIAB/2');
    assert.match(request.handled_by ?? '', /^staff:/);
    assert.doesNotMatch(text((await viab.get('/uffici/richieste-adesione')).body), /Carla Bianchi/);
    // the case starts: its first message, with the sign-in, goes to the request's e-mail
    const detail = await viab.get(`/uffici/pratiche/${request.code}`);
    const version = /name="version" value="(\d+)"/.exec(detail.body)![1]!;
    const started = await viab.post(`/uffici/pratiche/${request.code}/evento`, { type: 'start', effectiveOn: '2026-11-26', reason: 'Domanda completa', version, action: 'save' });
    assert.equal(started.statusCode, 303);
    const sent = await testApp.database.db.selectFrom('notifications').innerJoin('cases', 'cases.id', 'notifications.case_id').select(['notifications.channel', 'notifications.recipient'])
      .where('cases.code', '=', request.code).execute();
    assert.deepEqual(sent.map((n) => [n.channel, n.recipient]), [['email', 'carla@example.org']]);
    // the same form sent again enrols nothing more
    const again = await viab.post(`/uffici/richieste-adesione/${id}/scarta`, { reason: 'doppia' });
    assert.equal(again.statusCode, 422);
    assert.match(text(again.body), /già stata trattata/);
  });

  test('matched to its protocol number: an existing case is named, linked, and can take the request\'s contacts', async () => {
    const existing = await testApp.database.db.selectFrom('cases').innerJoin('offices', 'offices.id', 'cases.office_id').select(['cases.code', 'cases.protocol_number'])
      // a case of the demo data, not one an earlier test enrolled from a request
      .where('offices.code', '=', 'VIAB').where('cases.demo', '=', true).where('cases.protocol_number', '!=', '').where('cases.state', '!=', 'closed').where('cases.opted_out_at', 'is', null)
      // a protocol number no other case of the office shares
      .where((eb) => eb.not(eb.exists(eb.selectFrom('cases as other').select('other.id').whereRef('other.office_id', '=', 'cases.office_id')
        .whereRef('other.protocol_number', '=', 'cases.protocol_number').whereRef('other.id', '!=', 'cases.id'))))
      .orderBy('cases.code').executeTakeFirstOrThrow();
    const id = await sendRequest(testApp, 'TE-01', { protocolNumber: existing.protocol_number, email: 'nuova@example.org', channels: 'email' }, '203.0.113.4');
    const list = await viab.get('/uffici/richieste-adesione');
    assert.match(text(list.body), new RegExp(`Esiste già la pratica ${existing.code} con questo numero di protocollo`));
    assert.match(list.body, new RegExp(`href="/uffici/pratiche/${existing.code}"`));
    const linked = await viab.post(`/uffici/richieste-adesione/${id}/collega`, {});
    assert.equal(linked.statusCode, 303, text(linked.body).slice(0, 3000));
    assert.equal(linked.headers.location, `/uffici/pratiche/${existing.code}`);
    const row = await testApp.database.db.selectFrom('cases').select(['email', 'notify_email']).where('code', '=', existing.code).executeTakeFirstOrThrow();
    assert.deepEqual(row, { email: 'nuova@example.org', notify_email: true });
    const request = await testApp.database.db.selectFrom('adhesion_requests').select(['status']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(request.status, 'enrolled');
  });

  test('"Scarta" needs a reason, told on its field; dismissed, the request leaves the list and the audit log records it', async () => {
    const id = await sendRequest(testApp, 'TE-01', { protocolNumber: 'VIAB/3', applicantName: 'Dario Neri', email: 'dario@example.org', channels: 'email' }, '203.0.113.5');
    await viab.get('/uffici/richieste-adesione');
    const refused = await viab.post(`/uffici/richieste-adesione/${id}/scarta`, { reason: '  ' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, new RegExp(`id="reason-${id}-error"`));
    assert.match(refused.body, new RegExp(`href="#reason-${id}"`));
    const dismissed = await viab.post(`/uffici/richieste-adesione/${id}/scarta`, { reason: 'Protocollo inesistente' });
    assert.equal(dismissed.statusCode, 303);
    assert.doesNotMatch(text((await viab.follow(dismissed)).body), /Dario Neri/);
    const row = await testApp.database.db.selectFrom('adhesion_requests').select(['status', 'dismiss_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'dismissed', dismiss_reason: 'Protocollo inesistente' });
    const audited = await testApp.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    assert.deepEqual(audited.map((a) => a.action), ['adhesion-request.dismissed']);
  });

  test('retention: the contacts of handled requests are erased, a request pending past the period is dismissed and erased, a recent one kept', async () => {
    const pending = await sendRequest(testApp, 'TE-01', { protocolNumber: 'VIAB/4', email: 'tiene@example.org', channels: 'email' }, '203.0.113.6');
    // the hourly retention job (`pratica worker`, the in-process worker) does it at its first run
    const job = startRetentionJob({ db: testApp.database.db, clock: testApp.clock, days: 365 });
    try {
      await eventually(() => testApp.database.db.selectFrom('adhesion_requests').select('id').where('status', '!=', 'pending').where('contacts_erased_at', 'is', null).execute(), (left) => left.length === 0);
    } finally {
      await job.stop();
    }
    const rows = await testApp.database.db.selectFrom('adhesion_requests').select(['id', 'status', 'mobile', 'email', 'fiscal_code']).execute();
    for (const r of rows.filter((r) => r.status !== 'pending')) assert.deepEqual([r.mobile, r.email, r.fiscal_code], [null, null, null], `request ${r.id} erased`);
    assert.equal(rows.find((r) => r.id === pending)?.email, 'tiene@example.org');
    testApp.clock.advance(366 * 86_400);
    await eraseHandledRequestContacts({ db: testApp.database.db, clock: testApp.clock }, 365);
    const old = await testApp.database.db.selectFrom('adhesion_requests').select(['status', 'email']).where('id', '=', pending).executeTakeFirstOrThrow();
    assert.deepEqual(old, { status: 'dismissed', email: null });
  });
});
