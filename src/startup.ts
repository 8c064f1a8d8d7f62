import pino from 'pino';
import type { Logger } from 'pino';
import pretty from 'pino-pretty';
import { openDatabase } from './adapters/db/database.ts';
import type { DatabaseHandle, Db } from './adapters/db/database.ts';
import { migrate } from './adapters/db/migrate.ts';
import { deriveMissingFigures } from './application/reports/figures.ts';
import type { Config } from './config.ts';
import { systemClock } from './application/clock.ts';
import type { Clock } from './application/clock.ts';
import { createServices } from './application/services.ts';
import type { Services } from './application/services.ts';

/** What every process does before its work (the server, `pratica worker`, the CLI): its logger and a migrated database. */

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

/** The process's services from its configuration: the system clock, the credentials keys, staff passwords at the production cost. */
export function servicesOf(config: Config, clock: Clock = systemClock): Services {
  return createServices({ clock, credentialsKeys: config.notifications.credentialsKeys });
}

/** The start of the server and of `pratica worker` alike: the weak settings that did not stop the start are told once, here. */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  for (const warning of config.warnings) logger.warn({ variable: warning.variable }, warning.message);
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

