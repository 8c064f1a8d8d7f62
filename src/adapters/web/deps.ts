import type { Logger } from 'pino';
import type { DatabaseHandle, Db } from '../db/database.ts';
import type { Metrics } from '../metrics.ts';
import type { Services } from '../../application/services.ts';
import type { FrameProvider } from '../../application/frame.ts';
import type { PublicTimesCache } from '../../application/reports/transparency.ts';
import type { ApiTokenCache } from '../../application/tokens.ts';
import type { CalendarProvider } from '../../application/calendar.ts';
import type { TokenWindows } from './plugins/api-rate-limit.ts';
import type { ServerTimeouts } from '../../config.ts';
import type { HttpReceiptMapping } from '../channels/http-sms.ts';
import type { RelyingParty } from '../oidc/relying-party.ts';
import type { IoCoverage } from '../../domain/case/contacts.ts';

/** Where the generic HTTP SMS provider posts delivery receipts (SMS_HTTP_RECEIPT_*). */
export interface HttpReceiptsConfig {
  token: string;
  mapping: HttpReceiptMapping;
  /** SMS_RECEIPT_TIMEOUT_HOURS: a receipt lands only on a message sent within it */
  windowMs: number;
}

/**
 * What the web app is built from and what its routes receive, in a module of its own so that the
 * routes need not import the app that registers them.
 */
/** The process's services (clock, credentials keys, staff password hashing) and what the web app adds. */
export interface AppOptions extends Services {
  db: Db;
  /** SPID/CIE sign-in (OIDC_*); undefined: off */
  oidc?: RelyingParty | undefined;
  /** the offices App IO is offered to (IO_API_KEY, IO_API_KEYS); undefined: App IO is off */
  io?: IoCoverage | undefined;
  publicBaseUrl: string;
  production: boolean;
  /** signs cookies and sign-in links */
  sessionSecret: string;
  /** reverse proxies in front of the service (TRUST_PROXY) */
  trustProxyHops?: number;
  /** requests each API token may make per minute (API_RATE_LIMIT, default 1,200) */
  apiRateLimit?: number;
  /** the HTTP SMS provider's receipt callback (SMS_HTTP_RECEIPT_TOKEN), when configured */
  httpReceipts?: HttpReceiptsConfig | undefined;
  logger?: Logger;
  /**
   * LISTEN on the database (DatabaseHandle.listen): with it, case pages are kept in memory and dropped
   * when the database says their case changed; without it, every page is read afresh.
   */
  listen?: DatabaseHandle['listen'];
  /** cases kept in memory by this process, as portal pages and as API views (CASE_CACHE_ENTRIES, default 5,000) */
  caseCacheEntries?: number;
  /** how long the server waits on a client (REQUEST_TIMEOUT_SECONDS and the others) */
  timeouts?: ServerTimeouts;
  /** the process's metrics, shared with its dispatcher; without it the app keeps its own */
  metrics?: Metrics;
  /** METRICS_TOKEN: /metrics is served on this app to that bearer token; unset, /metrics is not found here */
  metricsToken?: string | undefined;
}

/** What every route module gets: the options, and the services the app builds once for all of them. */
export interface AppDeps extends AppOptions {
  /** the administration shown in every page's frame, cached while the change feed is heard */
  frame: FrameProvider;
  /** the public procedure times already computed (art. 35 D.Lgs. 33/2013 pages and open data) */
  publicTimesCache: PublicTimesCache;
  /** each API token's requests in the current minute, counted once whichever API route they reach */
  apiTokenWindows: TokenWindows;
  /** the API tokens checked, kept while the change feed is heard */
  apiTokens: ApiTokenCache;
  /** the holiday calendar (national rules and the local days), cached while the change feed is heard */
  calendar: CalendarProvider;
}
