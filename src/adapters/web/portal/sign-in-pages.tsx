/** The portal's pages before the case: sign-in (code and password, SPID/CIE), "Le mie pratiche", the lost login, the sign-in link. */
import { ErrorSummary, Field as FormField } from '../ui/form.tsx';
import type { Lang } from '../ui/i18n.ts';
import { format } from '../ui/i18n.ts';
import { date } from './present.ts';
import { PORTAL_TEXT, STATE_TEXT } from './text.ts';
import { Frame, Notice, OfficeCards, Rating } from './frame.tsx';
import type { FrameProps, OfficeContact } from './frame.tsx';

export interface LoginProps extends FrameProps {
  csrf: string;
  code: string;
  /** SPID/CIE sign-in is configured: its button, with the provider's label */
  oidc?: { label: string } | undefined;
  error?: { kind: 'invalid' } | { kind: 'missing'; fields: ('code' | 'password')[] } | { kind: 'throttled'; wait: string } | undefined;
  notice?: string | undefined;
}

export function LoginPage(props: LoginProps): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const error = props.error;
  const missing = error?.kind === 'missing' ? error.fields : [];
  const wrong = error !== undefined && error.kind !== 'missing';
  return (
    <Frame {...props} title={t.loginTitle}>
      <div class="row">
        <div class="col-12">
          <h1 safe>{t.loginTitle}</h1>
        </div>
        {props.oidc ? <SpidAccess lang={props.lang} label={props.oidc.label} /> : <></>}
        <div class={props.oidc ? 'col-12 col-lg-6' : 'col-12 col-lg-7'}>
          {props.oidc ? (
            <h2 class="h4" safe>
              {t.passwordTitle}
            </h2>
          ) : (
            <></>
          )}
          <Notice text={props.notice} />
          {error?.kind === 'missing' ? (
            <ErrorSummary title={t.errorSummary} errors={error.fields.map((field) => ({ field, text: field === 'code' ? t.codeMissing : t.passwordMissing }))} />
          ) : error ? (
            // wrong credentials say nothing of which field was wrong: one message, tied to both
            <ErrorSummary
              id="login-error"
              title={error.kind === 'throttled' ? t.throttledTitle : t.errorSummary}
              errors={[{ text: error.kind === 'throttled' ? format(t.throttled, { wait: error.wait }) : t.invalidCredentials }]}
            >
              {error.kind === 'throttled' ? <p class="mb-0 mt-2" safe>{t.lockedNote}</p> : <></>}
            </ErrorSummary>
          ) : (
            <></>
          )}
          <p safe>{t.loginIntro}</p>
          <form method="post" action="/pratica/accesso" novalidate>
            <input type="hidden" name="_csrf" value={props.csrf} />
            <FormField
              wrapperClass="form-group mt-5 mb-4"
              id="code"
              label={t.codeLabel}
              value={props.code}
              autocomplete="username"
              maxlength={100}
              required
              requiredMark={false}
              hint={t.codeHint}
              error={missing.includes('code') ? t.codeMissing : undefined}
              invalid={wrong}
              describedBy={wrong ? 'login-error' : undefined}
              attributes={{ autocapitalize: 'characters', spellcheck: 'false' }}
            />
            <FormField
              wrapperClass="form-group mt-5 mb-4"
              id="password"
              type="password"
              label={t.passwordLabel}
              autocomplete="current-password"
              maxlength={100}
              required
              requiredMark={false}
              hint={t.passwordHint}
              error={missing.includes('password') ? t.passwordMissing : undefined}
              invalid={wrong}
              describedBy={wrong ? 'login-error' : undefined}
            />
            <button type="submit" class="btn btn-primary" safe>
              {t.signIn}
            </button>
          </form>
          <p class="mt-4">
            <a href="/pratica/credenziali-smarrite" safe>
              {t.lostLogin}
            </a>
          </p>
          {props.oidc ? (
            <></>
          ) : (
            <p class="small text-secondary" safe>
              {t.spidNote}
            </p>
          )}
          <p>
            <span safe>{t.joinService}</span>{' '}
            <a href="/trasparenza/tempi-procedimentali" safe>
              {t.joinServiceLink}
            </a>
          </p>
          <Rating lang={props.lang} csrf={props.csrf} back="accesso" />
        </div>
      </div>
    </Frame>
  );
}

/**
 * The SPID/CIE access button in the look AgID prescribes for it (spid-sp-access-button: the blue button with the
 * identity icon), a plain link so that it works without JavaScript and under the strict CSP (its style is in app.css).
 */
function SpidAccess(props: { lang: Lang; label: string }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <div class="col-12 col-lg-6 mb-5">
      <section class="card card-bg h-100" aria-labelledby="spid-title">
        <div class="card-body">
          <h2 id="spid-title" class="h4" safe>
            {t.spidTitle}
          </h2>
          <p safe>{t.spidIntro}</p>
          <a class="btn spid-access-button" href="/pratica/oidc/accesso" id="spid-access">
            <span class="spid-access-icon" aria-hidden="true">
              <svg class="icon icon-white icon-sm" focusable="false" viewBox="0 0 24 24">
                <use href="/static/bootstrap-italia/svg/sprites.svg#it-user"></use>
              </svg>
            </span>
            <span class="spid-access-text" safe>
              {props.label}
            </span>
          </a>
          <p class="small mt-3 mb-0">
            <a href="https://www.spid.gov.it/" rel="noopener" safe>
              {t.spidHelp}
            </a>
          </p>
        </div>
      </section>
    </div>
  );
}

export interface MyCase {
  code: string;
  procedureName: string;
  officeName: string;
  protocolNumber: string;
  receivedOn: string;
  state: keyof (typeof STATE_TEXT)['it'];
  deadline: string | null;
}

/** "Le mie pratiche", laid out after the Designers Italia personal area (template-area-personale). */
export function MyCasesPage(props: FrameProps & { cases: MyCase[]; offices: OfficeContact[] }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <Frame {...props} title={t.myCasesTitle}>
      <h1 safe>{t.myCasesTitle}</h1>
      <p class="lead" safe>
        {t.myCasesIntro}
      </p>
      {props.cases.length === 0 ? (
        <>
          <div class="alert alert-info" role="status" id="my-cases-empty">
            <h2 class="h5" safe>
              {t.myCasesEmptyTitle}
            </h2>
            <p class="mb-0" safe>
              {t.myCasesEmpty}
            </p>
          </div>
          <OfficeCards lang={props.lang} offices={props.offices} />
        </>
      ) : (
        <div class="table-responsive">
          <table class="table table-stack" id="my-cases">
            <caption safe>{t.myCasesCaption}</caption>
            <thead>
              <tr>
                <th scope="col" safe>{t.myCasesProcedure}</th>
                <th scope="col" safe>{t.myCasesProtocol}</th>
                <th scope="col" safe>{t.myCasesDate}</th>
                <th scope="col" safe>{t.myCasesState}</th>
                <th scope="col" safe>{t.myCasesDeadline}</th>
                <th scope="col"><span class="visually-hidden" safe>{t.myCasesOpen}</span></th>
              </tr>
            </thead>
            <tbody>
              {props.cases.map((c) => (
                <tr>
                  <td data-label={t.myCasesProcedure}>
                    <span class="d-block" safe>{c.procedureName}</span>
                    <span class="small" safe>{c.officeName}</span>
                  </td>
                  <td data-label={t.myCasesProtocol} safe>{c.protocolNumber || t.myCasesNone}</td>
                  <td data-label={t.myCasesDate} safe>{date(c.receivedOn)}</td>
                  <td data-label={t.myCasesState} safe>{STATE_TEXT[props.lang][c.state]}</td>
                  <td data-label={t.myCasesDeadline} safe>{c.state === 'closed' || !c.deadline ? t.myCasesNone : date(c.deadline)}</td>
                  <td>
                    <a href={`/pratica/mie-pratiche/${c.code}`} aria-label={format(t.myCasesOpenCase, { code: c.code })} safe>
                      {c.code}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Frame>
  );
}

export function LostLoginPage(props: FrameProps & { offices: OfficeContact[] }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <Frame {...props} title={t.lostTitle}>
      <h1 safe>{t.lostTitle}</h1>
      <p class="lead" safe>
        {t.lostIntro}
      </p>
      <OfficeCards lang={props.lang} offices={props.offices} />
      {props.administration.supportEmail ? (
        <p>
          <span safe>{t.lostSupport}</span>{' '}
          <a href={`mailto:${props.administration.supportEmail}`} safe>
            {props.administration.supportEmail}
          </a>
          .
        </p>
      ) : (
        <></>
      )}
      <p>
        <a href="/pratica" safe>
          {t.lostBack}
        </a>
      </p>
    </Frame>
  );
}

export function LinkPage(props: FrameProps & { csrf: string; token: string; code: string; expires: string }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <Frame {...props} title={t.linkTitle}>
      <h1 safe>{t.linkTitle}</h1>
      <p class="lead" safe>
        {format(t.linkIntro, { code: props.code, expires: props.expires })}
      </p>
      <form method="post" action={`/pratica/link/${props.token}`}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" class="btn btn-primary" safe>
          {t.linkButton}
        </button>
      </form>
    </Frame>
  );
}
