import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from 'helmet';
import csrf from '@fastify/csrf-protection';
import fastifyStatic from '@fastify/static';
import { chooseLang } from '../ui/i18n.ts';
import type { Lang } from '../ui/i18n.ts';
import type { Clock } from '../../../application/clock.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

/** the signed cookie holding the browser's CSRF secret */
export const CSRF_SECRET_COOKIE = '_csrf_secret';

export interface WebUiOptions {
  sessionSecret: string;
  production: boolean;
}

const require = createRequire(import.meta.url);
const bootstrapItaliaDist = join(dirname(require.resolve('bootstrap-italia/package.json')), 'dist');
const appStatic = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui', 'static');
const favicon = readFileSync(join(appStatic, 'favicon.svg'));

/**
 * Bootstrap Italia's stylesheet with the video player's icon font taken out: it is a data: URL, which Chromium
 * loads as soon as it reads the rule and the CSP (font-src 'self') refuses, and no page has a video.
 */
const bootstrapItaliaCss = readFileSync(join(bootstrapItaliaDist, 'css', 'bootstrap-italia.min.css'), 'utf8').replace(/@font-face\{font-family:VideoJS;[^}]*\}/g, '');

type HelmetMiddleware = ReturnType<typeof helmet>;

/** The security headers of every answer: a strict CSP (no inline scripts), nosniff, frame and referrer policies, HSTS in production. */
export function securityHeadersMiddleware(production: boolean): HelmetMiddleware {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // the API docs page (swagger-ui) carries its own inline scripts: it sets its own CSP
    hsts: production,
  });
}

/**
 * The same headers as name/value pairs, for the answers written before any hook runs (a URL the router
 * refuses, a request the HTTP parser refuses): the policy is static, so one recording serves them all.
 */
export function securityHeaderValues(production: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: () => undefined,
  };
  securityHeadersMiddleware(production)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * What every HTML page needs: Bootstrap Italia and our own static files, signed cookies, form bodies,
 * security headers with a strict CSP (no inline scripts), CSRF tokens and the page language.
 */
export const webUi = fp(async (app: FastifyInstance, options: WebUiOptions) => {
  app.get('/static/bootstrap-italia/css/bootstrap-italia.min.css', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=604800').send(bootstrapItaliaCss),
  );
  await app.register(fastifyStatic, { root: bootstrapItaliaDist, prefix: '/static/bootstrap-italia/', maxAge: '7d', immutable: false });
  await app.register(fastifyStatic, { root: appStatic, prefix: '/static/app/', decorateReply: false, maxAge: '1h' });
  // browsers ask for /favicon.ico on pages that name no icon (the API docs, a PDF, a raw answer): the same icon
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(favicon),
  );
  await app.register(cookie, { secret: options.sessionSecret });
  await app.register(formbody, { bodyLimit: 65_536 });
  // helmet's middleware made once: @fastify/helmet made a new one, parsing the policy again, for every request
  const securityHeaders = securityHeadersMiddleware(options.production);
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  await app.register(csrf, {
    cookieKey: CSRF_SECRET_COOKIE,
    cookieOpts: { httpOnly: true, sameSite: 'lax', secure: options.production, path: '/', signed: true },
    getToken: (request: FastifyRequest) => (request.body as Record<string, string> | undefined)?._csrf,
  });

  app.decorateRequest('lang', 'it');
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    const asked = (request.query as Record<string, unknown> | undefined)?.lang;
    request.lang = chooseLang(asked, request.cookies.lang, request.headers['accept-language']);
    if (asked === 'it' || asked === 'en') {
      reply.setCookie('lang', asked, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 3600, secure: options.production, httpOnly: true });
    }
    done();
  });
});

export interface SessionCookieOptions {
  production: boolean;
  maxAgeSeconds: number;
  /** the application's clock: a session ends when it says so, in production and in a test that moves it */
  clock: Pick<Clock, 'now'>;
}

/** A signed, httpOnly, SameSite cookie holding a small JSON payload that expires on the server side too. */
export function setSessionCookie(reply: FastifyReply, name: string, payload: Record<string, unknown>, options: SessionCookieOptions): void {
  const value = JSON.stringify({ ...payload, exp: options.clock.now().getTime() + options.maxAgeSeconds * 1000 });
  reply.setCookie(name, Buffer.from(value).toString('base64url'), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.production,
    signed: true,
    maxAge: options.maxAgeSeconds,
  });
}

export function readSessionCookie<T extends Record<string, unknown>>(request: FastifyRequest, name: string, clock: Pick<Clock, 'now'>): T | undefined {
  const raw = request.cookies[name];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as T & { exp?: number };
    return typeof payload.exp === 'number' && payload.exp > clock.now().getTime() ? payload : undefined;
  } catch {
    return undefined;
  }
}

export function clearSessionCookie(reply: FastifyReply, name: string): void {
  reply.clearCookie(name, { path: '/' });
}
