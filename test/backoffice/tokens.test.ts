import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, VIAB_MANAGER, StaffClient, text } from './client.ts';

describe('back office: the administrators\' page of API keys', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  const api = (token: string) => testApp.app.inject({ url: '/api/v1/offices', headers: { authorization: `Bearer ${token}` } });

  test('an administrator creates a key (shown once), sees its last use, revokes it, and it gets 401 at once', async () => {
    const admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    assert.match((await admin.get('/uffici/amministrazione')).body, /href="\/uffici\/amministrazione\/chiavi-api"/);
    const page = await admin.get('/uffici/amministrazione/chiavi-api');
    assert.equal(page.statusCode, 200);
    const created = await admin.post('/uffici/amministrazione/chiavi-api', { name: 'protocollo-viabilita', office: 'VIAB' });
    assert.equal(created.statusCode, 201);
    const token = /po_[A-Za-z0-9_-]{43}/.exec(created.body)?.[0];
    assert.ok(token, 'the token is on the page once');
    assert.equal((await admin.get('/uffici/amministrazione/chiavi-api')).body.includes(token), false, 'and never again');

    assert.equal((await api(token)).statusCode, 200);
    const row = await testApp.database.db.selectFrom('api_tokens').select(['id', 'last_used_at']).where('name', '=', 'protocollo-viabilita').executeTakeFirstOrThrow();
    assert.ok(row.last_used_at, 'the use is recorded');
    const listed = text((await admin.get('/uffici/amministrazione/chiavi-api')).body);
    assert.match(listed, /protocollo-viabilita VIAB \d\d\/\d\d\/\d{4} \d\d:\d\d \d\d\/\d\d\/\d{4} \d\d:\d\d no Revoca/);

    const forged = await admin.post(`/uffici/amministrazione/chiavi-api/${row.id}/revoca`, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal((await api(token)).statusCode, 200, 'a form without CSRF revokes nothing');

    const revoked = await admin.follow(await admin.post(`/uffici/amministrazione/chiavi-api/${row.id}/revoca`, {}));
    assert.match(text(revoked.body), /Chiave "protocollo-viabilita" revocata/);
    assert.equal((await api(token)).statusCode, 401, 'refused at once');
    const log = await testApp.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', row.id).orderBy('id').execute();
    assert.deepEqual(log.map((l) => l.action), ['token.create', 'token.revoke']);
  });

  test('an unknown id is a 404 page; an office manager may not open the page', async () => {
    const admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    await admin.get('/uffici/amministrazione/chiavi-api');
    assert.equal((await admin.post('/uffici/amministrazione/chiavi-api/nonsense/revoca', {})).statusCode, 404);
    const bad = await admin.post('/uffici/amministrazione/chiavi-api', { name: 'x', office: 'NONE' });
    assert.equal(bad.statusCode, 422);
    const manager = new StaffClient(testApp.app, '10.4.0.1');
    await manager.signIn(VIAB_MANAGER);
    assert.equal((await manager.get('/uffici/amministrazione/chiavi-api')).statusCode, 403);
  });
});
