/**
 * The embedded single-process mode under a burst: the server's own dispatcher (PGlite, in-process, its
 * production settings) delivering e-mails to an SMTP sink while 16 clients keep posting "send the
 * credentials" requests through the API. The messages delivered while the requests come, as a share of
 * the messages those requests queued, and what is left for after; the event loop's delay tells why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../src/adapters/db/database.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import { outboxSmsChannel } from '../src/adapters/channels/outbox.ts';
import { smtpChannel } from '../src/adapters/channels/smtp.ts';
import { buildApp } from '../src/adapters/web/app.ts';
import { DEMO_LOGINS } from '../src/application/demo.ts';
import { Dispatcher } from '../src/worker/dispatcher.ts';
import { livenessFor } from '../src/worker/liveness.ts';
import { IN_FLIGHT } from '../src/worker/main.ts';
import { acceptingServer } from './notifications.ts';
import { BENCH_API_RATE_LIMIT, machine, messageBenchCases, benchServices, BENCH_CREDENTIALS_KEYS } from './support.ts';

const CASES = 200;
const CLIENTS = 16;
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 8);

export async function benchBurst(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pratica-burst-'));
  const database = await openDatabase({ dataDir });
  const smtp = await acceptingServer();
  const email = smtpChannel({ url: smtp.url, from: 'Pratica Online <praticaonline@provincia.example>', maxConnections: 5 });
  let dispatcher: Dispatcher | undefined;
  try {
    await migrate(database.db);
    const { clock, codes } = await messageBenchCases(database.db, CASES);
    const app = await buildApp({ db: database.db, ...benchServices(clock), publicBaseUrl: 'https://pratica.provincia.example', production: false, sessionSecret: 'bench-session-secret-0123456789abcdefghij',
      apiRateLimit: BENCH_API_RATE_LIMIT });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    dispatcher = new Dispatcher({
      db: database.db, channels: { email, sms: outboxSmsChannel(database.db) }, publicBaseUrl: 'https://pratica.provincia.example',
      sessionSecret: 'bench-session-secret-0123456789abcdefghij', credentialsKeys: BENCH_CREDENTIALS_KEYS, liveness: livenessFor(database), concurrency: IN_FLIGHT.pglite,
    });
    dispatcher.start();
    const headers = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
    let requests = 0;
    let errors = 0;
    let next = 0;
    const started = performance.now();
    const burstEnds = started + BURST_SECONDS * 1000;
    const deliveredAtStart = smtp.count();
    // every SMTP command waits for a turn of this loop, which runs the embedded database too
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < burstEnds) {
        const code = codes[next++ % CASES]!;
        const response = await fetch(`${base}/api/v1/cases/${code}/credentials`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
        await response.arrayBuffer();
        if (response.status === 202) requests++;
        else errors++;
      }
    }));
    const burstSeconds = (performance.now() - started) / 1000;
    lag.disable();
    const deliveredInBurst = smtp.count() - deliveredAtStart;
    const left = requests - deliveredInBurst;
    const drainStarted = performance.now();
    while (smtp.count() - deliveredAtStart < requests) {
      if (performance.now() - drainStarted > 600_000) throw new Error('benchmark: the queue did not drain');
      await new Promise((r) => setTimeout(r, 2));
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    await app.close();
    const during = deliveredInBurst / burstSeconds;
    const after = left / drainSeconds;
    return [
      '## Embedded mode under a burst (PGlite, dispatcher in the server)',
      '',
      `Machine: ${machine()} (2 cores shared with other work while measuring: read the ratio). ${CLIENTS} clients posting ` +
        `\`POST /api/v1/cases/{code}/credentials\` (HTTP on loopback, ${CASES} cases) for ${BURST_SECONDS} s; the dispatcher with its production ` +
        `settings for PGlite (${IN_FLIGHT.pglite} in flight) sends to an SMTP sink on loopback.`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| requests served during the burst | ${(requests / burstSeconds).toFixed(0)}/s (${errors} not 202) |`,
      `| messages delivered during the burst | ${during.toFixed(1)}/s: ${((100 * deliveredInBurst) / requests).toFixed(0)}% of those queued during it |`,
      `| left in the queue when the burst ended | ${left === 0 ? 'none' : `${left}, delivered in ${drainSeconds.toFixed(1)} s after it (${after.toFixed(0)}/s)`} |`,
      `| event-loop delay during the burst, p50 / p99 | ${(lag.percentile(50) / 1e6).toFixed(0)} ms / ${(lag.percentile(99) / 1e6).toFixed(0)} ms |`,
      '',
    ].join('\n');
  } finally {
    await dispatcher?.stop();
    await email.close();
    await smtp.close();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
