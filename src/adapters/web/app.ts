import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { bearerAccepted, createMetrics } from '../metrics.ts';
import { CaseCache } from '../../application/case-cache.ts';
import type { CaseView } from '../../application/cases.ts';
import { DEFAULT_SERVER_TIMEOUTS } from '../../config.ts';
import { DomainError } from '../../domain/errors.ts';
import { PROBLEM_CONTENT_TYPE, problem } from './problems.ts';
import { UNEXPECTED, errorHandler, sendProblem } from './errors.ts';
import type { Problem } from './problems.ts';
import { apiRoutes } from './routes/api.ts';
import { backofficeRoutes } from './backoffice/plugin.tsx';
import { reportRoutes } from './reports/plugin.tsx';
import { adhesionRequestRoutes } from './routes/adhesion-request.tsx';
import { transparencyRoutes } from './routes/transparency.tsx';
import { newPublicTimesCache } from '../../application/reports/transparency.ts';
import { TokenWindows } from './plugins/api-rate-limit.ts';
import { openDataRoutes } from './routes/open-data.ts';
import { notificationApiRoutes } from './routes/api-notifications.ts';
import { devOutboxRoutes } from './routes/dev-outbox.tsx';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.tsx';
import { portalRoutes } from './routes/portal.tsx';
import type { CachedCasePage } from './routes/portal.tsx';
import { ProblemSchema } from './schemas.ts';
import { buildValidator } from './validation.ts';
import { apiDocsOptions } from './plugins/api-docs.ts';
import { inputText } from './plugins/input-text.ts';
import { securityHeaderValues, webUi } from './plugins/web-ui.ts';
import { ErrorPage } from './ui/error-page.tsx';
import { UNSET_ADMINISTRATION } from '../../application/administration.ts';
import { FrameProvider } from '../../application/frame.ts';
import { ApiTokenCache } from '../../application/tokens.ts';
import { CalendarProvider } from '../../application/calendar.ts';
import type { AppDeps, AppOptions } from './deps.ts';
import type { PageAdministration } from '../../application/administration.ts';

export type { AppDeps, AppOptions } from './deps.ts';

export type App = FastifyInstance;

/** The page an error is shown in: the site's frame, with the administration when the database can give it. */
type ErrorPageOf = (body: Problem, request?: FastifyRequest) => Promise<string>;

/** What the router and the HTTP parser refuse before any route or hook runs, in our words: the raw URL is not echoed. */
function edgeProblem(code: string | undefined): Problem {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return problem('validation', "L'indirizzo richiesto contiene caratteri codificati in modo non valido.", { title: 'Indirizzo non valido' });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem('validation', "L'indirizzo richiesto è troppo lungo.", { status: 414, title: 'Indirizzo troppo lungo' });
    case 'HPE_HEADER_OVERFLOW':
      return problem('validation', "L'indirizzo o le intestazioni della richiesta sono troppo lunghi.", { status: 431, title: 'Intestazioni troppo grandi' });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem('validation', 'La richiesta non è arrivata per intero in tempo utile.', { status: 408, title: 'Tempo scaduto' });
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return problem('internal', UNEXPECTED);
    default:
      return problem('validation', 'La richiesta non è una richiesta HTTP valida.');
  }
}

/**
 * A request the HTTP parser refused (headers too large, incomplete in time, malformed) is answered on the
 * socket itself, with the same headers and body as every other error; the request line, when it was read,
 * tells an API client from a browser.
 */
/** A refusal before routing: problem+json or the site's page, the raw URL not echoed. */
async function sendEdgeError(request: FastifyRequest, reply: FastifyReply, body: Problem, page: ErrorPageOf): Promise<FastifyReply> {
  if (request.url.startsWith('/api/')) return sendProblem(request, reply, body, false);
  return reply.code(body.status).type('text/html; charset=utf-8').send(await page(body, request));
}

function clientErrorHandler(headers: Record<string, string>, production: boolean) {
  return (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // as Node itself does: once an answer has started on this socket, another would corrupt it
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const body = edgeProblem(error.code);
      const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1', 0, 64) : '';
      const target = /^[A-Z]+ (\S+)/.exec(packet)?.[1] ?? '';
      const [type, text] = target.startsWith('/api/') ? [PROBLEM_CONTENT_TYPE, JSON.stringify(body)] : ['text/html; charset=utf-8', errorPage(body, UNSET_ADMINISTRATION, production, target)];
      const head = { ...headers, 'content-type': type, 'content-length': String(Buffer.byteLength(text)), connection: 'close' };
      const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(`HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\n${lines}\r\n${text}`);
    }
    socket.destroy();
  };
}

function errorPage(body: Problem, administration: PageAdministration, production: boolean, url = ''): string {
  const area = url.startsWith('/uffici') ? 'backoffice' : 'portal';
  // a component is a function returning its HTML; this file is not JSX
  return ErrorPage({ problem: body, administration, demo: !production, area }) as string;
}

export async function buildApp(options: AppOptions): Promise<App> {
  const frame = new FrameProvider(options.db);
  const deps: AppDeps = { ...options, frame, publicTimesCache: newPublicTimesCache(), apiTokenWindows: new TokenWindows(options.clock), apiTokens: new ApiTokenCache(), calendar: new CalendarProvider() };
  const edgeHeaders = securityHeaderValues(deps.production);
  const page: ErrorPageOf = async (body, request) =>
    errorPage(body, await frame.administrationOrUnset(body.status >= 500), deps.production, request?.url);
  const timeouts = deps.timeouts ?? DEFAULT_SERVER_TIMEOUTS;
  // typed as a plain instance: pino's Logger and Fastify's base logger type differ only nominally
  const base = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // a number of hops, never `true`: only the proxies we run may say who the client is
    trustProxy: (_address: string, hop: number) => hop < (deps.trustProxyHops ?? 0),
    bodyLimit: 1_048_576,
    requestTimeout: timeouts.requestSeconds * 1000,
    keepAliveTimeout: timeouts.keepAliveSeconds * 1000,
    connectionTimeout: timeouts.socketSeconds * 1000,
    http: {
      headersTimeout: timeouts.headersSeconds * 1000,
      // Node looks for expired requests every 30 s by default: a quarter of the headers' timeout keeps the limits close
      connectionsCheckingInterval: Math.max(250, (timeouts.headersSeconds * 1000) / 4),
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    schemaController: { compilersFactory: { buildValidator } },
    // a bad percent-encoding or an over-long path parameter: refused by the router before any hook sets the headers
    frameworkErrors: (error, request, reply) => void sendEdgeError(request, reply.headers(edgeHeaders), edgeProblem(error.code), page),
    clientErrorHandler: clientErrorHandler(edgeHeaders, deps.production),
  }) as unknown as FastifyInstance;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  const handleError = errorHandler(async (request, reply, body) => reply.code(body.status).type('text/html; charset=utf-8').send(await page(body, request)));
  app.setErrorHandler(handleError);
  // the address is not repeated back: the page would otherwise carry whatever a link put in it
  app.setNotFoundHandler((request, reply) => handleError(new DomainError('not-found', 'Nessuna risorsa a questo indirizzo.'), request, reply));

  // before any plugin, so that every route is timed, the API documentation's and the not-found answers too
  const metrics = deps.metrics ?? createMetrics({ db: deps.db });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.request(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pratica Online - API per gli uffici',
        description:
          'API REST per i sistemi di protocollo e gestione documentale: uffici, procedimenti, pratiche e loro eventi ' +
          '(avvio, sospensione, riattivazione, osservazioni, chiusura). Autenticazione con token (Authorization: Bearer ...). ' +
          'Errori in formato RFC 9457 (application/problem+json) con un campo `code` stabile.',
        version: '1.0.0',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      servers: [{ url: deps.publicBaseUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // the document is the API's: the pages (back office, portal, transparency...) are not part of it
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...schema, hide: true }, url }),
    // a schema's $id names its component (Case, Problem...) instead of def-N
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, apiDocsOptions);
  app.addSchema(ProblemSchema);
  await app.register(webUi, { sessionSecret: deps.sessionSecret, production: deps.production });
  await app.register(inputText);

  if (deps.metricsToken !== undefined) {
    const token = deps.metricsToken;
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!bearerAccepted(request.headers.authorization, token)) return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('Unauthorized\n');
      return reply.type(metrics.contentType).send(await metrics.scrape());
    });
  }

  // the citizen's pages and the API's case views, kept in memory while PostgreSQL tells of every change
  const cacheOptions = (name: 'page' | 'view') => ({ maxEntries: deps.caseCacheEntries ?? 5_000, onLookup: (hit: boolean) => metrics.caseCache(name, hit) });
  const casePages = new CaseCache<CachedCasePage>(cacheOptions('page'));
  const caseViews = new CaseCache<CaseView>(cacheOptions('view'));
  const caseCaches = [casePages, caseViews];
  const catalogueCaches = [frame, deps.apiTokens, deps.calendar];
  const caches = [...caseCaches, ...catalogueCaches];
  let changeFeed: boolean | undefined;
  if (deps.listen) {
    changeFeed = false;
    const unlisten = await deps.listen('pratica_changes', {
      message: (payload) => caches.forEach((cache) => cache.changed(payload)),
      listening: (listening) => {
        changeFeed = listening;
        caches.forEach((cache) => cache.setListening(listening));
      },
    });
    app.addHook('onClose', async () => unlisten());
    // this process's own writes: the notification from PostgreSQL comes a moment after the answer. The catalogue,
    // the calendar and the API keys change only in the back office: the API's and the portal's writes keep them.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        (request.url.startsWith('/uffici') ? caches : caseCaches).forEach((cache) => cache.clear());
      }
      done(null, payload);
    });
  }

  await app.register(healthRoutes({ db: deps.db, changeFeed: () => changeFeed }));
  await app.register(homeRoutes(deps));
  await app.register(portalRoutes(deps, casePages), { prefix: '/pratica' });
  await app.register(backofficeRoutes(deps), { prefix: '/uffici' });
  await app.register(reportRoutes(deps), { prefix: '/uffici/report' });
  await app.register(transparencyRoutes(deps), { prefix: '/trasparenza' });
  await app.register(adhesionRequestRoutes(deps), { prefix: '/trasparenza' });
  await app.register(openDataRoutes(deps), { prefix: '/api/v1/open-data' });
  await app.register(apiRoutes(deps, caseViews), { prefix: '/api/v1' });
  await app.register(notificationApiRoutes(deps), { prefix: '/api/v1' });
  await app.register(devOutboxRoutes(deps));
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return base;
}
