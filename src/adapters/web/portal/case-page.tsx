/** The citizen's case page (state, deadline, history, remedies, art. 8 communication, questionnaire, channels) and the opt-out page: server-rendered, readable without JavaScript. */
import { counted } from '../../../domain/plural.ts';
import type { CaseView } from '../../../application/cases.ts';
import { QUESTIONS } from '../../../domain/portal/questionnaire.ts';
import { COMMENT_MAX } from '../../../domain/portal/questionnaire.ts';
import { Choices, ErrorSummary, TextArea, errorFor } from '../ui/form.tsx';
import type { FieldProblem } from '../../../domain/errors.ts';
import { maskFiscalCode } from '../../../domain/case/fiscal-code.ts';
import { channelOptions } from '../../../domain/case/contacts.ts';
import type { ChannelOption } from '../../../domain/case/contacts.ts';
import type { Lang } from '../ui/i18n.ts';
import { format } from '../ui/i18n.ts';
import { daysText, date, instantDate, maskEmail, maskMobile, openSuspensionKind, suspensionRows } from './present.ts';
import { EVENT_TEXT, OUTCOME_TEXT, PORTAL_TEXT, STATE_TEXT, SUSPENSION_TEXT } from './text.ts';
import { Contacts, Frame, Notice, Rating, Row } from './frame.tsx';
import type { FrameProps } from './frame.tsx';

export interface CasePageProps extends FrameProps {
  view: CaseView;
  csrf: string;
  answered: boolean;
  notice?: string | undefined;
  surveyErrors?: FieldProblem[] | undefined;
  /** the case's office has App IO now (IO_API_KEY, IO_API_KEYS) */
  ioOffered: boolean;
  /** a refused choice of channels: what was wrong, and what the citizen had ticked (shown again as ticked) */
  channelErrors?: { problems: FieldProblem[]; chosen: readonly string[] } | undefined;
  /** the answers of a refused questionnaire, shown again */
  surveyAnswers?: SurveyAnswers | undefined;
}

/** The questionnaire as the citizen filled it in: each rating and the comment, as sent. */
export type SurveyAnswers = Record<(typeof QUESTIONS)[number] | 'comment', string>;

function Field(props: { label: string; value: string; lang?: Lang }): JSX.Element {
  return (
    <>
      <dt class="col-sm-4" safe>
        {props.label}
      </dt>
      <dd class="col-sm-8" lang={props.lang} safe>
        {props.value}
      </dd>
    </>
  );
}

function StateBadge(props: { lang: Lang; view: CaseView }): JSX.Element {
  const state = props.view.case.state;
  // primary and secondary keep white text above 4.5:1 (WCAG 1.4.3); the words carry the meaning, not the colour
  return (
    <span class={`badge ${state === 'closed' ? 'bg-secondary' : 'bg-primary'} fs-6`} safe>
      {STATE_TEXT[props.lang][state]}
    </span>
  );
}

function deadlineLine(lang: Lang, view: CaseView): string {
  const t = PORTAL_TEXT[lang];
  const d = view.deadline.deadline;
  if (!d) return t.deadlineUnknown;
  const parts = [date(d)];
  if (view.daysRemaining !== null) parts.push(daysText(lang, view.daysRemaining));
  if (view.deadline.provisional) parts.push(t.deadlineProvisional);
  return parts.length > 1 ? `${parts[0]} (${parts.slice(1).join('; ')})` : parts[0]!;
}

function NextSteps(props: { lang: Lang; view: CaseView; csrf: string }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const { view } = props;
  const state = view.case.state;
  let text: string;
  if (state === 'enrolled') text = t.nextEnrolled;
  else if (state === 'closed') text = t.nextClosed;
  else if (state === 'suspended') {
    const kind = openSuspensionKind(view);
    text = kind === 'art2c7' ? t.nextSuspendedC7 : kind === 'art10bis' ? t.nextSuspended10bis : t.nextSuspendedOther;
  } else text = format(view.overdue ? t.nextOverdue : t.nextInProgress, { date: view.deadline.deadline ? date(view.deadline.deadline) : '—' });
  const closing = view.closing;
  return (
    <section class="mb-5" aria-labelledby="next-title">
      <h2 id="next-title" class="h3" safe>
        {t.nextTitle}
      </h2>
      <p safe>{text}</p>
      {closing ? (
        <p safe>
          {closing.late
            ? format(t.lateClosing, {
                deadline: closing.deadline ? date(closing.deadline) : '—',
                gross: counted(closing.grossDays, 'day', props.lang),
                net: closing.netDays,
                late: counted(closing.daysLate, 'day', props.lang),
              })
            : format(t.timelyClosing, { gross: counted(closing.grossDays, 'day', props.lang), net: closing.netDays })}
        </p>
      ) : (
        <></>
      )}
      {view.overdue && !view.remedies.silence.accepted ? <Remedies lang={props.lang} view={view} /> : <></>}
      {view.remedies.silence.accepted && view.remedies.silence.acceptedFrom && view.deadline.deadline ? (
        <div class="callout success" role="note">
          <div class="callout-title">
            <span safe>{t.silenceAcceptedTitle}</span>
          </div>
          <p safe>{format(t.silenceAcceptedText, { deadline: date(view.deadline.deadline), from: date(view.remedies.silence.acceptedFrom) })}</p>
          <form method="post" action="/pratica/attestazione-silenzio-assenso" class="mb-0">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <button type="submit" class="btn btn-primary" safe>{t.silenceAttestation}</button>
          </form>
        </div>
      ) : (
        <></>
      )}
      {view.case.silenzio_assenso && state !== 'closed' ? (
        <div class="callout" role="note">
          <div class="callout-title">
            <span safe>{t.silenceTitle}</span>
          </div>
          <p class="mb-0" safe>
            {t.silenceText}
          </p>
        </div>
      ) : (
        <></>
      )}
    </section>
  );
}

/**
 * What the citizen can do once the office is late, with dates: the substitute (art. 2 c.9-bis/9-ter L. 241/1990),
 * a pre-filled request as PDF and as an e-mail, and the indemnity of art. 28 D.L. 69/2013 where it applies.
 */
function Remedies(props: { lang: Lang; view: CaseView }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const { view } = props;
  const r = view.remedies;
  const c = view.case;
  const mailto = view.substituteAddress
    ? `mailto:${view.substituteAddress}?${new URLSearchParams({
        subject: format(t.remediesMailSubject, { code: c.code }),
        body: format(t.remediesMailBody, {
          name: c.applicant_name, code: c.code, procedure: view.procedure.name, received: date(c.received_on),
          deadline: view.deadline.deadline ? date(view.deadline.deadline) : '—',
        }),
      }).toString().replace(/\+/g, '%20')}`
    : null;
  return (
    <section class="callout danger" aria-labelledby="remedies-title">
      <div class="callout-title">
        <span safe>{t.overdueTitle}</span>
      </div>
      <h3 id="remedies-title" class="h5" safe>{t.remediesTitle}</h3>
      {r.substituteRequest && r.substituteDeadline && r.substituteTerm ? (
        <p safe>{format(t.remediesRequested, { request: date(r.substituteRequest), deadline: date(r.substituteDeadline), half: formatHalf(r.substituteTerm, props.lang) })}</p>
      ) : (
        <>
          <p safe>{format(t.remediesSubstituteFrom, { from: r.substituteFrom ? date(r.substituteFrom) : '—' })}</p>
          {r.indemnityApplies && r.substituteRequestBy ? (
            <p safe>{format(r.substituteRequestInTime ? t.remediesIndemnityBy : t.remediesIndemnityLost, { by: date(r.substituteRequestBy) })}</p>
          ) : (
            <></>
          )}
        </>
      )}
      {view.procedure.substitute_name ? (
        <dl class="row">
          <Field label={t.substitute} value={view.procedure.substitute_name} lang="it" />
          <Field label={t.substituteContact} value={view.procedure.substitute_contact} lang="it" />
        </dl>
      ) : (
        <></>
      )}
      {r.indemnityApplies ? (
        <>
          {r.indemnity.eligible ? (
            <p safe>{format(t.remediesIndemnityAccrued, { euro: r.indemnity.euro, days: counted(r.delayDays, 'day', props.lang) })}</p>
          ) : (
            <></>
          )}
          {!r.substituteRequest && r.substituteRequestInTime ? <p safe>{t.remediesIndemnityHow}</p> : <></>}
        </>
      ) : (
        <></>
      )}
      {!r.substituteRequest ? (
        <ul class="mb-0">
          <li>
            <a href="/pratica/richiesta-potere-sostitutivo.pdf" type="application/pdf" safe>{t.remediesPdf}</a>
          </li>
          {mailto ? (
            <li>
              <a href={mailto} safe>{format(t.remediesMail, { address: view.substituteAddress ?? '' })}</a>
            </li>
          ) : (
            <></>
          )}
        </ul>
      ) : (
        <></>
      )}
    </section>
  );
}

function formatHalf(term: { amount: number; unit: 'calendar-days' | 'working-days' | 'months' }, lang: Lang): string {
  return counted(term.amount, term.unit === 'working-days' ? 'working-day' : 'day', lang);
}

/** A Bootstrap Italia sprite icon, decorative: the text beside it says the same. */
function Icon({ name }: { name: string }): JSX.Element {
  return (
    <svg class="icon" aria-hidden="true" focusable="false">
      <use href={`/static/bootstrap-italia/svg/sprites.svg#${name}`}></use>
    </svg>
  );
}

/** One step of the timeline (Designers Italia cmp-timeline): a date pin and a card. */
function TimelineStep(props: { when: string; title: string; pin: 'it-evidence' | 'it-now' | ''; icon: string; children?: JSX.Element | JSX.Element[] }): JSX.Element {
  // the children are JSX built by History, escaped where they were written
  const safeChildren = props.children;
  return (
    <li class="col-12">
      <div class="timeline-element">
        <div class={`it-pin-wrapper ${props.pin}`.trim()}>
          <div class="pin-icon">
            <Icon name={props.icon} />
          </div>
          <div class="pin-text">
            <span safe>{props.when}</span>
          </div>
        </div>
        <div class="card-wrapper">
          <div class="card">
            <div class="card-body">
              <h3 class="card-title h5" safe>
                {props.title}
              </h3>
              {safeChildren ?? <></>}
            </div>
          </div>
        </div>
      </div>
    </li>
  );
}

/** The case's history as a timeline, oldest first, closed by the term within which the case will be concluded. */
function History(props: { lang: Lang; view: CaseView }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const { view } = props;
  const open = view.case.state !== 'closed';
  return (
    <section class="mb-5" aria-labelledby="history-title">
      <h2 id="history-title" class="h3" safe>
        {t.historyTitle}
      </h2>
      {view.events.length === 0 ? <p safe>{t.noEvents}</p> : <></>}
      <div class="it-timeline-wrapper">
        <ol class="row list-unstyled mb-0">
          {view.events.map((event, index) => (
            <TimelineStep
              when={date(event.effectiveOn)}
              title={EVENT_TEXT[props.lang][event.type]}
              pin={index === view.events.length - 1 ? 'it-now' : 'it-evidence'}
              icon={event.type === 'close' ? 'it-check-circle' : event.type === 'suspend' ? 'it-clock' : 'it-pencil'}
            >
              {event.suspensionKind || event.outcome ? (
                <p class="card-text mb-2">
                  {event.suspensionKind ? <span safe>{SUSPENSION_TEXT[props.lang][event.suspensionKind]}</span> : <></>}
                  {event.outcome ? <span safe>{`${t.outcome}: ${OUTCOME_TEXT[props.lang][event.outcome]}`}</span> : <></>}
                </p>
              ) : (
                <></>
              )}
              {/* not a .row: the timeline draws its line down every .row inside it */}
              <dl class="timeline-facts mb-0 small">
                {event.reason ? <Field label={t.reason} value={event.reason} lang="it" /> : <></>}
                {event.notes ? <Field label={t.notes} value={event.notes} lang="it" /> : <></>}
                {event.type === 'suspend' && event.legalBasis ? <Field label={t.legalBasisOfEvent} value={event.legalBasis} lang="it" /> : <></>}
              </dl>
            </TimelineStep>
          ))}
          {open ? (
            <TimelineStep when={view.deadline.deadline ? date(view.deadline.deadline) : '—'} title={t.timelineTerm} pin="" icon="it-calendar">
              <p class="card-text" safe>
                {deadlineLine(props.lang, view)}
              </p>
            </TimelineStep>
          ) : (
            <></>
          )}
        </ol>
      </div>
    </section>
  );
}

function DeadlineSection(props: { lang: Lang; view: CaseView }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const { view } = props;
  const rows = suspensionRows(view);
  const warnings = view.deadline.warnings.filter((w) => w.code === 'local-closure' || w.code === 'c7-over-30-days' || w.code === 'art10bis-over-legal-end');
  return (
    <section class="mb-5" aria-labelledby="deadline-title">
      <h2 id="deadline-title" class="h3" safe>
        {t.deadlineTitle}
      </h2>
      <p class="lead" safe>
        {`${t.deadlineShort}: ${deadlineLine(props.lang, view)}`}
      </p>
      <h3 class="h5" safe>
        {t.howComputed}
      </h3>
      <ol lang="it">
        {view.deadline.steps.map((step) => (
          <li safe>{step.text}</li>
        ))}
      </ol>
      {warnings.length > 0 ? (
        <ul lang="it">
          {warnings.map((w) => (
            <li safe>{w.text}</li>
          ))}
        </ul>
      ) : (
        <></>
      )}
      <h3 id="suspensions-title" class="h5 mt-4" safe>
        {t.suspensionsTitle}
      </h3>
      {rows.length === 0 ? (
        <p safe>{t.noSuspensions}</p>
      ) : (
        <div class="table-responsive" tabindex="0" role="region" aria-labelledby="suspensions-title">
          <table class="table table-stack">
            <caption class="visually-hidden" safe>
              {t.suspensionsCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col" safe>
                  {t.kind}
                </th>
                <th scope="col" safe>
                  {t.from}
                </th>
                <th scope="col" safe>
                  {t.to}
                </th>
                <th scope="col" safe>
                  {t.days}
                </th>
                <th scope="col" safe>
                  {t.reason}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td data-label={t.kind}>
                    <span safe>{SUSPENSION_TEXT[props.lang][row.kind]}</span>
                    {row.legalBasis && (row.kind === 'other' || row.kind === 'interruption') ? (
                      <span class="d-block small" lang="it" safe>
                        {row.legalBasis}
                      </span>
                    ) : (
                      <></>
                    )}
                  </td>
                  <td data-label={t.from} safe>{date(row.from)}</td>
                  <td data-label={t.to} safe>{row.to ? date(row.to) : t.ongoing}</td>
                  <td data-label={t.days} safe>{String(row.days)}</td>
                  <td data-label={t.reason} lang="it">
                    <span safe>{row.reason}</span>
                    {row.notes ? (
                      <span class="d-block small" safe>
                        {row.notes}
                      </span>
                    ) : (
                      <></>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Art8Section(props: { lang: Lang; view: CaseView }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const { view } = props;
  const office = view.office;
  const remedies = view.procedure.substitute_name
    ? format(t.remediesText, { name: view.procedure.substitute_name, contact: view.procedure.substitute_contact })
    : '';
  return (
    <section class="mb-5" aria-labelledby="art8-title">
      <h2 id="art8-title" class="h3" safe>
        {t.art8Title}
      </h2>
      <p safe>{t.art8Intro}</p>
      <dl class="row">
        <Field label={`a) ${t.art8Administration}`} value={view.administration.name} />
        <Field label={`b) ${t.art8Subject}`} value={`${view.procedure.name}: ${view.case.subject}`} lang="it" />
        <Field
          label={`c) ${t.art8Office}`}
          value={`${office.name}; PEC ${office.pec ?? view.administration.pec ?? '—'}; ${t.responsible}: ${view.responsible.name}`}
        />
        <Field label={`c-bis) ${t.art8Deadline}`} value={`${deadlineLine(props.lang, view)}. ${remedies}`.trim()} />
        <Field label={`c-ter) ${t.art8Received}`} value={date(view.case.received_on)} />
        <Field label={`d) ${t.art8Online}`} value={t.art8OnlineText} />
        <Field label={`d-bis) ${t.art8Where}`} value={`${office.name}, ${office.address}${office.openingHours ? ` (${office.openingHours})` : ''}`} />
      </dl>
    </section>
  );
}

function Questionnaire(props: { lang: Lang; view: CaseView; csrf: string; answered: boolean; errors?: FieldProblem[] | undefined; answers?: SurveyAnswers | undefined }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const errors = props.errors ?? [];
  if (props.view.case.state === 'enrolled') {
    return (
      <section class="mb-5" aria-labelledby="survey-title">
        <h2 id="survey-title" class="h3" safe>
          {t.surveyTitle}
        </h2>
        <p safe>{t.surveyNotYet}</p>
      </section>
    );
  }
  if (props.answered) {
    return (
      <section class="mb-5" aria-labelledby="survey-title">
        <h2 id="survey-title" class="h3" safe>
          {t.surveyTitle}
        </h2>
        <p safe>{t.surveyThanks}</p>
      </section>
    );
  }
  return (
    <section class="mb-5" aria-labelledby="survey-title">
      <h2 id="survey-title" class="h3" safe>
        {t.surveyTitle}
      </h2>
      <p safe>{t.surveyIntro}</p>
      <ErrorSummary id="survey-errors" title={t.surveyError} errors={errors} />
      <form method="post" action="/pratica/questionario" novalidate>
        <input type="hidden" name="_csrf" value={props.csrf} />
        {QUESTIONS.map((question) => (
          <Choices
            id={question}
            name={question}
            type="radio"
            required
            legendClass="h6 mb-2"
            safeLegend={<><span safe>{t[question]}</span> <span class="fw-normal small" safe>{`(${t.surveyScale})`}</span></>}
            options={[1, 2, 3, 4, 5].map((value) => ({ value: String(value), safeLabel: String(value) }))}
            checked={props.answers ? [props.answers[question]] : []}
            error={errorFor(errors, question) ? t.surveyPick : undefined}
          />
        ))}
        <TextArea
          wrapperClass="form-group mt-5 mb-4"
          id="comment"
          label={t.comment}
          rows={4}
          maxlength={COMMENT_MAX}
          hint={t.commentWarning}
          value={props.answers?.comment}
          error={errorFor(errors, 'comment')}
        />
        <button type="submit" class="btn btn-primary" safe>
          {t.surveySubmit}
        </button>
      </form>
    </section>
  );
}

/** Each channel's label and its address as the citizen sees it: masked, enough to recognise their own. */
function channelText(lang: Lang, option: ChannelOption): string {
  const t = PORTAL_TEXT[lang];
  if (option.channel === 'sms') return `${t.mobile}: ${maskMobile(option.address)}`;
  if (option.channel === 'email') return `${t.email}: ${maskEmail(option.address)}`;
  return `${t.ioContact}: ${maskFiscalCode(option.address)}`;
}

function Messages(props: { lang: Lang; view: CaseView; csrf: string; ioOffered: boolean; errors?: FieldProblem[] | undefined; chosen?: readonly string[] | undefined }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const c = props.view.case;
  const options = channelOptions({
    mobile: c.mobile, email: c.email, fiscalCode: c.applicant_fiscal_code, notifySms: c.notify_sms, notifyEmail: c.notify_email, notifyIo: c.notify_io,
  }, props.ioOffered);
  const errors = props.errors ?? [];
  const inactive = options.some((o) => o.chosen && !o.active);
  return (
    <section class="mb-5" aria-labelledby="messages-title">
      <h2 id="messages-title" class="h3" safe>
        {t.messagesTitle}
      </h2>
      {c.opted_out_at ? (
        <p safe>{format(t.optedOut, { date: instantDate(c.opted_out_at) })}</p>
      ) : (
        <>
          <p safe>{t.messagesIntro}</p>
          <dl class="row">
            <Field label={t.mobile} value={(c.notify_sms ? maskMobile(c.mobile) : null) ?? t.none} />
            <Field label={t.email} value={(c.notify_email ? maskEmail(c.email) : null) ?? t.none} />
            {c.notify_io && c.applicant_fiscal_code ? <Field label={t.ioContact} value={maskFiscalCode(c.applicant_fiscal_code)} /> : <></>}
          </dl>
          {inactive ? <p class="callout note" id="io-inactive" safe>{t.ioInactive}</p> : <></>}
          {options.length > 1 || errors.length ? (
            <>
              <ErrorSummary id="channels-errors" title={t.channelsError} errors={errors} />
              <form method="post" action="/pratica/canali" novalidate>
                <input type="hidden" name="_csrf" value={props.csrf} />
                <Choices
                  id="channels"
                  name="channels"
                  type="checkbox"
                  inline={false}
                  legendClass="h6 mb-2"
                  safeLegend={<span safe>{t.channelsLegend}</span>}
                  options={options.map((o) => ({ value: o.channel, id: `channel-${o.channel}`, safeLabel: <span safe>{channelText(props.lang, o)}</span> }))}
                  checked={props.chosen ?? options.filter((o) => o.chosen).map((o) => o.channel)}
                  error={errorFor(errors, 'channels')}
                />
                <p class="small" safe>{t.channelsHint}</p>
                <button type="submit" class="btn btn-outline-primary mb-3" safe>
                  {t.channelsSubmit}
                </button>
              </form>
            </>
          ) : (
            <></>
          )}
          <p>
            <a href="/pratica/recesso" safe>
              {t.optOutLink}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

export function CasePage(props: CasePageProps): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  const { view } = props;
  const c = view.case;
  return (
    <Frame {...props} title={format(t.caseTitle, { code: c.code })}>
      <Notice text={props.notice} />
      {props.session?.citizen ? (
        <p class="mb-2">
          <a href="/pratica/mie-pratiche" id="back-to-my-cases" safe>
            {t.myCasesBack}
          </a>
        </p>
      ) : (
        <></>
      )}
      <h1 class="mb-2" safe>
        {format(t.caseTitle, { code: c.code })}
      </h1>
      <p class="lead mb-2" lang="it" safe>
        {c.subject}
      </p>
      <p class="mb-4">
        <span safe>{`${t.state}: `}</span>
        <StateBadge lang={props.lang} view={view} />
      </p>

      <section class="mb-5" aria-labelledby="summary-title">
        <h2 id="summary-title" class="visually-hidden" safe>
          {t.summary}
        </h2>
        <div class="card card-bg">
          <div class="card-body">
            <dl class="row mb-0">
              <Field label={t.deadline} value={deadlineLine(props.lang, view)} />
              {view.closing ? (
                <Field label={t.state} value={format(t.closedOn, { date: date(view.closing.closedOn), outcome: c.outcome ? OUTCOME_TEXT[props.lang][c.outcome as keyof (typeof OUTCOME_TEXT)['it']] ?? c.outcome : '—' })} />
              ) : (
                <></>
              )}
              <Field label={t.receivedOn} value={date(c.received_on)} />
              {c.protocol_number ? <Field label={t.protocol} value={c.protocol_number} /> : <></>}
              {c.applicant_fiscal_code ? <Field label={t.applicantFiscalCode} value={maskFiscalCode(c.applicant_fiscal_code)} /> : <></>}
            </dl>
          </div>
        </div>
      </section>

      <NextSteps lang={props.lang} view={view} csrf={props.csrf} />
      <History lang={props.lang} view={view} />
      <DeadlineSection lang={props.lang} view={view} />

      <section class="mb-5" aria-labelledby="procedure-title">
        <h2 id="procedure-title" class="h3" safe>
          {t.procedureTitle}
        </h2>
        <dl class="row" lang="it">
          <Field label={t.procedureName} value={view.procedure.name} />
          {view.procedure.description ? <Field label={t.description} value={view.procedure.description} /> : <></>}
          {view.procedure.legal_basis ? <Field label={t.legalBasis} value={view.procedure.legal_basis} /> : <></>}
          <Field label={t.term} value={view.case.term_text} />
        </dl>
      </section>

      <section class="mb-5" aria-labelledby="office-title">
        <h2 id="office-title" class="h3" safe>
          {t.officeTitle}
        </h2>
        <div class="row">
          <div class="col-12 col-lg-6 mb-3">
            <h3 class="h5" safe>
              {t.office}
            </h3>
            <p class="fw-semibold" safe>
              {view.office.name}
            </p>
            <Contacts lang={props.lang} office={view.office} />
          </div>
          <div class="col-12 col-lg-6 mb-3">
            <h3 class="h5" safe>
              {t.responsible}
            </h3>
            <p class="fw-semibold" safe>
              {view.responsible.name}
            </p>
            <dl class="row mb-0">
              <Row label={t.phone} value={view.responsible.phone} link="tel" />
              <Row label={t.email} value={view.responsible.email} link="mailto" />
            </dl>
          </div>
        </div>
      </section>

      <Art8Section lang={props.lang} view={view} />
      <Questionnaire lang={props.lang} view={view} csrf={props.csrf} answered={props.answered} errors={props.surveyErrors} answers={props.surveyAnswers} />
      <Messages lang={props.lang} view={view} csrf={props.csrf} ioOffered={props.ioOffered} errors={props.channelErrors?.problems} chosen={props.channelErrors?.chosen} />
      <Rating lang={props.lang} csrf={props.csrf} back="dettaglio" />
    </Frame>
  );
}

export function OptOutPage(props: FrameProps & { csrf: string; code: string }): JSX.Element {
  const t = PORTAL_TEXT[props.lang];
  return (
    <Frame {...props} title={t.optOutTitle}>
      <h1 safe>{t.optOutTitle}</h1>
      <p class="lead" safe>
        {t.optOutIntro}
      </p>
      <form method="post" action="/pratica/recesso" class="d-flex flex-wrap gap-3 align-items-center">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" class="btn btn-danger" safe>
          {t.optOutConfirm}
        </button>
        <a href="/pratica/dettaglio" class="btn btn-outline-primary" safe>
          {t.cancel}
        </a>
      </form>
    </Frame>
  );
}
