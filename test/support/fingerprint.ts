import { sql } from 'kysely';
import type { Db } from '../../src/adapters/db/database.ts';

/** Bookkeeping that any request may touch: a session's last activity, an API token's last use, the portal's flood counters. */
const BOOKKEEPING = new Set(['staff_sessions', 'api_tokens', 'portal_throttle', 'schema_migrations']);

/**
 * A cheap digest of every table that holds data: its row count and the newest row version (xmin), which every
 * insert and update renews. Equal before and after a refused request means that nothing was written.
 */
export async function databaseFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const names = tables.rows.map((t) => t.name).filter((name) => !BOOKKEEPING.has(name));
  const parts = names.map((name) =>
    sql`SELECT ${name}::text AS name, count(*)::text || ':' || coalesce(max(x.xmin::text::bigint), 0)::text AS digest FROM ${sql.table(name)} x`);
  const rows = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.digest]));
}
