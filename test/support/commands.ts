import { after, before } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/db/database.ts';
import { main } from '../../src/cli.ts';
import { createServerDatabase, usingPostgres } from './database.ts';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The commands that run until stopped (and own the process's signals) always get a process of their own. */
const LONG_RUNNING = new Set(['serve', 'worker']);

/**
 * A `pratica` command run inside the test's own process (no new node and tsx to start, which cost seconds each):
 * the CLI's entry function with the arguments and environment given, its output and exit code captured.
 */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
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
  /** The real `pratica` command in a process of its own, as `npx pratica` runs it. */
  const spawn = (args: string[], extra: Record<string, string> = {}): CommandResult => {
    const result = spawnSync(process.execPath, ['bin/pratica.mjs', ...args], {
      encoding: 'utf8',
      env: environment(extra),
      timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    dataDir,
    environment,
    open: () => openDatabase(databaseUrl ? { databaseUrl } : { dataDir }),
    spawn,
    /**
     * `pratica ARGS` with the file's environment: in the test's own process (see runInProcess), except `serve` and
     * `worker`, which run in a process of their own. A test about processes (a second one on the same embedded
     * database) uses `spawn`.
     */
    async pratica(args: string[], extra: Record<string, string> = {}): Promise<CommandResult> {
      if (LONG_RUNNING.has(args[0] ?? '')) return spawn(args, extra);
      return runInProcess(args, environment(extra));
    },
  };
}
