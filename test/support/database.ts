import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/db/database.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { migrate } from '../../src/adapters/db/migrate.ts';
import { pgliteTemplateData, postgresTemplateName } from './template.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped again on close). Same suite, same SQL.
 * `seeded`: a copy of the run's template with the demo catalogue already seeded (createTestApp, when it fits).
 */
export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<DatabaseHandle> {
  const seeded = options.seeded ?? false;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const loadDataDir = pgliteTemplateData(seeded);
    const handle = await openDatabase({ dataDir: 'memory://', ...(loadDataDir ? { loadDataDir } : {}) });
    // on the run's migrated copy this applies nothing, and still refuses a copy whose migrations differ
    await migrate(handle.db);
    return handle;
  }
  const server = await createServerDatabase(serverUrl, postgresTemplateName(seeded));
  const handle = await openDatabase({ databaseUrl: server.url, poolSize: 5 });
  await migrate(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      await server.drop();
    },
  };
}

/**
 * A new database on the PostgreSQL server of `serverUrl`, empty or a copy of `template` (the run's migrated one):
 * its URL, and how to drop it.
 */
export async function createServerDatabase(serverUrl: string, template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pratica_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export const usingPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL);
