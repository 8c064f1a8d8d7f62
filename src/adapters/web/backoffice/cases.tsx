import { counted } from '../../../domain/plural.ts';
import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../../application/backoffice/auth.ts';
import type { StaffUser } from '../../../application/backoffice/auth.ts';
import { acknowledgeOptOut, caseAuditTrail, optOutNoteOf, recordOptOut, updateContacts, updateFiscalIdentifiers } from '../../../application/backoffice/case-admin.ts';
import { searchCases } from '../../../application/backoffice/case-search.ts';
import type { CaseSearch } from '../../../application/backoffice/case-search.ts';
import { loadDashboard } from '../../../application/backoffice/dashboard.ts';
import type { DashboardCase } from '../../../application/backoffice/dashboard.ts';
import { previewEnrolmentDeadline, previewEvent } from '../../../application/backoffice/previews.ts';
import { FormAlreadySent, newFormToken } from '../../../application/form-tokens.ts';
import type { EventPreview } from '../../../application/backoffice/previews.ts';
import { checkCommandTexts, checkEnrolment, enrolCase, getCaseView, recordEvent } from '../../../application/cases.ts';
import type { CaseView } from '../../../application/cases.ts';
import { recordIndemnityPayment } from '../../../application/indemnity.ts';
import { listOffices, listProcedures } from '../../../application/catalogue.ts';
import { listCaseNotifications, resendCredentials } from '../../../application/notifications.ts';
import type { NotificationView } from '../../../application/notifications.ts';
import { normalizeCaseCode } from '../../../domain/case/codes.ts';
import type { Channel } from '../../../domain/case/contacts.ts';
import { OUTCOMES, OUTCOME_LABELS, SUSPENSION_LABELS } from '../../../domain/case/decide.ts';
import type { CaseCommand, Outcome } from '../../../domain/case/decide.ts';
import { CASE_STATES, EVENT_LABELS, STATE_LABELS } from '../../../domain/case/states.ts';
import type { CaseState, EventType } from '../../../domain/case/states.ts';
import { SUSPENSION_KINDS, euroText, formatItalianDate, isoDateProblem, parseEuroCents } from '../../../domain/deadline/index.ts';
import type { DeadlineResult, SuspensionKind } from '../../../domain/deadline/index.ts';
import { Checks, DomainError } from '../../../domain/errors.ts';
import { CHANNEL_LABELS, KIND_LABELS } from '../../../domain/notification/index.ts';
import { CHANNELS, chosenChannels, ioOffered } from '../../../domain/case/contacts.ts';

// the order staff are used to (SMS, e-mail), then App IO; every channel of the domain's list
const CHOOSABLE: readonly Channel[] = ['sms', 'email', ...CHANNELS.filter((c) => c !== 'sms' && c !== 'email')];
const channelLabel = (c: Channel) => (c === 'email' ? 'E-mail' : CHANNEL_LABELS[c]);
const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);
import { caseEventsFor, canWorkOnCase, scopeOf } from '../../../domain/policy.ts';
import { describeTerm } from '../../../domain/procedure.ts';
import type { BackofficeKit } from './kit.ts';
import { RequestNote, enrolmentValuesOf, requestForEnrolment } from './adhesion-requests.tsx';
import { isUuid } from '../../../domain/text.ts';
import { problem } from '../problems.ts';
import { Checkbox, Choices, CsrfField, ErrorSummary, Field, Page, Select, TextArea, attributeText, errorFor } from './page.tsx';
import type { PageContext } from './page.tsx';
import { AUDIT_ACTION_LABELS, actorLabel, fill } from './text.ts';
import { formErrors, inFormOrder, int, isFormError, str, strs } from './forms.ts';


const date = (d: string | null | undefined): string => (d ? formatItalianDate(d) : '—');
const dateTime = (d: Date): string => d.toLocaleString('it-IT', { timeZone: 'Europe/Rome', dateStyle: 'short', timeStyle: 'short' });

function caseCodeParam(request: FastifyRequest): string {
  const raw = (request.params as { code?: string }).code ?? '';
  const code = normalizeCaseCode(raw);
  if (!code) throw new DomainError('not-found', `Pratica ${raw} non trovata: il codice ha la forma FC-XXXX-XXXX.`);
  return code;
}

function StateBadge({ state }: { state: CaseState }): JSX.Element {
  const tone = state === 'closed' ? 'text-bg-secondary' : state === 'suspended' ? 'text-bg-warning' : 'text-bg-primary';
  return <span class={`badge ${tone}`} safe>{STATE_LABELS[state]}</span>;
}

function DueText({ ctx, deadline, days }: { ctx: PageContext; deadline: string | null; days: number | null }): JSX.Element {
  if (!deadline) return <span>—</span>;
  const note = days === null ? '' : fill(days < 0 ? ctx.t.daysLate : ctx.t.daysLeft, { days: counted(Math.abs(days), 'day', ctx.lang) });
  return (
    <span class={days !== null && days < 0 ? 'text-danger fw-semibold' : ''}>
      {Html.escapeHtml(date(deadline))}
      {note ? <span class="d-block small" safe>{note}</span> : ''}
    </span>
  );
}

// ------------------------------------------------------------------------------------------------
// Dashboard

function CaseMiniTable({ ctx, rows, caption, sinceColumn }: { ctx: PageContext; rows: DashboardCase[]; caption: string; sinceColumn?: boolean }): JSX.Element {
  if (rows.length === 0) return <p>{Html.escapeHtml(ctx.t.none)}</p>;
  return (
    <div class="table-responsive">
      <table class="table table-sm">
        <caption class="visually-hidden" safe>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{Html.escapeHtml(ctx.t.code)}</th>
            <th scope="col">{Html.escapeHtml(ctx.t.applicant)}</th>
            <th scope="col">{Html.escapeHtml(ctx.t.subject)}</th>
            <th scope="col">{sinceColumn ? ctx.t.since : Html.escapeHtml(ctx.t.deadline)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td><a href={`/uffici/pratiche/${r.code}`} safe>{r.code}</a></td>
              <td safe>{r.applicantName}</td>
              <td safe>{r.subject}</td>
              <td>{Html.escapeHtml(date(sinceColumn ? r.since : r.deadline))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------
// Enrolment form

interface EnrolValues {
  procedureCode: string;
  subject: string;
  applicantName: string;
  receivedOn: string;
  protocolNumber: string;
  mobile: string;
  email: string;
  channels: string[];
  applicantFiscalCode: string;
  applicantVatNumber: string;
  legalRepresentativeFiscalCode: string;
  privacy: boolean;
  /** the form's one-time token, kept while the form is corrected */
  formToken: string;
  /** the online adhesion request the form was filled in from, if any */
  adhesionRequest: string;
}

/** The enrolment form's fields, top to bottom: the order of its error summary. */
const ENROL_FIELDS = ['procedureCode', 'subject', 'applicantName', 'applicantFiscalCode', 'applicantVatNumber', 'legalRepresentativeFiscalCode', 'receivedOn', 'protocolNumber', 'mobile', 'email', 'channels', 'privacy'];

type FiscalValues = Pick<EnrolValues, 'applicantFiscalCode' | 'applicantVatNumber' | 'legalRepresentativeFiscalCode'>;

function fiscalValues(body: unknown): FiscalValues {
  return {
    applicantFiscalCode: str(body, 'applicantFiscalCode'),
    applicantVatNumber: str(body, 'applicantVatNumber'),
    legalRepresentativeFiscalCode: str(body, 'legalRepresentativeFiscalCode'),
  };
}

/** A form that changes part of a case: posted with the version the clerk saw, so that a change made meanwhile is refused. */
function CaseEditForm({ children: safeChildren, ...props }: { ctx: PageContext; code: string; action: string; version: string; children: JSX.Element | JSX.Element[] }): JSX.Element {
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
function FiscalFields({ ctx, values, err }: { ctx: PageContext; values: FiscalValues; err: (field: string) => string | undefined }): JSX.Element {
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

function fiscalInput(values: FiscalValues) {
  return {
    applicantFiscalCode: values.applicantFiscalCode || null,
    applicantVatNumber: values.applicantVatNumber || null,
    legalRepresentativeFiscalCode: values.legalRepresentativeFiscalCode || null,
  };
}

function enrolValues(body: unknown, today: string): EnrolValues {
  return {
    procedureCode: str(body, 'procedureCode'),
    subject: str(body, 'subject'),
    applicantName: str(body, 'applicantName'),
    receivedOn: str(body, 'receivedOn') || today,
    protocolNumber: str(body, 'protocolNumber'),
    mobile: str(body, 'mobile'),
    email: str(body, 'email'),
    channels: strs(body, 'channels'),
    ...fiscalValues(body),
    privacy: str(body, 'privacy') === 'yes',
    formToken: /^[A-Za-z0-9_-]{24}$/.test(str(body, 'formToken')) ? str(body, 'formToken') : newFormToken(),
    adhesionRequest: isUuid(str(body, 'adhesionRequest')) ? str(body, 'adhesionRequest') : '',
  };
}

function DeadlineSteps({ deadline }: { deadline: DeadlineResult }): JSX.Element {
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

// ------------------------------------------------------------------------------------------------
// Case detail

interface EventFormState {
  type: EventType;
  values: Record<string, string>;
  errors: { field?: string; text: string }[];
  /** someone else recorded on the case meanwhile: nothing was written */
  conflict?: boolean;
  preview?: EventPreview;
}

/** The opt-out form sent back refused: the note as typed, each message on its field. */
interface OptOutFormState {
  type: 'opt-out';
  values: { note: string };
  errors: { field?: string; text: string }[];
  conflict?: boolean;
}

function EventForm({ ctx, view, type, state }: { ctx: PageContext; view: CaseView; type: EventType; state?: EventFormState | undefined }): JSX.Element {
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

interface PaymentFormState {
  values: { amount: string; paidOn: string };
  errors: { field?: string; text: string }[];
}

/**
 * The indemnity for delay of a case where art. 28 D.L. 69/2013 applies: what accrued, what was paid, and the
 * form that records a payment while some is left to pay.
 */
function IndemnityPanel({ ctx, view, canWork, state }: { ctx: PageContext; view: CaseView; canWork: boolean; state?: PaymentFormState | undefined }): JSX.Element {
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

/** The event form as a command, every field checked before any is refused (the form lists them all at once). */
function commandOf(body: unknown, today: string): CaseCommand {
  const type = str(body, 'type') as EventType;
  const checks = new Checks();
  const typed = str(body, 'effectiveOn').trim() || today;
  const problem = isoDateProblem(typed);
  if (problem) checks.add(new DomainError('invalid-date', `La data "${typed}" non è valida: ${problem}.`, { field: 'effectiveOn' }));
  const effectiveOn = problem ? today : typed;
  const reason = str(body, 'reason');
  const notes = str(body, 'notes');
  let command: CaseCommand;
  switch (type) {
    case 'start':
    case 'resume':
    case 'observations':
    case 'substitute-request':
      command = { type, effectiveOn, reason, notes };
      break;
    case 'suspend': {
      const kind = str(body, 'kind') as SuspensionKind;
      if (!SUSPENSION_KINDS.includes(kind)) checks.add(new DomainError('invalid-input', 'Scegliere il tipo di sospensione.', { field: 'kind' }));
      command = { type, effectiveOn, reason, notes, kind, legalBasis: str(body, 'legalBasis') };
      break;
    }
    case 'close': {
      const outcome = str(body, 'outcome') as Outcome;
      if (!OUTCOMES.includes(outcome)) checks.add(new DomainError('invalid-input', 'Scegliere l\'esito.', { field: 'outcome' }));
      command = { type, effectiveOn, reason, notes, outcome };
      break;
    }
    default:
      throw new DomainError('invalid-input', 'Evento sconosciuto.');
  }
  checks.run(() => checkCommandTexts(command), command);
  checks.done();
  return command;
}

export async function caseRoutes(app: FastifyInstance, kit: BackofficeKit): Promise<void> {
  const { deps } = kit;
  const caseDeps = { db: deps.db, clock: deps.clock, io: deps.io };
  const user = (request: FastifyRequest): StaffUser => request.staff!;

  // --- dashboard ---------------------------------------------------------------------------------
  app.get('/', async (request, reply) => {
    const scope = scopeOf(user(request));
    const d = await loadDashboard(caseDeps, scope);
    return kit.render(request, reply, 200, (ctx) => {
      const t = ctx.t;
      const tiles: [string, number, string][] = [
        [t.open, d.open, '/uffici/pratiche?state=open'],
        [t.overdue, d.overdue, '/uffici/pratiche?due=overdue&sort=deadline'],
        [t.due7, d.dueWithin7, '/uffici/pratiche?due=7&sort=deadline'],
        [t.suspended, d.suspended, '/uffici/pratiche?state=suspended'],
      ];
      return (
        <Page ctx={ctx} title={t.dashboard} section="dashboard">
          <h1>
            {Html.escapeHtml(t.dashboard)}
            <span class="h5 d-block text-secondary mt-1" safe>{ctx.user?.officeName ?? t.allOffices}</span>
          </h1>
          <ul class="row list-unstyled g-3 mb-4">
            {tiles.map(([label, n, href]) => (
              <li class="col-6 col-lg-3">
                <a class="card card-bg h-100 p-3 text-decoration-none dashboard-tile" href={href}>
                  <span class="display-6 fw-bold" safe>{String(n)}</span>
                  <span class="d-block" safe>{label}</span>
                </a>
              </li>
            ))}
          </ul>
          <div class="row">
            <section class="col-lg-6 mb-4" aria-labelledby="h-overdue">
              <h2 class="h4" id="h-overdue">{Html.escapeHtml(t.overdue)}</h2>
              <CaseMiniTable ctx={ctx} rows={d.overdueCases} caption={t.overdue} />
            </section>
            <section class="col-lg-6 mb-4" aria-labelledby="h-due">
              <h2 class="h4" id="h-due">{Html.escapeHtml(t.due7)}</h2>
              <CaseMiniTable ctx={ctx} rows={d.dueSoonCases} caption={t.due7} />
            </section>
            <section class="col-lg-6 mb-4" aria-labelledby="h-c7">
              <h2 class="h4" id="h-c7">{Html.escapeHtml(t.c7Over30)}</h2>
              <p class="small">{Html.escapeHtml(t.c7Over30Hint)}</p>
              <CaseMiniTable ctx={ctx} rows={d.c7Over30} caption={t.c7Over30} sinceColumn />
            </section>
            <section class="col-lg-6 mb-4" aria-labelledby="h-substitute">
              <h2 class="h4" id="h-substitute">{Html.escapeHtml(t.substituteRequests)}</h2>
              <p class="small">{Html.escapeHtml(t.substituteRequestsHint)}</p>
              {d.substituteRequests.length === 0 ? <p>{Html.escapeHtml(t.none)}</p> : (
                <ul>
                  {d.substituteRequests.map((c) => (
                    <li>
                      <a href={`/uffici/pratiche/${c.code}`} safe>{c.code}</a>
                      <span safe>{` — ${c.applicantName}: ${fill(t.substituteRequestLine, { request: date(c.requestedOn), due: c.substituteDeadline ? date(c.substituteDeadline) : '—' })}`}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section class="col-lg-6 mb-4" aria-labelledby="h-failed">
              <h2 class="h4" id="h-failed">{Html.escapeHtml(t.failedMessages)}</h2>
              {d.failedMessages.length === 0 ? <p>{Html.escapeHtml(t.none)}</p> : (
                <ul>
                  {d.failedMessages.map((m) => (
                    <li>
                      <a href={`/uffici/pratiche/${m.code}#messaggi`} safe>{m.code}</a>
                      <span safe>{` — ${CHANNEL_LABELS[m.channel as Channel]} ${m.recipient}, ${m.statusLabel}${m.error ? `: ${m.error}` : ''}`}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section class="col-lg-6 mb-4" aria-labelledby="h-optout">
              <h2 class="h4" id="h-optout">{Html.escapeHtml(t.optOuts)}</h2>
              {d.optOutsToAcknowledge.length === 0 ? <p>{Html.escapeHtml(t.none)}</p> : (
                <ul>
                  {d.optOutsToAcknowledge.map((c) => (
                    <li>
                      <a href={`/uffici/pratiche/${c.code}#rinuncia`} safe>{c.code}</a>
                      <span safe>{` — ${c.applicantName}`}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </Page>
      );
    });
  });

  // --- case list ---------------------------------------------------------------------------------
  app.get('/pratiche', async (request, reply) => {
    const me = user(request);
    const scope = scopeOf(me);
    const query = request.query;
    const stateText = str(query, 'state');
    const dueText = str(query, 'due');
    const search: CaseSearch = {
      q: str(query, 'q').slice(0, 200) || undefined,
      state: stateText === 'open' || CASE_STATES.includes(stateText as CaseState) ? (stateText as CaseSearch['state']) : undefined,
      procedureCode: str(query, 'procedure') || undefined,
      officeCode: scope ? undefined : str(query, 'office') || undefined,
      due: ['overdue', '7', '15', '30'].includes(dueText) ? (dueText as CaseSearch['due']) : undefined,
      sort: str(query, 'sort') === 'deadline' ? 'deadline' : 'recent',
      cursor: str(query, 'cursor') || undefined,
    };
    const [page, procedures, offices] = await Promise.all([
      searchCases(caseDeps, scope, search),
      listProcedures(deps.db, scope),
      scope ? Promise.resolve([]) : listOffices(deps.db, null),
    ]);
    const params = new URLSearchParams();
    for (const key of ['q', 'state', 'procedure', 'office', 'due', 'sort']) if (str(query, key)) params.set(key, str(query, key));
    const nextHref = page.nextCursor ? `/uffici/pratiche?${new URLSearchParams([...params, ['cursor', page.nextCursor]]).toString()}` : undefined;
    return kit.render(request, reply, 200, (ctx) => {
      const t = ctx.t;
      return (
        <Page ctx={ctx} title={t.cases} section="cases">
          <h1>{Html.escapeHtml(t.cases)}</h1>
          <form method="get" action="/uffici/pratiche" class="mb-4" role="search" aria-label={t.filters}>
            <div class="row">
              <div class="col-lg-4">
                <Field id="q" label={t.search} value={search.q} hint={t.searchHint} maxlength={200} />
              </div>
              <div class="col-sm-6 col-lg-2">
                <Select id="state" label={t.state} value={stateText} options={[
                  { value: '', label: t.anyState }, { value: 'open', label: t.openStates },
                  ...CASE_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] })),
                ]} />
              </div>
              <div class="col-sm-6 col-lg-3">
                <Select id="procedure" label={t.procedure} value={search.procedureCode} options={[
                  { value: '', label: t.any }, ...procedures.map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` })),
                ]} />
              </div>
              <div class="col-sm-6 col-lg-3">
                <Select id="due" label={t.due} value={dueText} options={[
                  { value: '', label: t.any }, { value: 'overdue', label: t.dueOverdue },
                  ...['7', '15', '30'].map((n) => ({ value: n, label: fill(t.dueWithin, { n }) })),
                ]} />
              </div>
              {scope ? '' : (
                <div class="col-sm-6 col-lg-3">
                  <Select id="office" label={t.office} value={search.officeCode} options={[
                    { value: '', label: t.allOffices }, ...offices.map((o) => ({ value: o.code, label: `${o.code} — ${o.name}` })),
                  ]} />
                </div>
              )}
              <div class="col-sm-6 col-lg-3">
                <Select id="sort" label={t.sort} value={search.sort} options={[{ value: 'recent', label: t.sortRecent }, { value: 'deadline', label: t.sortDeadline }]} />
              </div>
            </div>
            <div class="d-flex gap-2">
              <button type="submit" class="btn btn-primary">{Html.escapeHtml(t.apply)}</button>
              <a class="btn btn-outline-primary" href="/uffici/pratiche">{Html.escapeHtml(t.reset)}</a>
            </div>
          </form>
          <h2 class="h4">{Html.escapeHtml(t.casesFound)}</h2>
          {page.items.length === 0 ? <p>{Html.escapeHtml(t.noCases)}</p> : (
            <div class="table-responsive">
              <table class="table table-striped align-middle">
                <caption class="visually-hidden">{Html.escapeHtml(t.casesFound)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{Html.escapeHtml(t.code)}</th>
                    <th scope="col">{Html.escapeHtml(t.applicant)}</th>
                    <th scope="col">{Html.escapeHtml(t.subject)}</th>
                    <th scope="col">{Html.escapeHtml(t.procedure)}</th>
                    <th scope="col">{Html.escapeHtml(t.state)}</th>
                    <th scope="col">{Html.escapeHtml(t.deadline)}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((c) => (
                    <tr>
                      <th scope="row"><a href={`/uffici/pratiche/${c.code}`} safe>{c.code}</a></th>
                      <td safe>{c.applicantName}</td>
                      <td>
                        <span safe>{c.subject}</span>
                        {c.protocolNumber ? <span class="d-block small" safe>{`Prot. ${c.protocolNumber}`}</span> : ''}
                      </td>
                      <td><abbr title={attributeText(c.procedureName)} safe>{c.procedureCode}</abbr></td>
                      <td><StateBadge state={c.state} /></td>
                      <td><DueText ctx={ctx} deadline={c.deadline} days={c.daysRemaining} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav aria-label="Paginazione" class="d-flex gap-3">
            {search.cursor ? <a href={`/uffici/pratiche?${params.toString()}`}>{Html.escapeHtml(t.first)}</a> : ''}
            {nextHref ? <a href={nextHref} rel="next">{Html.escapeHtml(t.next)}</a> : ''}
          </nav>
        </Page>
      );
    });
  });

  // --- enrolment ---------------------------------------------------------------------------------
  const enrolPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values: EnrolValues,
    errors: { field?: string; text: string }[],
    preview?: DeadlineResult,
  ) => {
    const procedures = await listProcedures(deps.db, scopeOf(user(request)));
    // App IO only where the procedure's office has a key: named when some offices in reach have none
    const ioOffices = [...new Set(procedures.filter((p) => ioOffered(deps.io, p.office_code)).map((p) => p.office_code))];
    const ioEverywhere = procedures.every((p) => ioOffered(deps.io, p.office_code));
    const channels = CHOOSABLE.filter((c) => c !== 'io' || ioOffices.length > 0);
    return kit.render(request, reply, status, (ctx) => {
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
    });
  };

  app.get('/pratiche/nuova', async (request, reply) => {
    const fromRequest = await requestForEnrolment(kit, request);
    return enrolPage(request, reply, 200, enrolValues(fromRequest ? enrolmentValuesOf(fromRequest) : { procedureCode: str(request.query, 'procedimento') }, deps.clock.today()), []);
  });

  app.post('/pratiche/nuova', { preHandler: app.csrfProtection }, async (request, reply) => {
    const me = user(request);
    const values = enrolValues(request.body, deps.clock.today());
    const channels = values.channels.filter(isChannel);
    const errors: { field?: string; text: string }[] = [];
    let preview: DeadlineResult | undefined;
    if (values.procedureCode) {
      try {
        preview = await previewEnrolmentDeadline({ ...caseDeps, publicBaseUrl: deps.publicBaseUrl }, scopeOf(me), values.procedureCode, values.receivedOn);
      } catch (error) {
        if (!isFormError(error) && !(error instanceof DomainError && error.code === 'not-found')) throw error;
        errors.push(...formErrors(error).map((e) => ({ ...e, field: e.field ?? 'procedureCode' })));
      }
    }
    if (str(request.body, 'action') !== 'save') return enrolPage(request, reply, errors.length ? 422 : 200, values, errors, preview);
    // every field checked before anything is refused: the form lists all that is wrong at once
    try {
      checkEnrolment({ ...values, channels }, deps.clock.today());
    } catch (error) {
      if (!isFormError(error)) throw error;
      for (const e of formErrors(error)) if (!errors.some((seen) => seen.field === e.field && seen.text === e.text)) errors.push(e);
    }
    // GDPR art. 13: the notice must have been given where the contacts are collected
    if (!values.privacy) errors.push({ field: 'privacy', text: 'Confermare di aver mostrato l\'informativa privacy al richiedente.' });
    if (errors.length) return enrolPage(request, reply, 422, values, inFormOrder(errors, ENROL_FIELDS), preview);
    try {
      const enrolled = await enrolCase(caseDeps, actorOf(me), {
        procedureCode: values.procedureCode, subject: values.subject, applicantName: values.applicantName, receivedOn: values.receivedOn,
        protocolNumber: values.protocolNumber, mobile: values.mobile || null, email: values.email || null, channels, formToken: values.formToken,
        adhesionRequestId: values.adhesionRequest || undefined, ...fiscalInput(values),
      });
      // the password is shown in this one response and never stored in clear: no redirect carries it
      return detailPage(request, reply, 201, enrolled.code, undefined, {
        kind: 'success', text: `${kit.text(request).enrolled} ${enrolled.code}`, credentials: enrolled,
      });
    } catch (error) {
      // a reload of the result or a second click: the case exists, and its password was shown once already
      if (error instanceof FormAlreadySent) {
        return kit.redirect(reply, `/uffici/pratiche/${error.result}`, { kind: 'info', text: fill(kit.text(request).alreadyEnrolled, { code: error.result }) });
      }
      if (!isFormError(error) && !(error instanceof DomainError && error.code === 'not-found')) throw error;
      return enrolPage(request, reply, 422, values, formErrors(error), preview);
    }
  });

  // --- case detail -------------------------------------------------------------------------------
  const detailPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: string,
    formState?: EventFormState | OptOutFormState,
    flash?: Parameters<BackofficeKit['render']>[4],
    payment?: PaymentFormState,
  ) => {
    const me = user(request);
    const scope = scopeOf(me);
    const view = await getCaseView(caseDeps, scope, code);
    const [notifications, trail] = await Promise.all([listCaseNotifications(deps.db, scope, code), caseAuditTrail(deps.db, code)]);
    const actions = caseEventsFor(me, { officeId: view.case.office_id, state: view.case.state });
    const canWork = canWorkOnCase(me, { officeId: view.case.office_id });
    const ioHere = ioOffered(deps.io, view.office.code);
    return kit.render(request, reply, status, (ctx) => {
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
    }, flash);
  };

  app.get('/pratiche/:code', async (request, reply) => detailPage(request, reply, 200, caseCodeParam(request)));

  app.post('/pratiche/:code/evento', { preHandler: app.csrfProtection }, async (request, reply) => {
    const me = user(request);
    const code = caseCodeParam(request);
    const body = request.body;
    const type = str(body, 'type') as EventType;
    const values: Record<string, string> = {};
    for (const k of ['effectiveOn', 'reason', 'notes', 'kind', 'legalBasis', 'outcome']) values[k] = str(body, k);
    const state: EventFormState = { type, values, errors: [] };
    try {
      const command = commandOf(body, deps.clock.today());
      if (str(body, 'action') === 'preview') {
        state.preview = await previewEvent({ ...caseDeps, publicBaseUrl: deps.publicBaseUrl }, scopeOf(me), code, command);
        return detailPage(request, reply, 200, code, state);
      }
      const recorded = await recordEvent(caseDeps, actorOf(me), code, command, { expectedVersion: int(body, 'version') });
      const t = kit.text(request);
      const past = command.effectiveOn < deps.clock.today();
      return kit.redirect(reply, `/uffici/pratiche/${recorded.code}`, {
        kind: past ? 'warning' : 'success',
        text: `${fill(t.recorded, { event: EVENT_LABELS[command.type] })}${past ? ` ${fill(t.pastDateWarning, { date: date(command.effectiveOn) })}` : ''}`,
      });
    } catch (error) {
      if (!isFormError(error)) throw error;
      state.errors = formErrors(error);
      state.conflict = error.code === 'conflict';
      return detailPage(request, reply, problem(error.code, '').status, code, state);
    }
  });

  app.post('/pratiche/:code/indennizzo', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const values = { amount: str(request.body, 'amount'), paidOn: str(request.body, 'paidOn') };
    try {
      const amountCents = parseEuroCents(values.amount);
      if (amountCents === null) {
        throw new DomainError('invalid-input', `L'importo "${values.amount}" non è valido: indicare gli euro, con al massimo due decimali dopo la virgola (es. 300,50).`, { field: 'amountCents' });
      }
      const paidOn = values.paidOn.trim();
      const dateProblem = paidOn === '' ? null : isoDateProblem(paidOn);
      if (dateProblem) throw new DomainError('invalid-date', `La data "${paidOn}" non è valida: ${dateProblem}.`, { field: 'paidOn' });
      await recordIndemnityPayment(caseDeps, actorOf(user(request)), code, { amountCents, paidOn });
      return kit.redirect(reply, `/uffici/pratiche/${code}#indennizzo`, { kind: 'success', text: fill(kit.text(request).indemnityRecorded, { amount: euroText(amountCents) }) });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return detailPage(request, reply, problem(error.code, '').status, code, undefined, undefined, { values, errors: formErrors(error) });
    }
  });

  app.post('/pratiche/:code/credenziali', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const t = kit.text(request);
    try {
      const sent = await resendCredentials(caseDeps, actorOf(user(request)), code);
      return kit.redirect(reply, `/uffici/pratiche/${code}#messaggi`, {
        kind: sent.length ? 'success' : 'warning',
        text: sent.length ? `${t.resent} (${sent.map((s) => `${CHANNEL_LABELS[s.channel]} ${s.recipient}`).join(', ')})` : t.noNotifications,
      });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'danger', text: error.message });
    }
  });

  // --- contacts ----------------------------------------------------------------------------------
  const contactsPage = async (request: FastifyRequest, reply: FastifyReply, status: number, values?: { mobile: string; email: string; channels: string[]; version: string }, errors: { field?: string; text: string }[] = []) => {
    const code = caseCodeParam(request);
    const view = await getCaseView(caseDeps, scopeOf(user(request)), code);
    const c = view.case;
    const v = values ?? { mobile: c.mobile ?? '', email: c.email ?? '', channels: chosenChannels({ notifyEmail: c.notify_email, notifySms: c.notify_sms, notifyIo: c.notify_io }), version: String(c.version) };
    // App IO chosen before the office lost its key stays, shown as inactive: it can be kept or removed, not chosen anew
    const ioHere = ioOffered(deps.io, view.office.code);
    const channels = CHOOSABLE.filter((ch) => ch !== 'io' || ioHere || c.notify_io);
    return kit.render(request, reply, status, (ctx) => {
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
    });
  };

  app.get('/pratiche/:code/recapiti', async (request, reply) => contactsPage(request, reply, 200));

  app.post('/pratiche/:code/recapiti', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const body = request.body;
    const values = { mobile: str(body, 'mobile'), email: str(body, 'email'), channels: strs(body, 'channels'), version: str(body, 'version') };
    try {
      await updateContacts(caseDeps, actorOf(user(request)), code, {
        mobile: values.mobile || null, email: values.email || null, channels: values.channels.filter(isChannel),
      }, int(body, 'version'));
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: kit.text(request).contactsSaved });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return contactsPage(request, reply, error.code === 'conflict' ? 409 : 422, values, formErrors(error));
    }
  });

  // --- fiscal code and VAT number -----------------------------------------------------------------
  const fiscalPage = async (request: FastifyRequest, reply: FastifyReply, status: number, values?: FiscalValues & { version: string }, errors: { field?: string; text: string }[] = []) => {
    const code = caseCodeParam(request);
    const view = await getCaseView(caseDeps, scopeOf(user(request)), code);
    const c = view.case;
    const v = values ?? {
      applicantFiscalCode: c.applicant_fiscal_code ?? '', applicantVatNumber: c.applicant_vat_number ?? '',
      legalRepresentativeFiscalCode: c.legal_representative_fiscal_code ?? '', version: String(c.version),
    };
    return kit.render(request, reply, status, (ctx) => {
      const t = ctx.t;
      const err = (f: string) => errors.find((e) => e.field === f)?.text;
      return (
        <Page ctx={ctx} title={`${t.editFiscal} ${c.code}`} section="cases">
          <h1 safe>{`${t.editFiscal} — ${c.code}`}</h1>
          <p safe>{`${t.applicant}: ${c.applicant_name}`}</p>
          <ErrorSummary errors={errors} t={t} />
          <CaseEditForm ctx={ctx} code={c.code} action="codice-fiscale" version={v.version}>
            <FiscalFields ctx={ctx} values={v} err={err} />
          </CaseEditForm>
        </Page>
      );
    });
  };

  app.get('/pratiche/:code/codice-fiscale', async (request, reply) => fiscalPage(request, reply, 200));

  app.post('/pratiche/:code/codice-fiscale', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const values = { ...fiscalValues(request.body), version: str(request.body, 'version') };
    try {
      await updateFiscalIdentifiers(caseDeps, actorOf(user(request)), code, fiscalInput(values), int(request.body, 'version'));
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: kit.text(request).fiscalSaved });
    } catch (error) {
      if (!isFormError(error)) throw error;
      return fiscalPage(request, reply, error.code === 'conflict' ? 409 : 422, values, formErrors(error));
    }
  });

  // --- opt-out -----------------------------------------------------------------------------------
  app.post('/pratiche/:code/rinuncia', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    const t = kit.text(request);
    const note = str(request.body, 'note');
    try {
      // the note and the confirmation checked together: the form tells both at once
      const checks = new Checks();
      checks.run(() => optOutNoteOf(note), '');
      if (str(request.body, 'confirm') !== 'yes') checks.add(new DomainError('invalid-input', t.optOutUnconfirmed, { field: 'confirm' }));
      checks.done();
      await recordOptOut(caseDeps, actorOf(user(request)), code, note, int(request.body, 'version'));
      return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: t.optOutDone });
    } catch (error) {
      if (!isFormError(error)) throw error;
      const errors = formErrors(error).map((e) => ({ text: e.text, ...(e.field ? { field: `optout-${e.field}` } : {}) }));
      return detailPage(request, reply, problem(error.code, '').status, code, { type: 'opt-out', values: { note }, errors, conflict: error.code === 'conflict' });
    }
  });

  app.post('/pratiche/:code/rinuncia/presa-in-carico', { preHandler: app.csrfProtection }, async (request, reply) => {
    const code = caseCodeParam(request);
    await acknowledgeOptOut(caseDeps, actorOf(user(request)), code);
    return kit.redirect(reply, `/uffici/pratiche/${code}`, { kind: 'success', text: kit.text(request).acknowledged });
  });
}
