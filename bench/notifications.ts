/**
 * Notifications benchmark: latency from an event's commit to the SMTP server accepting its
 * e-mail, at idle and under a burst of 1,000 events, and the dispatcher's throughput as a ratio to a bare
 * nodemailer → smtp-server loop measured in the same run. PostgreSQL: BENCH_DATABASE_URL or the local
 * server; a temporary database is created and dropped.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import nodemailer from 'nodemailer';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { outboxSmsChannel } from '../src/adapters/channels/outbox.ts';
import { smtpChannel, smtpTransportOptions } from '../src/adapters/channels/smtp.ts';
import { resendCredentials } from '../src/application/notifications.ts';
import { Dispatcher } from '../src/worker/dispatcher.ts';
import { BENCH_ACTOR, messageBenchCases, temporaryPostgres, benchServices, BENCH_CREDENTIALS_KEYS } from './support.ts';

const CASES = 100;
const IDLE_SAMPLES = 100;
const BURST = 1_000;
const THROUGHPUT = 2_000;
export const SMTP_POOL = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const now = () => performance.timeOrigin + performance.now();

/** An SMTP server, in a worker thread, that records when it accepted each message (by its Message-ID's id). */
export async function acceptingServer() {
  const accepted = new Map<string, number>();
  let count = 0;
  const worker = new Worker(new URL('./smtp-sink.mjs', import.meta.url));
  const port = await new Promise<number>((resolve) => {
    worker.on('message', (message: { port?: number; id?: string; at?: number }) => {
      if (message.port) return resolve(message.port);
      if (message.id) accepted.set(message.id, message.at!);
      count++;
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    count: () => count,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('benchmark: timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** A bare nodemailer loop: `count` messages through a pool of `connections` SMTP connections, 32 sent at a time; messages/s. */
export async function bareLoop(url: string, count: number, connections = SMTP_POOL): Promise<number> {
  const transport = nodemailer.createTransport(smtpTransportOptions({ url, from: 'bench@provincia.example', maxConnections: connections }) as never);
  const text = 'x'.repeat(1500);
  const started = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        next++;
        await transport.sendMail({ from: 'bench@provincia.example', to: 'cittadino@example.org', subject: 'Prova', text, html: `<p>${text}</p>`, messageId: `<${randomUUID()}@bench>` });
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  transport.close();
  return count / seconds;
}

export async function benchNotifications(): Promise<string> {
  const database = await temporaryPostgres('notifications');
  const smtp = await acceptingServer();
  const email = smtpChannel({ url: smtp.url, from: 'Pratica Online <praticaonline@provincia.example>', maxConnections: SMTP_POOL });
  let dispatcher: Dispatcher | undefined;
  try {
    const { clock, codes } = await messageBenchCases(database.db, CASES);
    const deps = { ...benchServices(clock), db: database.db };
    const newDispatcher = () =>
      new Dispatcher({
        db: database.db, channels: { email, sms: outboxSmsChannel(database.db) }, publicBaseUrl: 'https://pratica.provincia.example',
        sessionSecret: 'bench-session-secret-0123456789abcdefghij', credentialsKeys: BENCH_CREDENTIALS_KEYS, listen: database.listen, concurrency: 32,
      });

    // warm-up: connections, templates, the JIT
    dispatcher = newDispatcher();
    dispatcher.start();
    for (let i = 0; i < 20; i++) await resendCredentials(deps, BENCH_ACTOR, codes[i % CASES]!);
    await waitFor(() => smtp.count() >= 20, 30_000);

    // 1. idle: one event at a time
    const idle: number[] = [];
    for (let i = 0; i < IDLE_SAMPLES; i++) {
      const [sent] = await resendCredentials(deps, BENCH_ACTOR, codes[i % CASES]!);
      const committed = now();
      await waitFor(() => smtp.accepted.has(sent!.id), 10_000);
      idle.push(smtp.accepted.get(sent!.id)! - committed);
    }

    // 2. burst: 1,000 events committed as fast as the database takes them
    const commits = new Map<string, number>();
    let issued = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (issued < BURST) {
          const code = codes[issued++ % CASES]!;
          const [sent] = await resendCredentials(deps, BENCH_ACTOR, code);
          commits.set(sent!.id, now());
        }
      }),
    );
    await waitFor(() => [...commits.keys()].every((id) => smtp.accepted.has(id)), 120_000);
    const burst = [...commits].map(([id, at]) => smtp.accepted.get(id)! - at);
    await dispatcher.stop();

    // 3. throughput: a queue of 2,000 messages drained by one dispatcher, against the bare loop
    const template = await database.db.selectFrom('notifications').selectAll().where('kind', '=', 'credentials').limit(CASES).execute();
    const queued: string[] = [];
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < THROUGHPUT; i++) {
        const source = template[i % template.length]!;
        const id = randomUUID();
        queued.push(id);
        await trx.insertInto('notifications').values({
          id, case_id: source.case_id, kind: 'credentials', channel: 'email', recipient: source.recipient, context: JSON.stringify(source.context),
          position: sql`nextval('notification_position')`,
        }).execute();
      }
    });
    dispatcher = newDispatcher();
    const started = now();
    dispatcher.start();
    await waitFor(() => queued.every((id) => smtp.accepted.has(id)), 300_000);
    const dispatcherRate = THROUGHPUT / ((Math.max(...queued.map((id) => smtp.accepted.get(id)!)) - started) / 1000);
    await dispatcher.stop();
    dispatcher = undefined;
    const bareRate = await bareLoop(smtp.url, THROUGHPUT);

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    return [
      '## Notifications',
      '',
      `PostgreSQL ${(await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(database.db)).rows[0]!.v}, ${cpus().length} CPU, Node ${process.version}; ` +
        `SMTP on loopback (smtp-server in its own thread), nodemailer pool of ${SMTP_POOL} connections, dispatcher with 32 messages in flight.`,
      'Latency: from the commit of the event\'s transaction to the SMTP server accepting the e-mail ("Invio EMAIL/SMS" events).',
      '',
      '| measure | p50 | p99 | target |',
      '|---|---|---|---|',
      `| latency at idle (${IDLE_SAMPLES} events, one at a time) | ${ms(percentile(idle, 50))} | ${ms(percentile(idle, 99))} | p99 < 200 ms |`,
      `| latency in a burst of ${BURST} events (${CASES} cases) | ${ms(percentile(burst, 50))} | ${ms(percentile(burst, 99))} | |`,
      '',
      '| throughput | messages/s |',
      '|---|---|',
      `| bare nodemailer → smtp-server loop | ${bareRate.toFixed(0)} |`,
      `| dispatcher draining a queue of ${THROUGHPUT} | ${dispatcherRate.toFixed(0)} (${((dispatcherRate / bareRate) * 100).toFixed(0)}% of the bare loop; target ≥ 50%) |`,
      '',
    ].join('\n');
  } finally {
    await dispatcher?.stop();
    await email.close();
    await smtp.close();
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchNotifications()}\n`);
}
