import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Db } from '../../db/database.ts';
import { listMigrations, migrationFile } from '../../db/migrate.ts';

/** The longest a readiness probe waits for the database: a probe that hangs tells the balancer nothing. */
const DATABASE_CHECK_MS = 3_000;

export interface HealthDeps {
  db: Db;
  /** whether the change feed is heard now; undefined when this process does not listen (no case cache to keep right) */
  changeFeed: () => boolean | undefined;
}

type Check = 'ok' | string;

async function databaseChecks(db: Db, known: readonly { version: number; name: string }[]): Promise<{ database: Check; migrations: Check }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), DATABASE_CHECK_MS);
  });
  try {
    const rows = await Promise.race([db.selectFrom('schema_migrations').select('version').execute(), timeout]);
    const applied = new Set(rows.map((r) => r.version));
    // a newer release may have migrated further (forward-only, compatible): only what this code needs counts
    const missing = known.filter((m) => !applied.has(m.version)).map(migrationFile);
    return { database: 'ok', migrations: missing.length === 0 ? 'ok' : `da applicare: ${missing.join(', ')}` };
  } catch (error) {
    const why = (error as Error).message === 'timeout' ? `nessuna risposta in ${DATABASE_CHECK_MS / 1000} s` : 'non raggiungibile';
    return { database: why, migrations: 'non verificabili senza database' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /health/live: the process answers (restart it if not); /health/ready: it can serve (send traffic to it if so),
 * 503 naming what is not ready. /health is the readiness, as before.
 */
export function healthRoutes(deps: HealthDeps): FastifyPluginAsync {
  return async (app) => {
    const known = listMigrations();
    app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'ok' }));
    const ready = async (_request: unknown, reply: FastifyReply) => {
      const checks: Record<string, Check> = await databaseChecks(deps.db, known);
      const listening = deps.changeFeed();
      if (listening !== undefined) checks.changeFeed = listening ? 'ok' : 'notifiche delle modifiche non ricevute (connessione LISTEN persa)';
      const notReady = Object.keys(checks).filter((name) => checks[name] !== 'ok');
      reply.header('cache-control', 'no-store');
      if (notReady.length > 0) return reply.code(503).send({ status: 'unavailable', notReady, checks });
      return { status: 'ok', checks };
    };
    app.get('/health/ready', { schema: { hide: true } }, ready);
    app.get('/health', { schema: { hide: true } }, ready);
  };
}
