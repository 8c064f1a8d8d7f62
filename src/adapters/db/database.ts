import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/**
 * How our pools read values, set on each pool rather than on pg's process-wide table (which any other code loading
 * pg would share). DATE columns hold calendar days (a deadline, a protocol date): kept as 'YYYY-MM-DD' strings instead
 * of midnight-UTC Date objects that shift with the time zone; counts (bigint) as numbers.
 */
export const DATABASE_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.DATE) return (value: string) => value;
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export type Db = Kysely<Database>;

export interface NotificationHandlers {
  /** a NOTIFY on the channel, delivered after the sender's commit */
  message(payload: string): void;
  /**
   * false: notifications can be missed from now on (the connection is lost); true: listening again,
   * and anything sent meanwhile was missed.
   */
  listening(listening: boolean): void;
}

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  /** 'postgres' scales out (several web processes and workers); 'pglite' is one process only. */
  kind: 'postgres' | 'pglite';
  /** LISTEN on a channel until the returned function is called; PostgreSQL reconnects when the connection drops. */
  listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** folder of the embedded database; 'memory://' keeps it in memory (tests) */
  dataDir?: string;
  poolSize?: number;
  /** the embedded database starts as this copy (PGlite's dumpDataDir): the tests' migrated database, made once per run */
  loadDataDir?: Blob;
}

export class DatabaseLockedError extends Error {
  constructor(
    lockPath: string,
    /** the process that holds the folder: the server, as a rule */
    readonly pid: string,
  ) {
    super(
      `il database incorporato in ${lockPath.replace(/\/[^/]+$/, '')} è già in uso dal processo ${pid}: ` +
        'PGlite ammette un solo processo. Fermare l\'altro processo, oppure usare PostgreSQL (DATABASE_URL) ' +
        'per più processi.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Two processes on one PGlite folder silently corrupt it: hold an exclusive lock file. Returns its release. */
export function lockDataDir(dir: string): () => void {
  const lockPath = join(dir, 'pratica.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readFileSync(lockPath, 'utf8').trim();
      if (processIsAlive(Number(holder)) && Number(holder) !== process.pid) {
        throw new DatabaseLockedError(lockPath, holder);
      }
      unlinkSync(lockPath); // left behind by a process that died
    }
  }
  throw new DatabaseLockedError(lockPath, 'sconosciuto');
}

/** Kysely over an embedded database, through the same pg driver and value parsers as a server's pool. */
export function overPglite(pglite: PGlite): { db: Db; pool: pg.Pool } {
  // PGlite has a single connection: a caller waits for it, but not forever.
  const pool = new pg.Pool({ ...createPgConfig(pglite), types: DATABASE_TYPES, max: 1, connectionTimeoutMillis: 30_000 } as pg.PoolConfig);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      types: DATABASE_TYPES,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
    });
    // an idle connection closed by the server (restart, administrator) must not crash the process: the pool drops it
    pool.on('error', (error) => process.emitWarning(`PostgreSQL: connessione inattiva chiusa dal server (${error.message})`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const databaseUrl = options.databaseUrl;
    return { db, pool, kind: 'postgres', listen: (channel, handlers) => listenOnPostgres(databaseUrl, channel, handlers), close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? './data';
  const inMemory = dataDir.startsWith('memory://');
  let releaseLock = () => {};
  let pgliteDir: string | undefined;
  if (!inMemory) {
    // PGlite does not create parent folders
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
    pgliteDir = join(dataDir, 'pglite');
  }
  try {
    // unaccent: the case search folds accents (migration 0021)
    const pglite = await PGlite.create(pgliteDir, { extensions: { unaccent }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    const { db, pool } = overPglite(pglite);
    return {
      db,
      pool,
      kind: 'pglite',
      async listen(channel, handlers) {
        // one process, one connection: nothing can be missed
        const unlisten = await pglite.listen(channel, handlers.message);
        handlers.listening(true);
        return unlisten;
      },
      async close() {
        await db.destroy();
        await pglite.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

const RECONNECT_MS = 1_000;

/** A dedicated connection (a pooled one would be handed to queries); reopened a second after it drops. */
async function listenOnPostgres(databaseUrl: string, channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name: ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let connecting: Promise<void> = Promise.resolve();

  const connect = async (): Promise<void> => {
    const current = new pg.Client({ connectionString: databaseUrl, application_name: `pratica-listen ${channel}` });
    client = current;
    const lost = () => {
      if (client !== current) return;
      client = undefined;
      handlers.listening(false);
      void current.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => (connecting = connect()), RECONNECT_MS);
    };
    current.on('notification', (notification) => handlers.message(notification.payload ?? ''));
    current.on('error', lost);
    current.on('end', lost);
    try {
      await current.connect();
      await current.query(`LISTEN ${channel}`);
      if (client === current) handlers.listening(true);
    } catch {
      lost();
    }
  };

  connecting = connect();
  await connecting;
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await connecting;
    const last = client;
    client = undefined;
    await last?.end().catch(() => undefined);
  };
}
