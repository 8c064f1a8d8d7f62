import type { Accepted, OutgoingSms, Receipt, SmsChannel } from './types.ts';
import { SendError } from './types.ts';

/**
 * A generic HTTP SMS provider, configured without code (SMS_HTTP_* variables, docs/notifications.md):
 * the request is a body template with {{to}}, {{text}}, {{sender}} and {{id}}; the provider's message id is
 * read from the JSON response at a dotted path; receipts arrive at a callback mapped the same way.
 */
export interface HttpSmsOptions {
  url: string;
  /** e.g. "Authorization: Bearer abc" or "X-Api-Key: abc" */
  authHeader?: string | undefined;
  /** default: JSON with to, from, text, reference */
  bodyTemplate?: string | undefined;
  contentType?: 'application/json' | 'application/x-www-form-urlencoded' | undefined;
  /** dotted path to the provider's id in the response, e.g. "messages.0.id" */
  messageIdPath?: string | undefined;
  sender: string;
  timeoutMs?: number | undefined;
}

export const DEFAULT_HTTP_SMS_BODY = '{"to":"{{to}}","from":"{{sender}}","text":"{{text}}","reference":"{{id}}"}';

export function pick(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.').filter(Boolean)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function renderHttpBody(template: string, contentType: string, values: Record<string, string>): string {
  const escape = contentType === 'application/json' ? (v: string) => JSON.stringify(v).slice(1, -1) : encodeURIComponent;
  return template.replace(/\{\{\s*(to|text|sender|id)\s*\}\}/g, (_, name: string) => escape(values[name] ?? ''));
}

export function parseAuthHeader(header: string | undefined): Record<string, string> {
  if (!header) return {};
  const colon = header.indexOf(':');
  if (colon < 1) throw new RangeError('SMS_HTTP_AUTH_HEADER must be "Name: value"');
  return { [header.slice(0, colon).trim()]: header.slice(colon + 1).trim() };
}

export class HttpSmsChannel implements SmsChannel {
  readonly provider = 'http';
  private readonly headers: Record<string, string>;

  constructor(private readonly options: HttpSmsOptions) {
    this.headers = parseAuthHeader(options.authHeader);
  }

  async send(message: OutgoingSms): Promise<Accepted> {
    const contentType = this.options.contentType ?? 'application/json';
    const body = renderHttpBody(this.options.bodyTemplate ?? DEFAULT_HTTP_SMS_BODY, contentType, {
      to: message.to, text: message.text, sender: this.options.sender, id: message.id,
    });
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/json', 'idempotency-key': message.id, ...this.headers },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new SendError(`fornitore SMS non raggiungibile: ${(error as Error).message}`, false, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      // 408, 425, 429 and 5xx mean "later"; any other 4xx is a refusal of this message
      const retry = response.status >= 500 || [408, 425, 429].includes(response.status);
      throw new SendError(`il fornitore SMS risponde ${response.status}: ${text.slice(0, 200)}`, !retry);
    }
    let providerId: unknown;
    try {
      providerId = pick(JSON.parse(text), this.options.messageIdPath ?? 'id');
    } catch {
      providerId = undefined;
    }
    return { provider: 'http', providerId: providerId === undefined || providerId === null ? message.id : String(providerId) };
  }

  async close(): Promise<void> {}
}

export interface HttpReceiptMapping {
  idPath: string;
  statusPath: string;
  delivered: readonly string[];
  failed: readonly string[];
}

/** A provider's callback body, mapped to a receipt; undefined for intermediate states (queued, accepted). */
export function parseHttpReceipt(body: unknown, mapping: HttpReceiptMapping): Receipt | undefined {
  const id = pick(body, mapping.idPath);
  const status = pick(body, mapping.statusPath);
  if ((typeof id !== 'string' && typeof id !== 'number') || typeof status !== 'string') return undefined;
  const normalized = status.toLowerCase();
  const kind = mapping.delivered.some((s) => s.toLowerCase() === normalized)
    ? 'delivered'
    : mapping.failed.some((s) => s.toLowerCase() === normalized)
      ? 'failed'
      : undefined;
  return kind ? { provider: 'http', providerId: String(id), status: kind, detail: status } : undefined;
}
