import Html from '@kitajs/html';
import { MAX_STAFF_PASSWORD, MIN_STAFF_PASSWORD } from '../../../application/backoffice/auth.ts';
import type { PasswordChangeResult } from '../../../application/backoffice/auth.ts';
import { CsrfField, ErrorSummary, Field, Page, errorFor } from './page.tsx';
import type { PageContext } from './page.tsx';
import { fill } from './text.ts';
import type { BackofficeText } from './text.ts';

import { PASSWORD_PATH } from '../plugins/staff-session.ts';

type Problems = Extract<PasswordChangeResult, { ok: false }>['problems'];
type FormError = { field: string; text: string };

const FIELD_IDS = { current: 'currentPassword', next: 'newPassword', confirmation: 'confirmPassword' } as const;

/** The use case's reasons, in the reader's language, next to the field they concern. */
export function passwordErrors(t: BackofficeText, problems: Problems): FormError[] {
  const texts = {
    'current-required': t.pwCurrentRequired,
    'current-wrong': t.pwCurrentWrong,
    'too-short': fill(t.pwTooShort, { min: MIN_STAFF_PASSWORD }),
    'too-long': fill(t.pwTooLong, { max: MAX_STAFF_PASSWORD }),
    'same-as-current': t.pwSame,
    mismatch: t.pwMismatch,
  };
  return problems.map((p) => ({ field: FIELD_IDS[p.field], text: texts[p.problem] }));
}

/** Change one's own password: three empty password fields, always (nothing typed is sent back). */
export function PasswordPage({ ctx, errors }: { ctx: PageContext; errors: FormError[] }): JSX.Element {
  const { t } = ctx;
  const errorOf = (id: string) => errorFor(errors, id);
  return (
    <Page ctx={ctx} title={t.changePassword}>
      <div class="row">
        <div class="col-md-8 col-lg-6">
          <h1>{Html.escapeHtml(t.changePassword)}</h1>
          {ctx.user?.mustChangePassword ? <div class="alert alert-warning" role="alert">{Html.escapeHtml(t.passwordMustChange)}</div> : ''}
          <p>{Html.escapeHtml(t.passwordIntro)}</p>
          <ErrorSummary errors={errors} t={t} />
          {errors.length ? <p>{Html.escapeHtml(t.passwordRetype)}</p> : ''}
          <form method="post" action={PASSWORD_PATH} novalidate>
            <CsrfField ctx={ctx} />
            <Field id={FIELD_IDS.current} label={t.currentPassword} type="password" required autocomplete="current-password"
              maxlength={MAX_STAFF_PASSWORD} error={errorOf(FIELD_IDS.current)} />
            <Field id={FIELD_IDS.next} label={t.newPassword} type="password" required autocomplete="new-password"
              maxlength={MAX_STAFF_PASSWORD} hint={fill(t.newPasswordHint, { min: MIN_STAFF_PASSWORD })} error={errorOf(FIELD_IDS.next)} />
            <Field id={FIELD_IDS.confirmation} label={t.confirmPassword} type="password" required autocomplete="new-password"
              maxlength={MAX_STAFF_PASSWORD} error={errorOf(FIELD_IDS.confirmation)} />
            <button type="submit" class="btn btn-primary">{Html.escapeHtml(t.changePasswordButton)}</button>
          </form>
        </div>
      </div>
    </Page>
  );
}
