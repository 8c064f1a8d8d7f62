import { after, before } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/db/database.ts';
import { createServerDatabase, usingPostgres } from './database.ts';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The database of one test file's `pratica` commands: embedded in a folder of its own, or with TEST_DATABASE_URL a
 * new database on that server; both removed when the file's tests end. `env` is added to every command's environment.
 */
export function commandsDatabase(prefix: string, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  let databaseUrl = '';
  let dropServerDatabase = async () => {};
  before(async () => {
    if (!usingPostgres()) return;
    const server = await createServerDatabase(process.env.TEST_DATABASE_URL!);
    databaseUrl = server.url;
    dropServerDatabase = server.drop;
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropServerDatabase();
  });
  /** The environment of the file's commands, for one started by the test itself (a long-running worker). */
  const environment = (extra: Record<string, string> = {}) => ({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, ...env, ...extra });
  return {
    dataDir,
    environment,
    open: () => openDatabase(databaseUrl ? { databaseUrl } : { dataDir }),
    /** The real `pratica` command, as `npx pratica` runs it. */
    pratica(args: string[], extra: Record<string, string> = {}): CommandResult {
      const result = spawnSync(process.execPath, ['bin/pratica.mjs', ...args], {
        encoding: 'utf8',
        env: environment(extra),
        timeout: 120_000,
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
