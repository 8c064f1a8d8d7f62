import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { resendCredentials } from '../../src/application/notifications.ts';
import { configureCredentialsKeys } from '../../src/application/notifications/secrets.ts';
import { systemActor } from '../support/fixtures.ts';
import { startSmtpServer } from '../support/smtp.ts';
import type { TestSmtpServer } from '../support/smtp.ts';
import { deps, enrol, listenUrlOf, notificationDatabase } from './harness.ts';

const CASES = 100;
const PER_CASE = 20; // 2,000 messages

describe('two `pratica worker` processes on PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'needs PostgreSQL (TEST_DATABASE_URL): PGlite admits one process' }, () => {
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  const workers: ChildProcess[] = [];
  const key = randomBytes(32);

  before(async () => {
    configureCredentialsKeys({ current: key, previous: [] });
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
