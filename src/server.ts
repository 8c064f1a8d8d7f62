import type { DatabaseHandle } from './adapters/db/database.ts';
import { buildApp } from './adapters/web/app.ts';
import { createRelyingParty } from './adapters/oidc/relying-party.ts';
import type { App } from './adapters/web/app.ts';
import { DEMO_LOGINS, demoCaseCodes, seedDemoData } from './application/demo.ts';
import type { Config } from './config.ts';
import { startDispatcher } from './worker/main.ts';
import { createLogger, openMigratedDatabase, servicesOf } from './startup.ts';
import { createMetrics, serveMetrics } from './adapters/metrics.ts';
import { ioCoverageOf } from './adapters/channels/app-io.ts';

export interface RunningServer {
  app: App;
  database: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

/** The whole system in one process: web server and (on the embedded database) the dispatcher. */
export async function startServer(config: Config, logger = createLogger(config)): Promise<RunningServer> {
  const database = await openMigratedDatabase(config, logger);
  try {
    const services = servicesOf(config);
    const demoLoaded = config.demoData ? await seedDemoData({ ...services, db: database.db }) : false;
    if (demoLoaded) logger.info('demo data loaded: sample offices, procedures and cases');
    const metrics = createMetrics({ db: database.db, processMetrics: true });
    // with a listener of its own (METRICS_PORT), /metrics is not on the public port at all
    const metricsPort = config.metrics.port;
    const oidc = config.oidc
      ? createRelyingParty({
          config: config.oidc, redirectUri: `${config.publicBaseUrl}/pratica/oidc/callback`,
          // http:// is refused in production by the configuration; elsewhere it is a provider on this machine
          allowInsecure: config.oidc.issuer.startsWith('http://'),
        })
      : undefined;
    const app = await buildApp({ ...services, db: database.db, listen: database.listen, oidc, io: ioCoverageOf(config.notifications.io), publicBaseUrl: config.publicBaseUrl, production: config.nodeEnv === 'production', sessionSecret: config.sessionSecret, trustProxyHops: config.trustProxyHops, caseCacheEntries: config.caseCacheEntries, apiRateLimit: config.apiRateLimit, timeouts: config.serverTimeouts, logger,
      metrics, metricsToken: metricsPort === undefined ? config.metrics.token : undefined,
      httpReceipts: config.notifications.smsHttp?.receiptToken ? { token: config.notifications.smsHttp.receiptToken, mapping: config.notifications.smsHttp.receipt, windowMs: config.notifications.receiptTimeoutHours * 3_600_000 } : undefined });
    const address = await app.listen({ port: config.port, host: config.host });
    const metricsListener = metricsPort === undefined ? undefined : await serveMetrics(metrics, { ...config.metrics, port: metricsPort });
    if (metricsListener) logger.info({ port: metricsListener.port, host: config.metrics.host }, 'metrics served');
    const url = config.publicBaseUrl;
    // on the embedded database the dispatcher must live here; on PostgreSQL it may (or run as `pratica worker`)
    const dispatcher = config.worker === 'inprocess' ? startDispatcher(config, database, services, logger, metrics) : undefined;
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
