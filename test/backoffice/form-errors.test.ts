import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { databaseFingerprint } from '../support/fingerprint.ts';
import { ADMIN, VIAB_MANAGER, StaffClient, caseOfOffice } from './client.ts';
import { errorSummary } from './form-reader.ts';

const summary = (html: string) => errorSummary(html).items;

describe('back-office forms list every wrong field at once, each tied to its field', () => {
  let testApp: TestApp;
  let viab: StaffClient;
  let admin: StaffClient;
  before(async () => {
    testApp = await createTestApp();
    viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
  });
  after(() => testApp.close());

  test('the event form: a bad date and an unknown kind together, nothing written', async () => {
    const code = await caseOfOffice(testApp.database.db, 'VIAB', 'in-progress');
    const page = await viab.get(`/uffici/pratiche/${code}`);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1];
    const before = await databaseFingerprint(testApp.database.db);
    const refused = await viab.post(`/uffici/pratiche/${code}/evento`, {
      type: 'suspend', version, action: 'save', effectiveOn: '2026-02-30', kind: 'weekend', reason: 'Manca un documento',
    });
    assert.equal(refused.statusCode, 422);
    const items = summary(refused.body);
    assert.deepEqual(items.map((i) => i.field), ['suspend-effectiveOn', 'suspend-kind']);
    for (const item of items) assert.ok(item.tied, `${item.field} is described by its message`);
    assert.deepEqual(await databaseFingerprint(testApp.database.db), before, 'nothing written');
  });

  test('the contacts form: a bad mobile and a bad e-mail together', async () => {
    const code = await caseOfOffice(testApp.database.db, 'VIAB', 'in-progress');
    const page = await viab.get(`/uffici/pratiche/${code}/recapiti`);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1];
    const refused = await viab.post(`/uffici/pratiche/${code}/recapiti`, { version, mobile: '12', email: 'mario@', channels: ['sms', 'email'] });
    assert.equal(refused.statusCode, 422);
    const items = summary(refused.body);
    assert.deepEqual(items.map((i) => i.field), ['mobile', 'email']);
    for (const item of items) assert.ok(item.tied, `${item.field} is described by its message`);
  });

  test('the catalogue: an office without name and address, with a broken e-mail and code, listed in the form\'s order', async () => {
    await admin.get('/uffici/catalogo/uffici/nuovo');
    const refused = await admin.post('/uffici/catalogo/uffici/nuovo', { code: 'x', name: '', address: '', email: 'uffici@', action: 'save' });
    assert.equal(refused.statusCode, 422);
    const items = summary(refused.body);
    assert.deepEqual(items.map((i) => i.field), ['code', 'name', 'address', 'email']);
    for (const item of items) assert.ok(item.tied, `${item.field} is described by its message`);
    await admin.get('/uffici/catalogo/procedimenti/nuovo');
    const card = await admin.post('/uffici/catalogo/procedimenti/nuovo', { code: '', name: '', termText: '', officeCode: 'VIAB', responsibleEmail: VIAB_MANAGER.email, action: 'save' });
    assert.equal(card.statusCode, 422);
    assert.deepEqual(summary(card.body).map((i) => i.field), ['code', 'name', 'termText']);
  });
});
