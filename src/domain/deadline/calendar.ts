/**
 * The holiday calendar. National holidays are data (NATIONAL_HOLIDAYS), each row with its legal source;
 * local closure days (patron saints) are configured per administration. Logic never names a date.
 */
import { Checks, DomainError } from '../errors.ts';
import { addDays, daysInMonth, isoDate, isSunday, italianMonthName, type IsoDate } from './dates.ts';

/** A local closure day repeating every year, e.g. a patron saint (Forlì 4 Feb, Cesena 24 Jun). */
export interface LocalDay {
  month: number;
  day: number;
  name: string;
}

export interface HolidayCalendar {
  /** National holiday or Sunday: moves a deadline (rule 3) and is not a working day. */
  isNationalHoliday(date: IsoDate): boolean;
  /** The holiday's name ('Capodanno', "Lunedì dell'Angelo", …), 'domenica' for a plain Sunday, else undefined. */
  nationalHolidayName(date: IsoDate): string | undefined;
  /** Local closure days (patron saints): they do NOT move deadlines, they only warn (Cass. lav. 17079/2007). */
  localDayName(date: IsoDate): string | undefined;
}

/** A national holiday rule: a fixed day of the year, or a day at an offset from Easter Sunday. */
export type NationalHolidayRule =
  | {
      kind: 'fixed';
      month: number;
      day: number;
      name: string;
      /** first/last year the rule applies (inclusive); absent = no bound */
      fromYear?: number;
      toYear?: number;
      source: string;
    }
  | { kind: 'easter'; offsetDays: number; name: string; fromYear?: number; toYear?: number; source: string };

/**
 * Italian national holidays (besides every Sunday). Main source: L. 27 maggio 1949 n. 260, art. 2, as
 * amended by L. 5 marzo 1977 n. 54 (which abolished 19 Mar, Ascension, Corpus Domini, 29 Jun, 4 Nov and,
 * until 1985, 6 Jan), D.P.R. 28 dicembre 1985 n. 792 (Epiphany back from 1986), L. 20 novembre 2000 n. 336
 * (2 June back on its date from 2001; 1977–2000 it fell on the first Sunday of June, already a Sunday)
 * and L. 1 ottobre 2025 n. 151 (4 October from 2026). With these bounds the table is exact from 1977 on.
 */
export const NATIONAL_HOLIDAYS: readonly NationalHolidayRule[] = [
  { kind: 'fixed', month: 1, day: 1, name: 'Capodanno', source: 'L. 260/1949 art. 2' },
  // L. 54/1977 removed the Epiphany; D.P.R. 792/1985 restored it from 1986.
  { kind: 'fixed', month: 1, day: 6, name: 'Epifania', fromYear: 1986, source: 'L. 260/1949 art. 2; D.P.R. 792/1985' },
  // One-off holiday for the 150th anniversary of Italian unity.
  { kind: 'fixed', month: 3, day: 17, name: "Anniversario dell'Unità d'Italia", fromYear: 2011, toYear: 2011, source: 'D.L. 5/2011 art. 1' },
  { kind: 'easter', offsetDays: 0, name: 'Pasqua', source: 'L. 260/1949 art. 2' },
  { kind: 'easter', offsetDays: 1, name: "Lunedì dell'Angelo", source: 'L. 260/1949 art. 2' },
  { kind: 'fixed', month: 4, day: 25, name: 'Festa della Liberazione', source: 'L. 260/1949 art. 2' },
  { kind: 'fixed', month: 5, day: 1, name: 'Festa del Lavoro', source: 'L. 260/1949 art. 2' },
  // L. 336/2000: back on 2 June from 2001 (before, first Sunday of June: a Sunday anyway).
  { kind: 'fixed', month: 6, day: 2, name: 'Festa della Repubblica', fromYear: 2001, source: 'L. 260/1949 art. 2; L. 336/2000' },
  { kind: 'fixed', month: 8, day: 15, name: 'Assunzione (Ferragosto)', source: 'L. 260/1949 art. 2' },
  // L. 151/2025: San Francesco d'Assisi, patron of Italy, national holiday again from 2026.
  { kind: 'fixed', month: 10, day: 4, name: "San Francesco d'Assisi", fromYear: 2026, source: 'L. 151/2025' },
  { kind: 'fixed', month: 11, day: 1, name: 'Ognissanti', source: 'L. 260/1949 art. 2' },
  { kind: 'fixed', month: 12, day: 8, name: 'Immacolata Concezione', source: 'L. 260/1949 art. 2' },
  { kind: 'fixed', month: 12, day: 25, name: 'Natale', source: 'L. 260/1949 art. 2' },
  { kind: 'fixed', month: 12, day: 26, name: 'Santo Stefano', source: 'L. 260/1949 art. 2' },
];

/** Easter Sunday by the Gregorian computus (anonymous algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

const appliesIn = (rule: NationalHolidayRule, year: number): boolean =>
  (rule.fromYear === undefined || year >= rule.fromYear) && (rule.toYear === undefined || year <= rule.toYear);

/** The national holidays of a year (Sundays excluded unless a holiday), in date order. */
export function nationalHolidaysOfYear(year: number): { date: IsoDate; name: string }[] {
  const easter = easterSunday(year);
  return NATIONAL_HOLIDAYS.filter((rule) => appliesIn(rule, year))
    .map((rule) => ({
      date: rule.kind === 'fixed' ? isoDate(year, rule.month, rule.day) : addDays(easter, rule.offsetDays),
      name: rule.name,
    }))
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** Each refusal says what to type instead, naming the field: a number that is not one is never echoed (no "NaN"). */
/** Every fault of a local day at once (a form shows them together); the day is checked against a valid month only. */
function validateLocalDay(local: LocalDay): void {
  const checks = new Checks();
  const refuse = (field: 'day' | 'month' | 'name', message: string) => {
    checks.add(new DomainError('invalid-input', `Giorno di chiusura locale non valido: ${message}`, { field, localDay: local }));
  };
  const monthValid = Number.isInteger(local.month) && local.month >= 1 && local.month <= 12;
  if (!monthValid) refuse('month', 'indicare il mese con un numero da 1 a 12.');
  // a leap year allows 29 February as a (rare) local day
  const last = monthValid ? daysInMonth(2000, local.month) : 31;
  if (!Number.isInteger(local.day) || local.day < 1 || local.day > last) {
    refuse('day', monthValid ? `indicare il giorno con un numero da 1 a ${last} (${italianMonthName(local.month)}).` : 'indicare il giorno con un numero da 1 a 31.');
  }
  if (typeof local.name !== 'string' || local.name.trim() === '') refuse('name', 'indicare il nome (es. "Santo patrono").');
  checks.done();
}

/** A calendar with the national holidays and the given local closure days. */
export function createHolidayCalendar(localDays: LocalDay[]): HolidayCalendar {
  localDays.forEach(validateLocalDay);
  const locals = localDays.map((l) => ({ key: `${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`, name: l.name.trim() }));
  const byYear = new Map<number, Map<IsoDate, string>>();

  const holidaysOf = (year: number): Map<IsoDate, string> => {
    let map = byYear.get(year);
    if (!map) {
      map = new Map();
      for (const { date, name } of nationalHolidaysOfYear(year)) {
        const previous = map.get(date);
        // two holidays on one day (e.g. 25 April = Easter Monday in 2011): name both
        map.set(date, previous ? `${previous} e ${name}` : name);
      }
      byYear.set(year, map);
    }
    return map;
  };

  const holidayName = (date: IsoDate): string | undefined => holidaysOf(Number(date.slice(0, 4))).get(date);

  return {
    isNationalHoliday: (date) => isSunday(date) || holidayName(date) !== undefined,
    nationalHolidayName: (date) => holidayName(date) ?? (isSunday(date) ? 'domenica' : undefined),
    localDayName: (date) => {
      const names = locals.filter((l) => l.key === date.slice(5, 10)).map((l) => l.name);
      return names.length > 0 ? names.join(' e ') : undefined;
    },
  };
}
