import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { createApiToken, revokeApiToken } from '../../src/application/tokens.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { eventually } from '../portal/support.ts';
import { testServices } from '../support/services.ts';
import { statementCounter } from '../support/statements.ts';

// Two web processes on one database, both hearing its change feed, as when the service is scaled out.
let database: DatabaseHandle;
const statements = statementCounter();
let reader: App;
let other: App;

const build = (counted: boolean) =>
  buildApp({
    db: counted ? database.db.withPlugin(statements.plugin) : database.db, listen: database.listen, ...testServices(fixedClock(TODAY)),
    publicBaseUrl: 'http://localhost:3000', production: false, sessionSecret: TEST_SESSION_SECRET,
  });

before(async () => {
  database = await createTestDatabase({ seeded: true });
  reader = await build(true);
  other = await build(false);
  await Promise.all([reader.ready(), other.ready()]);
});
after(async () => {
  await Promise.all([reader.close(), other.close()]);
  await database.close();
});

const casesWith = (app: App, token: string) => app.inject({ url: '/api/v1/cases?limit=1', headers: { authorization: `Bearer ${token}` } });

test('a case read again takes no statement, and the token\'s revocation elsewhere is refused at once', async () => {
  const { id, token } = await createApiToken(database.db, systemActor, 'protocollo informatico');
  const listed = await casesWith(reader, token);
  assert.equal(listed.statusCode, 200);
  const code = JSON.parse(listed.body).items[0].code as string;
  const readCase = () => reader.inject({ url: `/api/v1/cases/${code}`, headers: { authorization: `Bearer ${token}` } });
  assert.equal((await readCase()).statusCode, 200);
  statements.count = 0;
  const again = await readCase();
  assert.equal(again.statusCode, 200);
  assert.equal(statements.count, 0, 'the token and the case are kept in memory');

  await revokeApiToken(database.db, systemActor, id);
  const refused = await eventually(readCase, (response) => response.statusCode === 401);
  assert.equal(refused.statusCode, 401);
  assert.equal((await casesWith(other, token)).statusCode, 401);
  statements.count = 0;
  assert.equal((await readCase()).statusCode, 401);
  assert.equal(statements.count, 1, 'a refused token is read again at every request, never kept');
});

test('a token used in both processes is refused by both once revoked', async () => {
  const { id, token } = await createApiToken(database.db, systemActor, 'gestionale');
  assert.equal((await casesWith(reader, token)).statusCode, 200);
  assert.equal((await casesWith(other, token)).statusCode, 200);
  await revokeApiToken(database.db, systemActor, id);
  for (const app of [reader, other]) {
    assert.equal((await eventually(() => casesWith(app, token), (response) => response.statusCode === 401)).statusCode, 401);
  }
});

test('a local closure day added elsewhere is in the next deadlines at once', async () => {
  const { token } = await createApiToken(database.db, systemActor, 'calendario');
  const enrol = async () => {
    const response = await reader.inject({
      method: 'POST', url: '/api/v1/cases', headers: { authorization: `Bearer ${token}` },
      payload: { procedureCode: 'TE-01', subject: 'Trasporto eccezionale', applicantName: 'Rossi S.r.l.', receivedOn: '2026-11-20', email: 'ufficio@rossi.example', channels: ['email'] },
    });
    assert.equal(response.statusCode, 201, response.body);
    return JSON.parse(response.body).case.deadline as { date: string; warnings: { code: string; text: string }[] };
  };
  const before = await enrol();
  assert.equal(before.date, '2026-12-05', 'fifteen days from 20 November');
  assert.ok(!before.warnings.some((w) => w.code === 'local-closure'));
  await enrol(); // the calendar is now kept in memory
  // the patron saint's day on the deadline, added by another process (the CLI, another web process)
  await database.db.insertInto('local_days').values({ id: randomUUID(), month: 12, day: 5, name: 'Santo patrono' }).execute();
  const after = await eventually(enrol, (deadline) => deadline.warnings.some((w) => w.code === 'local-closure'));
  const closure = after.warnings.find((w) => w.code === 'local-closure');
  assert.match(closure?.text ?? '', /Santo patrono/, 'the staff are warned that the office is closed on the deadline');
  assert.equal(after.date, '2026-12-05', 'a local closure does not move the deadline');
});
