import type { Db } from '../adapters/db/database.ts';

/** One transaction per use case; a use case called inside another's transaction joins it. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
