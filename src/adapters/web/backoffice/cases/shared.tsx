/** What the case pages share: dates, the state badge, the deadline cell, the edit-form frame, the fiscal fields. */
import Html from '@kitajs/html';
import { CHANNELS } from '../../../../domain/case/contacts.ts';
import type { Channel } from '../../../../domain/case/contacts.ts';
import { STATE_LABELS } from '../../../../domain/case/states.ts';
import type { CaseState } from '../../../../domain/case/states.ts';
import { formatItalianDate } from '../../../../domain/deadline/index.ts';
import type { DeadlineResult } from '../../../../domain/deadline/index.ts';
import { CHANNEL_LABELS } from '../../../../domain/notification/index.ts';
import { counted } from '../../../../domain/plural.ts';
import { CsrfField, Field } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { fill } from '../text.ts';
import type { FiscalValues } from './forms.ts';

// the order staff are used to (SMS, e-mail), then App IO; every channel of the domain's list
export const CHOOSABLE: readonly Channel[] = ['sms', 'email', ...CHANNELS.filter((c) => c !== 'sms' && c !== 'email')];
export const channelLabel = (c: Channel) => (c === 'email' ? 'E-mail' : CHANNEL_LABELS[c]);

export const date = (d: string | null | undefined): string => (d ? formatItalianDate(d) : '—');
export const dateTime = (d: Date): string => d.toLocaleString('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'short' });

export function StateBadge({ state }: { state: CaseState }): JSX.Element {
  const tone = state === 'closed' ? 'text-bg-secondary' : state === 'suspended' ? 'text-bg-warning' : 'text-bg-primary';
  return <span class={`badge ${tone}`} safe>{STATE_LABELS[state]}</span>;
}

export function DueText({ ctx, deadline, days }: { ctx: PageContext; deadline: string | null; days: number | null }): JSX.Element {
  if (!deadline) return <span>—</span>;
  const note = days === null ? '' : fill(days < 0 ? ctx.t.daysLate : ctx.t.daysLeft, { days: counted(Math.abs(days), 'day', ctx.lang) });
  return (
    <span class={days !== null && days < 0 ? 'text-danger fw-semibold' : ''}>
      {Html.escapeHtml(date(deadline))}
      {note ? <span class="d-block small" safe>{note}</span> : ''}
    </span>
  );
}
/** A form that changes part of a case: posted with the version the clerk saw, so that a change made meanwhile is refused. */
export function CaseEditForm({ children: safeChildren, ...props }: { ctx: PageContext; code: string; action: string; version: string; children: JSX.Element | JSX.Element[] }): JSX.Element {
  const t = props.ctx.t;
  return (
    <form method="post" action={`/uffici/pratiche/${props.code}/${props.action}`} novalidate>
      <CsrfField ctx={props.ctx} />
      <input type="hidden" name="version" value={props.version} />
      {safeChildren}
      <div class="d-flex gap-2">
        <button type="submit" class="btn btn-primary">{Html.escapeHtml(t.save)}</button>
        <a class="btn btn-outline-primary" href={`/uffici/pratiche/${props.code}`}>{Html.escapeHtml(t.back)}</a>
      </div>
    </form>
  );
}

/** The three optional identifiers, in the enrolment form and on their own page. */
export function FiscalFields({ ctx, values, err }: { ctx: PageContext; values: FiscalValues; err: (field: string) => string | undefined }): JSX.Element {
  const t = ctx.t;
  return (
    <fieldset class="mb-3" aria-describedby="fiscal-hint">
      <legend class="h5">{Html.escapeHtml(t.fiscalIdentifiers)}</legend>
      <p class="small" id="fiscal-hint">{Html.escapeHtml(t.fiscalHint)}</p>
      <Field id="applicantFiscalCode" label={t.applicantFiscalCode} value={values.applicantFiscalCode} autocomplete="off" maxlength={32} error={err('applicantFiscalCode')} />
      <div class="row">
        <div class="col-md-6">
          <Field id="applicantVatNumber" label={t.applicantVatNumber} value={values.applicantVatNumber} autocomplete="off" inputmode="numeric" maxlength={32} error={err('applicantVatNumber')} />
        </div>
        <div class="col-md-6">
          <Field id="legalRepresentativeFiscalCode" label={t.legalRepresentativeFiscalCode} value={values.legalRepresentativeFiscalCode} autocomplete="off" maxlength={32} error={err('legalRepresentativeFiscalCode')} />
        </div>
      </div>
    </fieldset>
  );
}

export function DeadlineSteps({ deadline }: { deadline: DeadlineResult }): JSX.Element {
  return (
    <>
      <ol class="mb-2">
        {deadline.steps.map((s) => (
          <li safe>{s.text}</li>
        ))}
      </ol>
      {deadline.warnings.length ? (
        <ul class="list-unstyled mb-0">
          {deadline.warnings.map((w) => (
            <li class="text-danger-emphasis" safe>{`⚠ ${w.text}`}</li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </>
  );
}
