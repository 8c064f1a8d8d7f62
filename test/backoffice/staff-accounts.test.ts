import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, StaffClient, createStaff, text } from './client.ts';

const PASSWORD = 'password-di-prova-123';

describe('back office: an administrator deactivates, reactivates and resets accounts', () => {
  let testApp: TestApp;
  let n = 0;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  async function user() {
    const email = `account${++n}@provincia-fc.example`;
    await createStaff(testApp.database.db, { email, role: 'case-officer', officeCode: 'VIAB', password: PASSWORD });
    const { id } = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    return { email, id };
  }
  async function admin() {
    const client = new StaffClient(testApp.app, '10.5.0.1');
    await client.signIn(ADMIN);
    return client;
  }
  const signInStatus = async (email: string, password: string) => {
    const client = new StaffClient(testApp.app, `10.5.1.${n}`);
    await client.get('/uffici/accesso');
    return (await client.post('/uffici/accesso', { email, password })).statusCode;
  };
  const actions = async (id: string) =>
    (await testApp.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()).map((a) => a.action);

  test('deactivation ends the open sessions and refuses the sign-in; reactivation restores it', async () => {
    const { email, id } = await user();
    const owner = new StaffClient(testApp.app, '10.5.2.1');
    await owner.signIn({ email, password: PASSWORD });
    const client = await admin();
    const page = await client.get(`/uffici/catalogo/personale/${id}`);
    assert.match(page.body, new RegExp(`action="/uffici/catalogo/personale/${id}/disattiva"`));
    const off = await client.follow(await client.post(`/uffici/catalogo/personale/${id}/disattiva`, {}));
    assert.match(text(off.body), /Account disattivato/);
    assert.match(off.body, new RegExp(`action="/uffici/catalogo/personale/${id}/riattiva"`));
    assert.equal((await owner.get('/uffici')).statusCode, 303, 'the open session ended');
    assert.equal(await signInStatus(email, PASSWORD), 401);
    const on = await client.follow(await client.post(`/uffici/catalogo/personale/${id}/riattiva`, {}));
    assert.match(text(on.body), /Account riattivato/);
    assert.equal(await signInStatus(email, PASSWORD), 303);
    assert.deepEqual((await actions(id)).filter((a) => a === 'staff.deactivated' || a === 'staff.reactivated'), ['staff.deactivated', 'staff.reactivated']);
    const forged = await client.post(`/uffici/catalogo/personale/${id}/disattiva`, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
  });

  test('an administrator cannot deactivate their own account', async () => {
    const client = await admin();
    const { id } = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow();
    await client.get(`/uffici/catalogo/personale/${id}`);
    const refused = await client.post(`/uffici/catalogo/personale/${id}/disattiva`, {});
    assert.equal(refused.statusCode, 409);
    assert.match(text(refused.body), /Non è possibile disattivare il proprio account/);
  });

  test('the edit form obeys the same rules: one\'s own account stays active, the only administrator stays one', async () => {
    const client = await admin();
    const { id } = await testApp.database.db.selectFrom('staff').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow();
    await client.get(`/uffici/catalogo/personale/${id}`);
    const form = { name: 'Amministratore (demo)', email: ADMIN.email, phone: '', role: 'admin', officeCode: '' };
    const unticked = await client.post(`/uffici/catalogo/personale/${id}`, form);
    assert.equal(unticked.statusCode, 422);
    assert.match(text(unticked.body), /Non è possibile disattivare il proprio account/);
    const demoted = await client.post(`/uffici/catalogo/personale/${id}`, { ...form, role: 'office-manager', officeCode: 'VIAB', active: 'yes' });
    assert.equal(demoted.statusCode, 422);
    assert.match(text(demoted.body), /ultimo amministratore attivo/);
    const row = await testApp.database.db.selectFrom('staff').select(['active', 'role']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { active: true, role: 'admin' });
    assert.equal((await client.get('/uffici')).statusCode, 200, 'still signed in');
  });

  test('a temporary password is shown once, replaces the old one and must be changed at the first sign-in', async () => {
    const { email, id } = await user();
    const client = await admin();
    await client.get(`/uffici/catalogo/personale/${id}`);
    const issued = await client.post(`/uffici/catalogo/personale/${id}/password-temporanea`, {});
    assert.equal(issued.statusCode, 200);
    assert.equal(issued.headers['cache-control'], 'no-store');
    const temporary = /[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(text(issued.body))?.[0];
    assert.ok(temporary, text(issued.body));
    assert.equal(await signInStatus(email, PASSWORD), 401, 'the old password stops working');
    const owner = new StaffClient(testApp.app, '10.5.3.1');
    await owner.get('/uffici/accesso');
    const signedIn = await owner.post('/uffici/accesso', { email, password: temporary });
    assert.equal(signedIn.statusCode, 303);
    const home = await owner.get('/uffici');
    assert.equal(home.headers.location, '/uffici/password', 'only the change page opens');
    const log = await testApp.database.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', id).where('action', '=', 'staff.temporary-password').execute();
    assert.equal(log.length, 1);
    assert.equal(JSON.stringify(log[0]!.after).includes(temporary), false, 'no password in the audit log');
  });

  test('sending the owner a link queues the reset e-mail, audited as the administrator\'s', async () => {
    const { email, id } = await user();
    const client = await admin();
    await client.get(`/uffici/catalogo/personale/${id}`);
    const sent = await client.follow(await client.post(`/uffici/catalogo/personale/${id}/invia-link`, {}));
    assert.match(text(sent.body), new RegExp(`Collegamento inviato a ${email}`));
    const queued = await testApp.database.db.selectFrom('notifications').select(['kind', 'recipient']).where('staff_id', '=', id).execute();
    assert.deepEqual(queued, [{ kind: 'staff-reset', recipient: email }]);
    const log = await testApp.database.db.selectFrom('audit_log').select('actor').where('entity_id', '=', id).where('action', '=', 'staff.password-reset-sent').execute();
    assert.match(log[0]!.actor, /^staff:/);
  });
});
