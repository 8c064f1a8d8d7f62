import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fiscalCodeCheckCharacter } from '../../src/domain/case/fiscal-code.ts';

/**
 * A local App IO stand-in: a real HTTP server on 127.0.0.1 enforcing the published contract of the
 * service API (io-functions-services) that the channel uses, and recording what it receives:
 *   - the key header Ocp-Apim-Subscription-Key (401 without a known key);
 *   - GET /profiles/{fiscal_code} and POST /profiles: 400 for a code outside IO's FiscalCode pattern,
 *     404 for a citizen not on IO, `sender_allowed: false` for one who blocked the service;
 *   - POST /messages: fiscal_code, content.subject 10–120 characters, content.markdown 80–10,000,
 *     an optional due_date timestamp (400 otherwise, as problem+json), 201 with the message id;
 *   - GET /messages/{fiscal_code}/{id}: the message with its status and read status;
 *   - 429 when one key sends more than `burst` requests within `burstWindowMs`; a 500 every `failEvery` requests.
 */
const FISCAL_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export interface IoReceivedMessage {
  id: string;
  key: string;
  fiscalCode: string;
  subject: string;
  markdown: string;
  dueDate: string | undefined;
  status: 'ACCEPTED' | 'PROCESSED' | 'REJECTED';
  readStatus: 'READ' | 'UNREAD';
}

export interface IoRequest {
  method: string;
  path: string;
  key: string | undefined;
  status: number;
}

export interface AppIoStandIn {
  url: string;
  /** keys accepted: one per IO service */
  keys: Set<string>;
  /** citizens on IO: fiscal code → whether this service may write to them */
  profiles: Map<string, { senderAllowed: boolean }>;
  /** fiscal codes whose messages IO refuses with 403 (e.g. a service not allowed for them) */
  forbidden: Set<string>;
  messages: IoReceivedMessage[];
  requests: IoRequest[];
  /** requests one key may make within burstWindowMs before 429 (Infinity: no limit) */
  burst: number;
  burstWindowMs: number;
  /** every n-th request answers 500 (0: never) */
  failEvery: number;
  /** what a status read says: processed at once unless set to ACCEPTED */
  statusOnRead: 'ACCEPTED' | 'PROCESSED' | 'REJECTED';
  /** a message read by the citizen in the app */
  markRead(id: string): void;
  stop(): Promise<void>;
}

export const IO_TEST_KEY = 'io-test-key-0123456789abcdef';

export async function startAppIo(options: { keys?: string[]; burst?: number; burstWindowMs?: number; failEvery?: number } = {}): Promise<AppIoStandIn> {
  let counter = 0;
  const recent = new Map<string, number[]>();
  const state: AppIoStandIn = {
    url: '',
    keys: new Set(options.keys ?? [IO_TEST_KEY]),
    profiles: new Map(),
    forbidden: new Set(),
    messages: [],
    requests: [],
    burst: options.burst ?? Number.POSITIVE_INFINITY,
    burstWindowMs: options.burstWindowMs ?? 1_000,
    failEvery: options.failEvery ?? 0,
    statusOnRead: 'PROCESSED',
    markRead(id) {
      const message = state.messages.find((m) => m.id === id);
      if (message) message.readStatus = 'READ';
    },
    stop: async () => {},
  };

  const send = (res: ServerResponse, status: number, body: unknown, problem = status >= 400) => {
    res.writeHead(status, { 'content-type': problem ? 'application/problem+json' : 'application/json' });
    res.end(JSON.stringify(body));
  };
  const problem = (res: ServerResponse, status: number, title: string, detail: string) => send(res, status, { status, title, detail });

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const profileAnswer = (res: ServerResponse, fiscalCode: string) => {
    if (!FISCAL_CODE.test(fiscalCode)) return problem(res, 400, 'Invalid FiscalCode', `value "${fiscalCode}" does not match the FiscalCode pattern`);
    const profile = state.profiles.get(fiscalCode);
    if (!profile) return problem(res, 404, 'Profile not found', 'The profile you requested was not found in the system.');
    return send(res, 200, { sender_allowed: profile.senderAllowed, preferred_languages: ['it_IT'] });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const key = req.headers['ocp-apim-subscription-key'];
    const keyText = typeof key === 'string' ? key : undefined;
    const body = await readBody(req);
    if (!keyText || !state.keys.has(keyText)) {
      problem(res, 401, 'Access denied', 'Access denied due to missing or invalid subscription key.');
      return 401;
    }
    const now = Date.now();
    const window = (recent.get(keyText) ?? []).filter((t) => t > now - state.burstWindowMs);
    window.push(now);
    recent.set(keyText, window);
    if (window.length > state.burst) {
      res.setHeader('retry-after', '1');
      problem(res, 429, 'Too many requests', 'Rate limit is exceeded.');
      return 429;
    }
    counter++;
    if (state.failEvery > 0 && counter % state.failEvery === 0) {
      problem(res, 500, 'Internal server error', 'a transient failure of the stand-in');
      return 500;
    }
    const profileMatch = /^\/profiles\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && profileMatch) {
      profileAnswer(res, decodeURIComponent(profileMatch[1]!));
      return res.statusCode;
    }
    if (req.method === 'POST' && path === '/profiles') {
      const parsed = safeJson(body) as { fiscal_code?: unknown } | undefined;
      profileAnswer(res, typeof parsed?.fiscal_code === 'string' ? parsed.fiscal_code : '');
      return res.statusCode;
    }
    if (req.method === 'POST' && path === '/messages') {
      const parsed = safeJson(body) as { fiscal_code?: unknown; content?: { subject?: unknown; markdown?: unknown; due_date?: unknown } } | undefined;
      const errors: string[] = [];
      const fiscalCode = typeof parsed?.fiscal_code === 'string' ? parsed.fiscal_code : '';
      if (!FISCAL_CODE.test(fiscalCode)) errors.push('fiscal_code does not match the FiscalCode pattern');
      const subject = parsed?.content?.subject;
      const markdown = parsed?.content?.markdown;
      const dueDate = parsed?.content?.due_date;
      if (typeof subject !== 'string' || [...subject].length < 10 || [...subject].length > 120) errors.push('content.subject must be 10 to 120 characters');
      if (typeof markdown !== 'string' || [...markdown].length < 80 || [...markdown].length > 10_000) errors.push('content.markdown must be 80 to 10000 characters');
      if (dueDate !== undefined && (typeof dueDate !== 'string' || !TIMESTAMP.test(dueDate))) errors.push('content.due_date must be a timestamp');
      if (errors.length) {
        problem(res, 400, 'Invalid NewMessage', errors.join('; '));
        return 400;
      }
      if (state.forbidden.has(fiscalCode)) {
        problem(res, 403, 'Recipient forbidden', 'You are not allowed to send messages to this recipient.');
        return 403;
      }
      const id = randomUUID().replace(/-/g, '').toUpperCase().slice(0, 26);
      state.messages.push({
        id, key: keyText, fiscalCode, subject: subject as string, markdown: markdown as string, dueDate: dueDate as string | undefined, status: 'ACCEPTED', readStatus: 'UNREAD',
      });
      res.setHeader('location', `/api/v1/messages/${fiscalCode}/${id}`);
      send(res, 201, { id });
      return 201;
    }
    const messageMatch = /^\/messages\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && messageMatch) {
      const message = state.messages.find((m) => m.fiscalCode === decodeURIComponent(messageMatch[1]!) && m.id === decodeURIComponent(messageMatch[2]!));
      if (!message) {
        problem(res, 404, 'Message not found', 'no such message');
        return 404;
      }
      if (message.status === 'ACCEPTED') message.status = state.statusOnRead;
      send(res, 200, {
        message: { id: message.id, fiscal_code: message.fiscalCode, content: { subject: message.subject, markdown: message.markdown } },
        status: message.status, read_status: message.readStatus,
      });
      return 200;
    }
    problem(res, 404, 'Not found', `${req.method} ${path}`);
    return 404;
  }

  const server = createServer((req, res) => {
    handle(req, res)
      .then((status) => state.requests.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://x').pathname, key: req.headers['ocp-apim-subscription-key'] as string | undefined, status }))
      .catch(() => {
        if (!res.headersSent) problem(res, 500, 'stand-in error', '');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  state.stop = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return state;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A valid codice fiscale per index: the day and place vary, the check character is computed. */
export function fiscalCode(i: number): string {
  const first15 = `RSSMRA85T${String(10 + (i % 18)).padStart(2, '0')}${'ABCDEFGHIL'[Math.floor(i / 18) % 10]}${String(Math.floor(i / 180) % 1000).padStart(3, '0')}`;
  return first15 + fiscalCodeCheckCharacter(first15);
}
