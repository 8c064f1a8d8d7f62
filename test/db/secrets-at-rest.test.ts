import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Channels, OutgoingEmail, OutgoingSms } from '../../src/adapters/channels/index.ts';
import { saveStaff } from '../../src/application/backoffice/catalogue-admin.ts';
import { createApiToken } from '../../src/application/tokens.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { ADMIN, StaffClient } from '../backoffice/client.ts';
import { dispatcher, waitUntil } from '../notifications/harness.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { systemActor } from '../support/fixtures.ts';
import { Visitor, createPortalApp } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';
import { TEST_STAFF_PASSWORDS } from '../support/services.ts';

const PASSWORD_PATTERN = /(?:[2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}/g;

/**
 * After a run that issues every kind of secret (case passwords through the API with and without an
 * Idempotency-Key, a resend with a new password, staff one-time and chosen passwords, API tokens, e-mailed
 * sign-in links), no column of any table holds one of them in clear: only hashes and sealed copies.
 */
describe('no secret is stored in clear', () => {
  let testApp: PortalTestApp;
  const secrets = new Map<string, string>();
  const sent: (OutgoingEmail | OutgoingSms)[] = [];
  const keep = (what: string, secret: string) => void (secrets.has(secret) || secrets.set(secret, what));
  const issued = { plain: '', keyed: '' };

  before(async () => {
    testApp = await createPortalApp();
    const { app, database } = testApp;
    const token = await createApiToken(database.db, systemActor, 'protocollo');
    keep('API token', token.token);
    const api = { authorization: `Bearer ${token.token}` };
    const enrol = async (headers: Record<string, string>, subject: string) => {
      const response = await app.inject({
        method: 'POST', url: '/api/v1/cases', headers: { ...api, ...headers },
        payload: { procedureCode: 'TE-01', subject, applicantName: 'Rossi S.r.l.', receivedOn: '2026-11-20', mobile: '3331234567', email: 'rossi@example.org', channels: ['sms', 'email'] },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json().credentials as { code: string; password: string };
    };
    const plain = await enrol({}, 'Senza chiave');
    const keyed = await enrol({ 'idempotency-key': 'secrets-1' }, 'Con chiave');
    assert.deepEqual(await enrol({ 'idempotency-key': 'secrets-1' }, 'Con chiave'), keyed);
    Object.assign(issued, { plain: plain.password, keyed: keyed.password });
    keep('case password (API)', plain.password);
    keep('case password (API, Idempotency-Key)', keyed.password);
    for (const code of [plain.code, keyed.code]) {
      const started = await app.inject({ method: 'POST', url: `/api/v1/cases/${code}/start`, headers: api, payload: { reason: 'Avvio' } });
      assert.equal(started.statusCode, 201, started.body);
    }
    const resent = await app.inject({ method: 'POST', url: `/api/v1/cases/${plain.code}/credentials`, headers: api, payload: { newPassword: true } });
    assert.equal(resent.statusCode, 202, resent.body);

    const staff = await saveStaff({ db: database.db, staffPasswords: TEST_STAFF_PASSWORDS }, systemActor, { id: 'test', role: 'admin', officeId: null }, {
      name: 'Nuova Incaricata', email: 'nuova@provincia-fc.example', role: 'case-officer', officeCode: 'VIAB',
    });
    keep('staff one-time password', staff.password!);
    const officer = new StaffClient(app, '10.9.0.1');
    await officer.signIn({ email: 'nuova@provincia-fc.example', password: staff.password! });
    await officer.get('/uffici/password');
    const chosen = 'una-password-scelta-da-lei-42';
    const changed = await officer.post('/uffici/password', { currentPassword: staff.password!, newPassword: chosen, confirmPassword: chosen });
    assert.ok(changed.statusCode < 400, String(changed.statusCode));
    keep('staff chosen password', chosen);
    await new StaffClient(app, '10.9.0.2').signIn(ADMIN);

    // the messages go out through channels that only remember them
    const remember = async (message: OutgoingEmail | OutgoingSms) => {
      sent.push(message);
      return { provider: 'test', providerId: message.id, delivered: true };
    };
    const channels: Channels = { email: { provider: 'test', send: remember, close: async () => {} }, sms: { provider: 'test', send: remember, close: async () => {} } };
    const worker = dispatcher(database, channels, { sessionSecret: TEST_SESSION_SECRET, publicBaseUrl: 'http://localhost:3000' });
    worker.start();
    try {
      await waitUntil(
        () => database.db.selectFrom('notifications').select('id').where('status', 'in', ['created', 'sending', 'temporary-failure']).execute(),
        (waiting) => waiting.length === 0,
      );
    } finally {
      await worker.stop();
    }
    for (const message of sent) {
      for (const password of message.text.match(PASSWORD_PATTERN) ?? []) if (password !== DEMO_LOGINS.casePassword) keep('case password (in a message)', password);
      const link = /\/pratica\/link\/([^\s"<]+)/.exec(message.text)?.[1];
      if (link) keep('sign-in link', link);
    }
    const visitor = new Visitor(testApp, '198.51.100.40');
    const signedIn = await visitor.signIn(keyed.code, keyed.password);
    assert.equal(signedIn.statusCode, 303, 'the password the API returned works');
    const link = [...secrets].find(([, what]) => what === 'sign-in link')![0];
    assert.ok((await new Visitor(testApp, '198.51.100.41').get(`/pratica/link/${link}`)).statusCode < 400);
  });
  after(() => testApp.close());

  test('the run issued every kind of secret, and the messages carried the passwords', () => {
    const kinds = new Set(secrets.values());
    for (const kind of ['API token', 'case password (API)', 'case password (API, Idempotency-Key)', 'case password (in a message)', 'staff one-time password', 'staff chosen password', 'sign-in link']) {
      assert.ok(kinds.has(kind), kind);
    }
    const inMessages = new Set(sent.flatMap((m) => m.text.match(PASSWORD_PATTERN) ?? []));
    assert.ok(inMessages.has(issued.keyed), 'the messages carry the password the API returned');
    assert.ok(!inMessages.has(issued.plain), 'the resend with a new password replaced the first one');
    assert.ok([...inMessages].some((p) => p !== issued.keyed && p !== DEMO_LOGINS.casePassword), 'and carried the new one');
  });

  test('no text, json or bytea column of any table holds one of them, as issued or normalised', async () => {
    const db = testApp.database.db;
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY')
      ORDER BY 1, 2`.execute(db);
    assert.ok(columns.rows.length > 50);
    const needles = [...secrets].flatMap(([secret, what]) => [secret, secret.replace(/-/g, ''), Buffer.from(secret).toString('hex')].map((needle) => ({ needle, what })));
    const found: string[] = [];
    for (const { table_name: table, column_name: column, data_type: type } of columns.rows) {
      const value = type === 'bytea' ? sql`encode(${sql.ref(column)}, 'escape')` : sql`${sql.ref(column)}::text`;
      const rows = await sql<{ v: string }>`SELECT ${value} AS v FROM ${sql.table(table)} WHERE ${sql.ref(column)} IS NOT NULL`.execute(db);
      for (const { v } of rows.rows) {
        for (const { needle, what } of needles) if (v.includes(needle)) found.push(`${table}.${column}: ${what}`);
      }
    }
    assert.deepEqual([...new Set(found)], []);
  });
});
