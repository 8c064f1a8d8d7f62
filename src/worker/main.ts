import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../adapters/db/database.ts';
import { closeChannels, createChannels } from '../adapters/channels/index.ts';
import type { Channels } from '../adapters/channels/index.ts';
import { DEFAULT_RETRY_POLICY } from '../domain/notification/index.ts';
import { Dispatcher } from './dispatcher.ts';
import { livenessFor } from './liveness.ts';
import { startQuestionnaireJob } from './questionnaire.ts';
import { startRetentionJob } from './retention.ts';
import type { Services } from '../application/services.ts';
import { createMetrics, serveMetrics } from '../adapters/metrics.ts';
import type { Metrics } from '../adapters/metrics.ts';
import { createLogger, openMigratedDatabase, servicesOf } from '../startup.ts';

/** Messages in flight at once. PGlite has one connection: more would only queue behind it. */
export const IN_FLIGHT: Readonly<Record<DatabaseHandle['kind'], number>> = { postgres: 32, pglite: 8 };

export interface RunningDispatcher {
  dispatcher: Dispatcher;
  channels: Channels;
  stop(): Promise<void>;
}

/**
 * The dispatcher with the configured channels, the questionnaire's shuffling job and the contacts' retention job:
 * inside the server (WORKER=inprocess) or `pratica worker`.
 */
export function startDispatcher(config: Config, database: DatabaseHandle, services: Services, logger: Logger, metrics?: Metrics): RunningDispatcher {
  const channels = createChannels(config, database.db);
  const dispatcher = new Dispatcher({
    db: database.db,
    channels,
    publicBaseUrl: config.publicBaseUrl,
    sessionSecret: config.sessionSecret,
    clock: services.clock,
    credentialsKeys: services.credentialsKeys,
    listen: database.listen,
    retry: {
      ...DEFAULT_RETRY_POLICY,
      baseDelayMs: config.notifications.retryBaseSeconds * 1000,
      maxAgeMs: config.notifications.maxAgeHours * 3_600_000,
      maxCrashes: config.notifications.maxCrashes,
      maxAttempts: config.notifications.maxAttempts,
    },
    receiptTimeoutMs: config.notifications.receiptTimeoutHours * 3_600_000,
    liveness: livenessFor(database),
    concurrency: IN_FLIGHT[database.kind],
    logger: logger.child({ component: 'dispatcher' }),
    delivery: metrics?.delivery,
  });
  dispatcher.start();
  const questionnaire = startQuestionnaireJob({ db: database.db, clock: services.clock, logger: logger.child({ component: 'questionnaire' }) });
  const retention = startRetentionJob({ db: database.db, clock: services.clock, days: config.retentionContactsDays, logger: logger.child({ component: 'retention' }) });
  logger.info({ workerId: dispatcher.workerId, email: channels.email.provider, sms: channels.sms.provider }, 'notification dispatcher started');
  let stopping: Promise<void> | undefined;
  return {
    dispatcher,
    channels,
    stop: () => (stopping ??= Promise.all([dispatcher.stop(), questionnaire.stop(), retention.stop()]).then(() => closeChannels(channels))),
  };
}

/** `pratica worker`: the dispatcher as its own process, against PostgreSQL; several may run at once. */
export async function runWorkerCommand(config: Config): Promise<number> {
  if (!config.databaseUrl) {
    process.stderr.write(
      'errore: `pratica worker` richiede PostgreSQL (DATABASE_URL=postgres://...). Con il database incorporato (PGlite) ' +
        'un solo processo può aprire i dati: il dispatcher gira dentro il server (WORKER=inprocess, il valore predefinito).\n',
    );
    return 1;
  }
  const logger = createLogger(config);
  const database = await openMigratedDatabase(config, logger);
  const metrics = createMetrics({ db: database.db, processMetrics: true });
  // a worker has no web port: its metrics are served only on METRICS_PORT
  const metricsListener = config.metrics.port === undefined ? undefined : await serveMetrics(metrics, { ...config.metrics, port: config.metrics.port });
  if (metricsListener) logger.info({ port: metricsListener.port, host: config.metrics.host }, 'metrics served');
  const running = startDispatcher(config, database, servicesOf(config), logger, metrics);
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      resolve();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  logger.info('worker stopping: finishing the messages in flight');
  await running.stop();
  await metricsListener?.close();
  await database.close();
  return 0;
}
