import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_SESSION_SECRET, createTestApp } from '../support/app.ts';
import type { Channels, OutgoingEmail } from '../../src/adapters/channels/types.ts';
import { Dispatcher } from '../../src/worker/dispatcher.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, AMB_MANAGER, StaffClient, createStaff, text } from './client.ts';
import { formFields } from './form-reader.ts';

describe('back office: sign-in, sessions, CSRF', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  test('the page asked for comes back from the sign-in form as it was, whatever characters its address holds', async () => {
    const wanted = '/uffici/pratiche?q=Rossi &amp; Figli &lt;b&gt;';
    const form = await new StaffClient(testApp.app).get(`/uffici/accesso?next=${encodeURIComponent(wanted)}`);
    const fields = new Map(formFields(form.body, '/uffici/accesso'));
    assert.equal(fields.get('next'), wanted, 'a browser submits the same address back');
  });

  test('pages need a signed-in user: the sign-in page comes first and then leads back', async () => {
    const client = new StaffClient(testApp.app);
    const page = await client.get('/uffici/pratiche?state=open');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/uffici/accesso?next=%2Fuffici%2Fpratiche%3Fstate%3Dopen');
    const form = await client.follow(page);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<h1>Accesso per gli uffici<\/h1>/);
    const signedIn = await client.post('/uffici/accesso', { email: ADMIN.email, password: ADMIN.password, next: '/uffici/pratiche?state=open' });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/uffici/pratiche?state=open');
    const cookie = signedIn.cookies.find((c) => c.name === 'po_staff');
    assert.ok(cookie?.httpOnly, 'the session cookie is httpOnly');
    assert.equal(cookie?.sameSite, 'Lax');
    const list = await client.follow(signedIn);
    assert.equal(list.statusCode, 200);
    assert.match(text(list.body), /Amministratore \(demo\)/);
  });

  test('a redirect after sign-in never leaves the back office', async () => {
    const client = new StaffClient(testApp.app);
    await client.get('/uffici/accesso');
    const response = await client.post('/uffici/accesso', { email: ADMIN.email, password: ADMIN.password, next: '//evil.example/x' });
    assert.equal(response.headers.location, '/uffici');
  });

  test('a wrong password or an unknown e-mail get the same message', async () => {
    const client = new StaffClient(testApp.app, '10.0.0.2');
    await client.get('/uffici/accesso');
    const wrong = await client.post('/uffici/accesso', { email: ADMIN.email, password: 'nope' });
    assert.equal(wrong.statusCode, 401);
    assert.match(text(wrong.body), /E-mail o password non corrette\./);
    assert.match(wrong.body, /value="admin@provincia-fc.example"/, 'the e-mail stays in the form');
    const unknown = await client.post('/uffici/accesso', { email: 'nobody@example.org', password: 'nope' });
    assert.equal(unknown.statusCode, 401);
    assert.match(text(unknown.body), /E-mail o password non corrette\./);
  });

  test('five wrong passwords lock the account, even with the right one afterwards', async () => {
    await createStaff(testApp.database.db, { email: 'locked@provincia-fc.example', role: 'case-officer', officeCode: 'AMB', password: 'right-password-123' });
    const client = new StaffClient(testApp.app, '10.0.0.3');
    await client.get('/uffici/accesso');
    for (let i = 0; i < 4; i++) {
      assert.equal((await client.post('/uffici/accesso', { email: 'locked@provincia-fc.example', password: `wrong-${i}` })).statusCode, 401);
    }
    const fifth = await client.post('/uffici/accesso', { email: 'locked@provincia-fc.example', password: 'wrong-5' });
    assert.equal(fifth.statusCode, 429);
    assert.match(text(fifth.body), /l'account è bloccato fino alle/);
    const right = await client.post('/uffici/accesso', { email: 'locked@provincia-fc.example', password: 'right-password-123' });
    assert.equal(right.statusCode, 429);
    const log = await testApp.database.db.selectFrom('audit_log').select('action').where('action', '=', 'staff.locked').execute();
    assert.equal(log.length, 1);
  });

  test('60 wrong passwords at once from 3 addresses reach the password check at most 5 times, and lock the account', async () => {
    const email = 'parallel@provincia-fc.example';
    await createStaff(testApp.database.db, { email, role: 'admin', password: 'right-password-456' });
    const clients = ['10.0.1.1', '10.0.1.2', '10.0.1.3'].map((address) => new StaffClient(testApp.app, address));
    for (const client of clients) await client.get('/uffici/accesso');
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => clients[i % 3]!.post('/uffici/accesso', { email, password: `wrong-${i}` }).then((r) => r.statusCode)),
    );
    assert.ok(!statuses.includes(303));
    const staff = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    // every password checked is in the audit log: no more than the allowed number were
    const checked = await testApp.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', staff.id).where('action', '=', 'staff.sign-in-failed').execute();
    assert.equal(checked.length, 5, 'passwords checked');
    assert.equal(statuses.filter((s) => s === 401).length, 4, 'the fifth wrong one locks');
    const owner = new StaffClient(testApp.app, '10.0.1.4');
    await owner.get('/uffici/accesso');
    const right = await owner.post('/uffici/accesso', { email, password: 'right-password-456' });
    assert.equal(right.statusCode, 429, 'the right password is refused while the account is locked');
    assert.match(text(right.body), /l'account è bloccato fino alle/);
  });

  test('the owner of a locked account is told by e-mail, through the messages\' queue', async () => {
    const email = 'told@provincia-fc.example';
    await createStaff(testApp.database.db, { email, role: 'admin', password: 'right-password-000', name: 'Giulia Bianchi' });
    const guesser = new StaffClient(testApp.app, '10.0.3.1');
    await guesser.get('/uffici/accesso');
    for (let i = 0; i < 6; i++) await guesser.post('/uffici/accesso', { email, password: `wrong-${i}` });
    const queued = await testApp.database.db.selectFrom('notifications').selectAll().where('recipient', '=', email).execute();
    assert.equal(queued.length, 1, 'one message for one lock');
    assert.equal(queued[0]!.kind, 'staff-locked');

    // the citizens' messages of the demo data are not this test's business
    await testApp.database.db.updateTable('notifications').set({ status: 'cancelled' }).where('status', '=', 'created').where('recipient', '!=', email).execute();
    const sent: OutgoingEmail[] = [];
    const channels: Channels = {
      email: { provider: 'test', send: async (m) => (sent.push(m), { provider: 'test', providerId: m.id }), close: async () => {} },
      sms: { provider: 'test', send: async (m) => ({ provider: 'test', providerId: m.id }), close: async () => {} },
    };
    const worker = new Dispatcher({ db: testApp.database.db, channels, publicBaseUrl: 'http://localhost:3000', sessionSecret: TEST_SESSION_SECRET, credentialsKeys: testApp.services.credentialsKeys, pollMs: 20 });
    worker.start();
    try {
      const until = Date.now() + 10_000;
      while (!sent.some((m) => m.to === email) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await worker.stop();
    }
    const message = sent.find((m) => m.to === email);
    assert.ok(message, 'the e-mail was sent');
    assert.match(message.subject, /accesso bloccato/);
    assert.match(message.text, /Gentile Giulia Bianchi,/);
    assert.match(message.text, /bloccato fino alle \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    const row = await testApp.database.db.selectFrom('notifications').select('status').where('id', '=', queued[0]!.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
  });

  test('an administrator lifts a lock from the user\'s page, and that is audited', async () => {
    const email = 'unlock-me@provincia-fc.example';
    await createStaff(testApp.database.db, { email, role: 'office-manager', officeCode: 'VIAB', password: 'right-password-789' });
    const guesser = new StaffClient(testApp.app, '10.0.2.1');
    await guesser.get('/uffici/accesso');
    for (let i = 0; i < 5; i++) await guesser.post('/uffici/accesso', { email, password: `wrong-${i}` });
    const staff = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();

    const admin = new StaffClient(testApp.app, '10.0.2.2');
    await admin.signIn(ADMIN);
    const page = await admin.get(`/uffici/catalogo/personale/${staff.id}`);
    assert.match(text(page.body), /Account bloccato fino alle/);
    const unlocked = await admin.follow(await admin.post(`/uffici/catalogo/personale/${staff.id}/sblocca`, {}));
    assert.match(text(unlocked.body), /Account sbloccato/);
    assert.doesNotMatch(text(unlocked.body), /Account bloccato fino alle/);
    const log = await testApp.database.db.selectFrom('audit_log').select(['actor', 'before']).where('entity_id', '=', staff.id).where('action', '=', 'staff.unlocked').execute();
    assert.equal(log.length, 1);
    assert.match(log[0]!.actor, /^staff:/);

    const owner = new StaffClient(testApp.app, '10.0.2.3');
    await owner.signIn({ email, password: 'right-password-789' });
    assert.equal((await owner.get('/uffici')).statusCode, 200, 'the owner signs in at once');
  });

  test('sign-in attempts from one address are rate-limited', async () => {
    const client = new StaffClient(testApp.app, '10.0.0.4');
    await client.get('/uffici/accesso');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await client.post('/uffici/accesso', { email: `x${i}@example.org`, password: 'x' })).statusCode);
    assert.equal(statuses.filter((s) => s === 401).length, 20);
    assert.equal(statuses.at(-1), 429);
    const last = await client.post('/uffici/accesso', { email: 'x@example.org', password: 'x' });
    assert.match(text(last.body), /Troppi tentativi di accesso da questa postazione/);
    // another address is not affected
    const other = new StaffClient(testApp.app, '10.0.0.5');
    await other.signIn(ADMIN);
  });

  test('signing out ends the session on the server: the old cookie no longer opens pages', async () => {
    const client = new StaffClient(testApp.app);
    await client.signIn(AMB_MANAGER);
    const stolen = client.cookie('po_staff')!;
    const out = await client.post('/uffici/esci', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/uffici/accesso');
    assert.match(text((await client.follow(out)).body), /Uscita effettuata\./);
    const replay = await testApp.app.inject({ url: '/uffici', headers: { cookie: `po_staff=${stolen}` } });
    assert.equal(replay.statusCode, 303);
    assert.match(String(replay.headers.location), /^\/uffici\/accesso/);
  });

  test('a deactivated user is signed out at the next request', async () => {
    await createStaff(testApp.database.db, { email: 'leaving@provincia-fc.example', role: 'case-officer', officeCode: 'VIAB', password: 'pw-leaving-123' });
    const client = new StaffClient(testApp.app);
    await client.signIn({ email: 'leaving@provincia-fc.example', password: 'pw-leaving-123' });
    assert.equal((await client.get('/uffici')).statusCode, 200);
    await testApp.database.db.updateTable('staff').set({ active: false }).where('email', '=', 'leaving@provincia-fc.example').execute();
    assert.equal((await client.get('/uffici')).statusCode, 303);
  });

  test('forms without the CSRF token are refused', async () => {
    const client = new StaffClient(testApp.app);
    await client.signIn(ADMIN);
    const response = await client.post('/uffici/pratiche/nuova', { procedureCode: 'TE-01' }, { csrf: false });
    assert.equal(response.statusCode, 403);
    assert.match(text(response.body), /Il modulo è scaduto o non proviene da questo sito/);
    const forged = await client.post('/uffici/esci', {}, { csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
  });

  test('the sign-in page speaks English on request', async () => {
    const page = await testApp.app.inject({ url: '/uffici/accesso?lang=en' });
    assert.match(page.body, /<h1>Sign-in for offices<\/h1>/);
  });
});
