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
  /** how many reverse proxies sit in front: their X-Forwarded-For gives the client address the rate limits use */
  trustProxyHops: number;
  /** cases each web process keeps in memory, for the portal's pages and the API's reads alike (0: none) */
  caseCacheEntries: number;
  /** CREDENTIALS_KEY, SMS_HTTP_*, NOTIFY_*: see docs/notifications.md */
  notifications: NotificationConfig;
}

export interface NotificationConfig {
  /** AES-256-GCM keys sealing citizens' passwords (docs/security.md); never stored in the database */
  credentialsKeys: { current: Buffer; previous: Buffer[] };
  smsHttp: {
    url: string;
    authHeader: string | undefined;
    bodyTemplate: string | undefined;
    contentType: 'application/json' | 'application/x-www-form-urlencoded';
    messageIdPath: string;
    receiptToken: string | undefined;
    receipt: { idPath: string; statusPath: string; delivered: string[]; failed: string[] };
  } | undefined;
  retryBaseSeconds: number;
  /** NOTIFY_MAX_AGE_HOURS: how long a message is retried before a technical failure */
  maxAgeHours: number;
  /** NOTIFY_MAX_CRASHES: how many times a message may be taken back from a dead worker */
  maxCrashes: number;
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
  const notifications = loadNotificationConfig(env, production, dataDir, smsTransport);
  const logLevel = oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info');
  // trusting X-Forwarded-For from anyone would let a client pick the address the login limits count
  const trustProxyHops = Number(env.TRUST_PROXY?.trim() || '0');
  if (!Number.isInteger(trustProxyHops) || trustProxyHops < 0 || trustProxyHops > 10) {
    throw new ConfigError('TRUST_PROXY', `deve essere il numero di proxy davanti al servizio, da 0 a 10 (trovato "${env.TRUST_PROXY}")`);
  }
  const caseCacheEntries = Number(env.CASE_CACHE_ENTRIES?.trim() || '5000');
  if (!Number.isInteger(caseCacheEntries) || caseCacheEntries < 0 || caseCacheEntries > 1_000_000) {
    throw new ConfigError('CASE_CACHE_ENTRIES', `deve essere il numero di pratiche tenute in memoria, da 0 a 1000000 (trovato "${env.CASE_CACHE_ENTRIES}")`);
  }

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
    trustProxyHops,
    caseCacheEntries,
    notifications,
  };
}

function keyVar(name: string, value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new ConfigError(name, 'deve essere una chiave di 32 byte in base64 o esadecimale (es. openssl rand -base64 32)');
  return key;
}

/** Outside production the key is generated once into DATA_DIR, like the session secret. */
function developmentKey(dataDir: string): Buffer {
  const path = join(dataDir, 'credentials-key');
  if (existsSync(path)) return keyVar('CREDENTIALS_KEY', readFileSync(path, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

function positiveInt(env: Env, name: string, fallback: number, max: number): number {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ConfigError(name, `deve essere un intero tra 1 e ${max} (trovato "${value}")`);
  return n;
}

function listVar(env: Env, name: string, fallback: string[]): string[] {
  const value = env[name]?.trim();
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : fallback;
}

function loadNotificationConfig(env: Env, production: boolean, dataDir: string, smsTransport: Config['smsTransport']): NotificationConfig {
  // a count of attempts ended retries after 43 minutes: they now last for an age, and a silent no-op would mislead
  if (env.NOTIFY_MAX_ATTEMPTS?.trim()) throw new ConfigError('NOTIFY_MAX_ATTEMPTS', 'non è più usata: i tentativi durano NOTIFY_MAX_AGE_HOURS ore (predefinito 72)');
  const keyText = env.CREDENTIALS_KEY?.trim();
  if (!keyText && production) throw new ConfigError('CREDENTIALS_KEY', 'è obbligatoria in produzione (32 byte casuali in base64: openssl rand -base64 32)');
  const current = keyText ? keyVar('CREDENTIALS_KEY', keyText) : developmentKey(dataDir);
  const previous = listVar(env, 'CREDENTIALS_KEY_PREVIOUS', []).map((k) => keyVar('CREDENTIALS_KEY_PREVIOUS', k));

  const smsHttpUrl = urlVar(env, 'SMS_HTTP_URL', ['https:', 'http:']);
  requireWhen(smsTransport === 'http', 'SMS_HTTP_URL', smsHttpUrl, 'con SMS_TRANSPORT=http');
  const authHeader = env.SMS_HTTP_AUTH_HEADER?.trim() || undefined;
  if (authHeader !== undefined && !/^[A-Za-z0-9-]+:\s*\S/.test(authHeader)) {
    throw new ConfigError('SMS_HTTP_AUTH_HEADER', 'deve avere la forma "Nome: valore", es. "Authorization: Bearer abc"');
  }
  const contentType = oneOf(env, 'SMS_HTTP_CONTENT_TYPE', ['application/json', 'application/x-www-form-urlencoded'] as const, 'application/json');
  const receiptToken = env.SMS_HTTP_RECEIPT_TOKEN?.trim() || undefined;
  if (receiptToken !== undefined && !/^[A-Za-z0-9_-]{24,}$/.test(receiptToken)) {
    throw new ConfigError('SMS_HTTP_RECEIPT_TOKEN', 'deve avere almeno 24 caratteri tra lettere, cifre, - e _');
  }
  return {
    credentialsKeys: { current, previous },
    smsHttp: smsHttpUrl
      ? {
          url: smsHttpUrl,
          authHeader,
          bodyTemplate: env.SMS_HTTP_BODY?.trim() || undefined,
          contentType,
          messageIdPath: env.SMS_HTTP_MESSAGE_ID_PATH?.trim() || 'id',
          receiptToken,
          receipt: {
            idPath: env.SMS_HTTP_RECEIPT_ID_PATH?.trim() || 'id',
            statusPath: env.SMS_HTTP_RECEIPT_STATUS_PATH?.trim() || 'status',
            delivered: listVar(env, 'SMS_HTTP_RECEIPT_DELIVERED', ['delivered', 'DELIVRD']),
            failed: listVar(env, 'SMS_HTTP_RECEIPT_FAILED', ['failed', 'undelivered', 'rejected', 'expired', 'UNDELIV', 'REJECTD', 'EXPIRED']),
          },
        }
      : undefined,
    retryBaseSeconds: positiveInt(env, 'NOTIFY_RETRY_BASE_SECONDS', 5, 3600),
    maxAgeHours: positiveInt(env, 'NOTIFY_MAX_AGE_HOURS', 72, 720),
    maxCrashes: positiveInt(env, 'NOTIFY_MAX_CRASHES', 3, 100),
  };
}
