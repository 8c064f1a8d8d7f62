/**
 * The deadline of a case: its term (L. 241/1990 art. 2) counted from receipt, moved by suspensions,
 * restarted by an interruption, and shifted off Sundays and national holidays (art. 155 c.p.c.).
 * Pure: every date, "today" included, comes in as an argument.
 */
import { DomainError } from '../errors.ts';
import type { HolidayCalendar } from './calendar.ts';
import {
  addDays,
  addMonths,
  daysBetween,
  formatItalianDate as it,
  isSaturday,
  minDate,
  parseIsoDate,
  weekday,
  type IsoDate,
} from './dates.ts';
import * as explain from './explain.ts';
import { validateTerm, type Term } from './term.ts';

/** The kinds of suspension: L. 241/1990 art. 2 c.7, art. 10-bis, another by law, an interruption of the term. */
export const SUSPENSION_KINDS = ['art2c7', 'art10bis', 'other', 'interruption'] as const;
export type SuspensionKind = (typeof SUSPENSION_KINDS)[number];

export type ClockEvent =
  | { type: 'suspend'; date: IsoDate; kind: SuspensionKind } // 'interruption' = interruption of the term
  | { type: 'resume'; date: IsoDate }
  | { type: 'observations'; date: IsoDate }; // citizen's observations after a 10-bis notice

export interface DeadlineInput {
  /** received/protocol date (art. 18-bis); the start day is not counted */
  from: IsoDate;
  term: Term;
  /** working-day terms: Saturday counts as a working day (a setting of the procedure card) */
  saturdayWorking?: boolean;
  /** rule 4: a deadline on Saturday moves to the next working day; default false */
  saturdayMovesDeadline?: boolean;
  /** in date order */
  events: ClockEvent[];
  calendar: HolidayCalendar;
  /** only used to close a c.7 / 10-bis suspension past its legal end and for warnings */
  today?: IsoDate;
}

export interface SuspensionPeriod {
  kind: SuspensionKind;
  from: IsoDate;
  /** the day the clock restarts: the resume date, or the legal end; null = still open with no legal end */
  to: IsoDate | null;
  /** c.7: from + 30; 10-bis: observations + 10, or notice + 10 */
  legalEnd?: IsoDate;
  /** days the clock was stopped (to − from), so far (open, no legal end: until today, 0 without today) or in total */
  days: number;
  /** the clock restarted by law before the case was resumed (c.7 over 30 days, 10-bis past its legal end) */
  cappedByLaw?: boolean;
  /** no resume recorded yet */
  open: boolean;
  /** why the period does not move the deadline, if it does not */
  noEffect?: 'after-deadline' | 'before-interruption';
}

export interface DeadlineStep {
  kind: 'base' | 'suspension' | 'interruption' | 'holiday-shift' | 'c7-cap' | 'art10bis';
  date: IsoDate;
  text: string;
}

export type DeadlineWarningCode =
  | 'local-closure'
  | 'c7-over-30-days'
  | 'art10bis-over-legal-end'
  | 'late-observations'
  | 'saturday-deadline'
  | 'suspension-after-deadline'
  | 'overdue';

export interface DeadlineWarning {
  code: DeadlineWarningCode;
  date: IsoDate;
  text: string;
}

export interface DeadlineResult {
  /** null while an 'other' suspension or an interruption is still open (the end is not known) */
  deadline: IsoDate | null;
  /** true while a suspension is open but its legal end is known (c.7 cap, 10-bis) */
  provisional: boolean;
  /** the deadline of the current term (from termStart) without suspensions, rule 3 applied */
  baseDeadline: IsoDate;
  /** = from, or the restart date after an interruption */
  termStart: IsoDate;
  /** calendar days the clock was stopped since termStart (suspensions that moved the deadline) */
  suspendedDays: number;
  suspensions: SuspensionPeriod[];
  steps: DeadlineStep[];
  warnings: DeadlineWarning[];
}

export { addDays, daysBetween, parseIsoDate };

interface CountingRules {
  calendar: HolidayCalendar;
  term: Term;
  saturdayWorking: boolean;
  saturdayMoves: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Counting

/** Mon–Fri (and Saturday when the card says so) that are not national holidays. Local patron days DO count. */
export function isWorkingDay(date: IsoDate, calendar: HolidayCalendar, saturdayWorking = false): boolean {
  const wd = weekday(date);
  if (wd === 0 || (wd === 6 && !saturdayWorking)) return false;
  return !calendar.isNationalHoliday(date);
}

function nthWorkingDayAfter(start: IsoDate, n: number, rules: CountingRules): IsoDate {
  let day = start;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day, rules.calendar, rules.saturdayWorking)) counted++;
  }
  return day;
}

/** Working days in (a, b]. */
function workingDaysBetween(a: IsoDate, b: IsoDate, rules: CountingRules): number {
  let count = 0;
  for (let day = addDays(a, 1); day <= b; day = addDays(day, 1)) {
    if (isWorkingDay(day, rules.calendar, rules.saturdayWorking)) count++;
  }
  return count;
}

/** The raw last day of the term (rules 1, 2, 5): start day excluded, last day included, no rule-3 shift yet. */
function rawTermEnd(start: IsoDate, rules: CountingRules): IsoDate {
  const { amount, unit } = rules.term;
  switch (unit) {
    case 'calendar-days':
      return addDays(start, amount);
    case 'months':
      // art. 2963 c.c. c.4: same-numbered day of the target month, or its last day
      return addMonths(start, amount);
    case 'working-days':
      return nthWorkingDayAfter(start, amount, rules);
  }
}

/** Rule 3 (art. 155 c.4-5 c.p.c.): a last day on Sunday or a national holiday (or Saturday if set) moves on. */
function applyRule3(raw: IsoDate, rules: CountingRules): { date: IsoDate; skipped: IsoDate[] } {
  const skipped: IsoDate[] = [];
  let day = raw;
  while (rules.calendar.isNationalHoliday(day) || (rules.saturdayMoves && isSaturday(day))) {
    skipped.push(day);
    day = addDays(day, 1);
  }
  return { date: day, skipped };
}

/**
 * The raw last day after the clock stopped on `stop` and ran again from `restart`. The stopped days are
 * (stop, restart]: the suspension day was already running, the restart day is like a start day. For calendar
 * days and months this is docs/domain.md's convention, last day + (restart − stop). For working days the working
 * days still due at `stop` are counted again after `restart`, so a suspension over a weekend costs no extra days.
 * A stop inside the rule-3 grace days (after a raw last day on a holiday) keeps only those grace days.
 */
function rawEndAfterStop(rawEnd: IsoDate, effectiveEnd: IsoDate, stop: IsoDate, restart: IsoDate, rules: CountingRules): IsoDate {
  if (rules.term.unit === 'working-days') {
    const remaining = stop <= rawEnd ? workingDaysBetween(stop, rawEnd, rules) : 0;
    return remaining === 0 ? restart : nthWorkingDayAfter(restart, remaining, rules);
  }
  const remaining = daysBetween(stop, stop <= rawEnd ? rawEnd : effectiveEnd);
  return addDays(restart, remaining);
}

/**
 * The last day of a term counted from `start` with the case's counting rules (start day excluded, rule 3 applied):
 * the same arithmetic as the case deadline, for the terms that follow it (the substitute's half term).
 */
export function termEnd(
  start: IsoDate,
  term: Term,
  options: { calendar: HolidayCalendar; saturdayWorking?: boolean; saturdayMovesDeadline?: boolean },
): { rawEnd: IsoDate; end: IsoDate; skipped: IsoDate[] } {
  const rules: CountingRules = {
    calendar: options.calendar,
    term: validateTerm(term),
    saturdayWorking: options.saturdayWorking ?? false,
    saturdayMoves: options.saturdayMovesDeadline ?? false,
  };
  const rawEnd = rawTermEnd(parseIsoDate(start), rules);
  const shifted = applyRule3(rawEnd, rules);
  return { rawEnd, end: shifted.date, skipped: shifted.skipped };
}

// ---------------------------------------------------------------------------------------------------
// Events → periods

interface RecordedPeriod {
  kind: SuspensionKind;
  start: IsoDate;
  resumedOn: IsoDate | null;
  observations: IsoDate[];
}

/** Replays the events as a small state machine (running ⇄ suspended); refuses what cannot have happened. */
function recordPeriods(from: IsoDate, events: readonly ClockEvent[]): RecordedPeriod[] {
  const periods: RecordedPeriod[] = [];
  let open: RecordedPeriod | null = null;
  let c7Used: IsoDate | null = null;
  let previous = from;

  events.forEach((event, eventIndex) => {
    let date: IsoDate;
    try {
      date = parseIsoDate(event.date);
    } catch (error) {
      if (error instanceof DomainError) throw new DomainError(error.code, error.message, { ...error.details, eventIndex });
      throw error;
    }
    if (date < previous) {
      const what = previous === from && periods.length === 0 && open === null ? 'al ricevimento della domanda' : "all'evento precedente";
      throw new DomainError('date-before-previous-event', `L'evento del ${it(date)} è anteriore ${what} (${it(previous)})`, {
        eventIndex,
        date,
        previous,
      });
    }
    previous = date;

    switch (event.type) {
      case 'suspend': {
        if (!(SUSPENSION_KINDS as readonly string[]).includes(event.kind)) {
          throw new DomainError('invalid-input', `Tipo di sospensione non valido: "${String(event.kind)}"`, { eventIndex, kind: event.kind });
        }
        if (event.kind === 'art2c7') refuseSecondC7Suspension(c7Used, { eventIndex, date });
        if (open !== null) {
          // 'invalid-input' rather than 'illegal-transition': this is a malformed event list, not a case command
          throw new DomainError(
            'invalid-input',
            `La pratica è già sospesa dal ${it(open.start)}: registrare prima la riattivazione`,
            { eventIndex, date, openSince: open.start },
          );
        }
        if (event.kind === 'art2c7') c7Used = date;
        open = { kind: event.kind, start: date, resumedOn: null, observations: [] };
        periods.push(open);
        break;
      }
      case 'resume': {
        if (open === null) {
          throw new DomainError('resume-without-suspension', `Riattivazione del ${it(date)} senza una sospensione in corso`, { eventIndex, date });
        }
        open.resumedOn = date;
        open = null;
        break;
      }
      case 'observations': {
        refuseObservationsWithout10bis(open?.kind, date, { eventIndex });
        open!.observations.push(date); // refused above unless a 10-bis suspension is open
        break;
      }
      default:
        throw new DomainError('invalid-input', `Evento non riconosciuto: "${String((event as { type: unknown }).type)}"`, { eventIndex });
    }
  });
  return periods;
}

/**
 * L. 241/1990 art. 2 c.7: the request for missing information suspends the term once only. `previous`: the day of the
 * c.7 suspension already ordered, if any. One rule for the deadline engine and for a case's commands.
 */
export function refuseSecondC7Suspension(previous: IsoDate | null | undefined, detail: Record<string, unknown> = {}): void {
  if (previous === null || previous === undefined) return;
  throw new DomainError(
    'second-art2c7-suspension',
    `La sospensione per integrazioni (art. 2 c.7 L. 241/1990) si può disporre una sola volta per pratica: è già stata disposta il ${it(previous)}.`,
    { ...detail, previous },
  );
}

/** Art. 10-bis L. 241/1990: the applicant's observations answer a notice of the reasons for refusal, while it runs. */
export function refuseObservationsWithout10bis(openKind: SuspensionKind | undefined, date: IsoDate, detail: Record<string, unknown> = {}): void {
  if (openKind === 'art10bis') return;
  throw new DomainError(
    'observations-without-10bis',
    `Osservazioni del ${it(date)} senza un preavviso di rigetto (art. 10-bis L. 241/1990) in corso: le osservazioni del richiedente si registrano solo durante quella sospensione.`,
    { ...detail, date },
  );
}

/** A recorded period with its legal effect: when the clock restarts (null = unknown yet). */
interface EvaluatedPeriod {
  recorded: RecordedPeriod;
  restart: IsoDate | null;
  legalEnd?: IsoDate;
  cappedByLaw: boolean;
  /** open, legal end known and not yet passed: the deadline is provisional */
  provisional: boolean;
  timelyObservation?: IsoDate;
  lateObservations: IsoDate[];
}

function evaluatePeriod(p: RecordedPeriod, today: IsoDate | undefined): EvaluatedPeriod {
  const open = p.resumedOn === null;
  const passed = (legalEnd: IsoDate): boolean => today !== undefined && today > legalEnd;
  switch (p.kind) {
    case 'art2c7': {
      // L. 241/1990 art. 2 c.7: at most 30 days; past them the clock runs again by law
      const legalEnd = addDays(p.start, 30);
      if (p.resumedOn !== null) {
        return { recorded: p, restart: minDate(p.resumedOn, legalEnd), legalEnd, cappedByLaw: p.resumedOn > legalEnd, provisional: false, lateObservations: [] };
      }
      return { recorded: p, restart: legalEnd, legalEnd, cappedByLaw: passed(legalEnd), provisional: !passed(legalEnd), lateObservations: [] };
    }
    case 'art10bis': {
      // art. 10-bis (D.L. 76/2020): observations within 10 days of the notice; the term restarts 10 days after
      // them or, without them, when the 10 days expire. Later observations do not extend the suspension; of several
      // timely ones the last counts. The suspend date is taken as the day the citizen received the notice.
      const window = addDays(p.start, 10);
      const timely = p.observations.filter((d) => d <= window);
      const late = p.observations.filter((d) => d > window);
      const lastTimely = timely[timely.length - 1];
      const legalEnd = lastTimely ? addDays(lastTimely, 10) : window;
      const base = { recorded: p, legalEnd, timelyObservation: lastTimely, lateObservations: late };
      if (p.resumedOn !== null) {
        // an earlier resume restarts the clock at once; a later one cannot keep it stopped past the law
        return { ...base, restart: minDate(p.resumedOn, legalEnd), cappedByLaw: p.resumedOn > legalEnd, provisional: false };
      }
      return { ...base, restart: legalEnd, cappedByLaw: passed(legalEnd), provisional: !passed(legalEnd) };
    }
    case 'other':
    case 'interruption':
      return { recorded: p, restart: open ? null : p.resumedOn, cappedByLaw: false, provisional: false, lateObservations: [] };
  }
}

// ---------------------------------------------------------------------------------------------------
// The computation

/**
 * Computes the deadline of a case. Throws DomainError: 'invalid-date', 'invalid-term',
 * 'second-art2c7-suspension', 'resume-without-suspension', 'invalid-input' (suspend while suspended,
 * unknown kind), 'observations-without-10bis', 'date-before-previous-event' (events out of order or before `from`).
 * Errors about an event carry details.eventIndex.
 */
export function computeDeadline(input: DeadlineInput): DeadlineResult {
  const from = parseIsoDate(input.from);
  const term = validateTerm(input.term);
  const today = input.today === undefined ? undefined : parseIsoDate(input.today);
  const rules: CountingRules = {
    calendar: input.calendar,
    term,
    saturdayWorking: input.saturdayWorking ?? false,
    saturdayMoves: input.saturdayMovesDeadline ?? false,
  };
  const periods = recordPeriods(from, input.events ?? []).map((p) => evaluatePeriod(p, today));

  const steps: DeadlineStep[] = [];
  const warnings: DeadlineWarning[] = [];
  const suspensions: SuspensionPeriod[] = [];

  let termStart = from;
  let rawEnd = rawTermEnd(from, rules);
  let known = true; // false once an open suspension without legal end is met
  let provisional = false;
  let suspendedDays = 0;
  steps.push({ kind: 'base', date: rawEnd, text: explain.baseText(from, term, rawEnd) });

  for (const ev of periods) {
    const p = ev.recorded;
    const period: SuspensionPeriod = {
      kind: p.kind,
      from: p.start,
      to: ev.restart,
      days: ev.restart !== null ? daysBetween(p.start, ev.restart) : today !== undefined ? Math.max(0, daysBetween(p.start, today)) : 0,
      open: p.resumedOn === null,
      ...(ev.legalEnd !== undefined ? { legalEnd: ev.legalEnd } : {}),
      ...(ev.cappedByLaw ? { cappedByLaw: true } : {}),
    };
    suspensions.push(period);
    for (const late of ev.lateObservations) {
      warnings.push({ code: 'late-observations', date: late, text: explain.lateObservationsWarning(late, p.start) });
    }

    const effectiveEnd = applyRule3(rawEnd, rules).date;
    // A term that has already run out cannot be suspended or interrupted: the period is kept for the record only.
    if (p.start > effectiveEnd) {
      period.noEffect = 'after-deadline';
      const label = explain.kindLabel(p.kind);
      steps.push({ kind: stepKindOf(p.kind), date: p.start, text: explain.afterDeadlineText(label, p.start, effectiveEnd) });
      warnings.push({ code: 'suspension-after-deadline', date: p.start, text: explain.afterDeadlineWarning(label, p.start, effectiveEnd) });
      continue;
    }

    if (ev.restart === null) {
      // 'other' suspension or interruption still open: the end is not known, neither is the deadline
      known = false;
      steps.push(
        p.kind === 'interruption'
          ? { kind: 'interruption', date: p.start, text: explain.openInterruptionText(p.start, term) }
          : { kind: 'suspension', date: p.start, text: explain.openOtherSuspensionText(p.start) },
      );
      if (p.kind !== 'interruption') suspendedDays += period.days;
      continue;
    }

    if (p.kind === 'interruption') {
      // Interruption: the whole term runs again from the resume date; earlier suspensions no longer matter.
      for (const earlier of suspensions) if (earlier !== period && earlier.noEffect === undefined) earlier.noEffect = 'before-interruption';
      termStart = ev.restart;
      rawEnd = rawTermEnd(termStart, rules);
      suspendedDays = 0;
      steps.push({ kind: 'interruption', date: rawEnd, text: explain.interruptionText(p.start, ev.restart, term, rawEnd) });
      continue;
    }

    const stoppedWorkingDays = term.unit === 'working-days' ? workingDaysBetween(p.start, ev.restart, rules) : undefined;
    rawEnd = rawEndAfterStop(rawEnd, effectiveEnd, p.start, ev.restart, rules);
    suspendedDays += period.days;
    if (ev.provisional) provisional = true;
    steps.push(periodStep(ev, period, rawEnd, stoppedWorkingDays, today));

    if (p.kind === 'art2c7' && p.resumedOn === null && ev.cappedByLaw && ev.legalEnd) {
      warnings.push({ code: 'c7-over-30-days', date: ev.legalEnd, text: explain.c7Over30Warning(p.start, ev.legalEnd) });
    }
    if (p.kind === 'art10bis' && p.resumedOn === null && ev.cappedByLaw && ev.legalEnd) {
      warnings.push({ code: 'art10bis-over-legal-end', date: ev.legalEnd, text: explain.art10bisPassedWarning(p.start, ev.legalEnd) });
    }
  }

  const baseDeadline = applyRule3(rawTermEnd(termStart, rules), rules).date;
  if (!known) {
    return { deadline: null, provisional: false, baseDeadline, termStart, suspendedDays, suspensions, steps, warnings };
  }

  const shifted = applyRule3(rawEnd, rules);
  const deadline = shifted.date;
  if (shifted.skipped.length > 0) {
    steps.push({
      kind: 'holiday-shift',
      date: deadline,
      text: explain.holidayShiftText(shifted.skipped, deadline, rules.calendar, rules.saturdayMoves),
    });
  }
  // Cass. lav. 17079/2007: a local closure does not move the deadline; the staff is only warned.
  const local = rules.calendar.localDayName(deadline);
  if (local !== undefined) warnings.push({ code: 'local-closure', date: deadline, text: explain.localClosureWarning(deadline, local) });
  // Cons. Stato V 3152/2011: Saturday is a working day for deadlines unless the card says otherwise.
  if (isSaturday(deadline) && !rules.saturdayMoves) {
    warnings.push({ code: 'saturday-deadline', date: deadline, text: explain.saturdayWarning(deadline) });
  }
  if (today !== undefined && today > deadline) {
    warnings.push({ code: 'overdue', date: deadline, text: explain.overdueWarning(deadline) });
  }
  return { deadline, provisional, baseDeadline, termStart, suspendedDays, suspensions, steps, warnings };
}

const stepKindOf = (kind: SuspensionKind): DeadlineStep['kind'] =>
  kind === 'interruption' ? 'interruption' : kind === 'art10bis' ? 'art10bis' : 'suspension';

function periodStep(
  ev: EvaluatedPeriod,
  period: SuspensionPeriod,
  newEnd: IsoDate,
  stoppedWorkingDays: number | undefined,
  today: IsoDate | undefined,
): DeadlineStep {
  const p = ev.recorded;
  const stopped = explain.stoppedDaysText(period.days, stoppedWorkingDays);
  if (p.kind === 'art2c7' && ev.legalEnd !== undefined) {
    if (ev.cappedByLaw) return { kind: 'c7-cap', date: newEnd, text: explain.c7CapText(p.start, ev.legalEnd, p.resumedOn, newEnd) };
    if (p.resumedOn === null) return { kind: 'suspension', date: newEnd, text: explain.c7OpenText(p.start, ev.legalEnd, newEnd) };
  }
  if (p.kind === 'art10bis' && ev.legalEnd !== undefined) {
    return {
      kind: 'art10bis',
      date: newEnd,
      text: explain.art10bisText({
        from: p.start,
        observations: ev.timelyObservation,
        legalEnd: ev.legalEnd,
        resumedOn: p.resumedOn,
        open: p.resumedOn === null,
        passed: today !== undefined && today > ev.legalEnd,
        stopped,
        newEnd,
      }),
    };
  }
  const kind = p.kind === 'art2c7' ? 'art2c7' : 'other';
  return { kind: 'suspension', date: newEnd, text: explain.closedSuspensionText(kind, p.start, ev.restart ?? p.start, period.days, stoppedWorkingDays, newEnd) };
}
