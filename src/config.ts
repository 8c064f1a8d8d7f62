import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The configuration contract (shared/design/CONFIG.md): read from the environment once, validated at
 * start. A missing or malformed value stops the process with one line naming the variable.
 */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicBaseUrl: string;
  nodeEnv: 'development' | 'production' | 'test';
  sessionSecret: string;
  demoData: boolean;
  emailTransport: 'outbox' | 'smtp';
  smtpUrl: string | undefined;
  emailFrom: string | undefined;
  smsTransport: 'outbox' | 'smpp' | 'http';
  smppUrl: string | undefined;
  smsSender: string | undefined;
  worker: 'inprocess' | 'off';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`configurazione non valida: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `deve essere uno di: ${allowed.join(', ')} (trovato "${value}")`);
  }
  return value as T;
}

function booleanVar(env: Env, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'yes', 'si', 'sì'].includes(value)) return true;
  if (['false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `deve essere true o false (trovato "${env[name]}")`);
}

function portVar(env: Env, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(name, `deve essere un numero di porta tra 0 e 65535 (trovato "${value}")`);
  }
  return port;
}

function urlVar(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `non è un indirizzo valido (atteso ${protocols.map((p) => `${p}//...`).join(' o ')})`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `deve iniziare con ${protocols.map((p) => `${p}//`).join(' o ')}`);
  }
  return value;
}

function requireWhen(condition: boolean, name: string, value: string | undefined, why: string): void {
  if (condition && value === undefined) throw new ConfigError(name, `è obbligatoria ${why}`);
}

/** Outside production a secret is generated once into DATA_DIR, so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const path = join(dataDir, 'session-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const port = portVar(env, 'PORT', 3000);
  const host = env.HOST?.trim() || '0.0.0.0';
  const databaseUrl = urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const publicBaseUrl = (urlVar(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');

  let sessionSecret = env.SESSION_SECRET?.trim();
  if (sessionSecret !== undefined && sessionSecret !== '' && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'deve avere almeno 32 caratteri');
  }
  if (!sessionSecret) {
    if (production) throw new ConfigError('SESSION_SECRET', 'è obbligatoria in produzione (almeno 32 caratteri casuali)');
    sessionSecret = developmentSecret(dataDir);
  }

  const demoData = booleanVar(env, 'DEMO_DATA', !production);
  if (production && demoData) throw new ConfigError('DEMO_DATA', 'non può essere true in produzione');

  const emailTransport = oneOf(env, 'EMAIL_TRANSPORT', ['outbox', 'smtp'] as const, 'outbox');
  const smtpUrl = urlVar(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  const emailFrom = env.EMAIL_FROM?.trim() || undefined;
  requireWhen(emailTransport === 'smtp', 'SMTP_URL', smtpUrl, 'con EMAIL_TRANSPORT=smtp');
  requireWhen(emailTransport === 'smtp', 'EMAIL_FROM', emailFrom, 'con EMAIL_TRANSPORT=smtp');

  const smsTransport = oneOf(env, 'SMS_TRANSPORT', ['outbox', 'smpp', 'http'] as const, 'outbox');
  const smppUrl = urlVar(env, 'SMPP_URL', ['smpp:', 'ssmpp:']);
  const smsSender = env.SMS_SENDER?.trim() || undefined;
  requireWhen(smsTransport === 'smpp', 'SMPP_URL', smppUrl, 'con SMS_TRANSPORT=smpp');
  requireWhen(smsTransport !== 'outbox', 'SMS_SENDER', smsSender, `con SMS_TRANSPORT=${smsTransport}`);
  if (production && (emailTransport === 'outbox' || smsTransport === 'outbox')) {
    throw new ConfigError(
      emailTransport === 'outbox' ? 'EMAIL_TRANSPORT' : 'SMS_TRANSPORT',
      'non può essere "outbox" in produzione: i messaggi non arriverebbero ai cittadini',
    );
  }

  const worker = oneOf(env, 'WORKER', ['inprocess', 'off'] as const, 'inprocess');
  const logLevel = oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info');

  return {
    port,
    host,
    databaseUrl,
    dataDir,
    publicBaseUrl,
    nodeEnv,
    sessionSecret,
    demoData,
    emailTransport,
    smtpUrl,
    emailFrom,
    smsTransport,
    smppUrl,
    smsSender,
    worker,
    logLevel,
  };
}
