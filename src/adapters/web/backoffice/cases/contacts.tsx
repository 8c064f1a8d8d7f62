/** The page that changes a case's contacts and the channels the applicant chose. */
import Html from '@kitajs/html';
import type { Channel } from '../../../../domain/case/contacts.ts';
import type { FieldProblem } from '../../../../domain/errors.ts';
import { Choices, ErrorSummary, Field, Page } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { fill } from '../text.ts';
import type { ContactsValues } from './forms.ts';
import { CaseEditForm, channelLabel } from './shared.tsx';

export interface ContactsModel {
  case: { code: string; applicant_fiscal_code: string | null };
  values: ContactsValues;
  errors: readonly FieldProblem[];
  channels: readonly Channel[];
  /** the case's office has App IO now */
  ioHere: boolean;
}

export function contactsPage(ctx: PageContext, model: ContactsModel): JSX.Element {
  const { case: c, values: v, errors, channels, ioHere } = model;
  const t = ctx.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.text;
  return (
    <Page ctx={ctx} title={`${t.editContacts} ${c.code}`} section="cases">
      <h1 safe>{`${t.editContacts} — ${c.code}`}</h1>
      <ErrorSummary errors={errors} t={t} />
      <CaseEditForm ctx={ctx} code={c.code} action="recapiti" version={v.version}>
        <Field id="mobile" label={t.mobile} type="tel" value={v.mobile} inputmode="tel" maxlength={30} error={err('mobile')} />
        <Field id="email" label={t.email} type="email" value={v.email} maxlength={254} error={err('email')} />
        <Choices id="channels" name="channels" type="checkbox" safeLegend={Html.escapeHtml(t.channels)} checked={v.channels} error={err('channels')} options={channels.map((ch) => (
          { value: ch, id: `channel-${ch}`, safeLabel: Html.escapeHtml(ch === 'io' && !ioHere ? `${channelLabel(ch)} — ${t.ioInactive}` : channelLabel(ch)) }
        ))} />
        {ioHere ? <p class="small" safe>{c.applicant_fiscal_code ? `${t.ioContact}: ${c.applicant_fiscal_code}` : t.ioNeedsFiscalCodeHere}</p> : ''}
        <p class="small" safe>{fill(t.privacy, { admin: ctx.administrationName })}</p>
      </CaseEditForm>
    </Page>
  );
}
