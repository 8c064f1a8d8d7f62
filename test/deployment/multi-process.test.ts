/**
 * The production layout of docs/deployment.md as real processes: two `pratica serve` with WORKER=off and two
 * `pratica worker`, started together on one empty PostgreSQL database, delivering to an SMTP and an SMPP server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/adapters/db/database.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { listMigrations } from '../../src/adapters/db/migrate.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { PENDING_STATUSES } from '../../src/domain/notification/index.ts';
import { waitUntil } from '../notifications/harness.ts';
import { csrfOf, eventually, visibleText } from '../portal/support.ts';
import { createServerDatabase } from '../support/database.ts';
import { seedCatalogue } from '../support/fixtures.ts';
import { startSmppServer } from '../support/smpp.ts';
import type { TestSmppServer } from '../support/smpp.ts';
import { startSmtpServer } from '../support/smtp.ts';
import type { TestSmtpServer } from '../support/smtp.ts';

interface Started {
  child: ChildProcess;
  /** the web process's own address (PORT=0: the system chose it) */
  url: string;
}

/** `pratica <command>` as systemd starts it; resolves once its JSON log says it is ready. */
function start(name: string, command: 'serve' | 'worker', env: NodeJS.ProcessEnv, ready: string): Promise<Started> {
  const child = spawn(process.execPath, ['bin/pratica.mjs', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    // every line is read, so that the request log never fills the pipe
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; address?: string; level?: number };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if ((entry.level ?? 0) >= 50) process.stderr.write(`[${name}] ${line}\n`);
      if (entry.msg === ready) resolve({ child, url: entry.address ?? '' });
    });
  });
}

/** A browser's cookie jar over fetch: the same jar is sent to either web process. */
class Browser {
  readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return { status: response.status, body: await response.text() };
  }

  async signIn(web: string, code: string, password: string): Promise<number> {
    const page = await this.request(`${web}/pratica`);
    const form = new URLSearchParams({ _csrf: csrfOf(page.body), code, password });
    return (await this.request(`${web}/pratica/accesso`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() })).status;
  }

  async casePage(web: string): Promise<string> {
    const page = await this.request(`${web}/pratica/dettaglio`);
    assert.equal(page.status, 200, `the case page on ${web}`);
    return visibleText(page.body);
  }
}

async function api(web: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${web}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_LOGINS.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('two web processes and two workers on one PostgreSQL', { skip: process.env.TEST_DATABASE_URL ? false : 'needs PostgreSQL (TEST_DATABASE_URL): the embedded database admits one process' }, () => {
  const key = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'pratica-deployment-'));
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  let smpp: TestSmppServer;
  let webs: Started[] = [];
  let workers: Started[] = [];
  const children = () => [...webs, ...workers].map((s) => s.child);

  before(async () => {
    server = await createServerDatabase(process.env.TEST_DATABASE_URL!);
    smtp = await startSmtpServer({ parse: false });
    smpp = await startSmppServer();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: server.url,
      DATA_DIR: dataDir,
      PUBLIC_BASE_URL: 'https://pratica.provincia.example',
      SESSION_SECRET: randomBytes(32).toString('base64'),
      CREDENTIALS_KEY: key.toString('base64'),
      EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Provincia di Forlì-Cesena <praticaonline@provincia.example>',
      SMS_TRANSPORT: 'smpp',
      SMPP_URL: smpp.url,
      SMS_SENDER: 'ProvinciaFC',
      WORKER: 'off',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
    };
    // all four at once on an empty database: they meet at the migrations
    [webs, workers] = await Promise.all([
      Promise.all([0, 1].map((i) => start(`web ${i}`, 'serve', env, 'Pratica Online started'))),
      Promise.all([0, 1].map((i) => start(`worker ${i}`, 'worker', env, 'notification dispatcher started'))),
    ]);
    database = await openDatabase({ databaseUrl: server.url, poolSize: 2 });
  }, { timeout: 180_000 });

  after(async () => {
    for (const child of children()) if (child.exitCode === null) child.kill('SIGKILL');
    await database?.close();
    await smtp?.stop();
    await smpp?.stop();
    await server?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the processes started together applied every migration once', async () => {
    const applied = await database.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
    assert.deepEqual(applied.map((r) => r.version), listMigrations().map((m) => m.version));
  });

  it('a citizen signed in on one web process reads on both, and a change recorded on either shows on the other', { timeout: 60_000 }, async () => {
    // the administration arrives after the start, as `pratica setup` would bring it: every process is told
    await seedCatalogue(database.db);
    const [a, b] = webs.map((w) => w.url) as [string, string];
    const enrolled = await api(a, '/cases', {
      procedureCode: 'TE-01', subject: 'Trasporto eccezionale di una trave da 40 m', applicantName: 'Trasporti Rossi S.r.l.',
      receivedOn: '2026-11-20', email: 'rossi@trasporti.example', mobile: '3331234567', channels: ['email', 'sms'],
    });
    assert.equal(enrolled.status, 201);
    const { code, password } = enrolled.json.credentials as { code: string; password: string };

    const citizen = new Browser();
    assert.equal(await citizen.signIn(b, code, password), 303, 'signed in on web 1');
    assert.match(await citizen.casePage(a), /Trasporto eccezionale di una trave da 40 m/, 'the same cookie opens the page on web 0');
    // read twice on each: the second read comes from that process's memory
    for (const web of [a, b, a, b]) assert.doesNotMatch(await citizen.casePage(web), /Stato: in corso/);

    assert.equal((await api(a, `/cases/${code}/start`, { reason: 'Avvio del procedimento' })).status, 201);
    const onB = await eventually(() => citizen.casePage(b), (page) => /Stato: in corso/.test(page));
    assert.match(onB, /Stato: in corso/, 'recorded on web 0, shown by web 1');

    assert.equal((await api(b, `/cases/${code}/suspend`, { kind: 'art2c7', reason: 'Manca il nulla osta della Prefettura' })).status, 201);
    const onA = await eventually(() => citizen.casePage(a), (page) => /Stato: sospesa/.test(page));
    assert.match(onA, /Stato: sospesa/, 'recorded on web 1, shown by web 0');
    assert.match(onA, /Manca il nulla osta della Prefettura/);
  });

  it('every message is delivered once: none missing, none twice', { timeout: 120_000 }, async () => {
    const rows = await waitUntil(
      () => database.db.selectFrom('notifications').select(['id', 'channel', 'status', 'provider_ids']).execute(),
      (r) => r.length > 0 && r.every((row) => !PENDING_STATUSES.includes(row.status)),
      90_000,
    );
    assert.deepEqual(new Set(rows.map((r) => `${r.channel}:${r.status}`)), new Set(['email:sent', 'sms:delivered']), 'e-mails sent, every SMS receipt recorded');

    // an e-mail carries its notification's id as Message-ID, the same on every attempt
    const mails = smtp.received.map((m) => /^<([0-9a-f-]{36})@/.exec(m.messageId)?.[1]).sort();
    assert.deepEqual(mails, rows.filter((r) => r.channel === 'email').map((r) => r.id).sort());
    // an SMS is known by the ids the SMS centre gave its parts, which the row keeps
    const sms = smpp.messages().map((m) => m.messageIds.join(',')).sort();
    assert.deepEqual(sms, rows.filter((r) => r.channel === 'sms').map((r) => r.provider_ids.join(',')).sort());
  });

  it('every process stops cleanly on SIGTERM, as systemctl stop sends it', { timeout: 60_000 }, async () => {
    const exits = children().map((child) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code))));
    for (const child of children()) child.kill('SIGTERM');
    assert.deepEqual(await Promise.all(exits), [0, 0, 0, 0]);
  });
});
