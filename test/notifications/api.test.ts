import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { outboxEmailChannel, outboxSmsChannel } from '../../src/adapters/channels/outbox.ts';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import { createApiToken } from '../../src/application/tokens.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { verifyPassword } from '../../src/application/credentials.ts';
import { DEFAULT_TEMPLATES } from '../../src/domain/notification/index.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY, seedCatalogue, systemActor } from '../support/fixtures.ts';
import { BASE_URL, SECRET, clock, dispatcher, enrol, waitUntil } from './harness.ts';
import { testServices } from '../support/services.ts';
import { TEST_CREDENTIALS_KEYS } from '../support/services.ts';

const RECEIPT_TOKEN = 'receipt-token-0123456789abcdef';

describe('notifications over the API, the texts, and /dev/outbox', () => {
  let database: DatabaseHandle;
  let app: App;
  let officeToken: string;
  const admin = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };

  before(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db, clock);
    app = await buildApp({
      db: database.db, ...testServices(clock), publicBaseUrl: BASE_URL, production: false, sessionSecret: SECRET,
      httpReceipts: { token: RECEIPT_TOKEN, mapping: { idPath: 'id', statusPath: 'status', delivered: ['delivered'], failed: ['failed'] }, windowMs: 48 * 3_600_000 },
    });
    await app.ready();
    officeToken = (await createApiToken(database.db, systemActor, 'protocollo-viabilita', 'VIAB')).token;
  });
  after(async () => {
    await app.close();
    await database.close();
  });

  it('the demo\'s events produce messages, shown at /dev/outbox with the published demo password', async () => {
    const worker = dispatcher(database, { email: outboxEmailChannel(database.db), sms: outboxSmsChannel(database.db) }, { concurrency: 8 });
    worker.start();
    try {
      const queued = await database.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.ok(Number(queued.n) >= 30, `the demo events queue their messages (${queued.n})`);
      await waitUntil(
        () => database.db.selectFrom('notifications').select('status').where('status', '!=', 'delivered').execute(),
        (rows) => rows.length === 0,
        20_000,
      );
    } finally {
      await worker.stop();
    }
    const page = await app.inject({ method: 'GET', url: '/dev/outbox' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /Messaggi in uscita/);
    assert.match(page.body, /avvio del procedimento/i);
    assert.ok(page.body.includes(DEMO_LOGINS.casePassword), 'demo messages carry the printed demo password');
    const json = (await app.inject({ method: 'GET', url: '/dev/outbox.json' })).json() as { items: { channel: string; text: string; html: string | null; segments: number | null }[] };
    assert.ok(json.items.some((i) => i.channel === 'sms' && i.segments === 1));
    assert.ok(json.items.some((i) => i.channel === 'email' && i.html?.includes('<!doctype html>')));
  });

  it('/dev/outbox does not exist in production', async () => {
    const production = await buildApp({ db: database.db, ...testServices(clock), publicBaseUrl: BASE_URL, production: true, sessionSecret: SECRET });
    try {
      assert.equal((await production.inject({ method: 'GET', url: '/dev/outbox' })).statusCode, 404);
    } finally {
      await production.close();
    }
  });

  it('"Invio EMAIL/SMS" queues the credentials to the chosen channels, and the list shows the messages', async () => {
    const citizen = await enrol(database.db, { channels: ['email', 'sms'] });
    const sent = await app.inject({ method: 'POST', url: `/api/v1/cases/${citizen.code}/credentials`, headers: { authorization: `Bearer ${officeToken}` } });
    assert.equal(sent.statusCode, 202, sent.body);
    assert.deepEqual((sent.json() as { items: { channel: string }[] }).items.map((i) => i.channel).sort(), ['email', 'sms']);
    const list = await app.inject({ method: 'GET', url: `/api/v1/cases/${citizen.code}/notifications`, headers: { authorization: `Bearer ${officeToken}` } });
    assert.equal(list.statusCode, 200);
    const items = (list.json() as { items: { kind: string; status: string; statusLabel: string }[] }).items;
    assert.deepEqual(items.map((i) => [i.kind, i.status]), [['credentials', 'created'], ['credentials', 'created']]);
    assert.equal(items[0]!.statusLabel, 'in coda');
  });

  it('opt-out over the API cancels the queue and later resends are refused with a clear problem', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    await app.inject({ method: 'POST', url: `/api/v1/cases/${citizen.code}/credentials`, headers: admin });
    const out = await app.inject({ method: 'POST', url: `/api/v1/cases/${citizen.code}/opt-out`, headers: admin });
    assert.equal(out.statusCode, 200);
    assert.equal((out.json() as { cancelled: number }).cancelled, 1);
    const refused = await app.inject({ method: 'POST', url: `/api/v1/cases/${citizen.code}/credentials`, headers: admin });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.headers['content-type'] as string, /application\/problem\+json/);
    assert.match((refused.json() as { detail: string }).detail, /lasciato il servizio/);
  });

  it('an office token cannot see another office\'s cases or change the texts', async () => {
    const other = await enrol(database.db, { channels: ['email'] }, 'AS-01'); // Servizio Ambiente
    const headers = { authorization: `Bearer ${officeToken}` };
    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/cases/${other.code}/notifications`, headers })).statusCode, 404);
    const put = await app.inject({ method: 'PUT', url: '/api/v1/notification-templates/start/sms', headers, payload: { body: DEFAULT_TEMPLATES.start.sms.body } });
    assert.equal(put.statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/notification-templates' })).statusCode, 401);
  });

  it('a template that leaves out art. 8 elements, or does not render, is refused when saved', async () => {
    const broken = await app.inject({ method: 'PUT', url: '/api/v1/notification-templates/start/email', headers: admin, payload: { subject: 'Avvio', body: 'Pratica {{caseCode}} avviata. {{#motivo}}' } });
    assert.equal(broken.statusCode, 422);
    assert.match((broken.json() as { detail: string }).detail, /non è chiuso/);
    const incomplete = await app.inject({ method: 'PUT', url: '/api/v1/notification-templates/start/email', headers: admin, payload: { subject: 'Avvio', body: 'Pratica {{caseCode}} avviata il {{eventDate}} {{reason}} {{notes}}. {{caseLink}} {{password}} {{stop}}' } });
    assert.equal(incomplete.statusCode, 422);
    const problems = (incomplete.json() as { details: { problems: string[] } }).details.problems;
    assert.match(problems.join(' '), /art\. 8 c\.2 L\. 241\/1990; mancano: \{\{administration\}\}/);
    const current = await app.inject({ method: 'GET', url: '/api/v1/notification-templates/start/email', headers: admin });
    assert.equal((current.json() as { custom: boolean }).custom, false, 'nothing was saved');
  });

  it('an administrator changes a text with a preview, and the next message uses it; reset restores the default', async () => {
    const body = 'Gentile cittadino, la pratica {{caseCode}} è stata sospesa il {{eventDate}}: {{shortReason}}. Accesso: {{caseLink}} password {{password}} {{stop}}';
    const preview = await app.inject({ method: 'POST', url: '/api/v1/notification-templates/suspend/sms/preview', headers: admin, payload: { body } });
    const current = await app.inject({ method: 'POST', url: '/api/v1/notification-templates/start/email/preview', headers: admin, payload: {} });
    assert.match((current.json() as { email: { html: string } }).email.html, /Segretario generale/, 'the preview of the text in use');
    assert.equal(preview.statusCode, 200);
    const shown = preview.json() as { problems: string[]; sms: { text: string; encoding: string; segments: number } };
    assert.deepEqual(shown.problems, []);
    assert.match(shown.sms.text, /^Gentile cittadino, la pratica FC-7KM3-9QX2 è stata sospesa il 26\/11\/2026: Manca la planimetria della rete di raccolta delle acque, firmata da tecnico abilitato\. Accesso: https:\/\/pratica\.provincia\.example\/pratica password K7M3-9QX2-ABCD-EFGH Stop SMS: tel\. 0543714250$/);
    assert.equal(shown.sms.encoding, 'GSM-7');

    const saved = await app.inject({ method: 'PUT', url: '/api/v1/notification-templates/suspend/sms', headers: admin, payload: { body } });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal((saved.json() as { custom: boolean }).custom, true);

    const citizen = await enrol(database.db, { channels: ['sms'] });
    const headers = { ...admin, 'content-type': 'application/json' };
    assert.equal((await app.inject({ method: 'POST', url: `/api/v1/cases/${citizen.code}/start`, headers, payload: { effectiveOn: TODAY } })).statusCode, 201);
    assert.equal((await app.inject({ method: 'POST', url: `/api/v1/cases/${citizen.code}/suspend`, headers, payload: { effectiveOn: TODAY, kind: 'art2c7', reason: 'Manca la marca da bollo' } })).statusCode, 201);
    const worker = dispatcher(database, { email: outboxEmailChannel(database.db), sms: outboxSmsChannel(database.db) });
    worker.start();
    try {
      const rows = await waitUntil(
        () => database.db.selectFrom('notifications').innerJoin('outbox_messages', 'outbox_messages.id', 'notifications.id').select(['notifications.kind', 'outbox_messages.text']).where('case_id', '=', citizen.caseId).orderBy('position').execute(),
        (r) => r.length === 2,
      );
      assert.match(rows[1]!.text, new RegExp(`^Gentile cittadino, la pratica ${citizen.code} è stata sospesa`));
      assert.match(rows[1]!.text, /sospesa il \d\d\/\d\d\/\d{4}: Manca la marca da bollo\. Accesso:/, 'an SMS-only citizen learns why the case stopped');
      const password = /password (\S+)/.exec(rows[1]!.text)![1]!;
      const { password_hash } = await database.db.selectFrom('cases').select('password_hash').where('id', '=', citizen.caseId).executeTakeFirstOrThrow();
      assert.ok(await verifyPassword(password_hash, password, TEST_CREDENTIALS_KEYS));
    } finally {
      await worker.stop();
    }
    const reset = await app.inject({ method: 'DELETE', url: '/api/v1/notification-templates/suspend/sms', headers: admin });
    assert.equal((reset.json() as { body: string; custom: boolean }).custom, false);
    assert.equal((reset.json() as { body: string }).body, DEFAULT_TEMPLATES.suspend.sms.body);
  });

  it('the HTTP provider\'s receipt callback needs its secret address', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/notification-receipts/wrong-token-0123456789abcdef', payload: { id: 'x', status: 'delivered' } })).statusCode, 404);
    const ok = await app.inject({ method: 'POST', url: `/api/v1/notification-receipts/${RECEIPT_TOKEN}`, payload: { id: 'unknown', status: 'delivered' } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { received: 1, matched: 0 });
  });
});
