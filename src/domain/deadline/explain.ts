/**
 * The Italian texts that explain a deadline computation, step by step, to staff and citizens.
 * Dates are written dd/mm/yyyy. Kept apart from the arithmetic so wording changes never touch the rules.
 */
import type { HolidayCalendar } from './calendar.ts';
import { formatItalianDate as it, isSaturday, isSunday, type IsoDate } from './dates.ts';
import { formatTerm, type Term } from './term.ts';
import { counted } from '../plural.ts';

const days = (n: number): string => counted(n, 'day');

/** "domenica", "domenica (Pasqua)", "festivo (Natale)", "sabato". */
export function describeNonWorkingDay(date: IsoDate, calendar: HolidayCalendar): string {
  const name = calendar.nationalHolidayName(date);
  if (isSunday(date)) return name && name !== 'domenica' ? `domenica (${name})` : 'domenica';
  if (name) return `festivo (${name})`;
  if (isSaturday(date)) return 'sabato';
  return 'non festivo';
}

export const baseText = (from: IsoDate, term: Term, rawEnd: IsoDate): string =>
  `Domanda ricevuta il ${it(from)}; termine di ${formatTerm(term)}: scadenza base ${it(rawEnd)}`;

/** Rule 3 (art. 155 c.p.c.): every skipped day is named, so consecutive holidays are self-explaining. */
export function holidayShiftText(skipped: IsoDate[], final: IsoDate, calendar: HolidayCalendar, saturdayMoves: boolean): string {
  const parts = skipped.map((d) => `il ${it(d)} è ${describeNonWorkingDay(d, calendar)}`);
  const last = parts.pop();
  if (last === undefined) return '';
  const sentence = parts.length === 0 ? last : `${parts.join(', ')} e ${last}`;
  const target = saturdayMoves ? 'primo giorno non festivo e non sabato' : 'primo giorno non festivo';
  return `I${sentence.slice(1)}: scadenza spostata al ${target}, ${it(final)}`;
}

export const suspensionLabel = (kind: 'art2c7' | 'other'): string =>
  kind === 'art2c7' ? 'Sospensione art. 2 c.7 L. 241/1990' : 'Sospensione';

const stoppedText = (calendarDays: number, workingDays: number | undefined): string =>
  workingDays === undefined ? days(calendarDays) : `${days(calendarDays)}, di cui ${workingDays} lavorativi`;

export const closedSuspensionText = (
  kind: 'art2c7' | 'other',
  from: IsoDate,
  to: IsoDate,
  calendarDays: number,
  workingDays: number | undefined,
  newEnd: IsoDate,
): string =>
  `${suspensionLabel(kind)} dal ${it(from)} al ${it(to)} (${stoppedText(calendarDays, workingDays)}): scadenza spostata al ${it(newEnd)}`;

export const openOtherSuspensionText = (from: IsoDate): string =>
  `Sospensione dal ${it(from)}, in corso: la scadenza sarà ricalcolata alla riattivazione`;

/** L. 241/1990 art. 2 c.7: at most 30 days, then the clock runs again by law. */
export function c7CapText(from: IsoDate, legalEnd: IsoDate, resumedOn: IsoDate | null, newEnd: IsoDate): string {
  const record = resumedOn ? `riattivata il ${it(resumedOn)}` : 'ancora registrata come in corso';
  return (
    `Sospensione art. 2 c.7 L. 241/1990 dal ${it(from)} (${record}): la sospensione dura al massimo 30 giorni, ` +
    `il termine ha ripreso a decorrere per legge il ${it(legalEnd)}: scadenza spostata al ${it(newEnd)}`
  );
}

export const c7OpenText = (from: IsoDate, legalEnd: IsoDate, newEnd: IsoDate): string =>
  `Sospensione art. 2 c.7 L. 241/1990 dal ${it(from)}, in corso: per legge il termine riprende al più tardi il ` +
  `${it(legalEnd)} (30 giorni): scadenza provvisoria ${it(newEnd)}`;

/** L. 241/1990 art. 10-bis (D.L. 76/2020): suspended until 10 days after the observations, or after the notice. */
export function art10bisText(p: {
  from: IsoDate;
  observations: IsoDate | undefined;
  legalEnd: IsoDate;
  resumedOn: IsoDate | null;
  open: boolean;
  passed: boolean;
  stopped: string;
  newEnd: IsoDate;
}): string {
  const head = `Preavviso di rigetto (art. 10-bis L. 241/1990) del ${it(p.from)}`;
  const legal = p.observations
    ? `osservazioni presentate il ${it(p.observations)}: il termine riprende 10 giorni dopo, il ${it(p.legalEnd)}`
    : `nessuna osservazione nei 10 giorni: il termine riprende il ${it(p.legalEnd)}`;
  if (p.resumedOn && p.resumedOn < p.legalEnd) {
    const obs = p.observations ? `, osservazioni presentate il ${it(p.observations)}` : '';
    return `${head}${obs}, riattivata il ${it(p.resumedOn)} (${p.stopped}): scadenza spostata al ${it(p.newEnd)}`;
  }
  if (p.open && !p.passed) return `${head}, in corso; ${legal} (${p.stopped}): scadenza provvisoria ${it(p.newEnd)}`;
  return `${head}; ${legal} (${p.stopped}): scadenza spostata al ${it(p.newEnd)}`;
}

export const stoppedDaysText = stoppedText;

export const interruptionText = (from: IsoDate, to: IsoDate, term: Term, newEnd: IsoDate): string =>
  `Interruzione del termine dal ${it(from)} al ${it(to)}: il termine di ${formatTerm(term)} ricomincia a decorrere ` +
  `per intero dal ${it(to)}: nuova scadenza base ${it(newEnd)}`;

export const openInterruptionText = (from: IsoDate, term: Term): string =>
  `Interruzione del termine dal ${it(from)}, in corso: alla riattivazione il termine di ${formatTerm(term)} ` +
  'ricomincerà a decorrere per intero';

export const afterDeadlineText = (kindLabel: string, from: IsoDate, deadline: IsoDate): string =>
  `${kindLabel} del ${it(from)} successiva alla scadenza del termine (${it(deadline)}): non sposta la scadenza`;

export const kindLabel = (kind: 'art2c7' | 'art10bis' | 'other' | 'interruption'): string =>
  kind === 'art2c7'
    ? 'Sospensione art. 2 c.7'
    : kind === 'art10bis'
      ? 'Preavviso di rigetto (art. 10-bis)'
      : kind === 'interruption'
        ? 'Interruzione'
        : 'Sospensione';

// Warnings

export const localClosureWarning = (date: IsoDate, name: string): string =>
  `La scadenza del ${it(date)} cade in un giorno di chiusura locale (${name}): non si sposta ` +
  "(Cass. lav. 17079/2007), ma quel giorno l'ufficio è chiuso";

export const saturdayWarning = (date: IsoDate): string =>
  `La scadenza del ${it(date)} cade di sabato: il sabato non sposta la scadenza (Cons. Stato V 3152/2011)`;

export const c7Over30Warning = (from: IsoDate, legalEnd: IsoDate): string =>
  `La sospensione art. 2 c.7 del ${it(from)} supera i 30 giorni: dal ${it(legalEnd)} il termine ha ripreso a ` +
  'decorrere per legge anche se la pratica risulta ancora sospesa; registrare la riattivazione';

export const art10bisPassedWarning = (from: IsoDate, legalEnd: IsoDate): string =>
  `Preavviso di rigetto del ${it(from)}: dal ${it(legalEnd)} il termine ha ripreso a decorrere per legge ` +
  '(art. 10-bis L. 241/1990); registrare la riattivazione';

export const lateObservationsWarning = (observations: IsoDate, notice: IsoDate): string =>
  `Le osservazioni del ${it(observations)} sono successive ai 10 giorni dal preavviso del ${it(notice)}: ` +
  'non prolungano la sospensione (art. 10-bis L. 241/1990)';

export const afterDeadlineWarning = (kindLabelText: string, from: IsoDate, deadline: IsoDate): string =>
  `${kindLabelText} del ${it(from)} registrata dopo la scadenza del termine (${it(deadline)}): non ha effetto sulla scadenza`;

export const overdueWarning = (deadline: IsoDate): string =>
  `Il termine è scaduto il ${it(deadline)}: il cittadino può rivolgersi al titolare del potere sostitutivo ` +
  '(art. 2 c.9-bis L. 241/1990)';
