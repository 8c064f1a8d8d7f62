import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from './db/database.ts';
import { CHANNELS, PENDING_STATUSES } from '../domain/notification/index.ts';
import type { FailureOutcome } from '../domain/notification/index.ts';

/** What the dispatcher tells of each message it hands over, or fails to. */
export interface DeliveryObserver {
  /** a provider accepted the message, `seconds` after it was queued (the commit of its event) */
  accepted(channel: string, seconds: number): void;
  failed(channel: string, outcome: FailureOutcome['status']): void;
}

export interface Metrics {
  /** this process's own registry: two apps in one process (the tests) share nothing */
  readonly registry: Registry;
  /** one answer, by its route pattern: a raw URL carries case codes and tokens, and would make a series of each */
  request(method: string, route: string, statusCode: number, seconds: number): void;
  caseCache(cache: 'page' | 'view', hit: boolean): void;
  readonly delivery: DeliveryObserver;
  /** The Prometheus text, with the message figures read from the notifications table now. */
  scrape(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  db: Db;
  /** the process's CPU, memory, event loop and GC: their observers live as long as the process, so only real processes ask */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const http = new Histogram({
    name: 'pratica_http_request_duration_seconds', help: 'Answers of the web server, by route pattern and status class',
    labelNames: ['method', 'route', 'status_class'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
  });
  const cache = new Counter({ name: 'pratica_case_cache_lookups_total', help: 'Case reads served from memory (hit) or from the database (miss)', labelNames: ['cache', 'result'], registers });
  const delivery = new Histogram({
    name: 'pratica_notification_delivery_seconds', help: 'From the queuing of a message (its event\'s commit) to its acceptance by the provider',
    labelNames: ['channel'], buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600, 72 * 3600], registers,
  });
  const failures = new Counter({ name: 'pratica_notification_failures_total', help: 'Failed delivery attempts seen by this process, by what followed', labelNames: ['channel', 'outcome'], registers });
  const messages = new Gauge({ name: 'pratica_notifications', help: 'Messages in the notifications table, by channel and status (the same in every process)', labelNames: ['channel', 'status'], registers });
  const depth = new Gauge({ name: 'pratica_notification_queue_depth', help: 'Messages not yet handed to a provider (created, sending, temporary-failure)', labelNames: ['channel'], registers });
  const oldest = new Gauge({ name: 'pratica_notification_queue_oldest_seconds', help: 'Age of the oldest message not yet handed to a provider', labelNames: ['channel'], registers });
  const reachable = new Gauge({ name: 'pratica_database_reachable', help: '1 when the message figures could be read at this scrape', registers });
  const pending = new Set<string>(PENDING_STATUSES);

  async function readQueue(): Promise<void> {
    for (const gauge of [messages, depth, oldest]) gauge.reset();
    try {
      // one pass over the table; its age is measured on the database's clock, the one that stamped created_at
      const { rows } = await sql<{ channel: string; status: string; messages: number; oldest: number }>`
        SELECT channel, status, count(*)::int AS messages, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest
        FROM notifications GROUP BY channel, status`.execute(options.db);
      const queued = new Map(CHANNELS.map((channel): [string, { depth: number; oldest: number }] => [channel, { depth: 0, oldest: 0 }]));
      for (const row of rows) {
        messages.set({ channel: row.channel, status: row.status }, row.messages);
        if (!pending.has(row.status)) continue;
        const figures = queued.get(row.channel) ?? { depth: 0, oldest: 0 };
        queued.set(row.channel, { depth: figures.depth + row.messages, oldest: Math.max(figures.oldest, row.oldest) });
      }
      for (const [channel, figures] of queued) {
        depth.set({ channel }, figures.depth);
        oldest.set({ channel }, figures.oldest);
      }
      reachable.set(1);
    } catch {
      reachable.set(0);
    }
  }

  return {
    registry,
    request(method, route, statusCode, seconds) {
      http.observe({ method, route, status_class: `${Math.floor(statusCode / 100)}xx` }, seconds);
    },
    caseCache(name, hit) {
      cache.inc({ cache: name, result: hit ? 'hit' : 'miss' });
    },
    delivery: {
      accepted: (channel, seconds) => delivery.observe({ channel }, Math.max(0, seconds)),
      failed: (channel, outcome) => failures.inc({ channel, outcome }),
    },
    async scrape() {
      await readQueue();
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}

/** A bearer token compared in constant time; `undefined` expected: no token asked for. */
export function bearerAccepted(authorization: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface MetricsListener {
  port: number;
  close(): Promise<void>;
}

/** GET /metrics on a port of its own (METRICS_PORT): for the web server kept off its public port, and for `pratica worker`. */
export async function serveMetrics(metrics: Metrics, options: { port: number; host: string; token: string | undefined }): Promise<MetricsListener> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    } else if (!bearerAccepted(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).end('Unauthorized\n');
    } else {
      metrics.scrape().then(
        (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(request.method === 'HEAD' ? undefined : text),
        () => response.writeHead(500).end(),
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
