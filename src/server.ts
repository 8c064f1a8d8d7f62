import pino from 'pino';
import type { Logger } from 'pino';
import pretty from 'pino-pretty';
import { openDatabase } from './adapters/db/database.ts';
import type { DatabaseHandle, Db } from './adapters/db/database.ts';
import { migrate } from './adapters/db/migrate.ts';
import { buildApp } from './adapters/web/app.ts';
import type { App } from './adapters/web/app.ts';
import { systemClock } from './application/clock.ts';
import { DEMO_LOGINS, demoCaseCodes, seedDemoData } from './application/demo.ts';
import { deriveMissingFigures } from './application/reports/figures.ts';
import type { Config } from './config.ts';
import { configureCredentialsKeys } from './application/notifications/secrets.ts';
import { startDispatcher } from './worker/main.ts';
import { createMetrics, serveMetrics } from './adapters/metrics.ts';

export interface RunningServer {
  app: App;
  database: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

/** Someone reading a terminal on their own machine: lines for people. Anything else (a file, a collector, production) gets JSON. */
export function wantsReadableLogs(config: Pick<Config, 'nodeEnv'>, stdout: { isTTY?: boolean }): boolean {
  return stdout.isTTY === true && config.nodeEnv !== 'production';
}

/** A citizen's sign-in link and a staff reset link carry their token in the path: a log line keeps only the route. */
const TOKEN_IN_PATH = /^(\/pratica\/link|\/uffici\/password-dimenticata)\/[^/?#]+/;

/** How a request enters the log: Fastify's fields, with any token in the path replaced. */
export const LOG_SERIALIZERS = {
  req: (request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
    method: request.method,
    url: request.url.replace(TOKEN_IN_PATH, '$1/[token]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
};

export function createLogger(config: Config, stdout: { isTTY?: boolean; write?(line: string): unknown } = process.stdout): Logger {
  const options = { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'], serializers: LOG_SERIALIZERS };
  // synchronous, in this thread: a line is on the screen before the banner or the next line
  if (wantsReadableLogs(config, stdout)) return pino(options, pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }));
  // a command run inside a test's process (src/cli.ts CliIo) writes its log lines with the rest of its output
  return stdout === process.stdout || !stdout.write ? pino(options) : pino(options, stdout as { write(line: string): unknown });
}

/** The start of the server and of `pratica worker` alike: the weak settings that did not stop the start are told once, here. */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  for (const warning of config.warnings) logger.warn({ variable: warning.variable }, warning.message);
  // before anything enrols a case: its password is sealed under this key
  configureCredentialsKeys(config.notifications.credentialsKeys);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await upgradeDatabase(database.db, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * The pending migrations, then what older rows lack under the new schema (the report figures of cases older than
 * migration 0005): derived here, once, so that no page has to write while it is read.
 */
export async function upgradeDatabase(db: Db, logger: Logger): Promise<{ migrations: number[]; derivedFigures: number }> {
  const migrations = await migrate(db);
  if (migrations.length) logger.info({ migrations }, 'database migrated');
  const derivedFigures = await deriveMissingFigures(db);
  if (derivedFigures) logger.info({ cases: derivedFigures }, 'report figures derived for cases that had none');
  return { migrations, derivedFigures };
}

/** The whole system in one process: web server and (on the embedded database) the dispatcher. */
export async function startServer(config: Config, logger = createLogger(config)): Promise<RunningServer> {
  const database = await openMigratedDatabase(config, logger);
  try {
    const clock = systemClock;
    const seeded = config.demoData ? await seedDemoData({ db: database.db, clock }) : false;
    if (seeded) logger.info('demo data seeded');
    const metrics = createMetrics({ db: database.db, processMetrics: true });
    // with a listener of its own (METRICS_PORT), /metrics is not on the public port at all
    const metricsPort = config.metrics.port;
    const app = await buildApp({ db: database.db, listen: database.listen, clock, publicBaseUrl: config.publicBaseUrl, production: config.nodeEnv === 'production', sessionSecret: config.sessionSecret, trustProxyHops: config.trustProxyHops, caseCacheEntries: config.caseCacheEntries, timeouts: config.serverTimeouts, logger,
      metrics, metricsToken: metricsPort === undefined ? config.metrics.token : undefined,
      httpReceipts: config.notifications.smsHttp?.receiptToken ? { token: config.notifications.smsHttp.receiptToken, mapping: config.notifications.smsHttp.receipt, windowMs: config.notifications.receiptTimeoutHours * 3_600_000 } : undefined });
    const address = await app.listen({ port: config.port, host: config.host });
    const metricsListener = metricsPort === undefined ? undefined : await serveMetrics(metrics, { ...config.metrics, port: metricsPort });
    if (metricsListener) logger.info({ port: metricsListener.port, host: config.metrics.host }, 'metrics served');
    const url = config.publicBaseUrl;
    // on the embedded database the dispatcher must live here; on PostgreSQL it may (or run as `pratica worker`)
    const dispatcher = config.worker === 'inprocess' ? startDispatcher(config, database, logger, metrics) : undefined;
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= app.close().then(() => dispatcher?.stop()).then(() => metricsListener?.close()).then(() => database.close()));
    if (config.demoData) printWelcome(url, await demoCaseCodes(database.db));
    logger.info({ address, database: database.kind }, 'Pratica Online started');
    return { app, database, url, stop };
  } catch (error) {
    await database.close();
    throw error;
  }
}

function printWelcome(url: string, cases: { code: string; state: string; subject: string }[]): void {
  const lines = [
    '',
    `Pratica Online è in ascolto su ${url}`,
    `  La tua pratica on line: ${url}/pratica`,
    `  Back office (uffici):   ${url}/uffici`,
    `  Trasparenza:            ${url}/trasparenza/tempi-procedimentali`,
    `  Messaggi inviati (dev): ${url}/dev/outbox`,
    `  Documentazione API:     ${url}/api/docs`,
    `  Token API (demo):       ${DEMO_LOGINS.apiToken}`,
    `  Prova:                  curl -H 'Authorization: Bearer ${DEMO_LOGINS.apiToken}' ${url}/api/v1/cases`,
    `  Pratiche demo (password ${DEMO_LOGINS.casePassword}):`,
    ...cases.map((c) => `    ${c.code}  ${c.state.padEnd(11)} ${c.subject.slice(0, 60)}`),
    `  Amministratore (demo):  ${DEMO_LOGINS.adminEmail} / ${DEMO_LOGINS.adminPassword}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
