import type pg from 'pg';
import type { DatabaseHandle } from '../adapters/db/database.ts';

/**
 * Which dispatchers are alive, so that the messages of a dead one go back to the queue at once instead
 * of after its lease.
 */
export interface WorkerLiveness {
  /** Marks the worker alive until `release`; false when that cannot be done now (call again later). */
  hold(workerId: string): Promise<boolean>;
  release(workerId: string): Promise<void>;
  /** Calls `reclaim` with those of these workers (never the caller) that are dead, while they cannot come back. */
  dead(workerIds: readonly string[], reclaim: (deadIds: string[]) => Promise<void>): Promise<void>;
}

// the first key of the two-key advisory locks: apart from the one-key locks of the receipts
const WORKER_LOCK_SPACE = 0x50524f4e;

/**
 * PostgreSQL: each worker holds a session-level advisory lock on a connection of its own; the server frees
 * it the moment that connection dies (kill -9, a crash, a lost host). A lock another worker can take
 * belongs to a dead worker; it is kept while that worker's rows are put back, so a worker of the same id
 * cannot claim in between, then released.
 */
export function advisoryLockLiveness(pool: pg.Pool): WorkerLiveness {
  const held = new Map<string, pg.PoolClient>();
  return {
    async hold(workerId) {
      if (held.has(workerId)) return true;
      let client: pg.PoolClient | undefined;
      try {
        client = await pool.connect();
        const connection = client;
        connection.on('error', (error) => {
          // the connection died (the server restarted, an administrator ended it): the lock is gone with it
          if (held.get(workerId) !== connection) return;
          held.delete(workerId);
          connection.release(error);
        });
        const { rows } = await connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [WORKER_LOCK_SPACE, workerId]);
        if (!rows[0]?.locked) {
          connection.release(true);
          return false;
        }
        held.set(workerId, connection);
        return true;
      } catch {
        client?.release(true);
        return false;
      }
    },
    async release(workerId) {
      const client = held.get(workerId);
      if (!client) return;
      held.delete(workerId);
      // closed rather than returned to the pool: a pooled connection must not keep the lock
      client.release(true);
    },
    async dead(workerIds, reclaim) {
      if (workerIds.length === 0) return;
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        const { rows } = await client.query<{ id: string }>(
          'SELECT id FROM unnest($2::text[]) AS w(id) WHERE pg_try_advisory_lock($1, hashtext(id))',
          [WORKER_LOCK_SPACE, workerIds],
        );
        const dead = rows.map((r) => r.id);
        try {
          if (dead.length > 0) await reclaim(dead);
        } finally {
          if (dead.length > 0) await client.query('SELECT pg_advisory_unlock($1, hashtext(id)) FROM unnest($2::text[]) AS w(id)', [WORKER_LOCK_SPACE, dead]);
        }
      } catch (error) {
        broken = error as Error;
        throw error;
      } finally {
        // after an error the connection may still hold a dead worker's lock: closed, not pooled
        client.release(broken ?? false);
      }
    },
  };
}

/**
 * The embedded database admits one process: the dispatchers alive are those this process runs, and any
 * other worker named in the table died with an earlier process (a kill -9 of the server).
 */
export function inProcessLiveness(): WorkerLiveness {
  const alive = new Set<string>();
  return {
    async hold(workerId) {
      alive.add(workerId);
      return true;
    },
    async release(workerId) {
      alive.delete(workerId);
    },
    async dead(workerIds, reclaim) {
      const dead = workerIds.filter((id) => !alive.has(id));
      if (dead.length > 0) await reclaim(dead);
    },
  };
}

const embedded = new WeakMap<DatabaseHandle['db'], WorkerLiveness>();

/** The liveness that fits the database: advisory locks on PostgreSQL, the process itself on PGlite. */
export function livenessFor(database: DatabaseHandle): WorkerLiveness {
  if (database.kind === 'postgres') return advisoryLockLiveness(database.pool);
  let liveness = embedded.get(database.db);
  if (!liveness) embedded.set(database.db, (liveness = inProcessLiveness()));
  return liveness;
}
