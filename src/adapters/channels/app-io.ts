import type { Accepted, IoChannel, IoMessageState, OutgoingIo } from './types.ts';
import { NotReachableError, SendError } from './types.ts';
import type { IoCoverage } from '../../domain/case/contacts.ts';

/**
 * The App IO service API (PagoPA's io-functions-services): the profile is looked up first, so that a
 * citizen who is not on IO, or who blocked this service, is reached on their other channels instead;
 * then the message is posted. One key per IO service: an office may have its own (IO_API_KEYS).
 */
export interface AppIoOptions {
  /** e.g. https://api.io.pagopa.it/api/v1 */
  url: string;
  /** IO_API_KEY: the key of the administration's service */
  defaultKey: string | undefined;
  /** IO_API_KEYS: office code → key of that office's own service */
  keysByOffice: ReadonlyMap<string, string>;
  timeoutMs?: number | undefined;
}

/** The offices App IO can be offered to, from the same keys the channel sends with (see keyFor); undefined: off. */
export function ioCoverageOf(keys: Pick<AppIoOptions, 'defaultKey' | 'keysByOffice'> | undefined): IoCoverage | undefined {
  if (!keys || (keys.defaultKey === undefined && keys.keysByOffice.size === 0)) return undefined;
  return { everyOffice: keys.defaultKey !== undefined, offices: new Set(keys.keysByOffice.keys()) };
}

interface IoAnswer {
  status: number;
  json: unknown;
  text: string;
  retryAfterMs: number | undefined;
}

/** At most an hour: a longer wait asked for is the retry policy's business, not one header's. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Retry-After (RFC 9110 §10.2.3) as a wait from `now`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterOf(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** 429 and 5xx mean "later" (throttling, an outage); any other refusal is about this message or this key. */
const retriable = (status: number) => status === 429 || status === 408 || status >= 500;

export class AppIoChannel implements IoChannel {
  readonly provider = 'io';
  private readonly base: string;

  constructor(private readonly options: AppIoOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  keyFor(office: string | null): string | undefined {
    return (office !== null ? this.options.keysByOffice.get(office) : undefined) ?? this.options.defaultKey;
  }

  private async call(method: 'GET' | 'POST', path: string, key: string, body?: unknown): Promise<IoAnswer> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: { 'Ocp-Apim-Subscription-Key': key, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new SendError(`App IO non raggiungibile: ${(error as Error).message}`, false, { cause: error });
    }
    const text = await response.text().catch(() => '');
    const retryAfterMs = retryAfterOf(response.headers.get('retry-after'), Date.now());
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, retryAfterMs };
  }

  private refusal(what: string, answer: IoAnswer): SendError {
    const problem = answer.json as { title?: unknown; detail?: unknown } | undefined;
    const detail = [problem?.title, problem?.detail].filter((v) => typeof v === 'string' && v).join(': ') || answer.text.slice(0, 200);
    return new SendError(`App IO risponde ${answer.status} a ${what}${detail ? `: ${detail}` : ''}`, !retriable(answer.status), { retryAfterMs: answer.retryAfterMs });
  }

  async send(message: OutgoingIo): Promise<Accepted> {
    const key = this.keyFor(message.office);
    if (!key) throw new NotReachableError(`App IO non è configurato per l'ufficio ${message.office ?? ''} (né IO_API_KEY né IO_API_KEYS)`);
    const fiscalCode = encodeURIComponent(message.fiscalCode);
    const profile = await this.call('GET', `/profiles/${fiscalCode}`, key);
    if (profile.status === 404) throw new NotReachableError('il cittadino non è su App IO (profilo non trovato)');
    if (profile.status !== 200) throw this.refusal('la verifica del profilo', profile);
    if ((profile.json as { sender_allowed?: unknown } | undefined)?.sender_allowed === false) {
      throw new NotReachableError('il cittadino ha bloccato in App IO i messaggi di questo servizio');
    }
    const content: Record<string, string> = { subject: message.subject, markdown: message.markdown };
    if (message.dueDate) content.due_date = message.dueDate;
    const posted = await this.call('POST', '/messages', key, { fiscal_code: message.fiscalCode, content });
    if (posted.status !== 201 && posted.status !== 200) throw this.refusal('l\'invio del messaggio', posted);
    const id = (posted.json as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id === '') throw new SendError('App IO ha accettato il messaggio senza restituirne l\'identificativo', false);
    return { provider: 'io', providerId: id };
  }

  async status(query: { fiscalCode: string; providerId: string; office: string | null }): Promise<IoMessageState | undefined> {
    const key = this.keyFor(query.office);
    if (!key) return undefined;
    const answer = await this.call('GET', `/messages/${encodeURIComponent(query.fiscalCode)}/${encodeURIComponent(query.providerId)}`, key);
    if (answer.status !== 200) return undefined;
    const body = answer.json as { status?: unknown; read_status?: unknown } | undefined;
    return {
      status: typeof body?.status === 'string' ? body.status : undefined,
      readStatus: typeof body?.read_status === 'string' ? body.read_status : undefined,
    };
  }

  async close(): Promise<void> {}
}
