/**
 * App IO benchmark: messages per second from the dispatcher into the App IO stand-in (a profile check and a
 * POST /messages each, as in production), as a ratio to a bare HTTP client loop doing the same two requests
 * in the same run. The stand-in runs in a process of its own. PostgreSQL: BENCH_DATABASE_URL or the local server.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import { openDatabase } from '../src/adapters/db/database.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import { outboxEmailChannel, outboxSmsChannel } from '../src/adapters/channels/outbox.ts';
import { AppIoChannel, ioCoverageOf } from '../src/adapters/channels/app-io.ts';
import { enrolCase } from '../src/application/cases.ts';
import type { Actor } from '../src/application/audit.ts';
import { fixedClock } from '../src/application/clock.ts';
import { seedDemoData } from '../src/application/demo.ts';
import { resendCredentials } from '../src/application/notifications.ts';
import { Dispatcher } from '../src/worker/dispatcher.ts';
import { IO_TEST_KEY, fiscalCode } from '../test/support/app-io.ts';
import { benchServices, BENCH_CREDENTIALS_KEYS } from './support.ts';

const ACTOR: Actor = { kind: 'system', id: 'bench', name: 'Benchmark', officeId: null };
const CASES = 100;
const MESSAGES = 2_000;
const CONCURRENCY = 16;
// IO_API_KEY alone: one key for every office
const ioKeys = { defaultKey: IO_TEST_KEY, keysByOffice: new Map<string, string>() };

function ask(child: ChildProcess, message: object, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (answer: Record<string, unknown>) => {
      if (answer.type !== type) return;
      child.off('message', listener);
      resolve(answer);
    };
    child.on('message', listener);
    child.send(message);
  });
}

/** The same two requests per message, from a plain fetch loop with the dispatcher's concurrency. */
async function bareLoop(url: string, codes: string[], count: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const markdown = 'Messaggio di prova del banco di misura: il testo deve avere almeno ottanta caratteri per App IO.';
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const code = codes[next++ % codes.length]!;
      const headers = { 'Ocp-Apim-Subscription-Key': IO_TEST_KEY, 'content-type': 'application/json' };
      await (await fetch(`${url}/profiles/${code}`, { headers })).text();
      const posted = await fetch(`${url}/messages`, { method: 'POST', headers, body: JSON.stringify({ fiscal_code: code, content: { subject: 'Pratica di prova', markdown } }) });
      if (posted.status !== 201) throw new Error(`bare loop: ${posted.status}`);
      await posted.text();
    }
  }));
  return count / ((performance.now() - started) / 1000);
}

export async function benchIo(): Promise<string> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pratica_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 20 });
  const child = fork(new URL('./app-io-server.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<{ url: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string })));
  let dispatcher: Dispatcher | undefined;
  try {
    await migrate(database.db);
    const clock = fixedClock('2026-11-26');
    await seedDemoData({ ...benchServices(clock), db: database.db });
    await database.db.updateTable('notifications').set({ status: 'cancelled' }).where('status', '=', 'created').execute();
    const codes = Array.from({ length: CASES }, (_, i) => fiscalCode(i));
    await ask(child, { type: 'profiles', codes }, 'count');
    const caseCodes: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const enrolled = await enrolCase({ ...benchServices(clock), db: database.db, io: ioCoverageOf(ioKeys) }, ACTOR, {
        procedureCode: 'TE-01', subject: `Trasporto eccezionale ${i}`, applicantName: 'Mario Rossi', receivedOn: '2026-11-20', applicantFiscalCode: codes[i], channels: ['io'],
      });
      caseCodes.push(enrolled.code);
    }
    const bare = await bareLoop(ready.url, codes, MESSAGES);
    const before = Number((await ask(child, { type: 'count' }, 'count')).count);

    for (let round = 0; round < MESSAGES / CASES; round++) {
      await database.db.transaction().execute(async (trx) => {
        for (const code of caseCodes) await resendCredentials({ ...benchServices(clock), db: trx }, ACTOR, code);
      });
    }
    dispatcher = new Dispatcher({
      db: database.db, channels: { email: outboxEmailChannel(database.db), sms: outboxSmsChannel(database.db), io: new AppIoChannel({ url: ready.url, ...ioKeys }) },
      publicBaseUrl: 'https://pratica.provincia.example', sessionSecret: 'bench-session-secret-0123456789abcdefghij', credentialsKeys: BENCH_CREDENTIALS_KEYS, concurrency: CONCURRENCY, listen: database.listen,
    });
    const started = performance.now();
    dispatcher.start();
    for (;;) {
      const count = Number((await ask(child, { type: 'count' }, 'count')).count) - before;
      if (count >= MESSAGES) break;
      if (performance.now() - started > 300_000) throw new Error(`only ${count} IO messages in 5 minutes`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const rate = MESSAGES / ((performance.now() - started) / 1000);
    return [
      '## App IO channel',
      '',
      `${MESSAGES} App IO messages ("Invio credenziali" of ${CASES} cases, one profile check and one POST /messages each) from the dispatcher`,
      `(concurrency ${CONCURRENCY}, PostgreSQL) into the App IO stand-in of the tests, running in its own process, on ${cpus().length} cores shared with other work.`,
      '',
      '| | messages per second |',
      '|---|---|',
      `| bare fetch loop, the same two requests, ${CONCURRENCY} at a time | ${bare.toFixed(0)} |`,
      `| dispatcher (claim, render, send, record) | ${rate.toFixed(0)} |`,
      `| ratio | ${(rate / bare).toFixed(2)} |`,
    ].join('\n');
  } finally {
    await dispatcher?.stop();
    const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    child.send({ type: 'stop' });
    await exited;
    await database.close();
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    for (let attempt = 0; ; attempt++) {
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
        break;
      } catch (error) {
        if (attempt === 20) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    await cleanup.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchIo()}\n`);
}
