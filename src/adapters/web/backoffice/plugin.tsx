import Html from '@kitajs/html';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { MAX_STAFF_PASSWORD, SESSION_HOURS, changeOwnPassword, signIn, signOut } from '../../../application/backoffice/auth.ts';
import { italianDayAndTime } from '../../../application/clock.ts';
import type { AppDeps } from '../deps.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '../plugins/web-ui.ts';
import { errorHandler, formDetail } from '../errors.ts';
import { CsrfField, ErrorSummary, Field, Page, attributeText, pageContext, sendPage } from './page.tsx';
import type { Flash } from './page.tsx';
import type { BackofficeKit } from './kit.ts';
import { fill, textOf } from './text.ts';
import { caseRoutes } from './cases/routes.tsx';
import { catalogueRoutes } from './catalogue.tsx';
import { administrationRoutes } from './administration.tsx';
import { importRoutes } from './import.tsx';
import { adhesionRequestRoutes } from './adhesion-requests.tsx';
import { adhesionRoutes } from './adhesion.tsx';
import { PasswordPage, passwordErrors } from './account.tsx';
import { PASSWORD_PATH, SIGN_IN_PATH, STAFF_COOKIE, requireStaff, staffSession, staffSessionId } from '../plugins/staff-session.ts';
import { passwordResetRoutes } from './password-reset.tsx';
import { tokenRoutes } from './tokens.tsx';
import { RESET_PATH } from '../../../application/backoffice/password-reset.ts';
import { Text, parseMultipart, readForm } from './forms.ts';
import { Type } from 'typebox';

const FLASH_COOKIE = 'po_flash';
const PUBLIC_PATHS = new Set([SIGN_IN_PATH, RESET_PATH]);

// the sign-in and the own-password forms, read by schema (forms.ts readForm)
const SignInForm = Type.Object({ email: Text, password: Text, next: Text });
const PasswordForm = Type.Object({ currentPassword: Text, newPassword: Text, confirmPassword: Text });

/** Open without a session: the sign-in, and choosing a new password from the e-mailed link. */
const isPublic = (path: string) => PUBLIC_PATHS.has(path) || path.startsWith(`${RESET_PATH}/`);


/** Only back-office paths are followed after sign-in, so the sign-in page cannot be used to redirect elsewhere. */
function safeNext(next: string | undefined): string {
  return next && /^\/uffici(?:[/?#]|$)/.test(next) && !next.startsWith('//') ? next : '/uffici';
}

/**
 * The staff back office under /uffici: server-side sessions, a rate-limited sign-in, CSRF on every form,
 * and its own error pages inside the back-office frame.
 */
export function backofficeRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await app.register(rateLimit, { global: false });
    await app.register(staffSession, { deps });
    // CSV uploads: the one multipart form of the back office, parsed by the platform's own FormData reader
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: 5 * 1_048_576 }, async (request: FastifyRequest, body: Buffer) =>
      parseMultipart(String(request.headers['content-type']), body),
    );

    const kit: BackofficeKit = {
      deps,
      async render(request, reply, status, page, flash) {
        const queued = readSessionCookie<{ flash: Flash }>(request, FLASH_COOKIE, deps.clock)?.flash;
        if (queued) clearSessionCookie(reply, FLASH_COOKIE);
        const ctx = await pageContext(deps.frame, request, reply, deps.production, deps.clock.today(), flash ?? queued);
        return sendPage(reply, status, page(ctx));
      },
      redirect(reply, to, flash) {
        if (flash) setSessionCookie(reply, FLASH_COOKIE, { flash }, { production: deps.production, maxAgeSeconds: 120, clock: deps.clock });
        return reply.code(303).redirect(to);
      },
      text: (request) => textOf(request.lang),
    };

    const signedIn = requireStaff();
    app.addHook('onRequest', async (request, reply) => {
      if (!isPublic(request.url.split('?')[0]!)) return signedIn.call(app, request, reply);
    });

    app.setErrorHandler(errorHandler((request, reply, p, error) => {
      const t = textOf(request.lang);
      let title = p.title;
      let detail = formDetail(p, error);
      if (p.code === 'csrf') {
        title = t.forbidden;
        detail = request.lang === 'en' ? 'The form has expired or did not come from this site: reload the page and try again.' : p.detail;
      } else if (p.code === 'rate-limited') {
        detail = request.url.startsWith(RESET_PATH) ? t.resetRateLimited : request.url.startsWith(PASSWORD_PATH) ? t.passwordRateLimited : t.rateLimited;
      }
      return kit.render(request, reply, p.status, (ctx) => (
        <Page ctx={ctx} title={title}>
          <h1 safe>{title}</h1>
          <p safe>{detail}</p>
          <p>
            <a href={ctx.user ? '/uffici' : '/uffici/accesso'}>{ctx.user ? t.dashboard : Html.escapeHtml(t.signIn)}</a>
          </p>
        </Page>
      ));
    }));

    const signInPage = (request: FastifyRequest, reply: FastifyReply, status: number, email: string, next: string, error?: string) =>
      kit.render(request, reply, status, (ctx) => (
        <Page ctx={ctx} title={ctx.t.signIn}>
          <div class="row justify-content-center">
            <div class="col-md-7 col-lg-5">
              <h1>{Html.escapeHtml(ctx.t.signIn)}</h1>
              <ErrorSummary errors={error ? [{ field: 'email', text: error }] : []} t={ctx.t} />
              <form method="post" action="/uffici/accesso" novalidate>
                <CsrfField ctx={ctx} />
                <input type="hidden" name="next" value={attributeText(next)} />
                <Field id="email" label={ctx.t.email} type="email" value={email} required autocomplete="username" maxlength={254} />
                <Field id="password" label={ctx.t.password} type="password" required autocomplete="current-password" maxlength={200} />
                <button type="submit" class="btn btn-primary">
                  {Html.escapeHtml(ctx.t.signInButton)}
                </button>
              </form>
              <p class="mt-3"><a href={RESET_PATH}>{Html.escapeHtml(ctx.t.forgotPassword)}</a></p>
            </div>
          </div>
        </Page>
      ));

    app.get('/accesso', async (request, reply) => {
      if (request.staff) return reply.code(303).redirect('/uffici');
      return signInPage(request, reply, 200, '', safeNext(readForm(SignInForm, request.query).next));
    });

    app.post('/accesso', {
      preHandler: app.csrfProtection,
      config: {
        // per address: slows down guessing across many accounts; the per-account lockout covers the rest
        rateLimit: {
          max: 20,
          timeWindow: 60_000,
          hook: 'preHandler',
          errorResponseBuilder: (_request, context) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode }),
        },
      },
    }, async (request, reply) => {
      const t = textOf(request.lang);
      const form = readForm(SignInForm, request.body);
      const email = form.email.slice(0, 254);
      const next = safeNext(form.next);
      // nothing to check: not a failed attempt, and not "wrong" credentials
      if (email.trim() === '' || form.password === '') return signInPage(request, reply, 422, email, next, t.signInEmpty);
      const result = await signIn(deps, email, form.password.slice(0, 200));
      if (!result.ok) {
        const message = result.reason === 'locked'
          ? fill(t.locked, { time: italianDayAndTime(result.lockedUntil!) })
          : t.invalidLogin;
        return signInPage(request, reply, result.reason === 'locked' ? 429 : 401, email, next, message);
      }
      setSessionCookie(reply, STAFF_COOKIE, { sid: result.sessionId }, { production: deps.production, maxAgeSeconds: SESSION_HOURS * 3600, clock: deps.clock });
      return reply.code(303).redirect(next);
    });

    app.post('/esci', { preHandler: app.csrfProtection }, async (request, reply) => {
      const sessionId = staffSessionId(request, deps.clock);
      if (sessionId) await signOut(deps, sessionId);
      clearSessionCookie(reply, STAFF_COOKIE);
      return kit.redirect(reply, '/uffici/accesso', { kind: 'info', text: textOf(request.lang).signedOut });
    });

    // one's own password: any role; guessing the current one is slowed per user, as sign-in is per address
    app.get('/password', async (request, reply) => kit.render(request, reply, 200, (ctx) => <PasswordPage ctx={ctx} errors={[]} />));

    app.post('/password', {
      preHandler: app.csrfProtection,
      config: {
        rateLimit: {
          max: 10,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => `password:${request.staff?.id ?? request.ip}`,
          errorResponseBuilder: (_request, context) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode }),
        },
      },
    }, async (request, reply) => {
      const sessionId = staffSessionId(request, deps.clock)!;
      const form = readForm(PasswordForm, request.body);
      const result = await changeOwnPassword(deps, request.staff!, sessionId, {
        current: form.currentPassword.slice(0, MAX_STAFF_PASSWORD), next: form.newPassword, confirmation: form.confirmPassword,
      });
      const t = textOf(request.lang);
      if (result.ok) return kit.redirect(reply, PASSWORD_PATH, { kind: 'success', text: t.passwordChanged });
      return kit.render(request, reply, 422, (ctx) => <PasswordPage ctx={ctx} errors={passwordErrors(t, result.problems)} />);
    });

    await passwordResetRoutes(app, kit);
    await caseRoutes(app, kit);
    await catalogueRoutes(app, kit);
    await administrationRoutes(app, kit);
    await tokenRoutes(app, kit);
    await importRoutes(app, kit);
    await adhesionRoutes(app, kit);
    await adhesionRequestRoutes(app, kit);
  };
}
