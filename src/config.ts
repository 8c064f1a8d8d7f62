import { createPrivateKey, randomBytes } from 'node:crypto';
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
  /** requests each API token may make per minute, in each web process */
  apiRateLimit: number;
  /** CREDENTIALS_KEY, SMS_HTTP_*, NOTIFY_*: see docs/notifications.md */
  notifications: NotificationConfig;
  /** REQUEST_/HEADERS_/KEEP_ALIVE_/SOCKET_TIMEOUT_SECONDS */
  serverTimeouts: ServerTimeouts;
  /** METRICS_TOKEN, METRICS_PORT, METRICS_HOST: where /metrics is served, if anywhere */
  metrics: MetricsConfig;
  /** RETENTION_CONTACTS_DAYS: days after closure when a case's contacts and sealed password are erased */
  retentionContactsDays: number;
  /** OIDC_*: SPID/CIE sign-in through an OpenID Connect provider or gateway (docs/spid-cie.md); undefined: off */
  oidc: OidcConfig | undefined;
  /** weak settings tolerated here (outside production, or harmless enough): logged once at start */
  warnings: ConfigWarning[];
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** client_secret_basic, or private_key_jwt with the key read from OIDC_PRIVATE_KEY_FILE */
  clientAuth: { method: 'client_secret_basic'; secret: string } | { method: 'private_key_jwt'; privateKeyPem: string; keyId: string | undefined };
  scopes: string;
  acrValues: string | undefined;
  fiscalCodeClaim: string;
  providerLabel: string;
}

export interface ConfigWarning {
  variable: string;
  message: string;
}

/** How long the web server waits on a client, so that slow or silent clients cannot hold its sockets. */
export interface ServerTimeouts {
  /** the whole request, headers and body (a staff CSV import on a slow line must fit) */
  requestSeconds: number;
  /** the request's headers, from the connection's first moment */
  headersSeconds: number;
  /** a kept-alive connection idle between two requests */
  keepAliveSeconds: number;
  /** a connection on which nothing moves either way (a client that stops reading the answer) */
  socketSeconds: number;
}

/**
 * /metrics is off unless asked for: on the web port behind METRICS_TOKEN, or on a listener of its own
 * (METRICS_PORT, on METRICS_HOST) that the reverse proxy does not publish, behind the token too when it is set.
 */
export interface MetricsConfig {
  token: string | undefined;
  port: number | undefined;
  host: string;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { requestSeconds: 60, headersSeconds: 15, keepAliveSeconds: 5, socketSeconds: 120 };

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
  /** SMS_RECEIPT_TIMEOUT_HOURS: after it, an SMS without a delivery receipt ends in sent-no-receipt */
  receiptTimeoutHours: number;
  /** NOTIFY_MAX_CRASHES: how many times a message may be taken back from a dead worker */
  maxCrashes: number;
  /** NOTIFY_MAX_ATTEMPTS: an optional cap on failed attempts, besides the maximum age */
  maxAttempts: number | undefined;
  /** IO_API_URL, IO_API_KEY, IO_API_KEYS: the App IO channel; undefined (off) without any key */
  io: IoConfig | undefined;
}

export interface IoConfig {
  url: string;
  defaultKey: string | undefined;
  /** office code → the key of that office's own IO service */
  keysByOffice: Map<string, string>;
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

/** A setting that works but weakens the service: refused in production when `refuse`, a warning otherwise. */
interface Finding {
  variable: string;
  problem: string;
  refuse: boolean;
}

/** Production stops at the first refused finding, with one line; every other finding becomes a warning. */
function settle(findings: Finding[], production: boolean): ConfigWarning[] {
  const refused = production ? findings.find((f) => f.refuse) : undefined;
  if (refused) throw new ConfigError(refused.variable, refused.problem);
  return findings.map((f) => ({ variable: f.variable, message: `avviso di configurazione: ${f.variable} ${f.problem}` }));
}

/** The developer's own machine or a local relay: nothing crosses the network. */
function onLoopback(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname.endsWith('.localhost') || url.hostname === '[::1]' || /^127\./.test(url.hostname);
}

/** A validated URL variable whose traffic goes in clear; one on this machine only when `evenOnLoopback`. */
function inClear(value: string | undefined, protocol: string, evenOnLoopback: boolean): boolean {
  if (value === undefined) return false;
  const url = new URL(value);
  return url.protocol === protocol && (evenOnLoopback || !onLoopback(url));
}

/**
 * NIST SP 800-57 part 1: 112 bits is the least security strength still acceptable. The estimate below is
 * cautious, so a random 128-bit secret (openssl rand -hex 16) stays well above it.
 */
const MIN_SECRET_BITS = 112;

/**
 * A cautious estimate of the bits in a secret: a symbol that continues a run (aaaa, abcd, 1234) or repeats
 * four symbols seen before (abcabc, passwordpassword) adds nothing; every other one adds log2 of the
 * alphabet, but no more than log2 of twice the distinct symbols the secret shows. It catches repetition,
 * sequences and small alphabets; it cannot tell a phrase from random text.
 */
export function estimatedBits(symbols: readonly number[], alphabet: number): number {
  const perSymbol = Math.log2(Math.min(alphabet, 2 * new Set(symbols).size));
  const seen = new Set<string>();
  let informative = 0;
  symbols.forEach((symbol, i) => {
    if (i < 3) {
      informative++;
      return;
    }
    const [a, b, c] = [symbols[i - 3]!, symbols[i - 2]!, symbols[i - 1]!];
    const run = symbol - c === c - b && c - b === b - a;
    const gram = `${a},${b},${c},${symbol}`;
    if (!run && !seen.has(gram)) informative++;
    seen.add(gram);
  });
  return informative * perSymbol;
}

/** The alphabet a secret seems drawn from: digits, hex, one-case alphanumerics, base64, printable ASCII. */
function alphabetOf(text: string): number {
  if (/^[0-9]+$/.test(text)) return 10;
  if (/^[0-9a-f]+$/.test(text) || /^[0-9A-F]+$/.test(text)) return 16;
  if (/^[0-9a-z]+$/.test(text) || /^[0-9A-Z]+$/.test(text)) return 36;
  if (/^[0-9A-Za-z+/=_-]+$/.test(text)) return 64;
  return 95;
}

function weakSecret(variable: string, secret: string): Finding | undefined {
  const bits = Math.floor(estimatedBits([...secret].map((c) => c.codePointAt(0)!), alphabetOf(secret)));
  if (bits >= MIN_SECRET_BITS) return undefined;
  return { variable, problem: `è debole (circa ${bits} bit stimati, ne servono ${MIN_SECRET_BITS}: caratteri ripetuti, in sequenza o pochi simboli diversi): generarla con openssl rand -base64 32`, refuse: true };
}

function weakKey(variable: string, key: Buffer): Finding | undefined {
  if (estimatedBits([...key], 256) >= MIN_SECRET_BITS) return undefined;
  return { variable, problem: 'non è una chiave casuale (byte ripetuti o in sequenza): generarla con openssl rand -base64 32', refuse: true };
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
  const findings: Finding[] = [];
  const publicUrl = urlVar(env, 'PUBLIC_BASE_URL', ['http:', 'https:']);
  if (publicUrl === undefined && production) {
    throw new ConfigError('PUBLIC_BASE_URL', "è obbligatoria in produzione: l'indirizzo https:// messo nei link inviati ai cittadini");
  }
  // in production even a localhost address is refused: no citizen could follow the link
  if (inClear(publicUrl, 'http:', production)) {
    findings.push({ variable: 'PUBLIC_BASE_URL', problem: 'deve iniziare con https://: i link inviati ai cittadini viaggerebbero in chiaro', refuse: true });
  }
  const publicBaseUrl = (publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');

  let sessionSecret = env.SESSION_SECRET?.trim();
  if (sessionSecret !== undefined && sessionSecret !== '' && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'deve avere almeno 32 caratteri');
  }
  if (sessionSecret) findings.push(...optional(weakSecret('SESSION_SECRET', sessionSecret)));
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
  // a relay on this machine needs no TLS, even in production; elsewhere STARTTLS "when offered" can be stripped on the way
  if (inClear(smtpUrl, 'smtp:', false) && new URL(smtpUrl!).searchParams.get('require_tls') !== 'true') {
    findings.push({ variable: 'SMTP_URL', problem: 'usa STARTTLS solo se il server lo offre: aggiungere ?require_tls=true o usare smtps://', refuse: false });
  }

  const smsTransport = oneOf(env, 'SMS_TRANSPORT', ['outbox', 'smpp', 'http'] as const, 'outbox');
  const smppUrl = urlVar(env, 'SMPP_URL', ['smpp:', 'ssmpp:']);
  const smsSender = env.SMS_SENDER?.trim() || undefined;
  requireWhen(smsTransport === 'smpp', 'SMPP_URL', smppUrl, 'con SMS_TRANSPORT=smpp');
  if (inClear(smppUrl, 'smpp:', false)) {
    findings.push({ variable: 'SMPP_URL', problem: 'invia password e messaggi in chiaro: usare ssmpp:// o una rete privata verso il fornitore', refuse: false });
  }
  requireWhen(smsTransport !== 'outbox', 'SMS_SENDER', smsSender, `con SMS_TRANSPORT=${smsTransport}`);
  if (production && (emailTransport === 'outbox' || smsTransport === 'outbox')) {
    throw new ConfigError(
      emailTransport === 'outbox' ? 'EMAIL_TRANSPORT' : 'SMS_TRANSPORT',
      'non può essere "outbox" in produzione: i messaggi non arriverebbero ai cittadini',
    );
  }

  const worker = oneOf(env, 'WORKER', ['inprocess', 'off'] as const, 'inprocess');
  const notifications = loadNotificationConfig(env, production, dataDir, smsTransport, findings);
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

  const apiRateLimit = positiveInt(env, 'API_RATE_LIMIT', 1200, 1_000_000);
  const serverTimeouts = loadServerTimeouts(env);
  const metrics = loadMetricsConfig(env, findings);
  // the closing message and its retries (NOTIFY_MAX_AGE_HOURS, at most 30 days) still need the contacts
  const retentionContactsDays = positiveInt(env, 'RETENTION_CONTACTS_DAYS', 365, 3650);
  if (retentionContactsDays < 30) {
    throw new ConfigError('RETENTION_CONTACTS_DAYS', `deve essere almeno 30: il messaggio di chiusura e i suoi tentativi usano ancora i recapiti (trovato "${env.RETENTION_CONTACTS_DAYS}")`);
  }
  const oidc = loadOidcConfig(env, production, findings);
  const warnings = settle(findings, production);

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
    apiRateLimit,
    notifications,
    serverTimeouts,
    metrics,
    retentionContactsDays,
    oidc,
    warnings,
  };
}

function loadMetricsConfig(env: Env, findings: Finding[]): MetricsConfig {
  const token = env.METRICS_TOKEN?.trim() || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{24,}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'deve avere almeno 24 caratteri stampabili, senza spazi (es. openssl rand -base64 32)');
  }
  if (token) findings.push(...optional(weakSecret('METRICS_TOKEN', token)));
  const port = env.METRICS_PORT?.trim() ? portVar(env, 'METRICS_PORT', 0) : undefined;
  return { token, port, host: env.METRICS_HOST?.trim() || '127.0.0.1' };
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

function loadServerTimeouts(env: Env): ServerTimeouts {
  const timeouts: ServerTimeouts = {
    requestSeconds: positiveInt(env, 'REQUEST_TIMEOUT_SECONDS', DEFAULT_SERVER_TIMEOUTS.requestSeconds, 3600),
    headersSeconds: positiveInt(env, 'HEADERS_TIMEOUT_SECONDS', DEFAULT_SERVER_TIMEOUTS.headersSeconds, 3600),
    keepAliveSeconds: positiveInt(env, 'KEEP_ALIVE_TIMEOUT_SECONDS', DEFAULT_SERVER_TIMEOUTS.keepAliveSeconds, 3600),
    socketSeconds: positiveInt(env, 'SOCKET_TIMEOUT_SECONDS', DEFAULT_SERVER_TIMEOUTS.socketSeconds, 3600),
  };
  // the headers are part of the request: Node refuses a headers timeout longer than the request's
  if (timeouts.headersSeconds > timeouts.requestSeconds) {
    throw new ConfigError('HEADERS_TIMEOUT_SECONDS', `non può superare REQUEST_TIMEOUT_SECONDS (${timeouts.requestSeconds})`);
  }
  return timeouts;
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

function loadNotificationConfig(env: Env, production: boolean, dataDir: string, smsTransport: Config['smsTransport'], findings: Finding[]): NotificationConfig {
  const keyText = env.CREDENTIALS_KEY?.trim();
  if (!keyText && production) throw new ConfigError('CREDENTIALS_KEY', 'è obbligatoria in produzione (32 byte casuali in base64: openssl rand -base64 32)');
  const current = keyText ? keyVar('CREDENTIALS_KEY', keyText) : developmentKey(dataDir);
  if (keyText) findings.push(...optional(weakKey('CREDENTIALS_KEY', current)));
  const previous = listVar(env, 'CREDENTIALS_KEY_PREVIOUS', []).map((k) => keyVar('CREDENTIALS_KEY_PREVIOUS', k));
  findings.push(...previous.flatMap((key) => optional(weakKey('CREDENTIALS_KEY_PREVIOUS', key))));

  const smsHttpUrl = urlVar(env, 'SMS_HTTP_URL', ['https:', 'http:']);
  requireWhen(smsTransport === 'http', 'SMS_HTTP_URL', smsHttpUrl, 'con SMS_TRANSPORT=http');
  if (inClear(smsHttpUrl, 'http:', production)) {
    findings.push({ variable: 'SMS_HTTP_URL', problem: 'deve iniziare con https://: numeri, testi e credenziali del fornitore viaggerebbero in chiaro', refuse: true });
  }
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
    receiptTimeoutHours: positiveInt(env, 'SMS_RECEIPT_TIMEOUT_HOURS', 48, 720),
    maxAttempts: env.NOTIFY_MAX_ATTEMPTS?.trim() ? positiveInt(env, 'NOTIFY_MAX_ATTEMPTS', 1, 10_000) : undefined,
    io: loadIoConfig(env, production, findings),
  };
}

/** SPID/CIE through an OpenID Connect provider (docs/spid-cie.md): off without OIDC_ISSUER, otherwise complete. */
function loadOidcConfig(env: Env, production: boolean, findings: Finding[]): OidcConfig | undefined {
  const issuer = urlVar(env, 'OIDC_ISSUER', ['https:', 'http:']);
  const others = ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_PRIVATE_KEY_FILE', 'OIDC_SCOPES', 'OIDC_ACR_VALUES', 'OIDC_FISCAL_CODE_CLAIM', 'OIDC_PROVIDER_LABEL'];
  if (issuer === undefined) {
    const stray = others.find((name) => env[name]?.trim());
    if (stray) throw new ConfigError(stray, "è impostata ma OIDC_ISSUER no: senza l'indirizzo del provider l'accesso con SPID/CIE resta spento");
    return undefined;
  }
  // the ID token and the citizen's identity would travel in clear
  if (inClear(issuer, 'http:', production)) {
    findings.push({ variable: 'OIDC_ISSUER', problem: "deve iniziare con https://: l'identità dei cittadini viaggerebbe in chiaro", refuse: true });
  }
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new ConfigError('OIDC_CLIENT_ID', "è obbligatoria con OIDC_ISSUER: l'identificativo del servizio registrato presso il provider");
  const secret = env.OIDC_CLIENT_SECRET?.trim() || undefined;
  const keyFile = env.OIDC_PRIVATE_KEY_FILE?.trim() || undefined;
  if (secret && keyFile) throw new ConfigError('OIDC_PRIVATE_KEY_FILE', 'e OIDC_CLIENT_SECRET sono alternative: indicarne una sola (private_key_jwt o client_secret_basic)');
  if (!secret && !keyFile) throw new ConfigError('OIDC_CLIENT_SECRET', 'o OIDC_PRIVATE_KEY_FILE è obbligatoria con OIDC_ISSUER (le credenziali del servizio presso il provider)');
  let clientAuth: OidcConfig['clientAuth'];
  if (secret) {
    findings.push(...optional(weakSecret('OIDC_CLIENT_SECRET', secret)));
    clientAuth = { method: 'client_secret_basic', secret };
  } else {
    clientAuth = { method: 'private_key_jwt', ...readPrivateKey(keyFile!) };
  }
  const scopes = (env.OIDC_SCOPES?.trim() || 'openid profile').split(/\s+/);
  if (!scopes.includes('openid')) throw new ConfigError('OIDC_SCOPES', `deve comprendere "openid" (trovato "${env.OIDC_SCOPES}")`);
  const fiscalCodeClaim = env.OIDC_FISCAL_CODE_CLAIM?.trim() || 'fiscal_number';
  if (!/^[A-Za-z0-9_:.\/-]{1,200}$/.test(fiscalCodeClaim)) {
    throw new ConfigError('OIDC_FISCAL_CODE_CLAIM', `deve essere il nome di un claim, es. fiscal_number (trovato "${fiscalCodeClaim}")`);
  }
  const providerLabel = env.OIDC_PROVIDER_LABEL?.trim() || 'Entra con SPID o CIE';
  if (providerLabel.length > 60) throw new ConfigError('OIDC_PROVIDER_LABEL', 'supera i 60 caratteri: è il testo di un pulsante');
  return {
    issuer: issuer.replace(/\/+$/, ''), clientId, clientAuth, scopes: scopes.join(' '),
    acrValues: env.OIDC_ACR_VALUES?.trim() || undefined, fiscalCodeClaim, providerLabel,
  };
}

/** The private_key_jwt key: a PEM (PKCS#8, RSA or EC) or a JWK file, checked here so that a bad file stops the start. */
function readPrivateKey(path: string): { privateKeyPem: string; keyId: string | undefined } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('OIDC_PRIVATE_KEY_FILE', `non si legge (${(error as NodeJS.ErrnoException).code ?? 'errore'}): ${path}`);
  }
  try {
    const jwk = text.trim().startsWith('{') ? (JSON.parse(text) as import('node:crypto').JsonWebKey) : undefined;
    const key = jwk ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') throw new Error(key.asymmetricKeyType);
    return { privateKeyPem: key.export({ format: 'pem', type: 'pkcs8' }).toString(), keyId: typeof jwk?.kid === 'string' ? jwk.kid : undefined };
  } catch {
    throw new ConfigError('OIDC_PRIVATE_KEY_FILE', `non contiene una chiave privata RSA o EC (PEM PKCS#8 o JWK): ${path}`);
  }
}

// an APIM subscription key: printable, no spaces or commas (IO_API_KEYS separates with them)
const IO_KEY = /^[\x21-\x2b\x2d-\x7e]{16,}$/;

/** App IO is off until a key is given; the URL defaults to IO's production host. */
function loadIoConfig(env: Env, production: boolean, findings: Finding[]): IoConfig | undefined {
  const url = urlVar(env, 'IO_API_URL', ['https:', 'http:']) ?? 'https://api.io.pagopa.it/api/v1';
  const defaultKey = env.IO_API_KEY?.trim() || undefined;
  if (defaultKey !== undefined && !IO_KEY.test(defaultKey)) {
    throw new ConfigError('IO_API_KEY', 'deve essere la chiave del servizio App IO (almeno 16 caratteri stampabili, senza spazi né virgole)');
  }
  const keysByOffice = new Map<string, string>();
  for (const entry of listVar(env, 'IO_API_KEYS', [])) {
    const equals = entry.indexOf('=');
    const office = equals > 0 ? entry.slice(0, equals).trim() : '';
    const key = equals > 0 ? entry.slice(equals + 1).trim() : '';
    if (!office || !/^[A-Za-z0-9_-]{1,40}$/.test(office) || !IO_KEY.test(key)) {
      throw new ConfigError('IO_API_KEYS', `deve avere la forma CODICE_UFFICIO=CHIAVE,... con chiavi di almeno 16 caratteri (voce non valida: "${equals > 0 ? `${office}=…` : entry.slice(0, 20)}")`);
    }
    if (keysByOffice.has(office)) throw new ConfigError('IO_API_KEYS', `indica due volte l'ufficio ${office}`);
    keysByOffice.set(office, key);
  }
  if (env.IO_API_URL?.trim() && defaultKey === undefined && keysByOffice.size === 0) {
    throw new ConfigError('IO_API_URL', 'è impostata senza IO_API_KEY né IO_API_KEYS: App IO resterebbe spento');
  }
  if (defaultKey === undefined && keysByOffice.size === 0) return undefined;
  // the fiscal codes and the texts of the messages would travel in clear
  if (inClear(url, 'http:', production)) {
    findings.push({ variable: 'IO_API_URL', problem: 'deve iniziare con https://: codici fiscali, testi e chiavi viaggerebbero in chiaro', refuse: true });
  }
  return { url: url.replace(/\/+$/, ''), defaultKey, keysByOffice };
}
