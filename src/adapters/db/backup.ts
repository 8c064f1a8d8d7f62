import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './database.ts';

/**
 * A copy of the embedded database (PGlite's own data folder, as a gzipped tarball) and its restore, for an
 * installation on one machine. Both hold DATA_DIR's lock, so they are refused while the server runs
 * (DatabaseLockedError): a copy taken under a running server could be torn.
 */

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

const databaseDir = (dataDir: string) => join(dataDir, 'pglite');
/** where a restore leaves the database it replaced, until the next restore */
export const beforeRestoreDir = (dataDir: string) => join(dataDir, 'pglite.before-restore');

async function withLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const release = lockDataDir(dataDir);
  try {
    return await work();
  } finally {
    release();
  }
}

/** Writes the database of `dataDir` to `file`; returns its size in bytes. */
export async function backupEmbedded(dataDir: string, file: string): Promise<number> {
  if (!existsSync(join(databaseDir(dataDir), 'PG_VERSION'))) throw new BackupFileError(`in ${dataDir} non c'è un database da copiare`);
  return withLock(dataDir, async () => {
    const pglite = await PGlite.create(databaseDir(dataDir));
    let tarball: Blob;
    try {
      // everything in the data files, so the copy does not depend on replaying the write-ahead log
      await pglite.exec('CHECKPOINT');
      tarball = await pglite.dumpDataDir('gzip');
    } finally {
      await pglite.close();
    }
    // written aside and renamed: an interrupted backup never leaves a half file under the name asked for
    const partial = `${file}.partial`;
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()), { mode: 0o600 });
    renameSync(partial, file);
    return statSync(file).size;
  });
}

/**
 * Replaces the database of `dataDir` with the one in `file`. The copy is opened and checked apart first, so a
 * bad file changes nothing; the database replaced is kept in beforeRestoreDir. Returns the migrations the copy has.
 */
export async function restoreEmbedded(dataDir: string, file: string): Promise<{ migrations: number; previous: string | undefined }> {
  if (!existsSync(file)) throw new BackupFileError(`il file ${file} non esiste`);
  const tarball = new Blob([readFileSync(file)]);
  return withLock(dataDir, async () => {
    const restoring = join(dataDir, 'pglite.restoring');
    rmSync(restoring, { recursive: true, force: true });
    let migrations: number;
    try {
      const pglite = await PGlite.create(restoring, { loadDataDir: tarball });
      try {
        const { rows } = await pglite.query<{ migrations: number }>('SELECT count(*)::int AS migrations FROM schema_migrations');
        migrations = rows[0]!.migrations;
      } finally {
        await pglite.close();
      }
    } catch (error) {
      rmSync(restoring, { recursive: true, force: true });
      throw new BackupFileError(`il file ${file} non è un backup del database di Pratica Online (${(error as Error).message})`);
    }
    const current = databaseDir(dataDir);
    let previous: string | undefined;
    if (existsSync(current)) {
      previous = beforeRestoreDir(dataDir);
      rmSync(previous, { recursive: true, force: true });
      renameSync(current, previous);
    }
    renameSync(restoring, current);
    return { migrations, previous };
  });
}
