import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_STAFF_PASSWORD, MIN_STAFF_PASSWORD } from '../../../application/backoffice/auth.ts';
import { RESET_PATH, checkResetLink, requestPasswordReset, resetPassword } from '../../../application/backoffice/password-reset.ts';
import { RESET_LINK_MINUTES } from '../../../domain/notification/index.ts';
import { passwordErrors } from './account.tsx';
import type { BackofficeKit } from './kit.ts';
import { CsrfField, ErrorSummary, Field, Page, errorFor } from './page.tsx';
import { fill } from './text.ts';
import { Text, readForm } from './forms.ts';
import { Type } from 'typebox';

type FormError = { field?: string; text: string };

/** Per address, as the sign-in: the answer is the same for any e-mail, so only the address can be slowed here. */
const ResetRequestForm = Type.Object({ email: Text });
const NewPasswordForm = Type.Object({ newPassword: Text, confirmPassword: Text });

const limit = (max: number) => ({
  rateLimit: {
    max,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `reset:${request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { statusCode: number }) => Object.assign(new Error('rate limited'), { statusCode: context.statusCode }),
  },
});

/** "Password dimenticata?": the request form, the one answer to it, and the page the e-mailed link opens. */
export async function passwordResetRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const deps = { ...kit.deps, secret: kit.deps.sessionSecret };
  const local = RESET_PATH.slice('/uffici'.length);

  const requestPage = (request: FastifyRequest, reply: FastifyReply, status: number, email: string, errors: FormError[]) =>
    kit.render(request, reply, status, (ctx) => (
      <Page ctx={ctx} title={ctx.t.resetTitle}>
        <div class="row justify-content-center">
          <div class="col-md-7 col-lg-5">
            <h1>{Html.escapeHtml(ctx.t.resetTitle)}</h1>
            <p safe>{fill(ctx.t.resetRequestIntro, { minutes: RESET_LINK_MINUTES })}</p>
            <ErrorSummary errors={errors} t={ctx.t} />
            <form method="post" action={RESET_PATH} novalidate>
              <CsrfField ctx={ctx} />
              <Field id="email" label={ctx.t.email} type="email" value={email} required autocomplete="username" maxlength={254} error={errors[0]?.text} />
              <button type="submit" class="btn btn-primary">{Html.escapeHtml(ctx.t.resetRequestButton)}</button>
            </form>
            <p class="mt-3"><a href="/uffici/accesso">{Html.escapeHtml(ctx.t.signIn)}</a></p>
          </div>
        </div>
      </Page>
    ));

  app.get(local, async (request, reply) => requestPage(request, reply, 200, '', []));

  app.post(local, { preHandler: app.csrfProtection, config: limit(5) }, async (request, reply) => {
    const email = readForm(ResetRequestForm, request.body).email.trim().slice(0, 254);
    if (!email) return requestPage(request, reply, 422, '', [{ field: 'email', text: kit.text(request).resetEmailMissing }]);
    await requestPasswordReset(deps, email);
    // the same page whether or not an account has the address
    return kit.render(request, reply, 200, (ctx) => (
      <Page ctx={ctx} title={ctx.t.resetTitle}>
        <h1>{Html.escapeHtml(ctx.t.resetTitle)}</h1>
        <div class="alert alert-info" role="status"><p class="mb-0" safe>{fill(ctx.t.resetRequested, { email, minutes: RESET_LINK_MINUTES })}</p></div>
        <p><a href="/uffici/accesso">{Html.escapeHtml(ctx.t.signIn)}</a></p>
      </Page>
    ));
  });

  const refusal = (request: FastifyRequest, reply: FastifyReply, reason: 'expired' | 'invalid') =>
    kit.render(request, reply, reason === 'expired' ? 410 : 400, (ctx) => {
      const title = reason === 'expired' ? ctx.t.resetExpiredTitle : ctx.t.resetInvalidTitle;
      return (
        <Page ctx={ctx} title={title}>
          <h1 safe>{title}</h1>
          <p safe>{reason === 'expired' ? fill(ctx.t.resetExpired, { minutes: RESET_LINK_MINUTES }) : ctx.t.resetInvalid}</p>
          <p><a class="btn btn-primary" href={RESET_PATH}>{Html.escapeHtml(ctx.t.resetRequestAnother)}</a></p>
        </Page>
      );
    });

  const resetPage = (request: FastifyRequest, reply: FastifyReply, status: number, token: string, email: string, errors: FormError[]) =>
    kit.render(request, reply, status, (ctx) => {
      const errorOf = (id: string) => errorFor(errors, id);
      return (
        <Page ctx={ctx} title={ctx.t.resetTitle}>
          <div class="row">
            <div class="col-md-8 col-lg-6">
              <h1>{Html.escapeHtml(ctx.t.resetTitle)}</h1>
              <p safe>{fill(ctx.t.resetFormIntro, { email })}</p>
              <ErrorSummary errors={errors} t={ctx.t} />
              {errors.length ? <p>{Html.escapeHtml(ctx.t.passwordRetype)}</p> : ''}
              <form method="post" action={`${RESET_PATH}/${token}`} novalidate>
                <CsrfField ctx={ctx} />
                <input type="text" name="username" value={email} autocomplete="username" hidden />
                <Field id="newPassword" label={ctx.t.newPassword} type="password" required autocomplete="new-password"
                  maxlength={MAX_STAFF_PASSWORD} hint={fill(ctx.t.newPasswordHint, { min: MIN_STAFF_PASSWORD })} error={errorOf('newPassword')} />
                <Field id="confirmPassword" label={ctx.t.confirmPassword} type="password" required autocomplete="new-password"
                  maxlength={MAX_STAFF_PASSWORD} error={errorOf('confirmPassword')} />
                <button type="submit" class="btn btn-primary">{Html.escapeHtml(ctx.t.resetButton)}</button>
              </form>
            </div>
          </div>
        </Page>
      );
    });

  // a wildcard, not a :param: the router would answer an over-long parameter itself. The GET only shows the form,
  // so a mail scanner opening the link spends nothing.
  app.get<{ Params: { '*': string } }>(`${local}/*`, { config: limit(30) }, async (request, reply) => {
    const token = request.params['*'];
    const check = await checkResetLink(deps, token);
    if (!check.ok) return refusal(request, reply, check.reason);
    return resetPage(request, reply, 200, token, check.staff.email, []);
  });

  app.post<{ Params: { '*': string } }>(`${local}/*`, { preHandler: app.csrfProtection, config: limit(10) }, async (request, reply) => {
    const token = request.params['*'];
    const form = readForm(NewPasswordForm, request.body);
    const result = await resetPassword(deps, token, { next: form.newPassword, confirmation: form.confirmPassword });
    if (result.ok) return kit.redirect(reply, '/uffici/accesso', { kind: 'success', text: kit.text(request).resetDone });
    if (result.reason !== 'problems') return refusal(request, reply, result.reason);
    const check = await checkResetLink(deps, token);
    if (!check.ok) return refusal(request, reply, check.reason);
    return resetPage(request, reply, 422, token, check.staff.email, passwordErrors(kit.text(request), result.problems));
  });
}
