import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
    assert.match(visibleText(confirm.body), /non riceverai più SMS né e-mail su questa pratica/);

    const done = await visitor.submit('/pratica/recesso', '/pratica/recesso', {});
    assert.equal(done.statusCode, 303);
    const page = visibleText((await visitor.get(done.headers.location as string)).body);
    assert.match(page, /La richiesta è registrata: non riceverai più messaggi/);
    assert.match(page, /Hai chiesto di non ricevere più messaggi il 26\/11\/2026/);
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
