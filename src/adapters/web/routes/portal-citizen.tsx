/**
 * SPID/CIE sign-in and "Le mie pratiche" (docs/spid-cie.md), registered inside the portal's plugin so that its
 * error pages, CSRF and cache rules hold. Thin: the provider's checks live in adapters/oidc, the rules in
 * application/portal/citizen.ts.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RelyingParty, SignInRefusal, PendingSignIn } from '../../oidc/relying-party.ts';
import { endCitizenSession, isCitizenSessionEnded, listCitizenCases, officeContacts, openCitizenCase, recordCitizenSignIn } from '../../../application/portal/citizen.ts';
import type { PortalDeps, SignedInCase } from '../../../application/portal/sign-in.ts';
import { normalizeCaseCode } from '../../../domain/case/codes.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../plugins/web-ui.ts';
import type { FrameProps } from '../portal/frame.tsx';
import { MyCasesPage } from '../portal/sign-in-pages.tsx';
import { PORTAL_TEXT } from '../portal/text.ts';

/** The round trip to the provider (choosing SPID or CIE, the app, the PIN) must fit in it. */
const PENDING_SECONDS = 10 * 60;

export interface CitizenSession {
  id: string;
  fiscalCode: string;
}

export interface CitizenRouteKit {
  portal: PortalDeps;
  production: boolean;
  publicBaseUrl: string;
  oidc: RelyingParty | undefined;
  sessionSeconds: number;
  frame(request: FastifyRequest, session?: FrameProps['session']): Promise<FrameProps>;
  html(reply: FastifyReply, status: number, page: JSX.Element): FastifyReply;
  message(request: FastifyRequest, reply: FastifyReply, status: number, title: string, body: string, link?: { href: string; label: string }): Promise<FastifyReply>;
  startCaseSession(reply: FastifyReply, signedIn: SignedInCase): void;
}

/** The citizen session's cookie, and reading it: its signature, its expiry, and that nobody signed out since. */
export function citizenSessions(production: boolean, sessionSeconds: number, { db, clock }: Pick<PortalDeps, 'db' | 'clock'>) {
  const cookieName = production ? '__Host-po_cittadino' : 'po_cittadino';
  const options = { production, maxAgeSeconds: sessionSeconds, clock };
  return {
    cookieName,
    start(reply: FastifyReply, session: CitizenSession): void {
      setSessionCookie(reply, cookieName, { sid: session.id, cf: session.fiscalCode }, options);
    },
    async read(request: FastifyRequest): Promise<CitizenSession | undefined> {
      const payload = readSessionCookie<{ sid?: unknown; cf?: unknown }>(request, cookieName, clock);
      if (!payload || typeof payload.sid !== 'string' || typeof payload.cf !== 'string') return undefined;
      if (await isCitizenSessionEnded(db, payload.sid)) return undefined;
      return { id: payload.sid, fiscalCode: payload.cf };
    },
    async end(reply: FastifyReply, session: CitizenSession | undefined): Promise<void> {
      // every copy of the cookie expires within one session length of its last renewal, which no longer happens
      if (session) await endCitizenSession(db, session, new Date(clock.now().getTime() + (sessionSeconds + 60) * 1000));
      clearSessionCookie(reply, cookieName);
    },
  };
}

export type CitizenSessions = ReturnType<typeof citizenSessions>;

const REFUSAL_PAGES: Record<SignInRefusal, { status: number; title: keyof (typeof PORTAL_TEXT)['it']; text: keyof (typeof PORTAL_TEXT)['it'] }> = {
  denied: { status: 403, title: 'oidcDeniedTitle', text: 'oidcDenied' },
  expired: { status: 410, title: 'oidcExpiredTitle', text: 'oidcExpired' },
  tampered: { status: 400, title: 'oidcTamperedTitle', text: 'oidcTampered' },
  'no-fiscal-code': { status: 403, title: 'oidcNoFiscalCodeTitle', text: 'oidcNoFiscalCode' },
  unavailable: { status: 502, title: 'oidcUnavailableTitle', text: 'oidcUnavailable' },
};

export function registerCitizenRoutes(app: FastifyInstance, kit: CitizenRouteKit, sessions: CitizenSessions): void {
  const pendingCookie = kit.production ? '__Host-po_oidc' : 'po_oidc';

  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: SignInRefusal) => {
    const page = REFUSAL_PAGES[reason];
    const t = PORTAL_TEXT[request.lang];
    return kit.message(request, reply, page.status, t[page.title], t[page.text], { href: '/pratica', label: t.oidcRetry });
  };

  const off = (request: FastifyRequest, reply: FastifyReply) => {
    const t = PORTAL_TEXT[request.lang];
    return kit.message(request, reply, 404, t.oidcOffTitle, t.oidcOff);
  };

  app.get('/oidc/accesso', { schema: { hide: true } }, async (request, reply) => {
    if (!kit.oidc) return off(request, reply);
    let started: Awaited<ReturnType<RelyingParty['start']>>;
    try {
      started = await kit.oidc.start();
    } catch (error) {
      request.log.warn({ err: error }, 'OIDC provider unavailable');
      return refuse(request, reply, 'unavailable');
    }
    setSessionCookie(reply, pendingCookie, { s: started.pending.state, n: started.pending.nonce, v: started.pending.verifier }, { production: kit.production, maxAgeSeconds: PENDING_SECONDS, clock: kit.portal.clock });
    return reply.redirect(started.url, 303);
  });

  app.get('/oidc/callback', { schema: { hide: true } }, async (request, reply) => {
    if (!kit.oidc) return off(request, reply);
    const kept = readSessionCookie<{ s?: unknown; n?: unknown; v?: unknown }>(request, pendingCookie, kit.portal.clock);
    const pending: PendingSignIn | undefined = kept && typeof kept.s === 'string' && typeof kept.n === 'string' && typeof kept.v === 'string'
      ? { state: kept.s, nonce: kept.n, verifier: kept.v }
      : undefined;
    // one attempt per pending sign-in: a reload of the callback starts again
    clearSessionCookie(reply, pendingCookie);
    const result = await kit.oidc.finish(new URL(request.url, kit.publicBaseUrl), pending);
    if (!result.ok) {
      request.log.warn({ reason: result.reason, detail: result.detail }, 'SPID/CIE sign-in refused');
      return refuse(request, reply, result.reason);
    }
    await recordCitizenSignIn(kit.portal.db, result.fiscalCode, result.acr);
    sessions.start(reply, { id: randomBytes(18).toString('base64url'), fiscalCode: result.fiscalCode });
    return reply.redirect('/pratica/mie-pratiche', 303);
  });

  app.get('/mie-pratiche', { schema: { hide: true } }, async (request, reply) => {
    const session = await sessions.read(request);
    if (!session) return reply.redirect('/pratica', 303);
    const [cases, offices, csrf] = await Promise.all([listCitizenCases(kit.portal.db, session.fiscalCode), officeContacts(kit.portal.db), reply.generateCsrf()]);
    // sliding expiry, as for the case page
    sessions.start(reply, session);
    return kit.html(reply, 200, <MyCasesPage {...await kit.frame(request, { code: '', csrf, citizen: true })} cases={cases} offices={cases.length ? [] : offices} />);
  });

  // a wildcard, not a :param: the router would answer an over-long parameter itself, in JSON
  app.get<{ Params: { '*': string } }>('/mie-pratiche/*', { schema: { hide: true } }, async (request, reply) => {
    const session = await sessions.read(request);
    if (!session) return reply.redirect('/pratica', 303);
    const code = normalizeCaseCode(request.params['*'].slice(0, 40));
    const opened = code ? await openCitizenCase(kit.portal, session.fiscalCode, code) : undefined;
    const t = PORTAL_TEXT[request.lang];
    if (!opened) return kit.message(request, reply, 404, t.notFoundTitle, t.notFound, { href: '/pratica/mie-pratiche', label: t.myCasesBack });
    kit.startCaseSession(reply, opened);
    sessions.start(reply, session);
    return reply.redirect('/pratica/dettaglio', 303);
  });
}
