import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../adapters/db/database.ts';

/**
 * PostgreSQL's "try again" answers: a deadlock (40P01), which two use cases can meet on the counters kept by
 * triggers (migrations 0007 and 0009) when each changes them in several statements, and a serialization failure.
 * PostgreSQL has rolled the transaction back, so running the use case again loses and repeats nothing.
 */
const TRY_AGAIN = new Set(['40P01', '40001']);
export const TRANSACTION_ATTEMPTS = 3;

/**
 * One transaction per use case; a use case called inside another's transaction joins it. `work` may run again
 * (after a deadlock): it must do nothing outside the transaction.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt >= TRANSACTION_ATTEMPTS || typeof code !== 'string' || !TRY_AGAIN.has(code)) throw error;
      // a few random milliseconds, so that the two transactions do not meet again at once
      await sleep(Math.floor(Math.random() * 20 * attempt));
    }
  }
}
