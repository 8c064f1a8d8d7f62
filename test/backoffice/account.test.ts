import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { passwordChangeProblems } from '../../src/application/backoffice/auth.ts';
import { ADMIN, StaffClient, createStaff, text } from './client.ts';

const OLD = 'vecchia-password-123';
const NEW = 'una frase nuova e lunga';

describe('back office: changing one\'s own password', () => {
  let testApp: TestApp;
  let n = 0;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  /** A fresh user (any role) signed in twice: `me` changes the password, `other` is another session of the same user. */
  async function twoSessions(role: 'admin' | 'office-manager' | 'case-officer' = 'case-officer') {
    const email = `pw${++n}@provincia-fc.example`;
    await createStaff(testApp.database.db, { email, role, officeCode: role === 'admin' ? undefined : 'VIAB', password: OLD });
    const me = new StaffClient(testApp.app, `10.1.0.${n}`);
    await me.signIn({ email, password: OLD });
    const other = new StaffClient(testApp.app, `10.2.0.${n}`);
    await other.signIn({ email, password: OLD });
    return { email, me, other };
  }
  const hashOf = async (email: string) =>
    (await testApp.database.db.selectFrom('staff').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
  const auditOf = async (email: string, action: string) => {
    const staff = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return testApp.database.db.selectFrom('audit_log').select(['actor', 'after']).where('entity_id', '=', staff.id).where('action', '=', action).execute();
  };
  const signInStatus = async (email: string, password: string) => {
    const client = new StaffClient(testApp.app, '10.3.0.1');
    await client.get('/uffici/accesso');
    return (await client.post('/uffici/accesso', { email, password })).statusCode;
  };

  test('every role reaches the page from the header; the form has three empty password fields', async () => {
    for (const role of ['admin', 'office-manager', 'case-officer'] as const) {
      const { me } = await twoSessions(role);
      const home = await me.get('/uffici');
      assert.match(home.body, /<a class="text-white" href="\/uffici\/password">Cambia password<\/a>/, role);
      const page = await me.get('/uffici/password');
      assert.equal(page.statusCode, 200, role);
      assert.match(page.body, /<h1>Cambia password<\/h1>/);
      for (const id of ['currentPassword', 'newPassword', 'confirmPassword']) assert.match(page.body, new RegExp(`<input[^>]*id="${id}"[^>]*type="password"[^>]*value=""`));
      assert.match(page.body, /autocomplete="current-password"/);
      assert.match(page.body, /name="_csrf"/);
    }
  });

  test('a wrong current password is refused and changes nothing', async () => {
    const { email, me, other } = await twoSessions();
    const before = await hashOf(email);
    await me.get('/uffici/password');
    const refused = await me.post('/uffici/password', { currentPassword: 'not-my-password-1', newPassword: NEW, confirmPassword: NEW });
    assert.equal(refused.statusCode, 422);
    assert.match(text(refused.body), /La password attuale non è corretta\./);
    assert.match(refused.body, /href="#currentPassword"/);
    assert.equal(refused.body.includes(NEW), false, 'nothing typed is sent back');
    assert.equal(refused.body.includes('not-my-password-1'), false);
    assert.equal(await hashOf(email), before);
    assert.equal((await other.get('/uffici')).statusCode, 200, 'the other session is untouched');
    assert.equal(await signInStatus(email, OLD), 303);
    assert.equal((await auditOf(email, 'staff.password-change-refused')).length, 1);
    assert.equal((await auditOf(email, 'staff.password-changed')).length, 0);
  });

  test('guessing the current password is slowed: past 10 tries a minute the form answers 429, saying why, and changes nothing', async () => {
    const { email, me } = await twoSessions();
    const before = await hashOf(email);
    await me.get('/uffici/password');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await me.post('/uffici/password', { currentPassword: `guess-number-${i}`, newPassword: NEW, confirmPassword: NEW })).statusCode);
    assert.deepEqual(statuses, [...Array(10).fill(422), 429]);
    const limited = await me.post('/uffici/password', { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW });
    assert.equal(limited.statusCode, 429);
    assert.match(text(limited.body), /Troppi tentativi di cambio password in un minuto/);
    assert.equal(await hashOf(email), before);
  });

  test('too short, too long, same as the current one, confirmation that differs: refused with the reason, in Italian or English', async () => {
    const { email, me, other } = await twoSessions();
    const before = await hashOf(email);
    await me.get('/uffici/password');
    const cases: [Record<string, string>, RegExp, string][] = [
      [{ currentPassword: OLD, newPassword: 'corta-11ch', confirmPassword: 'corta-11ch' }, /La nuova password deve avere almeno 12 caratteri\./, 'newPassword'],
      [{ currentPassword: OLD, newPassword: 'x'.repeat(201), confirmPassword: 'x'.repeat(201) }, /La nuova password può avere al massimo 200 caratteri\./, 'newPassword'],
      [{ currentPassword: OLD, newPassword: OLD, confirmPassword: OLD }, /La nuova password deve essere diversa da quella attuale\./, 'newPassword'],
      [{ currentPassword: OLD, newPassword: NEW, confirmPassword: `${NEW}!` }, /La conferma non coincide con la nuova password\./, 'confirmPassword'],
      [{ currentPassword: '', newPassword: NEW, confirmPassword: NEW }, /Indicare la password attuale\./, 'currentPassword'],
    ];
    for (const [form, message, field] of cases) {
      const response = await me.post('/uffici/password', form);
      assert.equal(response.statusCode, 422, String(message));
      assert.match(text(response.body), message);
      assert.match(response.body, new RegExp(`href="#${field}"`));
      assert.match(response.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
      for (const typed of [form.newPassword!, form.confirmPassword!]) assert.equal(response.body.includes(`value="${typed}"`), false);
    }
    const english = await me.post('/uffici/password?lang=en', { currentPassword: OLD, newPassword: 'short', confirmPassword: 'other' });
    assert.equal(english.statusCode, 422);
    const body = text(english.body);
    assert.match(body, /Change password/);
    assert.match(body, /The new password must be at least 12 characters long\./);
    assert.match(body, /The confirmation does not match the new password\./);
    assert.doesNotMatch(body, /La nuova password|La conferma|Password attuale/);
    assert.equal(await hashOf(email), before);
    assert.equal((await other.get('/uffici')).statusCode, 200);
  });

  test('a change replaces the hash, ends the other sessions only, is audited, and the new password signs in', async () => {
    const { email, me, other } = await twoSessions('office-manager');
    const before = await hashOf(email);
    await me.get('/uffici/password');
    const done = await me.post('/uffici/password', { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/uffici/password');
    const notice = await me.follow(done);
    assert.equal(notice.statusCode, 200);
    assert.match(text(notice.body), /Password cambiata\. Le altre sessioni aperte con questo account sono state chiuse\./);
    assert.equal(notice.body.includes(NEW), false);

    assert.notEqual(await hashOf(email), before);
    assert.match((await hashOf(email))!, /^\$argon2id\$/);
    assert.equal((await me.get('/uffici')).statusCode, 200, 'this session stays');
    const ended = await other.get('/uffici');
    assert.equal(ended.statusCode, 303, 'the other session is ended');
    assert.match(String(ended.headers.location), /^\/uffici\/accesso/);

    const log = await auditOf(email, 'staff.password-changed');
    assert.equal(log.length, 1);
    assert.match(log[0]!.actor, /^staff:/);
    assert.deepEqual(typeof log[0]!.after === 'string' ? JSON.parse(log[0]!.after) : log[0]!.after, { otherSessionsEnded: 1 });
    assert.equal(JSON.stringify(log).includes(NEW), false, 'the audit log never holds a password');

    assert.equal(await signInStatus(email, OLD), 401, 'the old password no longer signs in');
    assert.equal(await signInStatus(email, NEW), 303, 'the new one does');
  });

  test('the form without the CSRF token is refused and changes nothing', async () => {
    const { email, me, other } = await twoSessions();
    const before = await hashOf(email);
    await me.get('/uffici/password');
    const missing = await me.post('/uffici/password', { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW }, { csrf: false });
    assert.equal(missing.statusCode, 403);
    assert.match(text(missing.body), /Il modulo è scaduto o non proviene da questo sito/);
    const forged = await me.post('/uffici/password', { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW }, { csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
    assert.equal(await hashOf(email), before);
    assert.equal((await other.get('/uffici')).statusCode, 200);
  });

  test('without a session the page leads to the sign-in', async () => {
    const response = await testApp.app.inject({ url: '/uffici/password' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/uffici/accesso?next=%2Fuffici%2Fpassword');
  });

  test('the rules, without a database', () => {
    const table: [string, string, string, string[]][] = [
      ['current-pw-1', 'abcdefghijkl', 'abcdefghijkl', []],
      ['current-pw-1', 'abcdefghijk', 'abcdefghijk', ['too-short']],
      // characters, not bytes: twelve accented letters are enough
      ['current-pw-1', 'èèèèèèèèèèèè', 'èèèèèèèèèèèè', []],
      ['current-pw-1', 'current-pw-1', 'current-pw-1', ['same-as-current']],
      ['current-pw-1', 'abcdefghijkl', 'abcdefghijkL', ['mismatch']],
      ['', 'abcdefghijkl', 'abcdefghijkl', ['current-required']],
      ['current-pw-1', '', '', ['too-short']],
    ];
    for (const [current, next, confirmation, expected] of table) {
      assert.deepEqual(passwordChangeProblems({ current, next, confirmation }).map((p) => p.problem), expected, `${current}/${next}/${confirmation}`);
    }
  });
});

describe('back office: a password someone else chose must be replaced first', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  test('a user created with a one-time password sees only the change-password page until it is changed', async () => {
    const admin = new StaffClient(testApp.app, '10.4.0.1');
    await admin.signIn(ADMIN);
    await admin.get('/uffici/catalogo/personale/nuovo');
    const created = await admin.follow(await admin.post('/uffici/catalogo/personale/nuovo', {
      name: 'Nuova Collega', email: 'nuova@provincia-fc.example', phone: '', role: 'case-officer', officeCode: 'VIAB', active: 'yes',
    }));
    const oneTime = /Password iniziale, da comunicare di persona: ([A-Z0-9-]{19})/.exec(text(created.body))?.[1];
    assert.ok(oneTime, 'the administrator is shown the one-time password');

    const newcomer = new StaffClient(testApp.app, '10.4.0.2');
    await newcomer.get('/uffici/accesso');
    const signedIn = await newcomer.post('/uffici/accesso', { email: 'nuova@provincia-fc.example', password: oneTime });
    assert.equal(signedIn.statusCode, 303);
    for (const url of ['/uffici', '/uffici/pratiche', '/uffici/catalogo', '/uffici/report']) {
      const page = await newcomer.get(url);
      assert.equal(page.statusCode, 303, url);
      assert.equal(page.headers.location, '/uffici/password', url);
    }
    const change = await newcomer.get('/uffici/password');
    assert.equal(change.statusCode, 200);
    assert.match(text(change.body), /La password attuale è stata assegnata da altri/);
    const form = await newcomer.post('/uffici/pratiche/nuova', { procedureCode: 'TE-01' });
    assert.equal(form.statusCode, 303, 'no other form is accepted either');
    assert.equal(form.headers.location, '/uffici/password');

    const changed = await newcomer.post('/uffici/password', { currentPassword: oneTime, newPassword: NEW, confirmPassword: NEW });
    assert.equal(changed.statusCode, 303);
    const home = await newcomer.get('/uffici');
    assert.equal(home.statusCode, 200, 'after the change the dashboard opens');
    assert.doesNotMatch(text((await newcomer.get('/uffici/password')).body), /assegnata da altri/);
  });

  test('signing out stays possible before the change', async () => {
    await createStaff(testApp.database.db, { email: 'firsttime@provincia-fc.example', role: 'case-officer', officeCode: 'AMB', password: OLD });
    await testApp.database.db.updateTable('staff').set({ must_change_password: true }).where('email', '=', 'firsttime@provincia-fc.example').execute();
    const client = new StaffClient(testApp.app, '10.4.0.3');
    await client.signIn({ email: 'firsttime@provincia-fc.example', password: OLD });
    await client.get('/uffici/password');
    const out = await client.post('/uffici/esci', {});
    assert.equal(out.headers.location, '/uffici/accesso');
    assert.equal((await client.get('/uffici/password')).statusCode, 303, 'the session is over');
  });
});
