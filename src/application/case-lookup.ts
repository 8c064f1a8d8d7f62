import type { Db } from '../adapters/db/database.ts';

/** The id of the case with this code, undefined when there is none (codes never change: callers may remember it). */
export async function caseIdOfCode(db: Db, code: string): Promise<string | undefined> {
  return (await db.selectFrom('cases').select('id').where('code', '=', code).executeTakeFirst())?.id;
}
