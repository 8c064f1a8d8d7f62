import { Worker } from 'node:worker_threads';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Accepted, EmailChannel, OutgoingEmail } from './types.ts';
import { SendError } from './types.ts';

export interface SmtpOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465; see docs/notifications.md */
  url: string;
  from: string;
  /** pooled connections kept open */
  maxConnections?: number;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/**
 * SMTP_URL query options: pool (connections, default 5), require_tls (refuse to send without STARTTLS),
 * reject_unauthorized=false (accept a self-signed certificate: test servers only).
 */
export function smtpTransportOptions(options: SmtpOptions): SMTPPool.Options {
  const url = new URL(options.url);
  const secure = url.protocol === 'smtps:';
  const query = url.searchParams;
  const pool = Number(query.get('pool') ?? options.maxConnections ?? 5);
  return {
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: query.get('require_tls') === 'true',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    tls: { rejectUnauthorized: query.get('reject_unauthorized') !== 'false', minVersion: 'TLSv1.2' },
    maxConnections: Number.isInteger(pool) && pool > 0 ? pool : 5,
    maxMessages: Infinity,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.connectionTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
  };
}

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EAUTH', 'ETLS', 'EPROTOCOL']);

/** RFC 5321: 4xx is "try again later", 5xx is a refusal — except authentication, which is our configuration. */
export function classifySmtpError(error: unknown): SendError {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const text = e.response ?? e.message ?? String(error);
  if (e.code === 'EAUTH') return new SendError(`autenticazione SMTP rifiutata: ${text}`, false, { cause: error });
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) return new SendError(`il server SMTP rifiuta il messaggio: ${text}`, true, { cause: error });
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return new SendError(`il server SMTP chiede di riprovare: ${text}`, false, { cause: error });
  if (e.code && TRANSIENT_CODES.has(e.code)) return new SendError(`server SMTP non raggiungibile: ${text}`, false, { cause: error });
  return new SendError(`invio SMTP non riuscito: ${text}`, false, { cause: error });
}

function domainOf(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'pratica-online.invalid';
}

interface SentInfo {
  rejected: unknown[];
  response?: string;
  messageId: string;
}

/**
 * The SMTP client runs in a worker thread: each message is a dozen commands and replies, each waiting
 * for a turn of the event loop, and in the embedded mode that loop also runs the database and the web
 * requests (docs/benchmarks.md, burst: 1 message/s while requests came, with a p50 delay of 228 ms).
 * Here a message costs the server's loop one message each way.
 */
export function smtpChannel(options: SmtpOptions): EmailChannel {
  // plain JavaScript and nodemailer only: none of the process's --import loaders (tsx, a test's preload) runs in it
  const worker = new Worker(new URL('./smtp-thread.mjs', import.meta.url), { workerData: smtpTransportOptions(options), execArgv: [] });
  // idle, the thread does not keep the process alive; a message in flight does
  worker.unref();
  const waiting = new Map<number, { resolve: (info: SentInfo) => void; reject: (error: unknown) => void }>();
  let seq = 0;
  worker.on('message', (answer: { seq: number; info?: SentInfo; error?: unknown }) => {
    const pending = waiting.get(answer.seq);
    if (!pending) return;
    waiting.delete(answer.seq);
    if (waiting.size === 0) worker.unref();
    if (answer.info) pending.resolve(answer.info);
    else pending.reject(answer.error);
  });
  worker.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(Object.assign(error, { code: 'ECONNECTION' }));
    waiting.clear();
  });
  const sendMail = (mail: Record<string, unknown>) =>
    new Promise<SentInfo>((resolve, reject) => {
      waiting.set(++seq, { resolve, reject });
      worker.ref();
      worker.postMessage({ seq, mail });
    });
  const domain = domainOf(options.from);
  return {
    provider: 'smtp',
    async send(message: OutgoingEmail): Promise<Accepted> {
      try {
        const info = await sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          // the same Message-ID on every attempt: a resend after a crash is recognisable as a duplicate
          messageId: `<${message.id}@${domain}>`,
          headers: { 'X-Pratica-Notification-Id': message.id, 'Auto-Submitted': 'auto-generated' },
        });
        if (info.rejected.length > 0) throw Object.assign(new Error(`destinatario rifiutato: ${info.rejected.join(', ')}`), { responseCode: 550 });
        const queued = /queued as ([^\s]+)/i.exec(info.response ?? '')?.[1];
        return { provider: 'smtp', providerId: queued ?? info.messageId };
      } catch (error) {
        throw error instanceof SendError ? error : classifySmtpError(error);
      }
    },
    async close() {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
