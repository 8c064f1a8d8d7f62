import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY } from '../support/fixtures.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { testServices } from '../support/services.ts';
import { statementCounter } from '../support/statements.ts';

// The writes' answers are built from what their transaction read and wrote, not read again after it: each
// statement is a round trip to the database, and under load these are what limits events and enrolments per second.
const statements = statementCounter();

let database: DatabaseHandle;
let app: App;
const admin = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
const enrolment = {
  procedureCode: 'TE-01', subject: 'Trasporto eccezionale', applicantName: 'Trasporti Rossi S.r.l.', receivedOn: '2026-11-20',
  email: 'ufficio@trasporti-rossi.example', mobile: '333 765 4321', channels: ['sms', 'email'],
};

before(async () => {
  database = await createTestDatabase({ seeded: true });
  app = await buildApp({
    db: database.db.withPlugin(statements.plugin), listen: database.listen, ...testServices(fixedClock(TODAY)), publicBaseUrl: 'http://localhost:3000', production: false, sessionSecret: TEST_SESSION_SECRET,
  });
  await app.ready();
  // read once and kept while the change feed is heard (the token and its last use, the calendar): not what these tests count
  await app.inject({ method: 'POST', url: '/api/v1/cases', headers: admin, payload: enrolment });
});
after(async () => {
  await app.close();
  await database.close();
});

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  statements.count = 0;
  const result = await work();
  return { result, statements: statements.count };
}

const read = async (code: string) => JSON.parse((await app.inject({ url: `/api/v1/cases/${code}`, headers: admin })).body);

describe('a write through the API answers with the case as a read then shows it', () => {
  test('an enrolment: four statements (card, case, audit, sealed password)', async () => {
    const { result: created, statements: used } = await counted(() => app.inject({ method: 'POST', url: '/api/v1/cases', headers: admin, payload: enrolment }));
    assert.equal(created.statusCode, 201, created.body);
    const body = JSON.parse(created.body);
    assert.deepEqual(body.case, await read(body.credentials.code));
    assert.equal(used, 4);
  });

  test('a start: seven statements (case, events, event, case update, audit, card, messages)', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: admin, payload: enrolment });
    const { code } = JSON.parse(created.body).credentials;
    const { result: started, statements: used } = await counted(() =>
      app.inject({ method: 'POST', url: `/api/v1/cases/${code}/start`, headers: admin, payload: { reason: 'Avvio del procedimento' } }));
    assert.equal(started.statusCode, 201, started.body);
    const answer = JSON.parse(started.body);
    assert.equal(answer.state, 'in-progress');
    assert.deepEqual(answer, await read(code));
    assert.equal(used, 7);
    const queued = await database.db.selectFrom('notifications').innerJoin('cases', 'cases.id', 'notifications.case_id')
      .select(['notifications.channel', 'notifications.position']).where('cases.code', '=', code).execute();
    assert.deepEqual(queued.map((q) => q.channel).sort(), ['email', 'sms']);
    assert.equal(new Set(queued.map((q) => String(q.position))).size, 1, 'the messages of one event share their place in the queue');
  });

  test('a suspension of a started case answers with the suspension in the deadline', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: admin, payload: enrolment });
    const { code } = JSON.parse(created.body).credentials;
    await app.inject({ method: 'POST', url: `/api/v1/cases/${code}/start`, headers: admin, payload: { reason: 'Avvio', effectiveOn: '2026-11-21' } });
    const suspended = await app.inject({
      method: 'POST', url: `/api/v1/cases/${code}/suspend`, headers: admin,
      payload: { reason: 'Richiesta integrazioni', kind: 'art2c7', effectiveOn: '2026-11-24' },
    });
    assert.equal(suspended.statusCode, 201, suspended.body);
    const answer = JSON.parse(suspended.body);
    assert.equal(answer.state, 'suspended');
    assert.deepEqual(answer, await read(code));
  });
});
