/** The case page: data, deadline and its steps, history, event forms, indemnity, messages and audit trail. */
import Html from '@kitajs/html';
import type { NotificationView } from '../../../../application/notifications.ts';
import { OUTCOME_LABELS, SUSPENSION_LABELS } from '../../../../domain/case/decide.ts';
import { EVENT_LABELS } from '../../../../domain/case/states.ts';
import { CHANNEL_LABELS, KIND_LABELS } from '../../../../domain/notification/index.ts';
import { Checkbox, CsrfField, ErrorSummary, Field, Page, errorFor } from '../page.tsx';
import type { PageContext } from '../page.tsx';
import { AUDIT_ACTION_LABELS, actorLabel, fill } from '../text.ts';
import type { CaseDetailModel } from './detail-model.ts';
import { EventForm, IndemnityPanel } from './event-forms.tsx';
import { DeadlineSteps, DueText, StateBadge, date, dateTime } from './shared.tsx';

export function casePage(ctx: PageContext, model: CaseDetailModel): JSX.Element {
  const { view, notifications, trail, actions, canWork, ioHere, formState, payment } = model;
  const t = ctx.t;
  const c = view.case;
  const optOut = formState?.type === 'opt-out' ? formState : undefined;
  // a refusal whose form is not on the page (a case closed or opted out meanwhile) is told at the top
  const formShown = formState?.type === 'opt-out' ? canWork && !c.opted_out_at : !!formState && actions.includes(formState.type);
  // a message that failed for good and the notice that told the citizen on the other channel name each other
  const noticeOf = (n: NotificationView) => {
    const failed = n.kind === 'delivery-failed' ? notifications.find((f) => f.id === n.fallbackOf) : undefined;
    return failed ? <span class="d-block small" safe>{fill(t.noticeOf, { message: KIND_LABELS[failed.kind], channel: CHANNEL_LABELS[failed.channel] })}</span> : '';
  };
  const noticeSent = (n: NotificationView) => {
    const notice = notifications.find((f) => f.fallbackOf === n.id);
    return notice ? <span class="d-block small" safe>{fill(t.noticeSent, { channel: CHANNEL_LABELS[notice.channel] })}</span> : '';
  };
  return (
    <Page ctx={ctx} title={fill(t.caseTitle, { code: c.code })} section="cases">
      <h1>
        <span class="font-monospace" safe>{c.code}</span> <StateBadge state={c.state} />
        <span class="d-block h4 mt-2" safe>{c.subject}</span>
      </h1>
      {formState?.conflict ? (
        <div class="alert alert-danger" role="alert">
          <h2 class="h5">{Html.escapeHtml(t.conflictTitle)}</h2>
          <p class="mb-0" safe>{formState.errors[0]!.text}</p>
        </div>
      ) : ''}
      {formState && !formState.conflict && formState.errors.length && !formShown ? (
        <ErrorSummary errors={formState.errors.map((e) => ({ text: e.text }))} t={t} />
      ) : ''}
      {view.overdue ? (
        <div class="alert alert-danger" role="note" safe>
          {fill(t.substitute, { name: view.procedure.substitute_name || '—', contact: view.procedure.substitute_contact || '—' })}
        </div>
      ) : ''}
      {c.opted_out_at ? (
        <div class="alert alert-warning" role="note" id="rinuncia" safe>{fill(t.optedOut, { date: dateTime(c.opted_out_at) })}</div>
      ) : ''}
      <div class="row">
        <div class="col-lg-7">
          <dl class="row">
            <dt class="col-sm-4">{Html.escapeHtml(t.procedure)}</dt>
            <dd class="col-sm-8" safe>{`${view.procedure.code} — ${view.procedure.name}`}</dd>
            <dt class="col-sm-4">{Html.escapeHtml(t.applicant)}</dt>
            <dd class="col-sm-8" safe>{c.applicant_name}</dd>
            <dt class="col-sm-4">{Html.escapeHtml(t.fiscalIdentifiers)}</dt>
            <dd class="col-sm-8" id="fiscal-identifiers">
              {c.applicant_fiscal_code ? <span class="d-block font-monospace" safe>{`${t.applicantFiscalCode}: ${c.applicant_fiscal_code}`}</span> : ''}
              {c.applicant_vat_number ? <span class="d-block font-monospace" safe>{`${t.applicantVatNumber}: ${c.applicant_vat_number}`}</span> : ''}
              {c.legal_representative_fiscal_code ? <span class="d-block font-monospace" safe>{`${t.legalRepresentativeFiscalCode}: ${c.legal_representative_fiscal_code}`}</span> : ''}
              {!c.applicant_fiscal_code && !c.applicant_vat_number && !c.legal_representative_fiscal_code ? <span class="d-block">—</span> : ''}
              {canWork ? <a href={`/uffici/pratiche/${c.code}/codice-fiscale`}>{Html.escapeHtml(t.editFiscal)}</a> : ''}
            </dd>
            <dt class="col-sm-4">{Html.escapeHtml(t.receivedOn)}</dt>
            <dd class="col-sm-8" safe>{`${date(c.received_on)}${c.protocol_number ? ` — prot. ${c.protocol_number}` : ''}`}</dd>
            <dt class="col-sm-4">{Html.escapeHtml(t.deadline)}</dt>
            <dd class="col-sm-8">
              <DueText ctx={ctx} deadline={view.deadline.deadline} days={view.daysRemaining} />
              {view.deadline.provisional ? <span class="d-block small">provvisoria</span> : ''}
            </dd>
            <dt class="col-sm-4">{Html.escapeHtml(t.contacts)}</dt>
            <dd class="col-sm-8">
              <span class="d-block" safe>{`${t.mobile}: ${c.mobile ?? '—'}${c.notify_sms ? ' (SMS)' : ''}`}</span>
              <span class="d-block" safe>{`${t.email}: ${c.email ?? '—'}${c.notify_email ? ' (e-mail)' : ''}`}</span>
              {ioHere || c.notify_io ? (
                <span class="d-block" id="contact-io" safe>{`${t.ioContact}: ${c.applicant_fiscal_code ?? '—'}${c.notify_io ? ` (App IO${ioHere ? '' : `, ${t.ioInactive}`})` : ''}`}</span>
              ) : ''}
              {canWork && !c.opted_out_at ? <a href={`/uffici/pratiche/${c.code}/recapiti`}>{Html.escapeHtml(t.editContacts)}</a> : ''}
            </dd>
            <dt class="col-sm-4">{Html.escapeHtml(t.office)}</dt>
            <dd class="col-sm-8" safe>{`${view.office.name} — ${view.responsible.name}`}</dd>
          </dl>
          <section aria-labelledby="h-deadline" class="mb-4">
            <h2 class="h4" id="h-deadline">{Html.escapeHtml(t.deadlineExplain)}</h2>
            <DeadlineSteps deadline={view.deadline} />
          </section>
          {view.deadline.suspensions.length ? (
            <section aria-labelledby="h-susp" class="mb-4">
              <h2 class="h4" id="h-susp">{Html.escapeHtml(t.suspensions)}</h2>
              <ul>
                {view.deadline.suspensions.map((s) => (
                  <li safe>{`${SUSPENSION_LABELS[s.kind]}: ${date(s.from)} → ${s.to ? date(s.to) : 'in corso'} (${s.days} gg.)${s.cappedByLaw ? ' — termine ripreso per legge' : ''}`}</li>
                ))}
              </ul>
            </section>
          ) : ''}
          <section aria-labelledby="h-timeline" class="mb-4">
            <h2 class="h4" id="h-timeline">{Html.escapeHtml(t.timeline)}</h2>
            {view.events.length === 0 ? <p safe>{t.noEventsYet}</p> : ''}
            <ol class="list-unstyled timeline">
              {view.events.map((e) => (
                <li class="mb-3 border-start border-3 ps-3">
                  <p class="mb-1">
                    <span class="timeline-date" safe>{date(e.effectiveOn)}</span> — <strong safe>{EVENT_LABELS[e.type]}</strong>
                    {e.suspensionKind ? <span safe>{` (${SUSPENSION_LABELS[e.suspensionKind]}${e.legalBasis ? `; ${e.legalBasis}` : ''})`}</span> : ''}
                    {e.outcome ? <span safe>{` — ${OUTCOME_LABELS[e.outcome]}`}</span> : ''}
                  </p>
                  {e.reason ? <p class="mb-1" safe>{`${t.reason}: ${e.reason}`}</p> : ''}
                  {e.notes ? <p class="mb-1" safe>{`${t.notes}: ${e.notes}`}</p> : ''}
                  <p class="small text-secondary mb-0" safe>{fill(t.recordedAt, { at: dateTime(e.recordedAt), by: e.recordedBy })}</p>
                </li>
              ))}
            </ol>
          </section>
        </div>
        <div class="col-lg-5">
          <section aria-labelledby="h-actions" class="mb-4">
            <h2 class="h4" id="h-actions">{Html.escapeHtml(t.recordEvent)}</h2>
            {actions.length === 0 ? <p>{Html.escapeHtml(t.noActions)}</p> : actions.map((type) => <EventForm ctx={ctx} view={view} type={type} state={formState?.type === 'opt-out' ? undefined : formState} />)}
          </section>
          {view.remedies.indemnityApplies && (view.remedies.late || view.indemnityPaidCents > 0) ? (
            <IndemnityPanel ctx={ctx} view={view} canWork={canWork} state={payment} />
          ) : ''}
          {canWork && !c.opted_out_at ? (
            <section aria-labelledby="h-resend" class="mb-4">
              <h2 class="h4" id="h-resend">{Html.escapeHtml(t.resend)}</h2>
              <p>{Html.escapeHtml(t.resendHint)}</p>
              <form method="post" action={`/uffici/pratiche/${c.code}/credenziali`}>
                <CsrfField ctx={ctx} />
                <button type="submit" class="btn btn-outline-primary">{Html.escapeHtml(t.resend)}</button>
              </form>
            </section>
          ) : ''}
          {canWork && c.opted_out_at && !c.opt_out_acknowledged_at ? (
            <section aria-labelledby="h-ack" class="mb-4">
              <h2 class="h4" id="h-ack">{Html.escapeHtml(t.optOuts)}</h2>
              <form method="post" action={`/uffici/pratiche/${c.code}/rinuncia/presa-in-carico`}>
                <CsrfField ctx={ctx} />
                <button type="submit" class="btn btn-primary">{Html.escapeHtml(t.acknowledge)}</button>
              </form>
            </section>
          ) : ''}
          {canWork && !c.opted_out_at ? (
            <section aria-labelledby="h-optout" class="mb-4" id="rinuncia">
              <h2 class="h4" id="h-optout">{Html.escapeHtml(t.optOut)}</h2>
              <p>{Html.escapeHtml(t.optOutHint)}</p>
              <form method="post" action={`/uffici/pratiche/${c.code}/rinuncia`} novalidate>
                <CsrfField ctx={ctx} />
                <input type="hidden" name="version" value={String(c.version)} />
                {optOut && !optOut.conflict ? <ErrorSummary errors={optOut.errors} t={t} /> : ''}
                <Field id="optout-note" name="note" label={t.optOutNote} maxlength={500} value={optOut?.values.note} error={errorFor(optOut?.errors ?? [], 'optout-note')} />
                <Checkbox id="optout-confirm" name="confirm" label={t.optOutConfirm} checked={false} required error={errorFor(optOut?.errors ?? [], 'optout-confirm')} />
                <button type="submit" class="btn btn-outline-danger">{Html.escapeHtml(t.optOutButton)}</button>
              </form>
            </section>
          ) : ''}
        </div>
      </div>
      <section aria-labelledby="h-messages" class="mb-4" id="messaggi">
        <h2 class="h4" id="h-messages">{Html.escapeHtml(t.notifications)}</h2>
        {notifications.length === 0 ? <p>{Html.escapeHtml(t.noNotifications)}</p> : (
          <div class="table-responsive">
            <table class="table table-sm">
              <caption class="visually-hidden">{Html.escapeHtml(t.notifications)}</caption>
              <thead>
                <tr>
                  <th scope="col">{Html.escapeHtml(t.when)}</th>
                  <th scope="col">{Html.escapeHtml(t.action)}</th>
                  <th scope="col">{Html.escapeHtml(t.channel)}</th>
                  <th scope="col">{Html.escapeHtml(t.recipient)}</th>
                  <th scope="col">{Html.escapeHtml(t.status)}</th>
                  <th scope="col">{Html.escapeHtml(t.attempts)}</th>
                </tr>
              </thead>
              <tbody>
                {notifications.map((n) => (
                  <tr>
                    <td safe>{dateTime(n.createdAt)}</td>
                    <td>
                      <span safe>{KIND_LABELS[n.kind]}</span>
                      {noticeOf(n)}
                    </td>
                    <td safe>{CHANNEL_LABELS[n.channel]}</td>
                    <td safe>{n.recipient}</td>
                    <td>
                      <span safe>{n.statusLabel}</span>
                      {n.lastError ? <span class="d-block small" safe>{n.lastError}</span> : ''}
                      {noticeSent(n)}
                    </td>
                    <td safe>{String(n.attempts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="h-audit" class="mb-4">
        <h2 class="h4" id="h-audit">{Html.escapeHtml(t.audit)}</h2>
        <div class="table-responsive">
          <table class="table table-sm">
            <caption class="visually-hidden">{Html.escapeHtml(t.audit)}</caption>
            <thead>
              <tr>
                <th scope="col">{Html.escapeHtml(t.when)}</th>
                <th scope="col">{Html.escapeHtml(t.who)}</th>
                <th scope="col">{Html.escapeHtml(t.action)}</th>
              </tr>
            </thead>
            <tbody>
              {trail.map((a) => (
                <tr>
                  <td safe>{dateTime(a.at)}</td>
                  <td safe>{actorLabel(ctx.lang, a.actor)}</td>
                  <td safe>{AUDIT_ACTION_LABELS[ctx.lang][a.action] ?? a.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Page>
  );
}
