/**
 * Two `pratica worker` processes on PostgreSQL deliver a burst of 5,000 e-mails to an SMTP sink.
 * `crash`, the kill test at full scale: one of them, chosen in turn, is killed with SIGKILL and started again,
 * 12 times; reports the messages lost (must be 0) and the duplicates, in all and per kill: each kill may
 * resend at most the messages that process had in flight (docs/notifications.md).
 * `workers`: no kill; their delivery rate against a bare nodemailer loop into the same kind of sink.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { resendCredentials } from '../src/application/notifications.ts';
import { IN_FLIGHT } from '../src/worker/main.ts';
import { SMTP_POOL, bareLoop } from './notifications.ts';
import { BENCH_ACTOR, BENCH_SERVER_URL, machine, messageBenchCases, ratio, temporaryPostgres, benchServices, BENCH_CREDENTIALS_KEY } from './support.ts';

const CASES = 100;
const MESSAGES = Number(process.env.BENCH_CRASH_MESSAGES ?? 5_000);
const KILLS = Number(process.env.BENCH_CRASH_KILLS ?? 12);

/** The sink, counting how many times each notification id arrived. */
async function countingSink() {
  const arrivals = new Map<string, number>();
  const firstArrival = new Map<string, number>();
  const worker = new Worker(new URL('./smtp-sink.mjs', import.meta.url));
  const port = await new Promise<number>((resolve) => {
    worker.on('message', (message: { port?: number; id?: string; at?: number }) => {
      if (message.port) return resolve(message.port);
      if (!message.id) return;
      arrivals.set(message.id, (arrivals.get(message.id) ?? 0) + 1);
      if (!firstArrival.has(message.id)) firstArrival.set(message.id, message.at!);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    firstArrival,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

interface WorkersRun {
  queued: number;
  kills: number;
  lost: number;
  notSent: number;
  duplicates: number;
  takenBack: number;
  /** from the first message's arrival to the last one's */
  deliverySeconds: number;
  seconds: number;
}

/** Queues MESSAGES e-mails, starts two worker processes and waits for every message, killing one `kills` times. */
async function runWorkers(label: string, kills: number): Promise<WorkersRun> {
  // the workers open what this process sealed
  const key = BENCH_CREDENTIALS_KEY;
  const database = await temporaryPostgres(label);
  const sink = await countingSink();
  const children: (ChildProcess | undefined)[] = [undefined, undefined];
  try {
    const { clock, codes } = await messageBenchCases(database.db, CASES);
    // queued before the workers start: the burst is the whole queue at once
    for (let round = 0; round < MESSAGES / CASES; round++) {
      await database.db.transaction().execute(async (trx) => {
        for (const code of codes) await resendCredentials({ ...benchServices(clock), db: trx }, BENCH_ACTOR, code);
      });
    }
    const url = new URL(BENCH_SERVER_URL);
    url.pathname = `/${(await database.pool.query('SELECT current_database() AS name')).rows[0].name}`;
    const env = {
      ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(join(tmpdir(), 'pratica-crash-')),
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghij', CREDENTIALS_KEY: key.toString('base64'), PUBLIC_BASE_URL: 'https://pratica.provincia.example',
      EMAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url, EMAIL_FROM: 'Pratica Online <praticaonline@provincia.example>', SMS_TRANSPORT: 'outbox',
    };
    const startWorker = (slot: number) => {
      children[slot] = spawn(process.execPath, ['bin/pratica.mjs', 'worker'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    };
    startWorker(0);
    startWorker(1);
    const started = performance.now();
    const done: { arrivedBefore: number }[] = [];
    const arrived = () => sink.arrivals.size;
    // the kills are spread over the burst: one each time another share of it has arrived
    while (done.length < kills) {
      const target = Math.round(((done.length + 1) * MESSAGES) / (kills + 2));
      while (arrived() < target) {
        if (performance.now() - started > 600_000) throw new Error('benchmark: the burst stalled');
        await new Promise((r) => setTimeout(r, 5));
      }
      const slot = done.length % 2;
      const victim = children[slot]!;
      victim.kill('SIGKILL');
      await new Promise((resolve) => (victim.exitCode !== null || victim.signalCode !== null ? resolve(null) : victim.once('exit', resolve)));
      done.push({ arrivedBefore: arrived() });
      startWorker(slot);
    }
    while (arrived() < MESSAGES) {
      if (performance.now() - started > 600_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = await database.db.selectFrom('notifications').select(['id', 'status', 'crashes']).where('kind', '=', 'credentials').execute();
    const times = [...sink.firstArrival.values()];
    return {
      queued: rows.length,
      kills: done.length,
      lost: rows.filter((r) => !sink.arrivals.has(r.id)).length,
      notSent: rows.filter((r) => r.status !== 'sent').length,
      duplicates: [...sink.arrivals.values()].reduce((sum, n) => sum + n - 1, 0),
      takenBack: rows.reduce((sum, r) => sum + r.crashes, 0),
      deliverySeconds: (Math.max(...times) - Math.min(...times)) / 1000,
      seconds,
    };
  } finally {
    for (const child of children) if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sink.close();
    await database.close();
  }
}

export async function benchCrash(): Promise<string> {
  const run = await runWorkers('crash', KILLS);
  return [
    '## Kill test: two workers, SIGKILL during a burst (PostgreSQL)',
    '',
    `Machine: ${machine()} (2 cores shared with other work while measuring). ${MESSAGES} e-mails queued for ${CASES} cases, ` +
      `two \`pratica worker\` processes (${IN_FLIGHT.postgres} in flight each) sending to an SMTP sink on loopback; ` +
      `${KILLS} times, each time another share of the burst has arrived, one of them (in turn) is killed with SIGKILL and started again.`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| messages queued | ${run.queued} |`,
    `| kills (SIGKILL) | ${run.kills} |`,
    `| messages lost (queued, never arrived) | ${run.lost} |`,
    `| messages not recorded as sent at the end | ${run.notSent} |`,
    `| duplicates (arrived twice or more) | ${run.duplicates}: ${(run.duplicates / run.kills).toFixed(1)} per kill (at most ${IN_FLIGHT.postgres}, the messages in flight) |`,
    `| messages taken back from a killed worker | ${run.takenBack} |`,
    `| whole burst | ${run.seconds.toFixed(1)} s |`,
    '',
  ].join('\n');
}

export async function benchWorkers(): Promise<string> {
  const sink = await countingSink();
  let bare: number;
  try {
    bare = await bareLoop(sink.url, MESSAGES, 2 * SMTP_POOL);
  } finally {
    await sink.close();
  }
  const run = await runWorkers('workers', 0);
  if (run.lost || run.notSent) throw new Error(`workers: ${run.lost} messages lost, ${run.notSent} not recorded as sent`);
  const rate = run.queued / run.deliverySeconds;
  return [
    '## Two workers on PostgreSQL into an SMTP sink',
    '',
    `Machine: ${machine()}. ${MESSAGES} e-mails queued for ${CASES} cases before two \`pratica worker\` processes start ` +
      `(${IN_FLIGHT.postgres} in flight each, ${SMTP_POOL} SMTP connections each); the rate counts from the first arrival to the last. ` +
      `The reference is a bare nodemailer loop in the benchmark's process with ${2 * SMTP_POOL} connections into the same kind of sink, in the same run.`,
    '',
    '| sender | messages/s | vs bare loop | target |',
    '|---|---:|---:|---|',
    `| bare nodemailer loop (reference) | ${bare.toFixed(0)} | 100% | |`,
    `| two workers (dispatcher, rows, status updates) | ${rate.toFixed(0)} | ${ratio(rate, bare)} | ≥ 1,000/s and ≥ 80% |`,
    '',
  ].join('\n');
}
