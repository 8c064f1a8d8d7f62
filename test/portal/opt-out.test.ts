import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StaffClient, VIAB_MANAGER, text } from '../backoffice/client.ts';
import { Visitor, createPortalApp, demoCase, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

describe('leaving the service', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('asks for confirmation, records the request, stops messages and tells the office', async () => {
    const c = await demoCase(testApp, 'acque meteoriche');
    const visitor = new Visitor(testApp, '192.0.2.40');
    await visitor.signIn(c.code);
    const confirm = await visitor.get('/pratica/recesso');
    assert.equal(confirm.statusCode, 200);
    assert.match(visibleText(confirm.body), /non riceverai più messaggi su questa pratica \(SMS, e-mail o App IO\), i tuoi recapiti saranno cancellati/);

    const done = await visitor.submit('/pratica/recesso', '/pratica/recesso', {});
    assert.equal(done.statusCode, 303);
    const page = visibleText((await visitor.get(done.headers.location as string)).body);
    assert.match(page, /La richiesta è registrata\./);
    assert.match(page, /Il 26\/11\/2026 hai lasciato il servizio: non ricevi più messaggi su questa pratica e i tuoi recapiti sono stati cancellati/);
    // said once, and nothing on the page says otherwise
    assert.equal(page.match(/messaggi/g)?.length, 1, page);
    assert.doesNotMatch(page, /Non voglio più ricevere messaggi/);

    const db = testApp.database.db;
    const row = await db.selectFrom('cases').select(['opted_out_at']).where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.ok(row.opted_out_at, 'recorded on the case, where the responsible officer sees it');
    const entry = await db.selectFrom('audit_log').selectAll().where('action', '=', 'case.opt-out').where('entity_id', '=', c.code).executeTakeFirstOrThrow();
    assert.equal(entry.actor, `citizen:${c.code}`);
    assert.equal(entry.office_id, c.office_id);
    const pending = await db.selectFrom('notifications').select('id').where('case_id', '=', c.id).where('status', 'in', ['created', 'temporary-failure']).execute();
    assert.equal(pending.length, 0, 'messages not yet sent are cancelled');

    // asking again changes nothing
    assert.equal((await visitor.get('/pratica/recesso')).statusCode, 200);
    assert.equal((await visitor.submit('/pratica/recesso', '/pratica/recesso', {})).statusCode, 303);
    assert.equal((await db.selectFrom('audit_log').select('id').where('action', '=', 'case.opt-out').where('entity_id', '=', c.code).execute()).length, 1);
  });

  test('from the portal or recorded by the office, leaving the service does the same: no messages, contacts erased, said alike', async () => {
    const db = testApp.database.db;
    const contactsOf = (id: string) => db.selectFrom('cases').select(['mobile', 'email', 'notify_sms', 'notify_email']).where('id', '=', id).executeTakeFirstOrThrow();
    const erased = { mobile: null, email: null, notify_sms: false, notify_email: false };
    const staff = new StaffClient(testApp.app);
    await staff.signIn(VIAB_MANAGER);

    const byCitizen = await demoCase(testApp, 'cisterna');
    const visitor = new Visitor(testApp, '192.0.2.43');
    await visitor.signIn(byCitizen.code);
    assert.match(visibleText((await visitor.get('/pratica/dettaglio')).body), /A ogni cambio di stato ti inviamo un messaggio/);
    assert.equal((await visitor.submit('/pratica/recesso', '/pratica/recesso', {})).statusCode, 303);
    assert.deepEqual(await contactsOf(byCitizen.id), erased);
    const citizenPage = visibleText((await visitor.get('/pratica/dettaglio')).body);
    assert.doesNotMatch(citizenPage, /Riceverai un messaggio|ogni cambio di stato/);
    const clerkPage = text((await staff.get(`/uffici/pratiche/${byCitizen.code}`)).body);
    assert.match(clerkPage, /Il richiedente ha lasciato il servizio il \d\d\/\d\d\/\d\d, \d\d:\d\d: non riceve più messaggi e i suoi recapiti sono stati cancellati/);

    const byOffice = await demoCase(testApp, 'trasformatore');
    const version = /name="version" value="(\d+)"/.exec((await staff.get(`/uffici/pratiche/${byOffice.code}`)).body)![1]!;
    assert.equal((await staff.post(`/uffici/pratiche/${byOffice.code}/rinuncia`, { note: 'Telefonata', confirm: 'yes', version })).statusCode, 303);
    assert.deepEqual(await contactsOf(byOffice.id), erased);
    const other = new Visitor(testApp, '192.0.2.44');
    await other.signIn(byOffice.code);
    const officePage = visibleText((await other.get('/pratica/dettaglio')).body);
    assert.match(officePage, /hai lasciato il servizio: non ricevi più messaggi su questa pratica e i tuoi recapiti sono stati cancellati/);
    assert.doesNotMatch(officePage, /Riceverai un messaggio|ogni cambio di stato/);
    assert.match(text((await staff.get(`/uffici/pratiche/${byOffice.code}`)).body), /non riceve più messaggi e i suoi recapiti sono stati cancellati/);
  });

  test('needs a session and a CSRF token', async () => {
    const anonymous = new Visitor(testApp, '192.0.2.41');
    const page = await anonymous.get('/pratica');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    assert.equal((await anonymous.post('/pratica/recesso', { _csrf: token })).statusCode, 401);
    const c = await demoCase(testApp, 'gru semovente');
    const visitor = new Visitor(testApp, '192.0.2.42');
    await visitor.signIn(c.code);
    assert.equal((await visitor.post('/pratica/recesso', {})).statusCode, 403);
    const row = await testApp.database.db.selectFrom('cases').select('opted_out_at').where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(row.opted_out_at, null);
  });
});
