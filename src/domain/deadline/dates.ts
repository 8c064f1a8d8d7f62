/**
 * ISO calendar-date arithmetic ('YYYY-MM-DD'), pure: dates are converted to day numbers (days since
 * 1970-01-01 in the proleptic Gregorian calendar) with integer arithmetic, so no time zone, DST or
 * clock can shift a legal deadline by a day.
 */
import { DomainError } from '../errors.ts';

/** A calendar date 'YYYY-MM-DD' (no time, no zone). */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTH_NAMES = [
  'gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno',
  'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre',
] as const;

const WEEKDAY_NAMES = ['domenica', 'lunedì', 'martedì', 'mercoledì', 'giovedì', 'venerdì', 'sabato'] as const;

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Italian name of a month (1–12), lower case as Italian writes it. */
export const italianMonthName = (month: number): string => MONTH_NAMES[month - 1] ?? String(month);

/**
 * Strict 'YYYY-MM-DD' that names a real calendar day (2026-02-29 and 2026-13-01 are refused).
 * Throws DomainError('invalid-date') with the rejected text in details.value.
 */
export function parseIsoDate(text: string): IsoDate {
  const match = ISO_DATE.exec(typeof text === 'string' ? text.trim() : '');
  if (!match) {
    throw new DomainError('invalid-date', 'data non valida (atteso AAAA-MM-GG)', { value: text });
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1) {
    throw new DomainError('invalid-date', 'data non valida (atteso AAAA-MM-GG)', { value: text });
  }
  const last = daysInMonth(year, month);
  if (day > last) {
    throw new DomainError(
      'invalid-date',
      `data non valida: ${italianMonthName(month)} ${year} ha ${last} giorni`,
      { value: text },
    );
  }
  return match[0];
}

/**
 * What is wrong with a date typed as 'YYYY-MM-DD', in Italian after "non è valida: ", or undefined when it
 * names a real day: the format for a malformed text, the calendar for a well-formed impossible one.
 */
export function isoDateProblem(text: string): string | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return 'usare il formato AAAA-MM-GG';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return 'l\'anno va scritto con quattro cifre';
  if (month < 1 || month > 12) return `il mese ${match[2]} non esiste (da 01 a 12)`;
  if (day < 1) return 'il giorno va da 01 in su';
  const last = daysInMonth(year, month);
  return day > last ? `${italianMonthName(month)} ${year} ha ${last} giorni` : undefined;
}

/** True for a strict, real 'YYYY-MM-DD' date. */
export function isIsoDate(text: string): boolean {
  try {
    parseIsoDate(text);
    return true;
  } catch {
    return false;
  }
}

function splitDate(d: IsoDate): [number, number, number] {
  const match = ISO_DATE.exec(d);
  if (!match) throw new DomainError('invalid-date', 'data non valida (atteso AAAA-MM-GG)', { value: d });
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Builds an IsoDate from its parts (no validation beyond padding). */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil: exact integer arithmetic). */
export function toDayNumber(d: IsoDate): number {
  const [y0, m, day] = splitDate(d);
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (civil_from_days). */
export function fromDayNumber(n: number): IsoDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return isoDate(year, month, day);
}

export const addDays = (d: IsoDate, n: number): IsoDate => fromDayNumber(toDayNumber(d) + n);

/** b − a in calendar days (positive when b is later). */
export const daysBetween = (a: IsoDate, b: IsoDate): number => toDayNumber(b) - toDayNumber(a);

/**
 * Adds whole months. Art. 2963 c.c. c.4 / art. 155 c.2 c.p.c.: a month term ends on the same-numbered
 * day of the target month, or on its last day when that month is shorter (31 Jan + 1 month = 28/29 Feb).
 */
export function addMonths(d: IsoDate, n: number): IsoDate {
  const [year, month, day] = splitDate(d);
  const index = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return isoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Day of the week, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekday = (d: IsoDate): number => (((toDayNumber(d) + 4) % 7) + 7) % 7;

export const isSunday = (d: IsoDate): boolean => weekday(d) === 0;
export const isSaturday = (d: IsoDate): boolean => weekday(d) === 6;

/** 'dd/mm/yyyy', as Italian administrative texts write dates. */
export function formatItalianDate(d: IsoDate): string {
  const [year, month, day] = splitDate(d);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** Italian weekday name in lower case: 'lunedì', …, 'domenica'. */
export const italianWeekday = (d: IsoDate): string => WEEKDAY_NAMES[weekday(d)] ?? '';

/** ISO strings of the same shape compare correctly as text. */
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a < b ? a : b);
