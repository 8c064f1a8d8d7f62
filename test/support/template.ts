import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, overPglite } from '../../src/adapters/db/database.ts';
import type { Database } from '../../src/adapters/db/schema.ts';
import { fixedClock } from '../../src/application/clock.ts';
import type { Clock } from '../../src/application/clock.ts';
import type { CredentialsKeys } from '../../src/application/notifications/secrets.ts';
import { TEST_CREDENTIALS_KEY } from './services.ts';
import { TODAY, seedCatalogue } from './fixtures.ts';
import { listMigrations, migrate } from '../../src/adapters/db/migrate.ts';

/**
 * Booting PGlite from nothing (initdb) and applying every migration costs each test file seconds: scripts/test.mjs
 * makes one migrated database per run and names it here, and createTestDatabase starts each file's database as a
 * copy of it. Unset (a file run by hand with node --test), every file migrates its own database as before.
 */
export const TEMPLATE_ENV = 'PRATICA_TEST_TEMPLATE';

/** The migrations' text and the PGlite version: a cached copy made from other migrations is never used. */
function migrationsKey(): string {
  const pgliteDir = dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  const pglite = JSON.parse(readFileSync(join(pgliteDir, '..', 'package.json'), 'utf8')) as { version: string };
  const hash = createHash('sha256').update(`pglite ${pglite.version}\n`);
  for (const migration of listMigrations()) hash.update(`${migration.version} ${migration.name}\n${migration.sql}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** A migrated PGlite database as a file (dumpDataDir), kept in the temporary folder for the next runs with the same migrations. */
export async function preparePgliteTemplate(): Promise<string> {
  const file = join(tmpdir(), `pratica-test-template-${migrationsKey()}.tar`);
  if (existsSync(file)) return file;
  // the same extensions as openDatabase's embedded database, through the same driver
  const pglite = await PGlite.create({ extensions: { unaccent } });
  const { db } = overPglite(pglite);
  try {
    await migrate(db);
    const dump = await pglite.dumpDataDir('none');
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file); // whole or absent, even with two runs at once
  } finally {
    await db.destroy();
    await pglite.close();
  }
  return file;
}

/**
 * The migrated template with the demo catalogue seeded as createTestApp seeds it by default (fixedClock(TODAY), the
 * suite's credentials key), in `dir`: made again on every run, since the seed follows the code of the day.
 */
export async function preparePgliteSeededTemplate(migrated: string, dir: string): Promise<string> {
  const file = join(dir, 'seeded.tar');
  const pglite = await PGlite.create({ extensions: { unaccent }, loadDataDir: new Blob([readFileSync(migrated)]) });
  const { db } = overPglite(pglite);
  try {
    await seedAsTestApp(db);
    writeFileSync(file, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
  } finally {
    await db.destroy();
    await pglite.close();
  }
  return file;
}

async function seedAsTestApp(db: Kysely<Database>): Promise<void> {
  await seedCatalogue(db, fixedClock(TODAY));
}

/** Whether seeding on `clock` under `keys` now would make what the seeded template holds: same day, same instant, same key. */
export function seededTemplateFits(clock: Clock, keys: CredentialsKeys): boolean {
  if (!process.env[SEEDED_TEMPLATE_ENV]) return false;
  return clock.today() === TODAY && clock.now().getTime() === fixedClock(TODAY).now().getTime() &&
    keys.previous.length === 0 && keys.current.equals(TEST_CREDENTIALS_KEY);
}

export const SEEDED_TEMPLATE_ENV = 'PRATICA_TEST_SEEDED_TEMPLATE';

/** The PGlite templates' content, read once per test process. */
const pgliteTemplates = new Map<string, Blob>();
export function pgliteTemplateData(seeded = false): Blob | undefined {
  const file = process.env[seeded ? SEEDED_TEMPLATE_ENV : TEMPLATE_ENV];
  if (!file || usingServer()) return undefined;
  let blob = pgliteTemplates.get(file);
  if (!blob) pgliteTemplates.set(file, (blob = new Blob([readFileSync(file)])));
  return blob;
}

const usingServer = () => Boolean(process.env.TEST_DATABASE_URL);

/**
 * On PostgreSQL: a migrated database of this run, marked as a template that nobody connects to, so that each test file's
 * CREATE DATABASE ... TEMPLATE copies it. Its name, and how to drop it at the end of the run.
 */
export async function preparePostgresTemplate(serverUrl: string): Promise<{ name: string; seeded: string; drop(): Promise<void> }> {
  const name = `pratica_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  try {
    await migrate(handle.db);
  } finally {
    await handle.close();
  }
  await admin((client) => client.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`));
  // the same with the demo catalogue, as createTestApp seeds it by default
  const seeded = `${name}_seeded`;
  await admin((client) => client.query(`CREATE DATABASE ${seeded} TEMPLATE ${name}`));
  url.pathname = `/${seeded}`;
  const seededHandle = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  try {
    await seedAsTestApp(seededHandle.db);
  } finally {
    await seededHandle.close();
  }
  await admin((client) => client.query(`ALTER DATABASE ${seeded} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`));
  return {
    name,
    seeded,
    drop: () => admin(async (client) => {
      for (const database of [seeded, name]) {
        await client.query(`ALTER DATABASE ${database} WITH IS_TEMPLATE false`);
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }
    }),
  };
}

/** The PostgreSQL template of this run (migrated, or also seeded), if scripts/test.mjs made one. */
export function postgresTemplateName(seeded = false): string | undefined {
  const name = process.env[seeded ? SEEDED_TEMPLATE_ENV : TEMPLATE_ENV];
  return name && usingServer() && /^pratica_template_[a-z0-9_]+$/.test(name) ? name : undefined;
}
