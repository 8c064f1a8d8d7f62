import { assertSubstituteRequestAllowed, computeDeadline, daysBetween, formatItalianDate, refuseObservationsWithout10bis, refuseSecondC7Suspension } from '../deadline/index.ts';
import type { ClockEvent, DeadlineResult, HolidayCalendar, IsoDate, SuspensionKind, Term } from '../deadline/index.ts';
import { DomainError } from '../errors.ts';
import { EVENT_LABELS, STATE_LABELS, nextState } from './states.ts';
import type { CaseState, EventType } from './states.ts';

export const OUTCOMES = ['accepted', 'rejected', 'withdrawn', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  accepted: 'accolta',
  rejected: 'respinta',
  withdrawn: 'ritirata dal richiedente',
  other: 'conclusa',
};

export const SUSPENSION_LABELS: Readonly<Record<SuspensionKind, string>> = {
  art2c7: 'sospensione per integrazione documentale (art. 2 c.7 L. 241/1990)',
  art10bis: 'preavviso di rigetto (art. 10-bis L. 241/1990)',
  other: 'sospensione prevista da norma speciale',
  interruption: 'interruzione del termine',
};

export interface CaseEvent {
  type: EventType;
  effectiveOn: IsoDate;
  reason: string;
  notes: string;
  suspensionKind?: SuspensionKind | undefined;
  legalBasis?: string | undefined;
  outcome?: Outcome | undefined;
}

export type CaseCommand =
  | { type: 'start'; effectiveOn: IsoDate; reason?: string; notes?: string }
  | { type: 'suspend'; effectiveOn: IsoDate; kind: SuspensionKind; legalBasis?: string; reason: string; notes?: string }
  | { type: 'resume'; effectiveOn: IsoDate; reason?: string; notes?: string }
  | { type: 'observations'; effectiveOn: IsoDate; reason?: string; notes?: string }
  | { type: 'close'; effectiveOn: IsoDate; outcome: Outcome; reason?: string; notes?: string }
  | { type: 'substitute-request'; effectiveOn: IsoDate; reason?: string; notes?: string };

/** What the deadline of a case depends on, from its procedure card. */
export interface CaseTerms {
  term: Term;
  saturdayWorking: boolean;
  saturdayMovesDeadline: boolean;
}

export interface CaseSnapshot {
  state: CaseState;
  receivedOn: IsoDate;
  events: readonly CaseEvent[];
}

export interface DecisionContext {
  today: IsoDate;
  terms: CaseTerms;
  calendar: HolidayCalendar;
}

export interface Decision {
  event: CaseEvent;
  state: CaseState;
  deadline: DeadlineResult;
}

/** The events that move the clock. A case closed while suspended stops the suspension on that day. */
export function clockEvents(events: readonly CaseEvent[]): ClockEvent[] {
  const clock: ClockEvent[] = [];
  let suspended = false;
  for (const event of events) {
    if (event.type === 'suspend') {
      clock.push({ type: 'suspend', date: event.effectiveOn, kind: event.suspensionKind ?? 'other' });
      suspended = true;
    } else if (event.type === 'resume') {
      clock.push({ type: 'resume', date: event.effectiveOn });
      suspended = false;
    } else if (event.type === 'observations') {
      clock.push({ type: 'observations', date: event.effectiveOn });
    } else if (event.type === 'close' && suspended) {
      clock.push({ type: 'resume', date: event.effectiveOn });
      suspended = false;
    }
  }
  return clock;
}

export function caseDeadline(
  receivedOn: IsoDate,
  events: readonly CaseEvent[],
  terms: CaseTerms,
  calendar: HolidayCalendar,
  today?: IsoDate,
): DeadlineResult {
  return computeDeadline({
    from: receivedOn,
    term: terms.term,
    saturdayWorking: terms.saturdayWorking,
    saturdayMovesDeadline: terms.saturdayMovesDeadline,
    events: clockEvents(events),
    calendar,
    ...(today ? { today } : {}),
  });
}

/**
 * The earliest receipt date accepted. The terms this service computes are those of L. 241/1990: a case
 * received before the law is a mistyped year (01/01/1899 is many date pickers' empty value), and would
 * be overdue at once and skew the published times. Event dates follow: never before the receipt.
 */
export const EARLIEST_RECEIPT_DATE: IsoDate = '1990-01-01';

/** Refuses a receipt date outside the sane window: from EARLIEST_RECEIPT_DATE to today. */
export function checkReceiptDate(receivedOn: IsoDate, today: IsoDate): void {
  if (receivedOn > today) {
    throw new DomainError('date-in-future', `La data di ricevimento (${formatItalianDate(receivedOn)}) è futura.`, { field: 'receivedOn' });
  }
  if (receivedOn < EARLIEST_RECEIPT_DATE) {
    throw new DomainError(
      'invalid-date',
      `La data di ricevimento (${formatItalianDate(receivedOn)}) è anteriore al ${formatItalianDate(EARLIEST_RECEIPT_DATE)}: controllare l'anno.`,
      { field: 'receivedOn', earliest: EARLIEST_RECEIPT_DATE },
    );
  }
}

function openSuspension(events: readonly CaseEvent[]): CaseEvent | undefined {
  let open: CaseEvent | undefined;
  for (const event of events) {
    if (event.type === 'suspend') open = event;
    else if (event.type === 'resume' || event.type === 'close') open = undefined;
  }
  return open;
}

function clean(text: string | undefined): string {
  return (text ?? '').trim();
}

/**
 * Decides whether a command may be recorded on a case and what follows from it. Pure: it throws a
 * DomainError with an Italian message and changes nothing when the command is refused.
 */
export function decide(snapshot: CaseSnapshot, command: CaseCommand, context: DecisionContext): Decision {
  const state = nextState(snapshot.state, command.type);
  if (!state) {
    throw new DomainError(
      'illegal-transition',
      `Non è possibile registrare ${articled(command.type)}: la pratica è ${STATE_LABELS[snapshot.state]}.`,
      { state: snapshot.state, event: command.type },
    );
  }

  const date = command.effectiveOn;
  if (date > context.today) {
    throw new DomainError(
      'date-in-future',
      `La data dell'evento (${formatItalianDate(date)}) è futura: gli eventi si registrano quando accadono.`,
      { effectiveOn: date, today: context.today },
    );
  }
  if (date < snapshot.receivedOn) {
    throw new DomainError(
      'date-before-received',
      `La data dell'evento (${formatItalianDate(date)}) precede il ricevimento della domanda (${formatItalianDate(snapshot.receivedOn)}).`,
      { effectiveOn: date, receivedOn: snapshot.receivedOn },
    );
  }
  const previous = snapshot.events.at(-1);
  if (previous && date < previous.effectiveOn) {
    throw new DomainError(
      'date-before-previous-event',
      `La data dell'evento (${formatItalianDate(date)}) precede l'ultimo evento registrato (${EVENT_LABELS[previous.type]} del ${formatItalianDate(previous.effectiveOn)}).`,
      { effectiveOn: date, previous: previous.effectiveOn },
    );
  }

  const event: CaseEvent = { type: command.type, effectiveOn: date, reason: clean(command.reason), notes: clean(command.notes) };
  if (command.type === 'suspend') {
    if (event.reason === '') {
      throw new DomainError('invalid-input', 'Indicare il motivo della sospensione: il cittadino lo legge nel messaggio.', { field: 'reason' });
    }
    const legalBasis = clean(command.legalBasis);
    if ((command.kind === 'other' || command.kind === 'interruption') && legalBasis === '') {
      throw new DomainError(
        'invalid-input',
        'Indicare la norma che prevede la sospensione o l\'interruzione (base giuridica).',
        { field: 'legalBasis' },
      );
    }
    if (command.kind === 'art2c7') {
      refuseSecondC7Suspension(snapshot.events.find((e) => e.type === 'suspend' && e.suspensionKind === 'art2c7')?.effectiveOn);
    }
    event.suspensionKind = command.kind;
    event.legalBasis = legalBasis || defaultLegalBasis(command.kind);
  }
  if (command.type === 'observations') refuseObservationsWithout10bis(openSuspension(snapshot.events)?.suspensionKind, date);
  if (command.type === 'substitute-request') refuseEarlySubstituteRequest(snapshot, date, context);
  if (command.type === 'close') {
    if (command.outcome === 'rejected') refuseUnfoundedRejection(snapshot.events, event);
    event.outcome = command.outcome;
  }

  const events = [...snapshot.events, event];
  const deadline = caseDeadline(snapshot.receivedOn, events, context.terms, context.calendar, context.today);
  return { event, state, deadline };
}

/**
 * L. 241/1990 art. 3: every decision states its reasons, so a rejection needs its Motivo. Art. 10-bis: in a
 * procedure started on application (every case this service follows starts from the citizen's application)
 * the reasons for refusal are notified before a negative decision.
 */
function refuseUnfoundedRejection(events: readonly CaseEvent[], close: CaseEvent): void {
  if (close.reason === '') {
    throw new DomainError(
      'invalid-input',
      'Indicare i motivi del rigetto: ogni provvedimento deve essere motivato (art. 3 L. 241/1990) e il cittadino li legge nel messaggio.',
      { field: 'reason' },
    );
  }
  if (!events.some((e) => e.type === 'suspend' && e.suspensionKind === 'art10bis')) {
    throw new DomainError(
      'rejection-without-10bis',
      'La pratica non può essere chiusa come respinta: prima di un provvedimento negativo va comunicato il preavviso di rigetto ' +
        '(art. 10-bis L. 241/1990). Registrare prima la sospensione per preavviso di rigetto, poi le eventuali osservazioni del richiedente.',
    );
  }
}

/**
 * L. 241/1990 art. 2 c.9-bis: the citizen turns to the substitute once the term has passed in vain, so from the
 * day after the deadline (as it stood on that day); recorded once per case.
 */
function refuseEarlySubstituteRequest(snapshot: CaseSnapshot, date: IsoDate, context: DecisionContext): void {
  const earlier = snapshot.events.find((e) => e.type === 'substitute-request');
  if (earlier) {
    throw new DomainError(
      'illegal-transition',
      `La richiesta al titolare del potere sostitutivo è già stata registrata il ${formatItalianDate(earlier.effectiveOn)}.`,
      { previous: earlier.effectiveOn },
    );
  }
  const { deadline } = caseDeadline(snapshot.receivedOn, snapshot.events, context.terms, context.calendar, context.today);
  assertSubstituteRequestAllowed(deadline, date);
}

function defaultLegalBasis(kind: SuspensionKind): string {
  if (kind === 'art2c7') return 'L. 241/1990, art. 2 comma 7';
  if (kind === 'art10bis') return 'L. 241/1990, art. 10-bis';
  return '';
}

function articled(type: EventType): string {
  const label = EVENT_LABELS[type];
  return type === 'observations' ? `le ${label}` : type === 'substitute-request' ? `la ${label}` : /^[aeiou]/.test(label) ? `l'${label}` : `la ${label}`;
}

/** L. 241/1990 art. 2 c.9-quinquies: a late decision states the legal term and the time actually taken. */
export interface ClosingFigures {
  deadline: IsoDate | null;
  closedOn: IsoDate;
  grossDays: number;
  netDays: number;
  suspendedDays: number;
  late: boolean;
  daysLate: number;
}

export function closingFigures(receivedOn: IsoDate, closedOn: IsoDate, deadline: DeadlineResult): ClosingFigures {
  const grossDays = daysBetween(receivedOn, closedOn);
  const daysLate = deadline.deadline ? Math.max(0, daysBetween(deadline.deadline, closedOn)) : 0;
  return {
    deadline: deadline.deadline,
    closedOn,
    grossDays,
    netDays: grossDays - deadline.suspendedDays,
    suspendedDays: deadline.suspendedDays,
    late: daysLate > 0,
    daysLate,
  };
}
