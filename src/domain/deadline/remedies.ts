/**
 * What the citizen can do once the office is late, computed with the deadline's own counting rules:
 * the substitute power (L. 241/1990 art. 2 c.9-bis/9-ter), the indemnity for delay (art. 2-bis c.1-bis;
 * D.L. 69/2013 art. 28, conv. L. 98/2013) and silenzio-assenso (art. 20). Pure: every date is an argument.
 */
import { DomainError } from '../errors.ts';
import { counted } from '../plural.ts';
import type { HolidayCalendar } from './calendar.ts';
import { addDays, addMonths, daysBetween, formatItalianDate as it, parseIsoDate, type IsoDate } from './dates.ts';
import { termEnd } from './deadline.ts';
import { formatTerm, validateTerm, type Term } from './term.ts';

/** D.L. 69/2013 art. 28 c.1: 30 euro for every day of delay, at most 2,000 euro; c.2: the substitute within 20 days. */
export const INDEMNITY_EURO_PER_DAY = 30;
export const INDEMNITY_MAX_EURO = 2000;
export const SUBSTITUTE_REQUEST_WINDOW_DAYS = 20;

/** Why the indemnity is (or is not) due; declared once, the texts derive from it. */
export const INDEMNITY_REASONS = [
  'due',
  'not-business',
  'silenzio-assenso',
  'deadline-unknown',
  'not-late',
  'no-substitute-request',
  'substitute-request-late',
] as const;
export type IndemnityReason = (typeof INDEMNITY_REASONS)[number];

export interface CountingOptions {
  calendar: HolidayCalendar;
  saturdayWorking?: boolean;
  saturdayMovesDeadline?: boolean;
}

/**
 * Art. 2 c.9-ter: the substitute concludes "entro un termine pari alla metà di quello originariamente previsto".
 * Days (calendar or working) are halved in their unit, an odd count rounding up; a term in months becomes the
 * calendar days from receipt to the base (unshifted) deadline, halved and rounded up.
 */
export function halfTerm(from: IsoDate, term: Term): Term {
  const t = validateTerm(term);
  if (t.unit === 'months') {
    const received = parseIsoDate(from);
    return { amount: Math.ceil(daysBetween(received, addMonths(received, t.amount)) / 2), unit: 'calendar-days' };
  }
  return { amount: Math.ceil(t.amount / 2), unit: t.unit };
}

/** The first day the citizen may turn to the substitute: the day after the deadline ("decorso inutilmente il termine"). */
export const firstSubstituteRequestDay = (deadline: IsoDate): IsoDate => addDays(deadline, 1);

export interface SubstituteDeadline {
  date: IsoDate;
  halfTerm: Term;
  /** the raw last day, before a Sunday or holiday moved it */
  rawEnd: IsoDate;
  skipped: IsoDate[];
}

/**
 * The substitute's deadline: half the original term counted from the request. Refused while the deadline is
 * unknown (an open suspension) or has not yet passed (the request is on or before it).
 */
export function substituteDeadline(input: {
  from: IsoDate;
  term: Term;
  deadline: IsoDate | null;
  request: IsoDate;
} & CountingOptions): SubstituteDeadline {
  const request = parseIsoDate(input.request);
  assertSubstituteRequestAllowed(input.deadline, request);
  const half = halfTerm(input.from, input.term);
  const end = termEnd(request, half, input);
  return { date: end.end, halfTerm: half, rawEnd: end.rawEnd, skipped: end.skipped };
}

/**
 * Art. 2 c.9-bis: the substitute is called once the term has "passed in vain", which it has only once its last
 * day is over: a request on the deadline day or earlier is not admissible, nor one while the deadline is unknown.
 * The one rule every path (the calculator, the events, the case figures, the dashboard) follows.
 */
export const substituteRequestAdmissible = (deadline: IsoDate | null, request: IsoDate): deadline is IsoDate =>
  deadline !== null && request > deadline;

export function assertSubstituteRequestAllowed(deadline: IsoDate | null, request: IsoDate): void {
  if (deadline === null) {
    throw new DomainError(
      'deadline-unknown',
      'La scadenza non è ancora determinabile (sospensione o interruzione in corso): non si può ancora ricorrere al titolare del potere sostitutivo',
    );
  }
  if (!substituteRequestAdmissible(deadline, request)) {
    throw new DomainError(
      'substitute-request-too-early',
      `La richiesta al titolare del potere sostitutivo del ${it(request)} non è ammessa: il termine scade il ${it(deadline)} ` +
        `e ci si può rivolgere al sostituto dal giorno successivo, ${it(firstSubstituteRequestDay(deadline))} (art. 2 c.9-bis L. 241/1990)`,
      { request, deadline },
    );
  }
}

/** Calendar days from the deadline to the decision, or to today while there is none; 0 when not late. */
export function delayDays(deadline: IsoDate | null, decision: IsoDate | undefined, today: IsoDate | undefined): number {
  const until = decision ?? today;
  if (deadline === null || until === undefined) return 0;
  return Math.max(0, daysBetween(deadline, until));
}

/**
 * D.L. 69/2013 art. 28 c.2: the request to the substitute "entro il termine perentorio di venti giorni dalla
 * scadenza"; counted like every term (start day excluded, a last day on a Sunday or holiday moves on).
 */
export function lastSubstituteRequestDay(deadline: IsoDate, options: CountingOptions): IsoDate {
  return termEnd(deadline, { amount: SUBSTITUTE_REQUEST_WINDOW_DAYS, unit: 'calendar-days' }, { ...options, saturdayWorking: false }).end;
}

export interface Indemnity {
  euro: number;
  eligible: boolean;
  code: IndemnityReason;
  reason: string;
  /** the last day to turn to the substitute and keep the right (while the deadline is known) */
  requestBy?: IsoDate;
}

export interface IndemnityInput extends CountingOptions {
  /** art. 2-bis c.1-bis: the procedure concerns the start or exercise of a business activity */
  business: boolean;
  silenzioAssenso: boolean;
  deadline: IsoDate | null;
  substituteRequest?: IsoDate | undefined;
  delayDays: number;
}

/** The indemnity for delay, with the reason in Italian; euro = min(2000, 30 × days of delay) when due. */
export function indemnity(input: IndemnityInput): Indemnity {
  const refuse = (code: Exclude<IndemnityReason, 'due'>, reason: string, requestBy?: IsoDate): Indemnity => ({
    euro: 0,
    eligible: false,
    code,
    reason,
    ...(requestBy !== undefined ? { requestBy } : {}),
  });
  if (!input.business) {
    return refuse('not-business', "Nessun indennizzo: il procedimento non riguarda l'avvio o l'esercizio di un'attività d'impresa (art. 2-bis c.1-bis L. 241/1990)");
  }
  // art. 28 c.1 D.L. 69/2013 excludes silenzio-assenso: the application is accepted when the term passes
  if (input.silenzioAssenso) {
    return refuse('silenzio-assenso', "Nessun indennizzo: al procedimento si applica il silenzio-assenso, escluso dall'art. 28 c.1 D.L. 69/2013");
  }
  if (input.deadline === null) {
    return refuse('deadline-unknown', 'Indennizzo non calcolabile: la scadenza non è ancora determinabile (sospensione o interruzione in corso)');
  }
  const requestBy = lastSubstituteRequestDay(input.deadline, input);
  if (input.substituteRequest !== undefined && input.substituteRequest > requestBy) {
    return refuse(
      'substitute-request-late',
      `Nessun indennizzo: la richiesta al titolare del potere sostitutivo (${it(input.substituteRequest)}) è successiva al ${it(requestBy)}, ` +
        `ultimo giorno dei ${SUBSTITUTE_REQUEST_WINDOW_DAYS} dalla scadenza (art. 28 c.2 D.L. 69/2013)`,
      requestBy,
    );
  }
  if (input.delayDays <= 0) {
    return refuse('not-late', `Nessun indennizzo: il termine del ${it(input.deadline)} non è stato superato`, requestBy);
  }
  if (input.substituteRequest === undefined) {
    return refuse(
      'no-substitute-request',
      `Indennizzo non ancora dovuto: spetta se ci si rivolge al titolare del potere sostitutivo entro il ${it(requestBy)} ` +
        `(${SUBSTITUTE_REQUEST_WINDOW_DAYS} giorni dalla scadenza, art. 28 c.2 D.L. 69/2013)`,
      requestBy,
    );
  }
  const euro = Math.min(INDEMNITY_MAX_EURO, INDEMNITY_EURO_PER_DAY * input.delayDays);
  const capped = euro === INDEMNITY_MAX_EURO && INDEMNITY_EURO_PER_DAY * input.delayDays > INDEMNITY_MAX_EURO;
  return {
    euro,
    eligible: true,
    code: 'due',
    reason:
      `Indennizzo da ritardo: ${INDEMNITY_EURO_PER_DAY} euro per ${counted(input.delayDays, 'day')} di ritardo dal ${it(input.deadline)}` +
      `${capped ? `, nel limite di ${INDEMNITY_MAX_EURO} euro` : ''} = ${euro} euro (art. 2-bis c.1-bis L. 241/1990; art. 28 c.1 D.L. 69/2013)`,
    requestBy,
  };
}

/** What became of a request to the substitute; declared once, the report's labels derive from it. */
export const SUBSTITUTE_OUTCOMES = ['in-time', 'late', 'pending'] as const;
export type SubstituteOutcome = (typeof SUBSTITUTE_OUTCOMES)[number];

/**
 * Art. 2 c.9-ter: the substitute concludes within half the original term. Decided by then: in time; decided
 * later, or still open after it: late; still open within it: pending.
 */
export function substituteOutcome(substituteDeadline: IsoDate, decision: IsoDate | undefined, today: IsoDate): SubstituteOutcome {
  if (decision !== undefined) return decision <= substituteDeadline ? 'in-time' : 'late';
  return today > substituteDeadline ? 'late' : 'pending';
}

/**
 * A payment of the indemnity, in euro cents: only where it is due, and together with what was already paid never
 * beyond what accrued, which art. 28 c.1 D.L. 69/2013 caps at 2,000 euro.
 */
export function checkIndemnityPayment(due: Indemnity, paidCents: number, amountCents: number): void {
  if (!due.eligible) {
    throw new DomainError('indemnity-not-due', `Il pagamento non può essere registrato. ${due.reason}.`, { field: 'amountCents', reason: due.code });
  }
  if (!Number.isInteger(amountCents) || amountCents <= 0) {
    throw new DomainError('invalid-input', "Indicare l'importo pagato in centesimi di euro, un numero intero maggiore di zero.", { field: 'amountCents' });
  }
  const accruedCents = Math.min(due.euro, INDEMNITY_MAX_EURO) * 100;
  if (paidCents + amountCents > accruedCents) {
    throw new DomainError(
      'invalid-input',
      `L'importo di ${euroText(amountCents)} supera quanto resta da pagare: indennizzo maturato ${euroText(accruedCents)} ` +
        `(al massimo ${INDEMNITY_MAX_EURO} euro, art. 28 c.1 D.L. 69/2013), già pagati ${euroText(paidCents)}, restano ${euroText(accruedCents - paidCents)}.`,
      { field: 'amountCents', accruedCents, paidCents },
    );
  }
}

/** An amount of euro as a person types it ("300", "300,50", "1.234,5"), in cents; null when it is not one. */
export function parseEuroCents(text: string): number | null {
  const match = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(text.trim().replace(/\s*(?:euro|€)$/i, ''));
  if (!match) return null;
  const cents = Number(match[1]!.replaceAll('.', '')) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** An amount in euro cents as Italians write it: "1.234,50 euro". */
export const euroText = (cents: number): string =>
  `${(cents / 100).toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true })} euro`;

export interface SilenceAcceptance {
  accepted: boolean;
  /** the day from which the application counts as accepted: the day after the deadline */
  acceptedFrom: IsoDate | null;
}

/**
 * Art. 20 c.1 L. 241/1990: where silenzio-assenso applies, the application is accepted when the term passes
 * without a decision. A decision taken after the deadline does not undo it (c.3 leaves only self-correction).
 */
export function silenceAcceptance(input: {
  silenzioAssenso: boolean;
  deadline: IsoDate | null;
  decision?: IsoDate | undefined;
  today?: IsoDate | undefined;
}): SilenceAcceptance {
  if (!input.silenzioAssenso || input.deadline === null) return { accepted: false, acceptedFrom: null };
  const until = input.decision ?? input.today;
  if (until === undefined || until <= input.deadline) return { accepted: false, acceptedFrom: null };
  return { accepted: true, acceptedFrom: addDays(input.deadline, 1) };
}

// ---------------------------------------------------------------------------------------------------
// Italian explanations, one sentence per figure, each with its article

export const substituteDeadlineText = (request: IsoDate, s: SubstituteDeadline, term: Term): string =>
  `Richiesta al titolare del potere sostitutivo il ${it(request)}: deve concludere entro la metà del termine originario ` +
  `(${formatTerm(term)} → ${formatTerm(s.halfTerm)}), cioè entro il ${it(s.date)}` +
  `${s.skipped.length > 0 ? ` (il ${it(s.rawEnd)} è festivo: spostata al primo giorno non festivo)` : ''} (art. 2 c.9-ter L. 241/1990)`;

export function delayText(deadline: IsoDate | null, days: number, decision: IsoDate | undefined): string {
  if (deadline === null) return 'Ritardo: non calcolabile finché la scadenza non è determinabile';
  if (days === 0) return `Ritardo: nessuno (scadenza ${it(deadline)})`;
  const until = decision !== undefined ? `alla decisione del ${it(decision)}` : 'a oggi';
  return `Ritardo: ${counted(days, 'day')} dalla scadenza del ${it(deadline)} ${until} (art. 2 c.9-quinquies L. 241/1990)`;
}

export const silenceText = (s: SilenceAcceptance): string =>
  s.accepted && s.acceptedFrom !== null
    ? `Silenzio-assenso: il termine è decorso senza provvedimento, la domanda è accolta dal ${it(s.acceptedFrom)} ` +
      "(art. 20 c.1 L. 241/1990); su richiesta l'amministrazione rilascia l'attestazione dell'accoglimento (art. 20 c.2-bis)"
    : 'Silenzio-assenso: la domanda si intenderà accolta se il termine decorre senza provvedimento (art. 20 c.1 L. 241/1990)';
