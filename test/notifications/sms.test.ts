import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { HttpSmsChannel, parseHttpReceipt } from '../../src/adapters/channels/http-sms.ts';
import { outboxEmailChannel } from '../../src/adapters/channels/outbox.ts';
import { SmppChannel } from '../../src/adapters/channels/smpp.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { verifyPassword } from '../../src/application/credentials.ts';
import { outcomeOfReceipt, recordReceipt, storeReceipt } from '../../src/worker/queue.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { deps, dispatcher, enrol, notificationDatabase, notificationsOf, smppRig, waitUntil } from './harness.ts';
import { TEST_CREDENTIALS_KEYS } from '../support/services.ts';

describe('SMS through a real SMPP server', () => {
  const rig = smppRig(2_000);

  const smsTo = (mobile: string) => rig.smsc.messages().filter((m) => m.destination === mobile.replace('+', ''));

  it('binds as transceiver, sends the start SMS in one GSM-7 part, and records the delivery receipt', async () => {
    const citizen = await enrol(rig.database.db, { channels: ['sms'] });
    const worker = dispatcher(rig.database, rig.channels);
    worker.start();
    try {
      await recordEvent(deps(rig.database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const [row] = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (rows) => rows[0]?.status === 'delivered');
      assert.deepEqual(rig.smsc.binds, ['pratica']);
      const [sms] = smsTo(citizen.mobile);
      assert.equal(sms!.parts, 1);
      assert.equal(sms!.dataCoding, 0, 'GSM-7');
      assert.match(sms!.text, new RegExp(`^Pratica ${citizen.code} avviata il 26/11/2026, termine 05/12/2026\\. https://pratica\\.provincia\\.example/pratica password \\S+ Stop SMS: tel\\. 0543714250$`));
      assert.ok(sms!.text.length <= 160);
      const password = /password (\S+)/.exec(sms!.text)![1]!;
      const { password_hash } = await rig.database.db.selectFrom('cases').select('password_hash').where('id', '=', citizen.caseId).executeTakeFirstOrThrow();
      assert.ok(await verifyPassword(password_hash, password, TEST_CREDENTIALS_KEYS), 'the password in the SMS signs in');
      assert.equal(row!.provider, 'smpp');
      assert.equal(row!.provider_id, sms!.messageIds[0]);
      assert.ok(row!.delivered_at);
      const receipts = await rig.database.db.selectFrom('notification_receipts').selectAll().where('notification_id', '=', row!.id).execute();
      assert.equal(receipts[0]!.status, 'delivered');
    } finally {
      await worker.stop();
    }
  });

  it('keeps Italian accents and the euro sign in GSM-7, concatenating a long text into parts', async () => {
    const text = `Città di Forlì: perché la pratica è già ferma? Diritti di segreteria 16 € da versare. ${'Testo lungo. '.repeat(12)}Fine.`;
    const accepted = await rig.smpp.send({ id: 'c1', to: '+393331112222', text });
    const sms = smsTo('+393331112222').at(-1)!;
    assert.equal(sms.dataCoding, 0);
    assert.equal(sms.parts, 2);
    assert.equal(sms.text, text);
    assert.equal(accepted.providerIds!.length, 2);
  });

  it('long texts sent at the same moment each keep one concatenation reference for all their parts, so each phone joins its own', async () => {
    const long = (who: string) => `Pratica di ${who}: ${'aggiornamento importante sulla pratica. '.repeat(6)}Fine.`;
    const recipients = ['+393331114441', '+393331114442', '+393331114443'];
    await Promise.all(recipients.map((to) => rig.smpp.send({ id: `concurrent-${to}`, to, text: long(to) })));
    for (const to of recipients) {
      const received = smsTo(to);
      assert.deepEqual(received.map((sms) => ({ parts: sms.parts, text: sms.text })), [{ parts: 2, text: long(to) }], to);
    }
  });

  it('a long text carries a 16-bit concatenation reference, so two workers\' texts to one phone at the same moment are not joined', async () => {
    const to = '+393331114449';
    await rig.smpp.send({ id: 'reference-bits', to, text: `Pratica: ${'aggiornamento importante sulla pratica. '.repeat(6)}Fine.` });
    const parts = rig.smsc.parts.filter((part) => part.destination === to.replace('+', ''));
    assert.ok(parts.length >= 2);
    assert.deepEqual(parts.map((part) => part.referenceBits), parts.map(() => 16));
  });

  it('sends UCS-2 when the text needs it', async () => {
    await rig.smpp.send({ id: 'c2', to: '+393331113333', text: 'Ricevuta ✔ per Łukasz' });
    const sms = smsTo('+393331113333').at(-1)!;
    assert.equal(sms.dataCoding, 8);
    assert.equal(sms.text, 'Ricevuta ✔ per Łukasz');
  });

  it('an invalid destination is a permanent failure, and an e-mail tells the citizen where to read the message', async () => {
    const citizen = await enrol(rig.database.db, { channels: ['sms'] });
    rig.smsc.rejectWith = 0x0b; // ESME_RINVDSTADR
    const worker = dispatcher(rig.database, rig.channels);
    worker.start();
    try {
      await recordEvent(deps(rig.database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const rows = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (r) => r.length === 2 && r[1]!.status === 'delivered');
      assert.equal(rows[0]!.status, 'permanent-failure');
      assert.match(rows[0]!.last_error!, /destinazione non valido/);
      assert.equal(rows[1]!.channel, 'email');
      assert.equal(rows[1]!.fallback_of, rows[0]!.id);
      const email = await rig.database.db.selectFrom('outbox_messages').selectAll().where('id', '=', rows[1]!.id).executeTakeFirstOrThrow();
      assert.equal(email.recipient, citizen.email);
      assert.equal(rows[1]!.kind, 'delivery-failed');
      assert.equal(email.subject, `Pratica ${citizen.code}: un SMS non le è stato consegnato`);
      assert.match(email.text, /non è stato possibile consegnarle via SMS la comunicazione di avvio del procedimento/);
      assert.match(email.text, /Pagina della pratica: https:\/\//);
    } finally {
      rig.smsc.rejectWith = undefined;
      await worker.stop();
    }
  });

  it('a receipt saying "undeliverable" turns a sent SMS into a failure with fallback', async () => {
    const citizen = await enrol(rig.database.db, { channels: ['sms'] });
    rig.smsc.receipt = 'UNDELIV';
    const worker = dispatcher(rig.database, rig.channels);
    worker.start();
    try {
      await recordEvent(deps(rig.database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const rows = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (r) => r.length === 2 && r[1]!.status === 'delivered');
      assert.equal(rows[0]!.status, 'permanent-failure');
      assert.match(rows[0]!.last_error!, /UNDELIV/);
      assert.equal(rows[1]!.channel, 'email');
    } finally {
      rig.smsc.receipt = 'DELIVRD';
      await worker.stop();
    }
  });

  it('a wrong password at bind is retried, not lost', async () => {
    const wrong = new SmppChannel({ url: rig.smsc.url.replace('smppsecret', 'sbagliata'), sender: 'ProvinciaFC', connectTimeoutMs: 2_000 });
    await assert.rejects(wrong.send({ id: 'c3', to: '+393331114444', text: 'x' }), (e: Error & { permanent?: boolean }) => e.permanent === false && /bind_transceiver/.test(e.message));
    await wrong.close();
  });
});

describe('SMS through a generic HTTP provider', () => {
  let database: DatabaseHandle;
  let server: Server;
  let url: string;
  const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
  let answer: { status: number; body: string } = { status: 200, body: '{"data":{"messageId":"prov-1"}}' };

  before(async () => {
    database = await notificationDatabase();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.close();
  });

  const channelFor = () =>
    new HttpSmsChannel({
      url, sender: 'ProvinciaFC', authHeader: 'X-Api-Key: chiave-segreta', messageIdPath: 'data.messageId',
      bodyTemplate: '{"recipient":"{{to}}","sender":"{{sender}}","message":"{{text}}","ref":"{{id}}"}',
    });

  it('posts the configured body with the auth header and an idempotency key, and reads the provider id', async () => {
    const citizen = await enrol(database.db, { channels: ['sms'] });
    const worker = dispatcher(database, { email: outboxEmailChannel(database.db), sms: channelFor() });
    worker.start();
    try {
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY, reason: 'Domanda "completa"' });
      const [row] = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      const request = requests.at(-1)!;
      assert.equal(request.headers['x-api-key'], 'chiave-segreta');
      assert.equal(request.headers['idempotency-key'], row!.id);
      const body = JSON.parse(request.body) as Record<string, string>;
      assert.equal(body.recipient, citizen.mobile);
      assert.equal(body.sender, 'ProvinciaFC');
      assert.equal(body.ref, row!.id);
      assert.match(body.message!, new RegExp(`^Pratica ${citizen.code} avviata`));
      assert.equal(row!.provider_id, 'prov-1');

      const receipt = parseHttpReceipt({ id: 'prov-1', status: 'DELIVERED' }, { idPath: 'id', statusPath: 'status', delivered: ['delivered'], failed: ['failed'] });
      assert.deepEqual(await recordReceipt(database.db, receipt!, { now: new Date(), windowMs: 3_600_000 }), { matched: true });
      assert.equal((await notificationsOf(database.db, citizen.caseId))[0]!.status, 'delivered');
    } finally {
      await worker.stop();
    }
  });

  it('a receipt a dispatcher\'s sweep is applying at that moment is still reported as matched to its message', async () => {
    const citizen = await enrol(database.db, { channels: ['sms'] });
    const worker = dispatcher(database, { email: outboxEmailChannel(database.db), sms: channelFor() });
    worker.start();
    answer = { status: 200, body: '{"data":{"messageId":"prov-race"}}' };
    try {
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
    } finally {
      await worker.stop();
      answer = { status: 200, body: '{"data":{"messageId":"prov-1"}}' };
    }
    const [row] = await notificationsOf(database.db, citizen.caseId);
    const window = { now: new Date(), windowMs: 3_600_000 };
    const id = await storeReceipt(database.db, { provider: row!.provider!, providerId: 'prov-race', status: 'delivered', detail: 'DELIVERED' }, window.now);
    // the sweep holds the receipt (its FOR UPDATE) and matches it a moment later
    let held!: () => void;
    const locked = new Promise<void>((resolve) => (held = resolve));
    const sweep = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('notification_receipts').select('id').where('id', '=', id).forUpdate().execute();
      held();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await trx.updateTable('notification_receipts').set({ notification_id: row!.id }).where('id', '=', id).execute();
    });
    await locked;
    assert.deepEqual(await outcomeOfReceipt(database.db, id, window), { matched: true });
    await sweep;
  });

  it('5xx and 429 are retried; other 4xx are refusals', async () => {
    const channel = channelFor();
    for (const [status, permanent] of [[500, false], [503, false], [429, false], [400, true], [401, true]] as const) {
      answer = { status, body: '{"error":"x"}' };
      await assert.rejects(channel.send({ id: 'h1', to: '+393331115555', text: 'x' }), (e: Error & { permanent?: boolean }) => e.permanent === permanent, `status ${status}`);
    }
    answer = { status: 200, body: '{"data":{"messageId":"prov-2"}}' };
  });
});
