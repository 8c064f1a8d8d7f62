/**
 * "La tua pratica on line" (docs/domain.md, the service): sign-in with case code and password or a
 * sign-in link, the case page, the anonymous questionnaire, leaving the service. Thin routes: the rules
 * live in src/application/portal and src/domain/portal.
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import Html from '@kitajs/html';
import { getCaseView } from '../../../application/cases.ts';
import { checkSignInLink, sessionCase, signInWithLink, signInWithPassword, signOut } from '../../../application/portal/sign-in.ts';
import type { PasswordSignInDeps, SignedInCase } from '../../../application/portal/sign-in.ts';
import { hasAnswered, rateService, submitAnswer } from '../../../application/portal/questionnaire.ts';
import type { CaseCache } from '../../../application/case-cache.ts';
import { requestOptOut } from '../../../application/portal/opt-out.ts';
import { chooseOwnChannels } from '../../../application/portal/channels.ts';
import { ioOffered } from '../../../domain/case/contacts.ts';
import { DomainError, problemsOf } from '../../../domain/errors.ts';
import type { FieldProblem } from '../../../domain/errors.ts';
import { QUESTIONS } from '../../../domain/portal/questionnaire.ts';
import { issueSilenceAttestation } from '../../../application/portal/remedies.ts';
import { silenceAttestationPdf, substituteRequestPdf } from '../remedies-pdf.ts';
import { secondsUntil } from '../../../domain/portal/throttle.ts';
import type { AppDeps } from '../deps.ts';
import { TEXT_RULE_KEYWORD } from '../problems.ts';
import { errorHandler } from '../errors.ts';
import { CSRF_SECRET_COOKIE, clearSessionCookie, readSessionCookie, setSessionCookie } from '../plugins/web-ui.ts';
import { CasePage, OptOutPage } from '../portal/case-page.tsx';
import type { CasePageProps, SurveyAnswers } from '../portal/case-page.tsx';
import { MessagePage } from '../portal/frame.tsx';
import type { FrameProps } from '../portal/frame.tsx';
import { LinkPage, LoginPage, LostLoginPage } from '../portal/sign-in-pages.tsx';
import { instantDate, waitText } from '../portal/present.ts';
import { PORTAL_TEXT } from '../portal/text.ts';
import { format } from '../ui/i18n.ts';
import { citizenSessions, registerCitizenRoutes } from './portal-citizen.tsx';

/** A session lasts 30 minutes from the last page seen: short, as for a bank's web page. */
const SESSION_SECONDS = 30 * 60;
/** ... and is renewed by a page seen at least 5 minutes after the cookie was made: it ends 25 to 30 minutes after the last. */
const SESSION_RENEWAL_SECONDS = 5 * 60;

interface SessionPayload extends Record<string, unknown> {
  cid: string;
  fp: string;
  exp?: number;
}

type Body = Record<string, unknown> | undefined;

const text = (value: unknown): string => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '');

/** Flash notices travel as a fixed word in the query string, never as text chosen by the request. */
const NOTICES = { uscita: 'signedOut', questionario: 'surveyThanks', recesso: 'optOutDone', valutazione: 'ratingThanks', canali: 'channelsSaved' } as const;

/** Where a cached case page takes each answer's own CSRF token: letters only, so escaping leaves it whole. */
const CSRF_SLOT = 'csrfslotqpzx';

export interface CachedCasePage {
  /** the session fingerprint of the case's current password */
  fingerprint: string;
  /** the page in UTF-8, cut where the CSRF token goes */
  parts: Buffer[];
}

export function portalRoutes(deps: AppDeps, casePages: CaseCache<CachedCasePage>): FastifyPluginAsync {
  const portal: PasswordSignInDeps = { db: deps.db, clock: deps.clock, credentialsKeys: deps.credentialsKeys, secret: deps.sessionSecret };
  // __Host- binds the cookie to this origin over HTTPS (no Domain, Path=/): only possible with Secure
  const cookieName = deps.production ? '__Host-po_pratica' : 'po_pratica';
  const cookieOptions = { production: deps.production, maxAgeSeconds: SESSION_SECONDS, clock: deps.clock };
  // signed in with SPID/CIE: the same cookie rules and length, one session per person instead of per case
  const citizens = citizenSessions(deps.production, SESSION_SECONDS, deps);

  async function frame(request: FastifyRequest, session?: FrameProps['session'], fresh = false): Promise<FrameProps> {
    const administration = await deps.frame.administrationOrUnset(fresh);
    return { lang: request.lang, path: pagePath(request), administration, demo: !deps.production, session };
  }

  function html(reply: FastifyReply, status: number, page: JSX.Element | Buffer): FastifyReply {
    return reply.code(status).type('text/html; charset=utf-8').send(page);
  }

  async function message(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    title: string,
    body: string,
    link: { href: string; label: string } = { href: '/pratica', label: PORTAL_TEXT[request.lang].goToLogin },
  ): Promise<FastifyReply> {
    return html(reply, status, <MessagePage {...await frame(request, undefined, status >= 500)} title={title} text={body} link={link} tone={status >= 500 ? 'danger' : 'warning'} />);
  }

  function startSession(reply: FastifyReply, signedIn: SignedInCase): void {
    setSessionCookie(reply, cookieName, { cid: signedIn.caseId, fp: signedIn.fingerprint }, cookieOptions);
  }

  /**
   * The session cookie's content if its signature holds and it has not expired. A cookie once verified
   * is remembered (a citizen reloading the page sends the same one): checking a signature costs more
   * than the rest of a cached page.
   */
  const verifiedSessions = new Map<string, SessionPayload>();
  function readSession(request: FastifyRequest): SessionPayload | undefined {
    const raw = request.cookies[cookieName];
    if (raw === undefined) return undefined;
    const known = verifiedSessions.get(raw);
    if (known) return typeof known.exp === 'number' && known.exp > deps.clock.now().getTime() ? known : undefined;
    const payload = readSessionCookie<SessionPayload>(request, cookieName, deps.clock);
    if (payload && typeof payload.cid === 'string' && typeof payload.fp === 'string') {
      if (verifiedSessions.size >= 10_000) verifiedSessions.clear();
      verifiedSessions.set(raw, payload);
    }
    return payload;
  }

  /** The signed-in case, or undefined; `stale` tells a session that ended from no session at all. */
  async function currentSession(request: FastifyRequest): Promise<{ caseId: string; fingerprint: string; code: string } | { stale: boolean }> {
    const payload = readSession(request);
    if (!payload || typeof payload.cid !== 'string' || typeof payload.fp !== 'string') return { stale: request.cookies[cookieName] !== undefined };
    const found = await sessionCase(portal, { caseId: payload.cid, fingerprint: payload.fp });
    if (!found) return { stale: true };
    return { caseId: payload.cid, fingerprint: payload.fp, code: found.code };
  }

  async function requireSession(request: FastifyRequest, reply: FastifyReply): Promise<{ caseId: string; fingerprint: string; code: string } | undefined> {
    const session = await currentSession(request);
    if ('caseId' in session) return session;
    const t = PORTAL_TEXT[request.lang];
    if (!session.stale && request.method === 'GET') {
      await reply.redirect('/pratica', 303);
      return undefined;
    }
    clearSessionCookie(reply, cookieName);
    await message(request, reply, 401, t.sessionEndedTitle, t.sessionEnded);
    return undefined;
  }

  async function casePageHtml(
    request: FastifyRequest,
    session: { caseId: string; code: string },
    csrf: string,
    extra: { notice?: string | undefined; surveyErrors?: FieldProblem[]; surveyAnswers?: SurveyAnswers; channelErrors?: CasePageProps['channelErrors'] } = {},
  ): Promise<{ page: string; answered: boolean }> {
    const [view, answered, framing, citizen] = await Promise.all([
      getCaseView(deps, null, session.code), hasAnswered(portal, session.caseId), frame(request), citizens.read(request),
    ]);
    const page = await (
      <CasePage
        {...framing}
        session={{ code: session.code, csrf, citizen: citizen !== undefined }}
        view={view}
        csrf={csrf}
        answered={answered}
        notice={extra.notice}
        surveyErrors={extra.surveyErrors}
        surveyAnswers={extra.surveyAnswers}
        ioOffered={ioOffered(deps.io, view.office.code)}
        channelErrors={extra.channelErrors}
      />
    );
    return { page, answered };
  }

  async function renderCase(
    request: FastifyRequest,
    reply: FastifyReply,
    session: { caseId: string; fingerprint: string; code: string },
    status: number,
    extra: { notice?: string | undefined; surveyErrors?: FieldProblem[]; surveyAnswers?: SurveyAnswers; channelErrors?: CasePageProps['channelErrors'] } = {},
  ): Promise<FastifyReply> {
    const csrf = await reply.generateCsrf();
    const { page } = await casePageHtml(request, session, csrf, extra);
    // sliding expiry: 30 minutes from the last page seen
    setSessionCookie(reply, cookieName, { cid: session.caseId, fp: session.fingerprint }, cookieOptions);
    return html(reply, status, page);
  }

  /**
   * The case page from memory (src/application/case-cache.ts), kept with a slot where each answer puts
   * its own CSRF token. False when the session does not hold, so the caller answers as with no cache
   * (a boolean: a reply is a thenable, which an async function would wait for instead of returning).
   */
  /**
   * A CSRF token for the browser's CSRF secret: the same token serves every page the browser reads
   * (a token is valid for as long as its secret), so it is made once per secret, not once per page.
   */
  const tokensBySecret = new Map<string, string>();
  async function csrfToken(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const secretCookie = request.cookies[CSRF_SECRET_COOKIE];
    const known = secretCookie === undefined ? undefined : tokensBySecret.get(secretCookie);
    if (known) return known;
    const token = await reply.generateCsrf();
    // kept only for a cookie that verifies: for any other the token is for a new secret, sent in a new cookie
    if (secretCookie !== undefined && reply.unsignCookie(secretCookie).valid) {
      if (tokensBySecret.size >= 10_000) tokensBySecret.clear();
      tokensBySecret.set(secretCookie, token);
    }
    return token;
  }

  async function sendCachedCasePage(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const payload = readSession(request);
    if (!payload || typeof payload.cid !== 'string' || typeof payload.fp !== 'string') return false;
    const { cid: caseId, fp: fingerprint } = payload;
    // the page of a citizen signed in with SPID/CIE links back to "Le mie pratiche"
    const citizen = request.cookies[citizens.cookieName] !== undefined;
    const page = await casePages.get(caseId, `${deps.clock.today()}|${request.lang}|${request.url}|${citizen}`, async () => {
      const found = await sessionCase(portal, { caseId, fingerprint });
      if (!found) return undefined;
      const { page, answered } = await casePageHtml(request, { caseId, code: found.code }, CSRF_SLOT, { notice: notice(request) });
      const parts = page.split(CSRF_SLOT).map((part) => Buffer.from(part, 'utf8'));
      return { value: { fingerprint, parts }, awaitsAnswer: !answered };
    });
    // one password, one fingerprint: a session from before new credentials were sent no longer holds
    if (!page || page.fingerprint !== fingerprint) return false;
    const csrf = Html.escapeHtml(await csrfToken(request, reply));
    // sliding expiry, renewed at most every 5 minutes: signing a new cookie for every view costs as much as the page
    if (typeof payload.exp !== 'number' || payload.exp - deps.clock.now().getTime() < (SESSION_SECONDS - SESSION_RENEWAL_SECONDS) * 1000) {
      setSessionCookie(reply, cookieName, { cid: caseId, fp: fingerprint }, cookieOptions);
    }
    const token = Buffer.from(csrf, 'utf8');
    html(reply, 200, Buffer.concat(page.parts.flatMap((part, index) => (index === 0 ? [part] : [token, part]))));
    return true;
  }

  function notice(request: FastifyRequest): string | undefined {
    const key = text((request.query as Record<string, unknown> | undefined)?.esito);
    return key in NOTICES ? PORTAL_TEXT[request.lang][NOTICES[key as keyof typeof NOTICES]] : undefined;
  }

  return async (app: FastifyInstance) => {
    // a coarse flood guard per address, in memory; the finer per-code and per-address throttle is in the database
    await app.register(rateLimit, { global: false });

    app.addHook('onSend', (_request, reply, payload, done) => {
      // pages with personal data are never stored by browsers or proxies
      reply.header('cache-control', 'no-store');
      done(null, payload);
    });

    app.setErrorHandler(errorHandler((request, reply, p, error) => {
      const t = PORTAL_TEXT[request.lang];
      if (p.code === 'csrf') {
        return message(request, reply, 403, t.csrfTitle, t.csrf, { href: request.url.startsWith('/pratica/link/') ? request.url : '/pratica', label: t.goToLogin });
      }
      if (p.code === 'rate-limited') return message(request, reply, 429, t.throttledTitle, p.detail);
      if (p.code === 'not-found') return message(request, reply, 404, t.notFoundTitle, t.notFound);
      if (p.status < 500) {
        // the control-character rule names the field it refused: say which, so the citizen knows what to retype
        const refused = (error as Partial<FastifyError>).validation?.some((v) => v.keyword === TEXT_RULE_KEYWORD);
        const named = refused ? `${(error as Error).message} ` : '';
        return message(request, reply, p.status, t.badRequestTitle, `${named}${t.badRequest}`);
      }
      return message(request, reply, 500, t.serverErrorTitle, t.serverError);
    }));

    app.setNotFoundHandler(async (request, reply) => {
      const t = PORTAL_TEXT[request.lang];
      return message(request, reply, 404, t.notFoundTitle, t.notFound);
    });

    const flood = (max: number) => ({
      rateLimit: {
        max,
        timeWindow: 60_000,
        errorResponseBuilder: (request: FastifyRequest, context: { ttl: number }) => ({
          statusCode: 429,
          message: PORTAL_TEXT[request.lang].throttled.replace('{wait}', waitText(request.lang, Math.max(1, Math.ceil(context.ttl / 1000)))),
        }),
      },
    });

    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      if (await citizens.read(request)) return reply.redirect('/pratica/mie-pratiche', 303);
      const session = await currentSession(request);
      if ('caseId' in session) return reply.redirect('/pratica/dettaglio', 303);
      const csrf = await reply.generateCsrf();
      const oidc = deps.oidc ? { label: deps.oidc.label } : undefined;
      return html(reply, 200, <LoginPage {...await frame(request)} csrf={csrf} code="" notice={notice(request)} oidc={oidc} />);
    });

    app.post('/accesso', { schema: { hide: true }, preHandler: app.csrfProtection, config: flood(60) }, async (request, reply) => {
      const body = request.body as Body;
      const code = text(body?.code).slice(0, 100);
      const password = text(body?.password);
      const csrf = await reply.generateCsrf();
      const framing = await frame(request);
      const missing = [...(code.trim() === '' ? ['code' as const] : []), ...(password.trim() === '' ? ['password' as const] : [])];
      if (missing.length) return html(reply, 422, <LoginPage {...framing} csrf={csrf} code={code} error={{ kind: 'missing', fields: missing }} />);
      const result = await signInWithPassword(portal, { code, password, address: normalizeIP(request.ip, 64) });
      if (result.ok) {
        startSession(reply, result.signedIn);
        return reply.redirect('/pratica/dettaglio', 303);
      }
      if (result.reason === 'throttled') {
        const wait = waitText(request.lang, secondsUntil(result.retryAt, deps.clock.now()));
        reply.header('retry-after', String(secondsUntil(result.retryAt, deps.clock.now())));
        return html(reply, 429, <LoginPage {...framing} csrf={csrf} code={code} error={{ kind: 'throttled', wait }} />);
      }
      return html(reply, 401, <LoginPage {...framing} csrf={csrf} code={code} error={{ kind: 'invalid' }} />);
    });

    app.get('/credenziali-smarrite', { schema: { hide: true } }, async (request, reply) => {
      const offices = await deps.db
        .selectFrom('offices')
        .select(['name', 'address', 'phone', 'email', 'pec', 'opening_hours'])
        .orderBy('name')
        .execute();
      return html(
        reply,
        200,
        <LostLoginPage
          {...await frame(request)}
          offices={offices.map((o) => ({ name: o.name, address: o.address, phone: o.phone, email: o.email, pec: o.pec, openingHours: o.opening_hours }))}
        />,
      );
    });

    const linkRefusal = async (request: FastifyRequest, reply: FastifyReply, reason: 'malformed' | 'expired' | 'used') => {
      const t = PORTAL_TEXT[request.lang];
      if (reason === 'expired') return message(request, reply, 410, t.linkExpiredTitle, t.linkExpired);
      if (reason === 'used') return message(request, reply, 410, t.linkUsedTitle, t.linkUsed);
      return message(request, reply, 400, t.linkInvalidTitle, t.linkInvalid);
    };

    // a wildcard, not a :param: the router would answer an over-long parameter itself, in JSON
    app.get<{ Params: { '*': string } }>('/link/*', { schema: { hide: true }, config: flood(60) }, async (request, reply) => {
      const check = await checkSignInLink(portal, request.params['*']);
      if (!check.ok) return linkRefusal(request, reply, check.reason);
      const csrf = await reply.generateCsrf();
      return html(
        reply,
        200,
        <LinkPage {...await frame(request)} csrf={csrf} token={request.params['*']} code={check.code} expires={instantDate(check.expiresAt)} />,
      );
    });

    app.post<{ Params: { '*': string } }>('/link/*', { schema: { hide: true }, preHandler: app.csrfProtection, config: flood(60) }, async (request, reply) => {
      const result = await signInWithLink(portal, request.params['*']);
      if (!result.ok) return linkRefusal(request, reply, result.reason);
      startSession(reply, result.signedIn);
      return reply.redirect('/pratica/dettaglio', 303);
    });

    registerCitizenRoutes(app, {
      portal, production: deps.production, publicBaseUrl: deps.publicBaseUrl, oidc: deps.oidc, sessionSeconds: SESSION_SECONDS,
      frame, html, message, startCaseSession: startSession,
    }, citizens);

    app.get('/dettaglio', { schema: { hide: true } }, async (request, reply) => {
      if (await sendCachedCasePage(request, reply)) return reply;
      const session = await requireSession(request, reply);
      if (!session) return reply;
      return renderCase(request, reply, session, 200, { notice: notice(request) });
    });

    app.post('/questionario', { schema: { hide: true }, preHandler: app.csrfProtection, config: flood(30) }, async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      const body = request.body as Body;
      const answers: SurveyAnswers = {
        clarity: text(body?.clarity),
        timeliness: text(body?.timeliness),
        courtesy: text(body?.courtesy),
        overall: text(body?.overall),
        comment: text(body?.comment),
      };
      try {
        await submitAnswer(portal, session.caseId, answers);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'conflict') return reply.redirect('/pratica/dettaglio', 303);
        if (error instanceof DomainError && (error.code === 'invalid-input' || error.code === 'precondition-failed')) {
          return renderCase(request, reply, session, error.code === 'invalid-input' ? 422 : 400, { surveyErrors: surveyProblems(request.lang, error), surveyAnswers: answers });
        }
        throw error;
      }
      return reply.redirect('/pratica/dettaglio?esito=questionario#survey-title', 303);
    });

    // anonymous: no session is read, and the rating is stored with its month alone
    app.post('/valutazione', { schema: { hide: true }, preHandler: app.csrfProtection, config: flood(30) }, async (request, reply) => {
      const body = request.body as Body;
      try {
        await rateService(deps, text(body?.rating));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'invalid-input') return message(request, reply, 400, PORTAL_TEXT[request.lang].badRequestTitle, error.message);
        throw error;
      }
      const back = text(body?.pagina) === 'dettaglio' ? '/pratica/dettaglio' : '/pratica';
      return reply.redirect(`${back}?esito=valutazione#rating-title`, 303);
    });

    // L. 241/1990 art. 2 c.9-bis: the request to the substitute, pre-filled from the case, once the term has passed
    app.get('/richiesta-potere-sostitutivo.pdf', { schema: { hide: true }, config: flood(30) }, async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      const view = await getCaseView(deps, null, session.code);
      const t = PORTAL_TEXT[request.lang];
      if (!view.overdue) return message(request, reply, 409, t.remediesNotLate, t.remediesNotLateText, { href: '/pratica/dettaglio', label: t.caseTitle.replace(' {code}', '') });
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="richiesta-potere-sostitutivo-${view.case.code}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(await substituteRequestPdf(view)));
    });

    // art. 20 c.2-bis: the attestation of silenzio-assenso, issued on the citizen's request and kept
    app.post('/attestazione-silenzio-assenso', { schema: { hide: true }, preHandler: app.csrfProtection, config: flood(30) }, async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      try {
        const { view, attestation } = await issueSilenceAttestation(deps, session.code);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="attestazione-silenzio-assenso-${view.case.code}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(await silenceAttestationPdf(view, attestation)));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'precondition-failed') {
          return message(request, reply, 409, PORTAL_TEXT[request.lang].silenceAttestationRefused, error.message, { href: '/pratica/dettaglio', label: PORTAL_TEXT[request.lang].caseTitle.replace(' {code}', '') });
        }
        throw error;
      }
    });

    // the citizen chooses which of the case's contacts receive the messages (SMS, e-mail, App IO)
    app.post('/canali', { schema: { hide: true }, preHandler: app.csrfProtection, config: flood(30) }, async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      const body = request.body as Body;
      const chosen = body?.channels;
      const channels = Array.isArray(chosen) ? chosen.filter((c): c is string => typeof c === 'string') : typeof chosen === 'string' ? [chosen] : [];
      try {
        await chooseOwnChannels({ db: deps.db, clock: deps.clock, io: deps.io }, session.code, channels);
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'no-contact' || error.code === 'channel-unavailable')) {
          return renderCase(request, reply, session, 422, { channelErrors: { problems: channelProblems(request.lang, error), chosen: channels } });
        }
        throw error;
      }
      return reply.redirect('/pratica/dettaglio?esito=canali#messages-title', 303);
    });

    app.get('/recesso', { schema: { hide: true } }, async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      const csrf = await reply.generateCsrf();
      return html(reply, 200, <OptOutPage {...await frame(request, { code: session.code, csrf })} csrf={csrf} code={session.code} />);
    });

    app.post('/recesso', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const session = await requireSession(request, reply);
      if (!session) return reply;
      await requestOptOut(portal, session.code);
      return reply.redirect('/pratica/dettaglio?esito=recesso', 303);
    });

    app.post('/esci', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      // ended on the server too: a copy of the cookie (another tab, a shared computer's history) stops working
      const payload = readSession(request);
      if (payload && typeof payload.cid === 'string' && typeof payload.fp === 'string') await signOut(portal, { caseId: payload.cid, fingerprint: payload.fp });
      clearSessionCookie(reply, cookieName);
      const citizen = await citizens.read(request);
      if (request.cookies[citizens.cookieName] !== undefined) await citizens.end(reply, citizen);
      const signedOut = '/pratica?esito=uscita';
      // RP-initiated logout: the provider's (or gateway's) own session ends too, then the citizen comes back here.
      // A link, not a redirect: the CSP's form-action 'self' would stop this form's answer from leaving the site.
      const providerLogout = citizen && deps.oidc ? await deps.oidc.logoutUrl(undefined, `${deps.publicBaseUrl}${signedOut}`) : undefined;
      if (providerLogout) {
        const t = PORTAL_TEXT[request.lang];
        return html(reply, 200, <MessagePage {...await frame(request)} title={t.signedOutSpidTitle} text={t.signedOutSpid} link={{ href: providerLogout, label: t.signedOutSpidLink }} tone="info" />);
      }
      return reply.redirect(signedOut, 303);
    });
  };
}

/** The address the language switch reloads: a page answering a form shows the page the form was on. */
function pagePath(request: FastifyRequest): string {
  if (request.method === 'GET') return request.url;
  if (request.url.startsWith('/pratica/link/')) return request.url.split('?')[0]!;
  if (request.url.startsWith('/pratica/questionario') || request.url.startsWith('/pratica/canali')) return '/pratica/dettaglio';
  return '/pratica';
}

/** A refused choice of channels, tied to the channels' field, in the page's language. */
function channelProblems(lang: 'it' | 'en', error: DomainError): FieldProblem[] {
  const t = PORTAL_TEXT[lang];
  // the domain's refusal names the channels that can be chosen; "none chosen" is said as the page says it
  const text = error.code === 'no-contact' ? t.channelsNone : lang === 'it' ? error.message : t.channelUnavailable;
  return [{ field: 'channels', text }];
}

/** Each refused answer of the questionnaire, in the page's language, naming the question it is about. */
function surveyProblems(lang: 'it' | 'en', error: DomainError): FieldProblem[] {
  const t = PORTAL_TEXT[lang];
  if (error.code === 'precondition-failed') return [{ text: lang === 'it' ? error.message : 'The questionnaire is available once the procedure has started.' }];
  return problemsOf(error).map((p) => {
    const question = QUESTIONS.find((q) => q === p.field);
    if (question) return { field: question, text: format(t.surveyMissing, { question: t[question] }) };
    return { ...p, text: lang === 'it' ? p.text : 'The comment is longer than 1000 characters.' };
  });
}
