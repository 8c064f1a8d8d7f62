import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { outboxEmailChannel, outboxSmsChannel } from '../../src/adapters/channels/outbox.ts';
import { smtpChannel } from '../../src/adapters/channels/smtp.ts';
import type { Channels } from '../../src/adapters/channels/types.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { verifyPassword } from '../../src/application/credentials.ts';
import { optOut, resendCredentials } from '../../src/application/notifications.ts';
import { readSignInToken } from '../../src/application/portal/sign-in-link.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/notification/index.ts';
import { claimDue } from '../../src/worker/queue.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { startSmtpServer } from '../support/smtp.ts';
import type { TestSmtpServer } from '../support/smtp.ts';
import { BASE_URL, SECRET, clock, deps, dispatcher, enrol, movableClock, notificationDatabase, notificationsOf, runClockUntil, statuses, waitUntil } from './harness.ts';
import { TEST_CREDENTIALS_KEYS } from '../support/services.ts';

describe('e-mail notifications through a real SMTP server', () => {
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  let channels: Channels;

  before(async () => {
    database = await notificationDatabase();
    smtp = await startSmtpServer();
    channels = { email: smtpChannel({ url: smtp.url, from: 'Provincia di Forlì-Cesena <praticaonline@provincia.example>', connectionTimeoutMs: 2_000 }), sms: outboxSmsChannel(database.db) };
  });
  after(async () => {
    await channels.email.close();
    await smtp.stop();
    await database.close();
  });

  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  it('an event and its messages commit together, or not at all', async () => {
    const citizen = await enrol(database.db, { channels: ['email', 'sms'] });
    await assert.rejects(
      recordEvent(deps(database.db), systemActor, citizen.code, { type: 'resume', effectiveOn: TODAY }),
      (e: unknown) => e instanceof DomainError && e.code === 'illegal-transition',
    );
    assert.deepEqual(await notificationsOf(database.db, citizen.caseId), []);
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    assert.deepEqual(statuses(await notificationsOf(database.db, citizen.caseId)).sort(), ['email:created', 'sms:created']);
  });

  it('the start e-mail carries every element of art. 8 c.2, an HTML part, and a password that signs in', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    const worker = dispatcher(database, channels);
    worker.start();
    try {
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY, reason: 'Domanda completa', notes: 'Nessun documento mancante' });
      const [row] = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      const mails = mailsTo(citizen.email);
      assert.equal(mails.length, 1);
      const mail = mails[0]!;
      assert.equal(mail.secure, true, 'STARTTLS was used');
      assert.equal(mail.user, 'pratica', 'the server required and got authentication');
      assert.equal(mail.parsed.subject, `Pratica ${citizen.code}: avvio del procedimento`);
      assert.equal(mail.messageId, `<${row!.id}@provincia.example>`, 'the notification id is the stable Message-ID');
      const text = mail.parsed.text ?? '';
      for (const element of [
        'Provincia di Forlì-Cesena', // a) the administration
        'Autorizzazione al transito di trasporti eccezionali', // b) the procedure
        'Trasporto eccezionale n.', // b) the subject
        'Servizio Viabilità', 'viabilita@cert.provincia-fc.example', 'Ing. Paolo Garavini', // c) office, PEC, responsible
        'entro il 05/12/2026', 'Segretario generale della Provincia', 'segreteria.generale@cert.provincia-fc.example', // c-bis)
        'Domanda ricevuta il 20/11/2026', // c-ter)
        `${BASE_URL}/pratica`, // d) online
        'Piazza Morgagni 9, 47121 Forlì', // d-bis) where to see the documents
        'Motivo: Domanda completa', 'Note: Nessun documento mancante',
        'Per non ricevere più messaggi',
      ]) {
        assert.ok(text.includes(element), `the e-mail should contain "${element}"`);
      }
      const html = String(mail.parsed.html);
      assert.match(html, /<h2[^>]*>Entro quando<\/h2>/);
      assert.match(html, /<li>Codice pratica: FC-/);

      const password = /Password: (\S+)/.exec(text)?.[1];
      assert.equal(password, citizen.password, 'the password given at enrolment');
      const { password_hash } = await database.db.selectFrom('cases').select('password_hash').where('id', '=', citizen.caseId).executeTakeFirstOrThrow();
      assert.ok(await verifyPassword(password_hash, password!, TEST_CREDENTIALS_KEYS), 'the password in the message signs in');

      const link = new RegExp(`${BASE_URL}/pratica/link/([A-Za-z0-9_-]+)`).exec(text)?.[1];
      const check = readSignInToken(SECRET, link!, new Date());
      assert.ok(check.valid && check.caseId === citizen.caseId, 'the one-click link opens this case');

      const stored = (await notificationsOf(database.db, citizen.caseId))[0]!;
      assert.ok(!stored.body!.includes(password!), 'the stored copy does not keep the password');
      assert.ok(stored.body!.includes('••••-••••-••••-••••'));
    } finally {
      await worker.stop();
    }
  });

  it('a case\'s messages arrive in event order', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    const d = deps(database.db);
    await recordEvent(d, systemActor, citizen.code, { type: 'start', effectiveOn: '2026-11-21' });
    await recordEvent(d, systemActor, citizen.code, { type: 'suspend', effectiveOn: '2026-11-23', kind: 'art2c7', reason: 'Manca il nulla osta dell\'ANAS' });
    await recordEvent(d, systemActor, citizen.code, { type: 'resume', effectiveOn: '2026-11-25', reason: 'Nulla osta ricevuto' });
    await recordEvent(d, systemActor, citizen.code, { type: 'close', effectiveOn: TODAY, outcome: 'accepted', reason: 'Autorizzazione rilasciata' });
    const worker = dispatcher(database, channels, { concurrency: 8 });
    worker.start();
    try {
      await waitUntil(async () => mailsTo(citizen.email).length, (n) => n === 4);
      assert.deepEqual(mailsTo(citizen.email).map((m) => m.parsed.subject), [
        `Pratica ${citizen.code}: avvio del procedimento`,
        `Pratica ${citizen.code}: procedimento sospeso`,
        `Pratica ${citizen.code}: il procedimento riprende`,
        `Pratica ${citizen.code}: procedimento concluso`,
      ]);
      const suspended = mailsTo(citizen.email)[1]!.parsed.text!;
      assert.match(suspended, /Motivo: Manca il nulla osta dell'ANAS/);
      assert.match(suspended, /La scadenza del procedimento/);
      const resumed = mailsTo(citizen.email)[2]!.parsed.text!;
      assert.match(resumed, /La scadenza del procedimento passa dal .* al \d\d\/\d\d\/2026\./, 'the new deadline when it moved');
      assert.match(mailsTo(citizen.email)[3]!.parsed.text!, /Esito: accolta/);
    } finally {
      await worker.stop();
    }
  });

  it('SMTP server down: the message waits, is retried, and arrives once when the server is back', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    await smtp.stop();
    const worker = dispatcher(database, channels, { retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20, maxDelayMs: 60 } });
    worker.start();
    try {
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const [waiting] = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows[0]?.status === 'temporary-failure' && rows[0].attempts >= 2);
      assert.match(waiting!.last_error!, /SMTP/);
      await smtp.start();
      await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      assert.equal(mailsTo(citizen.email).length, 1);
    } finally {
      await worker.stop();
    }
  });

  it('a server that keeps answering "try later" is retried until the maximum age, then the failure is technical and final', async () => {
    const citizen = await enrol(database.db, { channels: ['email'], mobile: null });
    smtp.temporaryFailure = true;
    // the test moves the clock to each retry: how long an attempt takes on a busy machine does not matter
    const testClock = movableClock(new Date());
    const worker = dispatcher(database, channels, { clock: testClock, retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20, maxDelayMs: 40, maxAgeMs: 400 } });
    worker.start();
    try {
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const [failed] = await runClockUntil(database.db, worker, testClock, [citizen.caseId], Infinity);
      assert.equal(failed!.status, 'technical-failure');
      assert.ok(failed!.attempts >= 3, 'retried until the maximum age');
      assert.ok(failed!.failed_at!.getTime() - failed!.created_at.getTime() >= 400, 'not given up before the maximum age');
      assert.match(failed!.last_error!, /451/);
      assert.equal((await notificationsOf(database.db, citizen.caseId)).length, 1, 'no fallback without a mobile number');
    } finally {
      smtp.temporaryFailure = false;
      await worker.stop();
    }
  });

  it('a refused address fails at once and an SMS tells the citizen where to read the message, recorded as its fallback', async () => {
    const citizen = await enrol(database.db, { channels: ['email'], email: 'non-esiste@example.org' });
    smtp.rejectRecipients = /^non-esiste@/;
    const worker = dispatcher(database, channels);
    worker.start();
    try {
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const rows = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r.length === 2 && r[1]!.status === 'delivered');
      assert.equal(rows[0]!.channel, 'email');
      assert.equal(rows[0]!.status, 'permanent-failure');
      assert.equal(rows[0]!.attempts, 1, 'a 550 is not retried');
      assert.match(rows[0]!.last_error!, /550/);
      assert.equal(rows[1]!.channel, 'sms');
      assert.equal(rows[1]!.fallback_of, rows[0]!.id);
      assert.equal(rows[1]!.kind, 'delivery-failed');
      const sms = await database.db.selectFrom('outbox_messages').selectAll().where('id', '=', rows[1]!.id).executeTakeFirstOrThrow();
      assert.equal(sms.recipient, citizen.mobile);
      assert.match(sms.text, new RegExp(`Pratica ${citizen.code}: e-mail non consegnata, la legga su https://`));
    } finally {
      smtp.rejectRecipients = undefined;
      await worker.stop();
    }
  });

  it('after opt-out nothing more is sent, and the queued messages are cancelled', async () => {
    const citizen = await enrol(database.db, { channels: ['email', 'sms'] });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const result = await optOut(deps(database.db), systemActor, citizen.code);
    assert.equal(result.cancelled, 2);
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'suspend', effectiveOn: TODAY, kind: 'art2c7', reason: 'Manca un documento' });
    await assert.rejects(resendCredentials(deps(database.db), systemActor, citizen.code), /lasciato il servizio/);
    const worker = dispatcher(database, channels);
    worker.start();
    await worker.stop();
    assert.deepEqual(statuses(await notificationsOf(database.db, citizen.caseId)).sort(), ['email:cancelled', 'sms:cancelled']);
    assert.equal(mailsTo(citizen.email).length, 0);
  });

  it('"Invio EMAIL/SMS" with a new password: the new one signs in, the old one no longer does', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    const worker = dispatcher(database, channels);
    worker.start();
    try {
      await resendCredentials(deps(database.db), systemActor, citizen.code);
      await waitUntil(async () => mailsTo(citizen.email).length, (n) => n === 1);
      assert.match(mailsTo(citizen.email)[0]!.parsed.text!, new RegExp(`Password: ${citizen.password}`), 'a plain resend keeps the password');
      await resendCredentials(deps(database.db), systemActor, citizen.code, { newPassword: true });
      await waitUntil(async () => mailsTo(citizen.email).length, (n) => n === 2);
      const fresh = /Password: (\S+)/.exec(mailsTo(citizen.email)[1]!.parsed.text!)![1]!;
      assert.notEqual(fresh, citizen.password);
      const { password_hash } = await database.db.selectFrom('cases').select('password_hash').where('id', '=', citizen.caseId).executeTakeFirstOrThrow();
      assert.ok(await verifyPassword(password_hash, fresh, TEST_CREDENTIALS_KEYS));
      assert.ok(!(await verifyPassword(password_hash, citizen.password, TEST_CREDENTIALS_KEYS)));
    } finally {
      await worker.stop();
    }
  });

  it('a dispatcher that dies holding messages loses none: the sweeper puts them back when the lease expires', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const held = await claimDue(database.db, 'dead-worker', 100, 100, new Date());
    assert.ok(held.some((r) => r.case_id === citizen.caseId));
    const worker = dispatcher(database, channels, { sweepEveryMs: 20 });
    worker.start();
    try {
      const [row] = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      assert.equal(row!.attempts, 2);
      assert.equal(mailsTo(citizen.email).length, 1);
    } finally {
      await worker.stop();
    }
  });

  it('with the SMTP server down, a later event\'s SMS goes out while the earlier e-mail waits; each channel keeps its order', async () => {
    const citizen = await enrol(database.db, { channels: ['email', 'sms'] });
    await smtp.stop();
    const worker = dispatcher(database, channels, { retry: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20, maxDelayMs: 60 } });
    worker.start();
    try {
      const d = deps(database.db);
      await recordEvent(d, systemActor, citizen.code, { type: 'start', effectiveOn: '2026-11-21' });
      await recordEvent(d, systemActor, citizen.code, { type: 'suspend', effectiveOn: '2026-11-23', kind: 'art2c7', reason: 'Manca il nulla osta dell\'ANAS' });
      const rows = await waitUntil(
        () => notificationsOf(database.db, citizen.caseId),
        (r) => r.filter((m) => m.channel === 'sms').every((m) => m.status === 'delivered') && r.some((m) => m.kind === 'start' && m.channel === 'email' && m.status === 'temporary-failure' && m.attempts >= 2),
      );
      assert.deepEqual(rows.map((m) => `${m.kind} ${m.channel}:${m.status}`).sort(), [
        'start email:temporary-failure', 'start sms:delivered', 'suspend email:created', 'suspend sms:delivered',
      ], 'the suspension\'s SMS did not wait for the start e-mail, its e-mail does');
      const texts = await database.db.selectFrom('outbox_messages').select('text').where('recipient', '=', citizen.mobile).orderBy('created_at').execute();
      assert.deepEqual(texts.map((t) => /avviata|sospesa/.exec(t.text)?.[0]), ['avviata', 'sospesa']);
      await smtp.start();
      await waitUntil(async () => mailsTo(citizen.email).length, (n) => n === 2);
      assert.deepEqual(mailsTo(citizen.email).map((m) => m.parsed.subject), [
        `Pratica ${citizen.code}: avvio del procedimento`,
        `Pratica ${citizen.code}: procedimento sospeso`,
      ], 'the e-mails keep the event order');
    } finally {
      await worker.stop();
    }
  });

  it('the outbox channel stores what would be sent, once per message', async () => {
    const outbox = outboxEmailChannel(database.db);
    const message = { id: '00000000-0000-4000-8000-000000000001', to: 'x@example.org', subject: 'Prova', text: 'Testo', html: '<p>Testo</p>' };
    await outbox.send(message);
    await outbox.send(message);
    const rows = await database.db.selectFrom('outbox_messages').selectAll().where('id', '=', message.id).execute();
    assert.equal(rows.length, 1);
    void clock;
  });
});
