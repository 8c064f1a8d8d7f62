import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { resendCredentials } from '../../src/application/notifications.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/notification/index.ts';
import { claimDue, reclaimAbandoned } from '../../src/worker/queue.ts';
import { ADMIN, StaffClient, text } from '../backoffice/client.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { startSmtpServer } from '../support/smtp.ts';
import type { TestSmtpServer } from '../support/smtp.ts';
import { deps, dispatcher, enrol, listenUrlOf, movableClock, notificationDatabase, rowsOf, runClockUntil, standInProvider, waitUntil } from './harness.ts';
import { TEST_CREDENTIALS_KEY } from '../support/services.ts';

const CASES = 100;
const PER_CASE = 20; // 2,000 messages

describe('two `pratica worker` processes on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'needs PostgreSQL (TEST_DATABASE_URL): PGlite admits one process' }, () => {
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  const workers: ChildProcess[] = [];
  // the workers open what the test's enrolments sealed under the suite's key
  const key = TEST_CREDENTIALS_KEY;

  before(async () => {
    database = await notificationDatabase();
    smtp = await startSmtpServer({ parse: false });
  });
  after(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await smtp.stop();
    await database.close();
  });

  it('deliver 2,000 messages, each exactly once, each case in order', { timeout: 300_000 }, async () => {
    const cases: Awaited<ReturnType<typeof enrol>>[] = [];
    for (let i = 0; i < CASES; i++) cases.push(await enrol(database.db, { channels: ['email'] }));
    // "Invio EMAIL/SMS" joins the caller's transaction: one commit per round keeps the set-up short
    for (let round = 0; round < PER_CASE; round++) {
      await database.db.transaction().execute(async (trx) => {
        for (const c of cases) await resendCredentials(deps(trx), systemActor, c.code);
      });
    }
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: listenUrlOf(database)!,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'pratica-worker-')),
      SESSION_SECRET: 'worker-test-session-secret-0123456789abcdef',
      CREDENTIALS_KEY: key.toString('base64'),
      EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Pratica Online <praticaonline@provincia.example>',
      SMS_TRANSPORT: 'outbox',
      PUBLIC_BASE_URL: 'https://pratica.provincia.example',
      LOG_LEVEL: 'warn',
    };
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['bin/pratica.mjs', 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[worker ${i}] ${chunk.toString()}`));
      workers.push(child);
    }
    await smtp.waitFor(CASES * PER_CASE, 240_000);
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : w.once('exit', resolve)))));
    assert.deepEqual(workers.map((w) => w.exitCode), [0, 0], 'both workers stop cleanly on SIGTERM');

    const rows = await database.db.selectFrom('notifications').select(['id', 'case_id', 'position', 'status', 'claimed_by']).where('kind', '=', 'credentials').$narrowType<{ case_id: string }>().execute();
    assert.equal(rows.length, CASES * PER_CASE);
    assert.ok(rows.every((r) => r.status === 'sent'));
    assert.equal(new Set(rows.map((r) => r.claimed_by)).size, 2, 'both workers took part');

    const ids = smtp.received.map((m) => /^<([0-9a-f-]{36})@/.exec(m.messageId)![1]!);
    assert.equal(ids.length, CASES * PER_CASE);
    assert.equal(new Set(ids).size, ids.length, 'no message delivered twice');
    const byId = new Map(rows.map((r) => [r.id, r]));
    const lastPosition = new Map<string, number>();
    for (const id of ids) {
      const row = byId.get(id)!;
      assert.ok((lastPosition.get(row.case_id) ?? -1) < row.position, 'a case\'s messages arrive in order');
      lastPosition.set(row.case_id, row.position);
    }
  });
});

const HOUR = 3_600_000;

describe('a provider outage, on a clock the test moves', () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await createTestApp();
    await testApp.database.db.updateTable('notifications').set({ status: 'cancelled', last_error: 'demo' }).where('status', '=', 'created').execute();
  });
  after(() => testApp.close());

  it('a provider down for a day: every message waits and is delivered once it is back, none fails', { timeout: 120_000 }, async () => {
    const db = testApp.database.db;
    const clock = movableClock(new Date());
    const provider = standInProvider();
    const citizens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const citizen = await enrol(db, { channels: ['email', 'sms'] });
      await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      citizens.push(citizen.caseId);
    }
    const worker = dispatcher(testApp.database, provider.channels, { clock, retry: DEFAULT_RETRY_POLICY });
    worker.start();
    try {
      const start = clock.now().getTime();
      const waiting = await runClockUntil(db, worker, clock, citizens, start + 24 * HOUR);
      assert.equal(waiting.length, 6);
      assert.ok(waiting.every((r) => r.status === 'temporary-failure'), 'after a day every message still waits');
      assert.ok(waiting.every((r) => r.attempts > 50), 'retried through the day, well past the old 10 attempts');
      assert.ok(waiting.every((r) => r.next_attempt_at.getTime() - start <= 24 * HOUR + 31 * 60_000), 'never more than the 30-minute cap apart');
      provider.down = false;
      const done = await runClockUntil(db, worker, clock, citizens, Infinity);
      assert.deepEqual([...new Set(done.map((r) => r.status))], ['delivered']);
      assert.equal(provider.sent.length, 6, 'each message once');
    } finally {
      await worker.stop();
    }
  });

  it('a provider still down after 72 hours: technical-failure, final, and shown to the staff on the dashboard', { timeout: 120_000 }, async () => {
    const db = testApp.database.db;
    const clock = movableClock(new Date());
    const provider = standInProvider();
    const citizen = await enrol(db, { channels: ['email'], mobile: null });
    await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const worker = dispatcher(testApp.database, provider.channels, { clock, retry: DEFAULT_RETRY_POLICY });
    worker.start();
    try {
      const [failed, ...others] = await runClockUntil(db, worker, clock, [citizen.caseId], Infinity);
      assert.equal(others.length, 0, 'no fallback without a mobile number');
      assert.equal(failed!.status, 'technical-failure');
      assert.match(failed!.last_error!, /503/);
      const age = failed!.failed_at!.getTime() - failed!.created_at.getTime();
      assert.ok(age >= 72 * HOUR && age < 72 * HOUR + 60_000, `given up at 72 hours, not ${age / HOUR}`);
      provider.down = false;
      clock.set(new Date(clock.now().getTime() + 24 * HOUR));
      worker.wake();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await rowsOf(db, [citizen.caseId]))[0]!.status, 'technical-failure', 'final: not retried when the provider is back');
      assert.equal(provider.sent.length, 0);
    } finally {
      await worker.stop();
    }
    const staff = new StaffClient(testApp.app);
    await staff.get('/uffici/accesso');
    await staff.post('/uffici/accesso', { email: ADMIN.email, password: ADMIN.password, next: '/uffici' });
    const dashboard = text((await staff.get('/uffici')).body);
    assert.match(dashboard, new RegExp(`${citizen.code} — e-mail ${citizen.email}, non inviato per un guasto tecnico \\(tentativi esauriti\\)`));
  });

  it('a message that crashes its process three times ends in technical-failure instead of killing the next worker', async () => {
    const db = testApp.database.db;
    const citizen = await enrol(db, { channels: ['sms'] });
    await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    for (let crash = 1; crash <= DEFAULT_RETRY_POLICY.maxCrashes; crash++) {
      const held = await claimDue(db, `crashed-${crash}`, 100, 60_000, new Date());
      assert.ok(held.some((r) => r.case_id === citizen.caseId));
      await reclaimAbandoned(db, new Date(), DEFAULT_RETRY_POLICY, { claimedBy: [`crashed-${crash}`] });
    }
    const [row] = await rowsOf(db, [citizen.caseId]);
    assert.equal(row!.status, 'technical-failure');
    assert.equal(row!.crashes, 3);
    assert.match(row!.last_error!, /interrotto 3 volte/);
  });

  it('messages left in "sending" by a process that died (kill -9 of the server) go out at once, not after their lease', async () => {
    const db = testApp.database.db;
    const citizen = await enrol(db, { channels: ['email'] });
    await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const held = await claimDue(db, 'server-killed-9', 100, 60_000, new Date());
    assert.ok(held.some((r) => r.case_id === citizen.caseId));
    const provider = standInProvider();
    provider.down = false;
    const started = Date.now();
    const worker = dispatcher(testApp.database, provider.channels);
    worker.start();
    try {
      const [row] = await waitUntil(() => rowsOf(db, [citizen.caseId]), (r) => r[0]?.status === 'delivered');
      assert.ok(Date.now() - started < 5_000, 'well before the 60 s lease');
      assert.equal(row!.crashes, 1);
      assert.equal(row!.attempts, 2);
    } finally {
      await worker.stop();
    }
  });

  it('a live worker\'s messages are left alone: only its lease could take them back', { timeout: 30_000 }, async () => {
    const db = testApp.database.db;
    const citizen = await enrol(db, { channels: ['sms'] });
    await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const stuck = standInProvider();
    let release = () => {};
    stuck.channels.sms.send = () => new Promise((_, reject) => (release = () => reject(new Error('test over'))));
    const holder = dispatcher(testApp.database, stuck.channels);
    holder.start();
    const other = dispatcher(testApp.database, standInProvider().channels, { sweepEveryMs: 50 });
    try {
      await waitUntil(() => rowsOf(db, [citizen.caseId]), (r) => r[0]?.status === 'sending');
      other.start();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [row] = await rowsOf(db, [citizen.caseId]);
      assert.equal(row!.status, 'sending');
      assert.equal(row!.claimed_by, holder.workerId);
    } finally {
      release();
      await Promise.all([holder.stop(), other.stop()]);
    }
  });
});

describe('a `pratica worker` killed with SIGKILL on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'needs PostgreSQL (TEST_DATABASE_URL): PGlite admits one process' }, () => {
  let database: DatabaseHandle;
  let hanging: Server;
  let child: ChildProcess | undefined;
  // the workers open what the test's enrolments sealed under the suite's key
  const key = TEST_CREDENTIALS_KEY;

  before(async () => {
    database = await notificationDatabase();
    // an SMS provider that takes the request and never answers: the worker holds its messages in "sending"
    hanging = createServer(() => {});
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    await database.close();
  });

  it('its messages are taken back within seconds, not after the 60 s lease, and counted as a crash', { timeout: 60_000 }, async () => {
    const db = database.db;
    const citizens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const citizen = await enrol(db, { channels: ['sms'] });
      await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      citizens.push(citizen.caseId);
    }
    const address = hanging.address() as { port: number };
    child = spawn(process.execPath, ['bin/pratica.mjs', 'worker'], {
      env: {
        ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: listenUrlOf(database)!, DATA_DIR: mkdtempSync(join(tmpdir(), 'pratica-worker-')),
        SESSION_SECRET: 'worker-test-session-secret-0123456789abcdef', CREDENTIALS_KEY: key.toString('base64'), PUBLIC_BASE_URL: 'https://pratica.provincia.example',
        EMAIL_TRANSPORT: 'outbox', SMS_TRANSPORT: 'http', SMS_SENDER: 'ProvinciaFC', SMS_HTTP_URL: `http://127.0.0.1:${address.port}/sms`,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[worker] ${chunk.toString()}`));
    const held = await waitUntil(() => rowsOf(db, citizens), (r) => r.every((row) => row.status === 'sending'), 30_000);
    const deadWorker = held[0]!.claimed_by!;
    child.kill('SIGKILL');
    const killedAt = Date.now();
    const provider = standInProvider();
    provider.down = false;
    const survivor = dispatcher(database, provider.channels, { sweepEveryMs: 200 });
    survivor.start();
    try {
      const rows = await waitUntil(() => rowsOf(db, citizens), (r) => r.every((row) => row.status === 'delivered'), 30_000);
      const waited = Date.now() - killedAt;
      assert.ok(waited < 5_000, `taken back in ${waited} ms, not after the lease`);
      assert.ok(rows.every((r) => r.claimed_by === survivor.workerId && r.crashes === 1 && r.attempts === 2));
      assert.ok(rows.every((r) => r.claimed_by !== deadWorker));
    } finally {
      await survivor.stop();
    }
  });

});
