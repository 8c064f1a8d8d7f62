import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { outboxEmailChannel, outboxSmsChannel } from '../../src/adapters/channels/outbox.ts';
import { MAX_RESET_EMAILS_PER_HOUR } from '../../src/application/backoffice/password-reset.ts';
import { Dispatcher } from '../../src/worker/dispatcher.ts';
import { TEST_SESSION_SECRET, createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { movableClock } from '../portal/support.ts';
import type { MovableClock } from '../portal/support.ts';
import { waitUntil } from '../notifications/harness.ts';
import { StaffClient, createStaff, text } from './client.ts';

const OLD = 'vecchia-password-123';
const NEW = 'una frase nuova e abbastanza lunga';

describe('back office: a new password through an e-mailed link', () => {
  let testApp: TestApp<MovableClock>;
  let worker: Dispatcher;
  let n = 0;
  before(async () => {
    testApp = await createTestApp({ clock: movableClock() });
    const db = testApp.database.db;
    // the demo's messages to citizens are not this file's business
    await db.updateTable('notifications').set({ status: 'cancelled' }).where('status', '=', 'created').execute();
    worker = new Dispatcher({
      db, channels: { email: outboxEmailChannel(db), sms: outboxSmsChannel(db) }, publicBaseUrl: 'http://localhost:3000',
      sessionSecret: TEST_SESSION_SECRET, clock: testApp.clock, credentialsKeys: testApp.services.credentialsKeys, pollMs: 20,
    });
    worker.start();
  });
  after(async () => {
    await worker.stop();
    await testApp.close();
  });

  async function newUser(): Promise<string> {
    const email = `reset${++n}@provincia-fc.example`;
    await createStaff(testApp.database.db, { email, role: 'case-officer', officeCode: 'VIAB', password: OLD, name: `Utente ${n}` });
    return email;
  }

  const inbox = (email: string) => testApp.database.db.selectFrom('outbox_messages').selectAll().where('recipient', '=', email).orderBy('created_at').execute();

  /** Asks for a link from the sign-in page and reads it from the e-mail, as the owner would. */
  async function requestLink(email: string, address = '10.9.0.1'): Promise<{ link: string; page: string }> {
    const before = (await inbox(email)).length;
    const client = new StaffClient(testApp.app, address);
    const signInPage = await client.get('/uffici/accesso');
    assert.match(signInPage.body, /<a href="\/uffici\/password-dimenticata">Password dimenticata\?<\/a>/);
    await client.get('/uffici/password-dimenticata');
    const answer = await client.post('/uffici/password-dimenticata', { email });
    assert.equal(answer.statusCode, 200);
    const messages = await waitUntil(() => inbox(email), (m) => m.length > before);
    const link = /http:\/\/localhost:3000(\/uffici\/password-dimenticata\/[A-Za-z0-9_-]+)/.exec(messages.at(-1)!.text)?.[1];
    assert.ok(link, messages.at(-1)!.text);
    return { link, page: text(answer.body) };
  }

  async function choose(link: string, password: string, confirmation = password, address = '10.9.1.1') {
    const client = new StaffClient(testApp.app, address);
    const form = await client.get(link);
    if (form.statusCode !== 200) return form;
    return client.post(link, { newPassword: password, confirmPassword: confirmation });
  }

  const signInStatus = async (email: string, password: string) => {
    const client = new StaffClient(testApp.app, '10.9.2.1');
    await client.get('/uffici/accesso');
    return (await client.post('/uffici/accesso', { email, password })).statusCode;
  };

  test('the link sets a new password once; the old password and the used link stop working; the queue keeps no working link', async () => {
    const email = await newUser();
    const { link, page } = await requestLink(email);
    assert.match(page, /Se reset\d+@provincia-fc\.example corrisponde a un account attivo/);
    const form = await new StaffClient(testApp.app, '10.9.1.2').get(link);
    assert.equal(form.statusCode, 200);
    assert.match(text(form.body), new RegExp(`Account: ${email}`));

    const mismatch = await choose(link, NEW, 'altra frase diversa e lunga');
    assert.equal(mismatch.statusCode, 422);
    assert.match(text(mismatch.body), /La conferma non coincide con la nuova password\./);
    const short = await choose(link, 'corta');
    assert.equal(short.statusCode, 422);
    assert.match(text(short.body), /almeno 12 caratteri/);

    const done = await choose(link, NEW);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/uffici/accesso');
    assert.equal(await signInStatus(email, OLD), 401);
    assert.equal(await signInStatus(email, NEW), 303);

    const again = await choose(link, 'ancora una frase diversa');
    assert.equal(again.statusCode, 400);
    assert.match(text(again.body), /Collegamento non valido/);
    const direct = await new StaffClient(testApp.app, '10.9.1.3').get(link);
    assert.equal(direct.statusCode, 400, 'the page of a used link says so at once');

    const staff = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const rows = await testApp.database.db.selectFrom('notifications').select(['body', 'status']).where('staff_id', '=', staff.id).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'delivered');
    assert.ok(!rows[0]!.body!.includes('/uffici/password-dimenticata/'), 'the stored copy holds no link');
    const actions = await testApp.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', staff.id).orderBy('id').execute();
    assert.deepEqual(actions.map((a) => a.action).filter((a) => a.startsWith('staff.password')), ['staff.password-reset-requested', 'staff.password-reset']);
  });

  test('a link expires after 15 minutes', async () => {
    const email = await newUser();
    const { link } = await requestLink(email);
    testApp.clock.advance(14 * 60);
    assert.equal((await new StaffClient(testApp.app, '10.9.1.4').get(link)).statusCode, 200, 'still valid at 14 minutes');
    testApp.clock.advance(61);
    const expired = await choose(link, NEW);
    assert.equal(expired.statusCode, 410);
    assert.match(text(expired.body), /Collegamento scaduto/);
    assert.equal(await signInStatus(email, OLD), 303, 'nothing changed');
  });

  test('any password change ends the links sent before it', async () => {
    const email = await newUser();
    const { link } = await requestLink(email);
    const owner = new StaffClient(testApp.app, '10.9.3.1');
    await owner.signIn({ email, password: OLD });
    await owner.get('/uffici/password');
    const changed = await owner.post('/uffici/password', { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW });
    assert.equal(changed.statusCode, 303);
    const stale = await choose(link, 'una terza frase lunga e nuova');
    assert.equal(stale.statusCode, 400);
    assert.equal(await signInStatus(email, NEW), 303);
  });

  test('forged and truncated links get the Italian page, never a 500', async () => {
    const email = await newUser();
    const { link } = await requestLink(email);
    // one character of the signature changed, away from its last character (whose low bits base64 ignores)
    const at = link.length - 5;
    const forged = `${link.slice(0, at)}${link[at] === 'A' ? 'B' : 'A'}${link.slice(at + 1)}`;
    for (const bad of [link.slice(0, -3), forged, '/uffici/password-dimenticata/nonsense', `/uffici/password-dimenticata/${'A'.repeat(300)}`]) {
      const response = await new StaffClient(testApp.app, '10.9.4.1').get(bad);
      assert.equal(response.statusCode, 400, bad);
      assert.match(text(response.body), /Collegamento non valido/);
    }
    // a control character is refused before the route, on the back office's own page
    assert.equal((await new StaffClient(testApp.app, '10.9.4.1').get('/uffici/password-dimenticata/%00')).statusCode, 400);
  });

  test('an unknown or deactivated address gets the same answer and no e-mail', async () => {
    const known = await newUser();
    const gone = await newUser();
    await testApp.database.db.updateTable('staff').set({ active: false }).where('email', '=', gone).execute();
    const pages: string[] = [];
    for (const email of [known, 'nessuno@provincia-fc.example', gone]) {
      const client = new StaffClient(testApp.app, '10.9.5.1');
      await client.get('/uffici/password-dimenticata');
      const answer = await client.post('/uffici/password-dimenticata', { email });
      assert.equal(answer.statusCode, 200);
      pages.push(text(answer.body).replace(email, 'EMAIL').replace(/name="_csrf" value="[^"]+"/, ''));
    }
    assert.equal(pages[1], pages[0]);
    assert.equal(pages[2], pages[0]);
    await waitUntil(() => inbox(known), (m) => m.length === 1);
    assert.equal((await inbox(gone)).length, 0);
    assert.equal((await inbox('nessuno@provincia-fc.example')).length, 0);
  });

  test('reset e-mails are limited per account (silently) and requests per address', async () => {
    const email = await newUser();
    for (let i = 0; i < MAX_RESET_EMAILS_PER_HOUR + 2; i++) {
      const client = new StaffClient(testApp.app, `10.9.6.${i}`);
      await client.get('/uffici/password-dimenticata');
      assert.equal((await client.post('/uffici/password-dimenticata', { email })).statusCode, 200, 'the same answer past the limit');
    }
    const staff = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const queued = await testApp.database.db.selectFrom('notifications').select('id').where('staff_id', '=', staff.id).execute();
    assert.equal(queued.length, MAX_RESET_EMAILS_PER_HOUR);
    const throttled = await testApp.database.db.selectFrom('audit_log').select('id').where('entity_id', '=', staff.id).where('action', '=', 'staff.password-reset-throttled').execute();
    assert.equal(throttled.length, 2);

    const client = new StaffClient(testApp.app, '10.9.7.1');
    await client.get('/uffici/password-dimenticata');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/uffici/password-dimenticata', { email: `x${i}@example.org` })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    const limited = await client.post('/uffici/password-dimenticata', { email: 'y@example.org' });
    assert.match(text(limited.body), /Troppe richieste da questa postazione/);
  });

  test('the lock notice carries a link that ends the lock with a new password', async () => {
    const email = await newUser();
    const guesser = new StaffClient(testApp.app, '10.9.8.1');
    await guesser.get('/uffici/accesso');
    for (let i = 0; i < 5; i++) await guesser.post('/uffici/accesso', { email, password: `wrong-${i}` });
    assert.equal(await signInStatus(email, OLD), 429, 'locked');
    const [notice] = await waitUntil(() => inbox(email), (m) => m.length === 1);
    assert.match(notice!.subject!, /accesso bloccato/);
    const link = /http:\/\/localhost:3000(\/uffici\/password-dimenticata\/[A-Za-z0-9_-]+)/.exec(notice!.text)?.[1];
    assert.ok(link, notice!.text);
    assert.equal((await choose(link, NEW)).statusCode, 303);
    assert.equal(await signInStatus(email, NEW), 303, 'the lock ended with the new password');
  });
});
