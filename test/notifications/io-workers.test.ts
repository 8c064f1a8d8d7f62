import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { enrolCase } from '../../src/application/cases.ts';
import { resendCredentials } from '../../src/application/notifications.ts';
import { IO_TEST_KEY, fiscalCode, startAppIo } from '../support/app-io.ts';
import type { AppIoStandIn } from '../support/app-io.ts';
import { systemActor } from '../support/fixtures.ts';
import { deps, listenUrlOf, notificationDatabase, waitUntil } from './harness.ts';
import { TEST_CREDENTIALS_KEY } from '../support/services.ts';

const CASES = 100;
const PER_CASE = 20; // 2,000 App IO messages

describe('two `pratica worker` processes delivering App IO messages on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'needs PostgreSQL (TEST_DATABASE_URL): PGlite admits one process' }, () => {
  let database: DatabaseHandle;
  let io: AppIoStandIn;
  const workers: ChildProcess[] = [];
  // the workers open what the test's enrolments sealed under the suite's key
  const key = TEST_CREDENTIALS_KEY;

  before(async () => {
    database = await notificationDatabase();
    io = await startAppIo({ failEvery: 97 });
  });
  after(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await io.stop();
    await database.close();
  });

  it('deliver 2,000 IO messages, each exactly once, each case in order, through IO_API_URL and IO_API_KEY', { timeout: 300_000 }, async () => {
    const cases: { id: string; fiscalCode: string }[] = [];
    for (let i = 0; i < CASES; i++) {
      const code = fiscalCode(5000 + i);
      io.profiles.set(code, { senderAllowed: true });
      const enrolled = await enrolCase(deps(database.db), systemActor, {
        procedureCode: 'TE-01', subject: `Trasporto eccezionale n. ${i}`, applicantName: 'Mario Rossi', receivedOn: '2026-11-20',
        applicantFiscalCode: code, channels: ['io'],
      });
      const row = await database.db.selectFrom('cases').select('id').where('code', '=', enrolled.code).executeTakeFirstOrThrow();
      cases.push({ id: row.id, fiscalCode: code });
    }
    const codes = await database.db.selectFrom('cases').select('code').where('id', 'in', cases.map((c) => c.id)).execute();
    for (let round = 0; round < PER_CASE; round++) {
      await database.db.transaction().execute(async (trx) => {
        for (const c of codes) await resendCredentials(deps(trx), systemActor, c.code);
      });
    }
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: listenUrlOf(database)!,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'pratica-io-worker-')),
      SESSION_SECRET: 'worker-test-session-secret-0123456789abcdef',
      CREDENTIALS_KEY: key.toString('base64'),
      EMAIL_TRANSPORT: 'outbox',
      SMS_TRANSPORT: 'outbox',
      IO_API_URL: io.url,
      IO_API_KEY: IO_TEST_KEY,
      NOTIFY_RETRY_BASE_SECONDS: '1',
      PUBLIC_BASE_URL: 'https://pratica.provincia.example',
      LOG_LEVEL: 'error',
    };
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, ['bin/pratica.mjs', 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[worker ${i}] ${chunk.toString()}`));
      workers.push(child);
    }
    await waitUntil(async () => io.messages.length, (n) => n >= CASES * PER_CASE, 240_000);
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : w.once('exit', resolve)))));
    assert.deepEqual(workers.map((w) => w.exitCode), [0, 0], 'both workers stop cleanly on SIGTERM');

    const rows = await database.db.selectFrom('notifications').select(['id', 'case_id', 'position', 'status', 'claimed_by', 'provider_id', 'channel'])
      .where('kind', '=', 'credentials').where('case_id', 'in', cases.map((c) => c.id)).$narrowType<{ case_id: string }>().execute();
    assert.equal(rows.length, CASES * PER_CASE);
    assert.ok(rows.every((r) => r.channel === 'io' && (r.status === 'sent' || r.status === 'delivered')));
    assert.equal(new Set(rows.map((r) => r.claimed_by)).size, 2, 'both workers took part');
    assert.ok(io.requests.some((r) => r.status === 500), 'IO failed now and then, and was retried');

    assert.equal(io.messages.length, CASES * PER_CASE, 'no message delivered twice');
    const byProviderId = new Map(rows.map((r) => [r.provider_id, r]));
    assert.equal(byProviderId.size, rows.length, 'each row has its own IO message id');
    const lastPosition = new Map<string, number>();
    for (const message of io.messages) {
      const row = byProviderId.get(message.id)!;
      assert.ok(row, 'every IO message is one row\'s');
      assert.ok((lastPosition.get(row.case_id) ?? -1) < row.position, 'a case\'s messages arrive in order');
      lastPosition.set(row.case_id, row.position);
    }
  });
});
