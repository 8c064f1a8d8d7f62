import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig } from './config.ts';
import type { Config } from './config.ts';
import { DatabaseLockedError, openDatabase } from './adapters/db/database.ts';
import { BackupFileError, backupEmbedded, restoreEmbedded } from './adapters/db/backup.ts';
import { MigrationChangedError } from './adapters/db/migrate.ts';
import { startServer } from './server.ts';
import { createLogger, openMigratedDatabase, servicesOf, upgradeDatabase } from './startup.ts';
import type { Actor } from './application/audit.ts';
import { audit } from './application/audit.ts';
import { inTransaction } from './application/transaction.ts';
import { newPassword } from './application/credentials.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './application/tokens.ts';
import { italianDayAndTime, systemClock } from './application/clock.ts';
import { generateCases } from './application/generator.ts';
import { seedDemoData } from './application/demo.ts';
import { runDeadlineCommand } from './cli/deadline.ts';
import { checkReportCounters, repairReportCounters } from './application/reports/counters.ts';
import type { CounterCheck } from './application/reports/counters.ts';
import { createHolidayCalendar } from './domain/deadline/index.ts';
import { DomainError } from './domain/errors.ts';
import { normalizeEmail } from './domain/case/contacts.ts';
import { SetupRefused, loadAdministration, setUpAdministration } from './application/administration.ts';
import { SetupFileError, askSetup, describeSetup, readSetupFile } from './cli/setup.ts';
import type { SetupFile } from './cli/setup.ts';

const USAGE = `uso: pratica <comando> [opzioni]

comandi:
  serve                                   avvia il server (come npm start)
  migrate                                 applica le migrazioni al database
  deadline --from AAAA-MM-GG --term TERMINE [eventi] [--json]
                                          calcola una scadenza (pratica deadline --help)
  setup --file FILE.json                  crea o aggiorna l'amministrazione (chiavi in docs/setup.md);
                                          senza --file, da terminale, chiede i dati uno per uno
  token create --name NOME [--office CODICE]
                                          crea un token per l'API (mostrato una sola volta)
  token list                              elenca i token: id, nome, ufficio, creazione, ultimo uso, revoca
  token revoke ID                         revoca un token: vale subito per ogni processo
  user create --role admin|office-manager|case-officer --email EMAIL --name NOME [--office CODICE]
                                          crea un utente del back office (password mostrata una sola volta)
  worker                                  invia i messaggi in coda (PostgreSQL; più worker insieme)
  seed --cases N                          genera N pratiche di prova (per i benchmark)
  report-counts [--repair]                verifica i contatori dei report sulle pratiche; --repair li ricalcola
  backup FILE                             copia il database incorporato (PGlite) in FILE, a server fermo
  restore FILE                            sostituisce il database incorporato con la copia in FILE, a server fermo
  bench                                   esegue i benchmark (npm run bench)

configurazione: variabili d'ambiente, vedi README.md
`;

const CLI_ACTOR: Actor = { kind: 'cli', id: process.env.USER ?? 'cli', name: 'riga di comando', officeId: null };

/**
 * Where a command reads its environment and writes its output: the process's own, or a test's, which runs commands
 * in its own process (bin/pratica.mjs runs them in a process of their own).
 */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

class UsageError extends Error {}

function option(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`manca --${name}`);
  return value.trim();
}

async function withDatabase<T>(config: Config, io: CliIo, work: (db: Awaited<ReturnType<typeof openMigratedDatabase>>) => Promise<T>): Promise<T> {
  const database = await openMigratedDatabase(config, createLogger({ ...config, logLevel: 'warn' }, io.stdout));
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

async function serve(config: Config, io: CliIo): Promise<number> {
  const server = await startServer(config, createLogger(config, io.stdout));
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      void server.stop().then(resolve);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  return 0;
}

async function createToken(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, office: { type: 'string' } } });
  const name = option(values, 'name');
  const created = await withDatabase(config, io, ({ db }) => createApiToken(db, CLI_ACTOR, name, values.office));
  io.stdout.write(
    `Token "${created.name}" creato${created.officeCode ? ` per l'ufficio ${created.officeCode}` : ' (tutti gli uffici)'}.\n` +
      `Conservarlo ora: non sarà più mostrato.\n${created.token}\n`,
  );
  return 0;
}

const instant = (date: Date | null) => (date ? italianDayAndTime(date) : '—');

async function listTokens(config: Config, args: string[], io: CliIo): Promise<number> {
  parseArgs({ args, options: {} });
  const tokens = await withDatabase(config, io, ({ db }) => listApiTokens(db));
  if (tokens.length === 0) {
    io.stdout.write('nessun token\n');
    return 0;
  }
  const rows = [['ID', 'NOME', 'UFFICIO', 'CREATO', 'ULTIMO USO', 'REVOCATO'], ...tokens.map((t) => [
    t.id, t.name, t.officeCode ?? 'tutti', instant(t.createdAt), instant(t.lastUsedAt), instant(t.revokedAt),
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  io.stdout.write(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
  return 0;
}

async function revokeToken(config: Config, args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('uso: pratica token revoke ID (l\'ID da pratica token list)');
  const revoked = await withDatabase(config, io, ({ db }) => revokeApiToken(db, CLI_ACTOR, positionals[0]!));
  io.stdout.write(revoked.alreadyRevoked ? `Il token "${revoked.name}" era già revocato.\n` : `Token "${revoked.name}" revocato: non apre più l'API.\n`);
  return 0;
}

async function createUser(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, office: { type: 'string' }, phone: { type: 'string' } },
  });
  const role = option(values, 'role');
  if (role !== 'admin' && role !== 'office-manager' && role !== 'case-officer') {
    throw new UsageError('--role deve essere admin, office-manager o case-officer');
  }
  const email = normalizeEmail(option(values, 'email'));
  const name = option(values, 'name');
  if (role !== 'admin' && !values.office) throw new UsageError(`--office è obbligatorio per il ruolo ${role}`);
  const password = newPassword();
  const passwordHash = await servicesOf(config).staffPasswords.hash(password);
  await withDatabase(config, io, ({ db }) =>
    inTransaction(db, async (trx) => {
      let officeId: string | null = null;
      if (values.office) {
        const office = await trx.selectFrom('offices').select('id').where('code', '=', values.office).executeTakeFirst();
        if (!office) throw new DomainError('not-found', `Ufficio "${values.office}" non trovato.`);
        officeId = office.id;
      }
      if (await trx.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirst()) {
        throw new DomainError('conflict', `Esiste già un utente con e-mail ${email}.`);
      }
      const id = randomUUID();
      await trx.insertInto('staff').values({ id, office_id: officeId, name, role, email, phone: values.phone ?? null, password_hash: passwordHash, must_change_password: true }).execute();
      await audit(trx, CLI_ACTOR, { action: 'staff.create', entity: 'staff', entityId: id, officeId, after: { name, role, email } });
    }),
  );
  io.stdout.write(`Utente ${email} (${role}) creato. Password iniziale, da cambiare al primo accesso:\n${password}\n`);
  return 0;
}

async function setup(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
  if (values.file === undefined && !process.stdin.isTTY) throw new UsageError('manca --file (senza --file il comando chiede i dati, ma solo da un terminale)');
  return withDatabase(config, io, async ({ db }) => {
    let input: SetupFile;
    if (values.file !== undefined) input = readSetupFile(option(values, 'file'));
    else {
      const current = await loadAdministration(db);
      const { createInterface } = await import('node:readline/promises');
      const terminal = createInterface({ input: process.stdin, output: process.stdout });
      try {
        input = await askSetup((question) => terminal.question(question), current?.values ?? null);
      } finally {
        terminal.close();
      }
    }
    try {
      const outcome = await setUpAdministration(db, CLI_ACTOR, input.data, input.logo);
      const administration = await loadAdministration(db);
      io.stdout.write(describeSetup(outcome, administration?.values.name ?? ''));
      return 0;
    } catch (error) {
      if (!(error instanceof SetupRefused)) throw error;
      io.stderr.write(`errore: dati non validi, nulla è stato salvato:\n${error.problems.map((problem) => `  ${problem.message}\n`).join('')}`);
      return 2;
    }
  });
}

async function seed(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { cases: { type: 'string' } } });
  const count = Number(option(values, 'cases'));
  if (!Number.isInteger(count) || count < 1 || count > 10_000_000) throw new UsageError('--cases deve essere un intero tra 1 e 10000000');
  await withDatabase(config, io, async ({ db }) => {
    await seedDemoData({ ...servicesOf(config), db });
    const started = Date.now();
    await generateCases(db, { count, today: systemClock.today(), onProgress: (done) => io.stdout.write(`\r${done}/${count} pratiche`) });
    io.stdout.write(`\n${count} pratiche generate in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
  return 0;
}

async function reportCounts(config: Config, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { repair: { type: 'boolean' } } });
  return withDatabase(config, io, async ({ db }) => {
    const describe = (check: CounterCheck) =>
      `contatori dei report: ${check.caseCounters} sulle pratiche, ${check.suspensionCounters} sulle sospensioni; ` +
      (check.differences === 0 ? 'uguali al conteggio sulle pratiche\n' : `${check.differences} diversi dal conteggio sulle pratiche, ad esempio:\n${check.examples.map((e) => `  ${e}\n`).join('')}`);
    const check = await checkReportCounters(db);
    io.stdout.write(describe(check));
    if (check.differences === 0) return 0;
    if (!values.repair) {
      io.stderr.write('errore: i report mostrerebbero dati errati; ricalcolare con: pratica report-counts --repair\n');
      return 1;
    }
    await repairReportCounters(db, CLI_ACTOR);
    const after = await checkReportCounters(db);
    io.stdout.write(`ricalcolati: ${describe(after)}`);
    return after.differences === 0 ? 0 : 1;
  });
}

/** On PostgreSQL the server's own tools copy the database, online and consistently: they are named instead. */
function postgresBackupHint(command: 'backup' | 'restore', io: CliIo): number {
  io.stderr.write(
    `errore: \`pratica ${command}\` copia solo il database incorporato (PGlite); con PostgreSQL (DATABASE_URL) usare gli strumenti del server:\n` +
      '  backup:     pg_dump --format=custom --file=pratica.dump "$DATABASE_URL"\n' +
      '  ripristino: pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" pratica.dump\n',
  );
  return 2;
}

/** `pratica backup FILE` and `pratica restore FILE`: the embedded database, with the server stopped. */
async function backupCommand(config: Config, command: 'backup' | 'restore', args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [file, extra] = positionals;
  if (file === undefined || extra !== undefined) throw new UsageError(`uso: pratica ${command} FILE`);
  if (config.databaseUrl) return postgresBackupHint(command, io);
  try {
    if (command === 'backup') {
      const bytes = await backupEmbedded(config.dataDir, file);
      io.stdout.write(
        `backup del database incorporato scritto in ${file} (${(bytes / 1_048_576).toFixed(1)} MB).\n` +
          'Le chiavi non sono nel backup, e non devono esserci: conservare a parte CREDENTIALS_KEY e SESSION_SECRET ' +
          `(o i file credentials-key e session-secret di ${config.dataDir}).\n`,
      );
    } else {
      const { previous } = await restoreEmbedded(config.dataDir, file);
      io.stdout.write(
        `database incorporato ripristinato da ${file}.\n` +
          (previous ? `Il database sostituito è in ${previous}: eliminarlo quando non serve più.\n` : '') +
          'Le migrazioni mancanti si applicano al prossimo avvio (pratica serve o pratica migrate).\n',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof DatabaseLockedError) {
      io.stderr.write(
        `errore: il database incorporato in ${config.dataDir} è in uso dal processo ${error.pid} (il server?): ` +
          `fermarlo e ripetere pratica ${command} (il database incorporato ammette un solo processo)\n`,
      );
      return 1;
    }
    if (error instanceof BackupFileError) {
      io.stderr.write(`errore: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** node:util parseArgs speaks English: its three mistakes, said in Italian with the option it names. */
function optionProblem(error: Error): string {
  const option = /'([^' ]+)/.exec(error.message)?.[1] ?? '';
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `opzione sconosciuta: ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message) ? `l'opzione ${option} non vuole un valore` : `l'opzione ${option} vuole un valore`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `argomento inatteso: ${option}`;
    default: return error.message;
  }
}

export async function main(argv: string[], io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'deadline': {
        const result = runDeadlineCommand(rest, createHolidayCalendar([]));
        io.stdout.write(result.stdout);
        io.stderr.write(result.stderr);
        return result.exitCode;
      }
      case 'serve':
        return await serve(loadConfig(io.env), io);
      case 'migrate': {
        const config = loadConfig(io.env);
        const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        try {
          const { migrations, derivedFigures } = await upgradeDatabase(database.db, createLogger({ ...config, logLevel: 'warn' }, io.stdout));
          io.stdout.write(migrations.length ? `migrazioni applicate: ${migrations.join(', ')}\n` : 'database già aggiornato\n');
          if (derivedFigures) io.stdout.write(`dati dei report calcolati per ${derivedFigures} pratiche che non li avevano\n`);
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'token':
        if (rest[0] === 'list') return await listTokens(loadConfig(io.env), rest.slice(1), io);
        if (rest[0] === 'revoke') return await revokeToken(loadConfig(io.env), rest.slice(1), io);
        if (rest[0] !== 'create') throw new UsageError('uso: pratica token create --name NOME [--office CODICE] | token list | token revoke ID');
        return await createToken(loadConfig(io.env), rest.slice(1), io);
      case 'user':
        if (rest[0] !== 'create') throw new UsageError('uso: pratica user create --role RUOLO --email EMAIL --name NOME [--office CODICE]');
        return await createUser(loadConfig(io.env), rest.slice(1), io);
      case 'setup':
        return await setup(loadConfig(io.env), rest, io);
      case 'seed':
        return await seed(loadConfig(io.env), rest, io);
      case 'report-counts':
        return await reportCounts(loadConfig(io.env), rest, io);
      case 'worker':
        return await (await import('./worker/main.ts')).runWorkerCommand(loadConfig(io.env));
      case 'backup':
      case 'restore':
        return await backupCommand(loadConfig(io.env), command, rest, io);
      case 'bench': {
        const { runBenchmarks } = await import('../bench/run.ts');
        return await runBenchmarks(rest);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`comando sconosciuto: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`errore: ${error instanceof UsageError ? error.message : optionProblem(error)}\n\n${USAGE}`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      io.stderr.write(`errore: l'indirizzo ${(error as { address?: string }).address ?? ''}:${(error as { port?: number }).port ?? ''} è già in uso: fermare l'altro processo o impostare un'altra PORT\n`);
      return 1;
    }
    if (error instanceof SetupFileError) {
      io.stderr.write(`errore: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DatabaseLockedError || error instanceof MigrationChangedError || error instanceof DomainError) {
      io.stderr.write(`errore: ${error.message}\n`);
      return error instanceof DomainError ? 2 : 1;
    }
    throw error;
  }
}
