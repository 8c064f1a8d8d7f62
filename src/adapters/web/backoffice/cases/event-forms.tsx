/** The case page's forms: one per event the case allows, with the message preview, and the indemnity panel. */
import Html from '@kitajs/html';
import type { CaseView } from '../../../../application/cases.ts';
import type { EventPreview } from '../../../../application/backoffice/previews.ts';
import { OUTCOMES, OUTCOME_LABELS, SUSPENSION_LABELS } from '../../../../domain/case/decide.ts';
import { EVENT_LABELS, STATE_LABELS } from '../../../../domain/case/states.ts';
import type { EventType } from '../../../../domain/case/states.ts';
import { SUSPENSION_KINDS, euroText } from '../../../../domain/deadline/index.ts';
import { CsrfField, ErrorSummary, Field, Select, TextArea } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { fill } from '../text.ts';
import { channelLabel, date } from './shared.tsx';

export interface EventFormState {
  type: EventType;
  values: Record<string, string>;
  errors: { field?: string; text: string }[];
  /** someone else recorded on the case meanwhile: nothing was written */
  conflict?: boolean;
  preview?: EventPreview;
}

/** The opt-out form sent back refused: the note as typed, each message on its field. */
export interface OptOutFormState {
  type: 'opt-out';
  values: { note: string };
  errors: { field?: string; text: string }[];
  conflict?: boolean;
}

export function EventForm({ ctx, view, type, state }: { ctx: PageContext; view: CaseView; type: EventType; state?: EventFormState | undefined }): JSX.Element {
  const t = ctx.t;
  const mine = state?.type === type ? state : undefined;
  const v = mine?.values ?? {};
  const id = (name: string) => `${type}-${name}`;
  const errorFor = (field: string) => mine?.errors.find((e) => e.field === field)?.text;
  return (
    <details class="mb-3 border rounded p-3" open={mine ? true : undefined} id={`evento-${type}`}>
      <summary class="fw-semibold" safe>{EVENT_LABELS[type]}</summary>
      <form method="post" action={`/uffici/pratiche/${view.case.code}/evento`} class="mt-3" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="type" value={type} />
        <input type="hidden" name="version" value={String(view.case.version)} />
        {mine ? <ErrorSummary errors={mine.errors.map((e) => ({ text: e.text, ...(e.field ? { field: id(e.field) } : {}) }))} t={t} /> : ''}
        <Field id={id('effectiveOn')} name="effectiveOn" label={t.effectiveOn} type="date" required value={v.effectiveOn ?? ctx.today} hint={t.effectiveHint} error={errorFor('effectiveOn')} />
        {type === 'suspend' ? (
          <>
            <Select id={id('kind')} name="kind" label={t.kind} required value={v.kind ?? 'art2c7'} error={errorFor('kind')} options={SUSPENSION_KINDS.map((k) => ({ value: k, label: SUSPENSION_LABELS[k] }))} />
            <Field id={id('legalBasis')} name="legalBasis" label={t.legalBasis} value={v.legalBasis} hint={t.legalBasisHint} maxlength={500} error={errorFor('legalBasis')} />
          </>
        ) : (
          ''
        )}
        {type === 'close' ? (
          <Select id={id('outcome')} name="outcome" label={t.outcome} required value={v.outcome ?? 'accepted'} error={errorFor('outcome')} options={OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))} />
        ) : (
          ''
        )}
        <TextArea id={id('reason')} name="reason" label={t.reason} required={type === 'suspend'} value={v.reason} maxlength={2000} error={errorFor('reason')} />
        <TextArea id={id('notes')} name="notes" label={t.notes} value={v.notes} maxlength={4000} error={errorFor('notes')} />
        {mine?.preview ? <PreviewBox ctx={ctx} preview={mine.preview} /> : ''}
        <div class="d-flex gap-2 flex-wrap">
          <button type="submit" name="action" value="preview" class="btn btn-outline-primary">{Html.escapeHtml(t.previewButton)}</button>
          <button type="submit" name="action" value="save" class="btn btn-primary">{Html.escapeHtml(`${t.recordButton}: ${EVENT_LABELS[type]}`)}</button>
        </div>
      </form>
    </details>
  );
}

export interface PaymentFormState {
  values: { amount: string; paidOn: string };
  errors: { field?: string; text: string }[];
}

/**
 * The indemnity for delay of a case where art. 28 D.L. 69/2013 applies: what accrued, what was paid, and the
 * form that records a payment while some is left to pay.
 */
export function IndemnityPanel({ ctx, view, canWork, state }: { ctx: PageContext; view: CaseView; canWork: boolean; state?: PaymentFormState | undefined }): JSX.Element {
  const t = ctx.t;
  const { indemnity } = view.remedies;
  const paid = view.indemnityPaidCents;
  const left = Math.max(0, indemnity.euro * 100 - paid);
  const errorFor = (field: string) => state?.errors.find((e) => e.field === field)?.text;
  const ids: Record<string, string> = { amountCents: 'indemnity-amount', paidOn: 'indemnity-paidOn' };
  return (
    <section aria-labelledby="h-indemnity" class="mb-4" id="indennizzo">
      <h2 class="h4" id="h-indemnity">{Html.escapeHtml(t.indemnityTitle)}</h2>
      <p class="mb-1" safe>{fill(t.indemnityAccrued, { euro: euroText(indemnity.euro * 100) })}</p>
      <p class="small" safe>{indemnity.reason}</p>
      {indemnity.eligible || paid > 0 ? <p safe>{fill(t.indemnityPaid, { paid: euroText(paid), left: euroText(left) })}</p> : ''}
      {canWork && indemnity.eligible && left > 0 ? (
        <form method="post" action={`/uffici/pratiche/${view.case.code}/indennizzo`} novalidate>
          <CsrfField ctx={ctx} />
          {state ? <ErrorSummary errors={state.errors.map((e) => ({ text: e.text, ...(e.field && ids[e.field] ? { field: ids[e.field] } : {}) }))} t={t} /> : ''}
          <Field id="indemnity-amount" name="amount" label={t.indemnityAmount} required inputmode="decimal" value={state?.values.amount} hint={t.indemnityAmountHint} error={errorFor('amountCents')} />
          <Field id="indemnity-paidOn" name="paidOn" label={t.indemnityPaidOn} type="date" required value={state?.values.paidOn ?? ctx.today} error={errorFor('paidOn')} />
          <button type="submit" class="btn btn-primary">{Html.escapeHtml(t.indemnityRecord)}</button>
        </form>
      ) : ''}
    </section>
  );
}

function PreviewBox({ ctx, preview }: { ctx: PageContext; preview: EventPreview }): JSX.Element {
  const t = ctx.t;
  const { decision } = preview;
  return (
    <section class="callout note mb-3" aria-labelledby="preview-title">
      <h3 class="h6" id="preview-title">{Html.escapeHtml(t.messagePreview)}</h3>
      <p safe>
        {`${STATE_LABELS[decision.state]} — ${t.deadline}: ${decision.deadline.deadline ? date(decision.deadline.deadline) : '—'}${decision.deadline.provisional ? ' (provvisoria)' : ''}`}
      </p>
      {decision.event.effectiveOn < ctx.today ? <p class="text-danger-emphasis" safe>{fill(t.pastDateWarning, { date: date(decision.event.effectiveOn) })}</p> : ''}
      {preview.messages.length === 0 ? <p>{Html.escapeHtml(t.noNotifications)}</p> : ''}
      {preview.messages.map((m) => (
        <div class="mb-2">
          <p class="mb-1 fw-semibold" safe>{`${channelLabel(m.channel)} → ${m.recipient}${m.subject ? ` — ${m.subject}` : ''}`}</p>
          <pre class="message-preview" safe>{m.text}</pre>
        </div>
      ))}
    </section>
  );
}
