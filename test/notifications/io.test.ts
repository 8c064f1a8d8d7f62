import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { AppIoChannel, retryAfterOf } from '../../src/adapters/channels/app-io.ts';
import type { Accepted, Channels, OutgoingEmail, OutgoingSms } from '../../src/adapters/channels/types.ts';
import { enrolCase, recordEvent } from '../../src/application/cases.ts';
import { listCaseNotifications, resendCredentials } from '../../src/application/notifications.ts';
import { saveTemplate } from '../../src/application/notifications/templates.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import type { Channel } from '../../src/domain/case/contacts.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { DEFAULT_TEMPLATES, checkTemplate, ioDueDate, recipientsFor } from '../../src/domain/notification/index.ts';
import { IO_TEST_KEY, fiscalCode, startAppIo } from '../support/app-io.ts';
import type { AppIoStandIn } from '../support/app-io.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { BASE_URL, deps, dispatcher, notificationDatabase, notificationsOf, waitUntil } from './harness.ts';


/** E-mail and SMS captured in memory: which channel delivered what, in which order. */
function captureChannels(): { channels: Omit<Channels, 'io'>; sent: { channel: Channel; id: string; text: string }[] } {
  const sent: { channel: Channel; id: string; text: string }[] = [];
  const take = (channel: Channel) => async (m: OutgoingEmail | OutgoingSms): Promise<Accepted> => {
    sent.push({ channel, id: m.id, text: m.text });
    return { provider: 'stand-in', providerId: m.id, delivered: true };
  };
  return {
    sent,
    channels: { email: { provider: 'stand-in', send: take('email'), close: async () => {} }, sms: { provider: 'stand-in', send: take('sms'), close: async () => {} } },
  };
}

let counter = 0;
async function enrolIo(database: DatabaseHandle, channels: Channel[], code = fiscalCode(++counter)) {
  counter++;
  const enrolled = await enrolCase(deps(database.db), systemActor, {
    procedureCode: 'TE-01', subject: `Trasporto eccezionale n. ${counter} di una trave da 40 m`, applicantName: 'Mario Rossi',
    receivedOn: '2026-11-20', protocolNumber: `2026/${700 + counter}`, email: `io${counter}@example.org`, mobile: `+39 333 45${String(counter).padStart(5, '0')}`,
    applicantFiscalCode: code, channels,
  });
  const row = await database.db.selectFrom('cases').select(['id', 'deadline']).where('code', '=', enrolled.code).executeTakeFirstOrThrow();
  return { ...enrolled, caseId: row.id, deadline: row.deadline, fiscalCode: code };
}

describe('App IO, the third channel', () => {
  let database: DatabaseHandle;
  let io: AppIoStandIn;

  before(async () => {
    database = await notificationDatabase();
    io = await startAppIo();
  });
  after(async () => {
    await io.stop();
    await database.close();
  });

  const ioChannel = (options: { keysByOffice?: Map<string, string>; defaultKey?: string | undefined } = {}) =>
    new AppIoChannel({ url: io.url, defaultKey: 'defaultKey' in options ? options.defaultKey : IO_TEST_KEY, keysByOffice: options.keysByOffice ?? new Map() });

  it('the start message reaches the citizen in IO alone, with the art. 8 facts, the link, the due date and no password; IO\'s processed and read are shown to the staff', async () => {
    const citizen = await enrolIo(database, ['io', 'email']);
    io.profiles.set(citizen.fiscalCode, { senderAllowed: true });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const capture = captureChannels();
    const worker = dispatcher(database, { ...capture.channels, io: ioChannel() }, { sweepEveryMs: 20, ioStatusEveryMs: 10 });
    worker.start();
    try {
      const rows = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r.some((n) => n.kind === 'start' && n.status === 'delivered'));
      const start = rows.filter((r) => r.kind === 'start');
      assert.deepEqual(start.map((r) => r.channel), ['io'], 'IO alone: the e-mail is its fallback');
      assert.deepEqual(capture.sent, [], 'nothing by e-mail');
      const received = io.messages.find((m) => m.fiscalCode === citizen.fiscalCode)!;
      assert.equal(start[0]!.provider_id, received.id, 'IO\'s message id is stored');
      assert.equal(received.subject, `Pratica ${citizen.code}: avvio del procedimento`);
      for (const fact of ['Provincia di Forlì-Cesena', 'Domicilio digitale (PEC)', 'Responsabile del procedimento', 'potere sostitutivo', 'Domanda ricevuta il 20/11/2026', `(${BASE_URL}/pratica)`, 'SPID o CIE']) {
        assert.ok(received.markdown.includes(fact), `the IO message carries "${fact}"`);
      }
      assert.doesNotMatch(received.markdown, /Password|password:|\/pratica\/link\//, 'no password and no personal link');
      assert.equal(received.dueDate, `${citizen.deadline}T21:59:59.000Z`, 'due_date is the legal deadline while the term runs');
      assert.ok(received.markdown.length >= 80 && received.subject.length <= 120);

      io.markRead(received.id);
      const views = await waitUntil(() => listCaseNotifications(database.db, null, citizen.code), (v) => v.some((n) => n.readAt !== null));
      const view = views.find((v) => v.kind === 'start')!;
      assert.equal(view.channel, 'io');
      assert.equal(view.statusLabel, 'consegnato e letto');
    } finally {
      await worker.stop();
    }
  });

  it('not on IO (404) and service blocked (sender_allowed: false): the message goes whole on the citizen\'s other channel, with the reason recorded', async () => {
    const absent = await enrolIo(database, ['io', 'email']);
    const blocked = await enrolIo(database, ['io', 'sms']);
    io.profiles.set(blocked.fiscalCode, { senderAllowed: false });
    const lonely = await enrolIo(database, ['io']);
    for (const c of [absent, blocked, lonely]) await recordEvent(deps(database.db), systemActor, c.code, { type: 'start', effectiveOn: TODAY });
    const capture = captureChannels();
    const worker = dispatcher(database, { ...capture.channels, io: ioChannel() });
    worker.start();
    try {
      const settled = (rows: Awaited<ReturnType<typeof notificationsOf>>) => rows.filter((r) => r.kind === 'start').every((r) => ['delivered', 'rerouted', 'permanent-failure'].includes(r.status)) && rows.length > 0;
      const [a, b, l] = await Promise.all([absent, blocked, lonely].map((c) => waitUntil(() => notificationsOf(database.db, c.caseId), (r) => settled(r) && r.length >= (c === lonely ? 1 : 2))));
      assert.deepEqual(a!.map((r) => `${r.channel}:${r.status}`), ['io:rerouted', 'email:delivered']);
      assert.match(a![0]!.last_error!, /non è su App IO/);
      assert.equal(a![1]!.fallback_of, a![0]!.id);
      assert.equal(a![1]!.kind, 'start', 'the message itself, not a notice');
      const email = capture.sent.find((s) => s.id === a![1]!.id)!;
      assert.match(email.text, /Password: /, 'the e-mail carries the password, as e-mails do');
      assert.match(email.text, /Domicilio digitale \(PEC\)/);

      assert.deepEqual(b!.map((r) => `${r.channel}:${r.status}`), ['io:rerouted', 'sms:delivered']);
      assert.match(b![0]!.last_error!, /bloccato/);
      assert.deepEqual(l!.map((r) => `${r.channel}:${r.status}`), ['io:permanent-failure'], 'reached nowhere: a failure, on the dashboard');
      assert.match(l![0]!.last_error!, /nessun altro canale/);
      const views = await listCaseNotifications(database.db, null, absent.code);
      assert.deepEqual(views.map((v) => v.channel), ['io', 'email'], 'staff see which channel delivered it');
    } finally {
      await worker.stop();
    }
  });

  it('IO refuses a message (403): a permanent failure with IO\'s reason, and the message goes by e-mail', async () => {
    const citizen = await enrolIo(database, ['io', 'email']);
    io.profiles.set(citizen.fiscalCode, { senderAllowed: true });
    io.forbidden.add(citizen.fiscalCode);
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const capture = captureChannels();
    const worker = dispatcher(database, { ...capture.channels, io: ioChannel() });
    worker.start();
    try {
      const rows = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r.some((n) => n.channel === 'email' && n.status === 'delivered'));
      assert.deepEqual(rows.map((r) => `${r.channel}:${r.status}`), ['io:permanent-failure', 'email:delivered']);
      assert.equal(rows[0]!.attempts, 1, 'not retried');
      assert.match(rows[0]!.last_error!, /App IO risponde 403.*Recipient forbidden/);
    } finally {
      await worker.stop();
    }
  });

  it('a wrong key (401) and an office with its own key (IO_API_KEYS): each message goes with its office\'s key', async () => {
    const citizen = await enrolIo(database, ['io']);
    io.profiles.set(citizen.fiscalCode, { senderAllowed: true });
    const office = await database.db.selectFrom('cases').innerJoin('offices', 'offices.id', 'cases.office_id').select('offices.code').where('cases.id', '=', citizen.caseId).executeTakeFirstOrThrow();
    io.keys.add('office-own-key-0123456789');
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const capture = captureChannels();
    const worker = dispatcher(database, { ...capture.channels, io: ioChannel({ defaultKey: 'not-a-key-of-this-service', keysByOffice: new Map([[office.code, 'office-own-key-0123456789']]) }) });
    worker.start();
    try {
      await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r.some((n) => n.status === 'sent' || n.status === 'delivered'));
      assert.equal(io.messages.find((m) => m.fiscalCode === citizen.fiscalCode)!.key, 'office-own-key-0123456789');
    } finally {
      await worker.stop();
    }
    const other = await enrolIo(database, ['io', 'email']);
    await recordEvent(deps(database.db), systemActor, other.code, { type: 'start', effectiveOn: TODAY });
    const wrongKey = dispatcher(database, { ...capture.channels, io: ioChannel({ defaultKey: 'not-a-key-of-this-service' }) });
    wrongKey.start();
    try {
      const rows = await waitUntil(() => notificationsOf(database.db, other.caseId), (r) => r.some((n) => n.channel === 'email'));
      assert.equal(rows[0]!.status, 'permanent-failure');
      assert.match(rows[0]!.last_error!, /401/);
    } finally {
      await wrongKey.stop();
    }
  });

  it('an office that lost its key (no IO_API_KEY, another office in IO_API_KEYS): a case that chose IO before gets the message on its other channel', async () => {
    const citizen = await enrolIo(database, ['io', 'email']);
    io.profiles.set(citizen.fiscalCode, { senderAllowed: true });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const capture = captureChannels();
    const worker = dispatcher(database, { ...capture.channels, io: ioChannel({ defaultKey: undefined, keysByOffice: new Map([['ALTRO', IO_TEST_KEY]]) }) });
    worker.start();
    try {
      const rows = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r.some((n) => n.channel === 'email' && n.status === 'delivered'));
      assert.deepEqual(rows.map((r) => `${r.channel}:${r.status}`), ['io:rerouted', 'email:delivered']);
      assert.match(rows[0]!.last_error!, /App IO non è configurato per l'ufficio/);
      assert.equal(rows[1]!.fallback_of, rows[0]!.id);
      assert.ok(!io.messages.some((m) => m.fiscalCode === citizen.fiscalCode), 'nothing reached IO');
    } finally {
      await worker.stop();
    }
  });

  it('429 on a burst and a 500 now and then are retried with backoff: every message arrives once', { timeout: 60_000 }, async () => {
    const flaky = await startAppIo({ burst: 6, burstWindowMs: 300, failEvery: 7 });
    try {
      const citizens: Awaited<ReturnType<typeof enrolIo>>[] = [];
      for (let i = 0; i < 8; i++) {
        const c = await enrolIo(database, ['io']);
        flaky.profiles.set(c.fiscalCode, { senderAllowed: true });
        await recordEvent(deps(database.db), systemActor, c.code, { type: 'start', effectiveOn: TODAY });
        citizens.push(c);
      }
      const capture = captureChannels();
      const channel = new AppIoChannel({ url: flaky.url, defaultKey: IO_TEST_KEY, keysByOffice: new Map() });
      const worker = dispatcher(database, { ...capture.channels, io: channel }, { concurrency: 8 });
      worker.start();
      try {
        const rows = await waitUntil(
          () => database.db.selectFrom('notifications').selectAll().where('case_id', 'in', citizens.map((c) => c.caseId)).execute(),
          (r) => r.length === 8 && r.every((n) => n.status === 'sent' || n.status === 'delivered'), 30_000,
        );
        assert.ok(flaky.requests.some((r) => r.status === 429), 'the burst met 429');
        assert.ok(flaky.requests.some((r) => r.status === 500), 'a 500 came');
        assert.ok(rows.some((r) => r.attempts > 1), 'retried');
        assert.equal(flaky.messages.length, 8);
        assert.equal(new Set(flaky.messages.map((m) => m.fiscalCode)).size, 8, 'each once');
      } finally {
        await worker.stop();
      }
    } finally {
      await flaky.stop();
    }
  });

  it('a case\'s IO messages leave in event order, and an IO outage holds back neither the e-mails of other citizens nor later cases', { timeout: 60_000 }, async () => {
    const citizen = await enrolIo(database, ['io']);
    io.profiles.set(citizen.fiscalCode, { senderAllowed: true });
    const byEmail = await enrolIo(database, ['email']);
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    await recordEvent(deps(database.db), systemActor, byEmail.code, { type: 'start', effectiveOn: TODAY });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'suspend', effectiveOn: TODAY, kind: 'art2c7', reason: 'Manca la planimetria firmata' });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'resume', effectiveOn: TODAY });
    io.failEvery = 1; // IO down
    const capture = captureChannels();
    const worker = dispatcher(database, { ...capture.channels, io: ioChannel() });
    worker.start();
    try {
      await waitUntil(async () => capture.sent.length, (n) => n >= 1);
      const waiting = await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r[0]!.status === 'temporary-failure');
      assert.deepEqual(waiting.map((r) => r.status), ['temporary-failure', 'created', 'created'], 'the later ones wait for the first');
      io.failEvery = 0;
      await waitUntil(() => notificationsOf(database.db, citizen.caseId), (r) => r.every((n) => n.status === 'sent' || n.status === 'delivered'), 20_000);
      const subjects = io.messages.filter((m) => m.fiscalCode === citizen.fiscalCode).map((m) => m.subject);
      assert.deepEqual(subjects, [
        `Pratica ${citizen.code}: avvio del procedimento`, `Pratica ${citizen.code}: procedimento sospeso`, `Pratica ${citizen.code}: il procedimento riprende`,
      ]);
      const suspended = io.messages.find((m) => m.subject.endsWith('procedimento sospeso'))!;
      assert.equal(suspended.dueDate, undefined, 'no due date while the term is suspended');
    } finally {
      io.failEvery = 0;
      await worker.stop();
    }
  });

  it('the credentials go on the citizen\'s other channels (IO carries no password); IO alone gets the link', async () => {
    const both = await enrolIo(database, ['io', 'email']);
    const only = await enrolIo(database, ['io']);
    assert.deepEqual((await resendCredentials(deps(database.db), systemActor, both.code)).map((n) => n.channel), ['email']);
    assert.deepEqual((await resendCredentials(deps(database.db), systemActor, only.code)).map((n) => n.channel), ['io']);
  });

  it('choosing App IO needs the applicant\'s fiscal code: refused in Italian, nothing written', async () => {
    const before = await database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await assert.rejects(
      enrolCase(deps(database.db), systemActor, { procedureCode: 'TE-01', subject: 'Trasporto', applicantName: 'Rossi', receivedOn: '2026-11-20', channels: ['io'] }),
      (error: unknown) => error instanceof DomainError && /App IO.*codice fiscale/.test(error.message),
    );
    const afterCount = await database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
  });

  it('IO templates are checked on save: IO\'s subject and markdown limits, no password', async () => {
    const admin = { ...systemActor, officeId: null };
    const tooShort = { subject: 'Avvio', body: DEFAULT_TEMPLATES.start.io.body };
    await assert.rejects(saveTemplate(database.db, admin, 'start', 'io', tooShort, BASE_URL), /oggetto del messaggio App IO deve avere da 10 a 120 caratteri/);
    const longBody = `${DEFAULT_TEMPLATES.credentials.io.body}\n\n${'Testo di prova. '.repeat(700)}`;
    await assert.rejects(saveTemplate(database.db, admin, 'credentials', 'io', { subject: DEFAULT_TEMPLATES.credentials.io.subject, body: longBody }, BASE_URL), /da 80 a 10000 caratteri/);
    const withPassword = { subject: DEFAULT_TEMPLATES.credentials.io.subject, body: `${DEFAULT_TEMPLATES.credentials.io.body}\nPassword: {{password}}` };
    await assert.rejects(saveTemplate(database.db, admin, 'credentials', 'io', withPassword, BASE_URL), /\{\{password\}\} non può stare in un messaggio App IO/);
    const saved = await saveTemplate(database.db, admin, 'credentials', 'io', { subject: 'Pratica {{caseCode}}: come seguirla in App IO', body: DEFAULT_TEMPLATES.credentials.io.body }, BASE_URL);
    assert.equal(saved.custom, true);
  });
});

describe('App IO in the domain and the configuration', () => {
  it("a throttling answer's Retry-After is read as seconds or as a date, and bounded", () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    assert.deepEqual(
      [null, '', '1', ' 30 ', 'Thu, 26 Nov 2026 10:00:05 GMT', 'Thu, 26 Nov 2026 09:00:00 GMT', '999999', 'soon'].map((h) => retryAfterOf(h, now)),
      [undefined, undefined, 1_000, 30_000, 5_000, 0, 3_600_000, undefined],
    );
  });
  it('every default IO template passes its own checks', () => {
    for (const [kind, texts] of Object.entries(DEFAULT_TEMPLATES)) {
      assert.deepEqual(checkTemplate(kind as keyof typeof DEFAULT_TEMPLATES, 'io', texts.io).problems, [], kind);
    }
  });

  it('the due date: the deadline while the term runs, none when suspended, closed or past', () => {
    const cases: [Parameters<typeof ioDueDate>, string | undefined][] = [
      [['start', 'in-progress', '2026-12-20', '2026-12-01'], '2026-12-20T21:59:59.000Z'],
      [['resume', 'resumed', '2026-12-20', '2026-12-20'], '2026-12-20T21:59:59.000Z'],
      [['start', 'suspended', '2026-12-20', '2026-12-01'], undefined],
      [['suspend', 'resumed', '2026-12-20', '2026-12-01'], undefined],
      [['close', 'closed', '2026-12-20', '2026-12-01'], undefined],
      [['start', 'in-progress', '2026-11-30', '2026-12-01'], undefined],
      [['start', 'in-progress', null, '2026-12-01'], undefined],
    ];
    for (const [args, expected] of cases) assert.equal(ioDueDate(...args), expected, args.join(' '));
  });

  it('who gets a message: IO alone when chosen, its fallback the other channels; the credentials on those', () => {
    const contacts = { mobile: '+393331234567', email: 'a@example.org', fiscalCode: 'RSSMRA85T10A562S', notifySms: true, notifyEmail: true, notifyIo: true, optedOut: false };
    assert.deepEqual(recipientsFor(contacts, 'start').map((t) => t.channel), ['io']);
    assert.deepEqual(recipientsFor(contacts, 'credentials').map((t) => t.channel), ['email', 'sms']);
    assert.deepEqual(recipientsFor({ ...contacts, fiscalCode: null }, 'start').map((t) => t.channel), ['email', 'sms'], 'no fiscal code: the other channels');
  });

  it('IO_API_*: off without a key; the production host by default; bad values stop the start with the variable named', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/pratica-io-config-test' };
    assert.equal(loadConfig(base).notifications.io, undefined);
    const io = loadConfig({ ...base, IO_API_KEY: IO_TEST_KEY, IO_API_KEYS: 'VIA=office-key-0123456789abcd, AMB=another-key-0123456789' }).notifications.io!;
    assert.equal(io.url, 'https://api.io.pagopa.it/api/v1');
    assert.deepEqual([...io.keysByOffice.keys()], ['VIA', 'AMB']);
    const refused: [Record<string, string>, RegExp][] = [
      [{ IO_API_KEYS: 'VIA' }, /IO_API_KEYS deve avere la forma CODICE_UFFICIO=CHIAVE/],
      [{ IO_API_KEYS: 'VIA=short' }, /IO_API_KEYS/],
      [{ IO_API_KEYS: 'VIA=office-key-0123456789abcd,VIA=office-key-0123456789abce' }, /IO_API_KEYS indica due volte l'ufficio VIA/],
      [{ IO_API_KEY: 'with space in the key 0123' }, /IO_API_KEY deve essere la chiave/],
      [{ IO_API_URL: 'ftp://io.example' }, /IO_API_URL deve iniziare con/],
      [{ IO_API_URL: 'https://io.example/api/v1' }, /IO_API_URL è impostata senza IO_API_KEY/],
    ];
    for (const [env, message] of refused) assert.throws(() => loadConfig({ ...base, ...env }), (e: unknown) => e instanceof ConfigError && message.test(e.message), JSON.stringify(env));
    const production = {
      NODE_ENV: 'production', DATA_DIR: '/tmp/pratica-io-config-test', PUBLIC_BASE_URL: 'https://pratica.example.org', SESSION_SECRET: 'Q2x7vR9kLm3pT8wZ1nB5cF6hJ0sD4gY2', CREDENTIALS_KEY: Buffer.from('k3Jd9aLq0ZpX7vR2mT5wY8bN1cF4hG6s').toString('base64'),
      DEMO_DATA: 'false', EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://u:p@smtp.example.org', EMAIL_FROM: 'a@example.org', SMS_TRANSPORT: 'smpp', SMPP_URL: 'ssmpp://a:b@smsc.example.org:2775', SMS_SENDER: 'Prov',
    };
    assert.throws(() => loadConfig({ ...production, IO_API_KEY: IO_TEST_KEY, IO_API_URL: 'http://io.example.org/api/v1' }), /IO_API_URL deve iniziare con https:\/\//);
  });
});
