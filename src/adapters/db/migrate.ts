import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are files NNNN_name.sql, applied in order, forward only. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`migration file name must be NNNN_name.sql: ${file}`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
}

export const migrationFile = (m: Pick<Migration, 'version' | 'name'>): string => `${String(m.version).padStart(4, '0')}_${m.name}.sql`;

/** sha256 of the file's text; line endings do not count, so a checkout that turns LF into CRLF changes nothing. */
export function migrationChecksum(m: Pick<Migration, 'sql'>): string {
  return createHash('sha256').update(m.sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * A migration already applied whose file now says something else: the database was built from the old text, so
 * the new one would never run here, and databases would silently differ. Nothing starts until it is put right.
 */
export class MigrationChangedError extends Error {
  constructor(readonly file: string) {
    super(
      `la migrazione ${file} è stata modificata dopo essere stata applicata a questo database: ` +
        'ripristinarne il testo originale e scrivere la modifica in una nuova migrazione',
    );
    this.name = 'MigrationChangedError';
  }
}

// Several processes starting together against one PostgreSQL: one migrates, the others wait.
const lock = (trx: Db) => sql`SELECT pg_advisory_xact_lock(472910)`.execute(trx);

/**
 * Applies the pending migrations, each in its own transaction; returns the versions applied. Refuses
 * (MigrationChangedError) when an applied migration's file has changed since; a migration applied before
 * checksums were kept gets the checksum of its file as it is now.
 */
export async function migrate(db: Db, migrations = listMigrations()): Promise<number[]> {
  await db.transaction().execute(async (trx) => {
    await lock(trx);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(trx);
    await sql`ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`.execute(trx);
    const applied = new Map((await trx.selectFrom('schema_migrations').select(['version', 'checksum']).execute()).map((r) => [r.version, r.checksum]));
    for (const migration of migrations) {
      if (!applied.has(migration.version)) continue;
      const recorded = applied.get(migration.version);
      const checksum = migrationChecksum(migration);
      if (recorded === null) {
        await trx.updateTable('schema_migrations').set({ checksum }).where('version', '=', migration.version).execute();
      } else if (recorded !== checksum) {
        throw new MigrationChangedError(migrationFile(migration));
      }
    }
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction().execute(async (trx) => {
      await lock(trx);
      const existing = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', migration.version)
        .executeTakeFirst();
      if (existing) return false;
      await sql.raw(migration.sql).execute(trx);
      await trx.insertInto('schema_migrations').values({ version: migration.version, name: migration.name, checksum: migrationChecksum(migration) }).execute();
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
