/** The enrolment form: procedure, applicant, identifiers, contacts and privacy notice, with the deadline preview. */
import Html from '@kitajs/html';
import type { ProcedureWithNames } from '../../../../application/catalogue.ts';
import type { Channel } from '../../../../domain/case/contacts.ts';
import type { DeadlineResult } from '../../../../domain/deadline/index.ts';
import type { FieldProblem } from '../../../../domain/errors.ts';
import { describeTerm } from '../../../../domain/procedure.ts';
import { RequestNote } from '../adhesion-requests.tsx';
import { Choices, CsrfField, ErrorSummary, Field, Page, Select, TextArea } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { fill } from '../text.ts';
import type { EnrolValues } from './forms.ts';
import { DeadlineSteps, FiscalFields, channelLabel, date } from './shared.tsx';

export interface EnrolModel {
  values: EnrolValues;
  errors: readonly FieldProblem[];
  preview?: DeadlineResult | undefined;
  procedures: readonly ProcedureWithNames[];
  channels: readonly Channel[];
  /** the offices in reach that have App IO, and whether all have it */
  ioOffices: readonly string[];
  ioEverywhere: boolean;
}

export function enrolPage(ctx: PageContext, model: EnrolModel): JSX.Element {
  const { values, errors, preview, procedures, channels, ioOffices, ioEverywhere } = model;
  const t = ctx.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.text;
  return (
    <Page ctx={ctx} title={t.newCase} section="new">
      <h1>{Html.escapeHtml(t.newCase)}</h1>
      <p>{Html.escapeHtml(t.onlyNumeric)}</p>
      <ErrorSummary errors={errors} t={t} />
      <form method="post" action="/uffici/pratiche/nuova" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="formToken" value={values.formToken} />
        {values.adhesionRequest ? <><input type="hidden" name="adhesionRequest" value={values.adhesionRequest} /><RequestNote ctx={ctx} from={{ name: values.applicantName, protocol: values.protocolNumber }} /></> : ''}
        <Select id="procedureCode" label={t.procedure} required value={values.procedureCode} error={err('procedureCode')} options={[
          { value: '', label: '—' },
          ...procedures.map((p) => {
            const enrollable = p.term_amount !== null && p.active;
            const term = describeTerm({ name: p.name, termText: p.term_text, termAmount: p.term_amount, termUnit: p.term_unit, active: p.active });
            return { value: p.code, label: `${p.code} — ${p.name} (${enrollable ? term : `"${p.term_text}": non aderisce`})`, disabled: !enrollable };
          }),
        ]} />
        <TextArea id="subject" label={t.subject} required value={values.subject} maxlength={500} error={err('subject')} rows={2} />
        <Field id="applicantName" label={t.applicant} required value={values.applicantName} maxlength={200} error={err('applicantName')} />
        <FiscalFields ctx={ctx} values={values} err={err} />
        <div class="row">
          <div class="col-md-6">
            <Field id="receivedOn" label={t.receivedOn} type="date" required value={values.receivedOn} error={err('receivedOn')} />
          </div>
          <div class="col-md-6">
            <Field id="protocolNumber" label={t.protocolNumber} value={values.protocolNumber} maxlength={60} error={err('protocolNumber')} />
          </div>
        </div>
        <fieldset class="mb-3">
          <legend class="h5">{Html.escapeHtml(t.contacts)}</legend>
          <div class="row">
            <div class="col-md-6">
              <Field id="mobile" label={t.mobile} type="tel" value={values.mobile} autocomplete="off" inputmode="tel" maxlength={30} error={err('mobile')} />
            </div>
            <div class="col-md-6">
              <Field id="email" label={t.email} type="email" value={values.email} autocomplete="off" maxlength={254} error={err('email')} />
            </div>
          </div>
          <Choices id="channels" name="channels" type="checkbox" safeLegend={Html.escapeHtml(t.channels)} checked={values.channels} error={err('channels')} options={channels.map((c) => (
            { value: c, id: `channel-${c}`, safeLabel: Html.escapeHtml(channelLabel(c)) }
          ))} />
          {ioOffices.length ? <p class="small" id="io-hint" safe>{ioEverywhere ? t.ioNeedsFiscalCode : fill(t.ioOnlyOffices, { offices: ioOffices.join(', ') })}</p> : ''}
        </fieldset>
        <div class="callout mb-3" id="privacy-notice">
          <p class="mb-2" safe>{fill(t.privacy, { admin: ctx.administrationName })}</p>
          <div class="form-check">
            <input class={`form-check-input${err('privacy') ? ' is-invalid' : ''}`} type="checkbox" name="privacy" id="privacy" value="yes" checked={values.privacy} required aria-describedby={err('privacy') ? 'privacy-error' : undefined} aria-invalid={err('privacy') ? 'true' : undefined} />
            <label class="form-check-label" for="privacy">{Html.escapeHtml(t.privacyShown)}</label>
            {err('privacy') ? <div class="invalid-feedback d-block" id="privacy-error" safe>{err('privacy')}</div> : ''}
          </div>
        </div>
        {preview ? (
          <section class="callout note mb-3" aria-labelledby="deadline-preview" id="anteprima">
            <h2 class="h5" id="deadline-preview">{Html.escapeHtml(`${t.previewDeadline}: ${preview.deadline ? date(preview.deadline) : '—'}`)}</h2>
            <DeadlineSteps deadline={preview} />
          </section>
        ) : ''}
        <div class="d-flex gap-2 flex-wrap">
          <button type="submit" name="action" value="preview" class="btn btn-outline-primary">{Html.escapeHtml(`${t.preview}: ${t.previewDeadline.toLowerCase()}`)}</button>
          <button type="submit" name="action" value="save" class="btn btn-primary">{Html.escapeHtml(t.enrol)}</button>
        </div>
      </form>
    </Page>
  );
}
