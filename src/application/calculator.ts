/**
 * The public deadline calculator (/calcola-scadenza): the same engine as the cases and `pratica deadline`,
 * over the values of a form. Nothing is written; every refusal names its field in Italian.
 */
import type { Db } from '../adapters/db/database.ts';
import {
  computeDeadline,
  delayDays,
  delayText,
  firstSubstituteRequestDay,
  formatItalianDate,
  indemnity,
  isoDateProblem,
  parseTerm,
  silenceAcceptance,
  silenceText,
  substituteDeadline,
  substituteDeadlineText,
  type ClockEvent,
  type DeadlineResult,
  type IsoDate,
  type SuspensionKind,
  type Term,
} from '../domain/deadline/index.ts';
import { DomainError } from '../domain/errors.ts';
import { loadCalendar } from './calendar.ts';

/** Suspension rows the form offers; a row left empty is ignored. */
export const CALCULATOR_SUSPENSIONS = 3;
export const CALCULATOR_KINDS: readonly SuspensionKind[] = ['art2c7', 'art10bis', 'other'];

export interface CalculatorInput {
  from: string;
  term: string;
  saturdayWorking: boolean;
  saturdayMoves: boolean;
  suspensions: { from: string; to: string; kind: string }[];
  today: string;
  close: string;
  substituteRequest: string;
  business: boolean;
  silenzioAssenso: boolean;
}

export interface CalculatorResult {
  deadline: DeadlineResult;
  term: Term;
  /** the Italian explanation of each remedy figure, with its article */
  remedies: string[];
  delayDays: number;
  indemnityEuro: number;
  substituteDeadline: IsoDate | null;
  acceptedFrom: IsoDate | null;
}

export interface CalculatorProblem {
  field: string;
  text: string;
}

function dateOf(value: string, field: string, label: string, problems: CalculatorProblem[], required = false): IsoDate | undefined {
  const text = value.trim();
  if (text === '') {
    if (required) problems.push({ field, text: `Indicare ${label}.` });
    return undefined;
  }
  const problem = isoDateProblem(text);
  if (problem) {
    problems.push({ field, text: `${label.charAt(0).toUpperCase()}${label.slice(1)} non è valida: ${problem}.` });
    return undefined;
  }
  return text;
}

/** The result, or the problems of the form (each with its field); never throws on bad input. */
export async function calculateDeadline(db: Db, input: CalculatorInput): Promise<{ result: CalculatorResult } | { problems: CalculatorProblem[] }> {
  const problems: CalculatorProblem[] = [];
  const from = dateOf(input.from, 'from', 'la data di ricevimento della domanda', problems, true);
  let term: Term | undefined;
  if (input.term.trim() === '') problems.push({ field: 'term', text: 'Indicare il termine (es. "30 giorni", "10 giorni lavorativi", "3 mesi").' });
  else {
    try {
      term = parseTerm(input.term);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push({ field: 'term', text: error.message });
    }
  }
  const events: ClockEvent[] = [];
  input.suspensions.forEach((s, i) => {
    const n = i + 1;
    if (s.from.trim() === '' && s.to.trim() === '') return;
    const start = dateOf(s.from, `s${n}from`, `la data di inizio della sospensione ${n}`, problems, true);
    const end = dateOf(s.to, `s${n}to`, `la data di fine della sospensione ${n}`, problems);
    const kind = s.kind as SuspensionKind;
    if (!CALCULATOR_KINDS.includes(kind)) problems.push({ field: `s${n}kind`, text: `Scegliere il tipo della sospensione ${n}.` });
    if (start && end && end < start) problems.push({ field: `s${n}to`, text: `La sospensione ${n} finisce prima di iniziare.` });
    if (start) events.push({ type: 'suspend', date: start, kind });
    if (start && end) events.push({ type: 'resume', date: end });
  });
  const today = dateOf(input.today, 'today', 'la data di oggi', problems);
  const close = dateOf(input.close, 'close', 'la data della decisione', problems);
  const request = dateOf(input.substituteRequest, 'substituteRequest', 'la data della richiesta al titolare del potere sostitutivo', problems);
  if (problems.length > 0 || !from || !term) return { problems };

  const calendar = await loadCalendar(db);
  const counting = { calendar, saturdayWorking: input.saturdayWorking, saturdayMovesDeadline: input.saturdayMoves };
  try {
    const deadline = computeDeadline({ from, term, events, ...counting, ...(today ? { today } : {}) });
    const substitute = request ? substituteDeadline({ from, term, deadline: deadline.deadline, request, ...counting }) : null;
    const delay = delayDays(deadline.deadline, close, today);
    const due = indemnity({ business: input.business, silenzioAssenso: input.silenzioAssenso, deadline: deadline.deadline, substituteRequest: request, delayDays: delay, ...counting });
    const silence = silenceAcceptance({ silenzioAssenso: input.silenzioAssenso, deadline: deadline.deadline, decision: close, today });
    const remedies = [delayText(deadline.deadline, delay, close)];
    if (substitute && request) remedies.push(substituteDeadlineText(request, substitute, term));
    else if (delay > 0 && deadline.deadline && !close) {
      remedies.push(
        `Potere sostitutivo: dal ${formatItalianDate(firstSubstituteRequestDay(deadline.deadline))} ci si può rivolgere al titolare del potere sostitutivo, ` +
          'che deve concludere entro la metà del termine originario (art. 2 c.9-bis e c.9-ter L. 241/1990)',
      );
    }
    remedies.push(due.reason);
    if (input.silenzioAssenso) remedies.push(silenceText(silence));
    return {
      result: {
        deadline, term, remedies, delayDays: delay, indemnityEuro: due.euro,
        substituteDeadline: substitute?.date ?? null, acceptedFrom: silence.acceptedFrom,
      },
    };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = error.code === 'substitute-request-too-early' || error.code === 'deadline-unknown' ? 'substituteRequest' : 's1from';
    return { problems: [{ field, text: error.message }] };
  }
}
