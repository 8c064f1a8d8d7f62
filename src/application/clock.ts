import { formatItalianDate } from '../domain/deadline/index.ts';
import type { IsoDate } from '../domain/deadline/index.ts';

/** Injected at the edge so that the domain and the tests never read the system clock. */
export interface Clock {
  now(): Date;
  /** the calendar day in Italy, where the terms run */
  today(): IsoDate;
}

const romeDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' });

export function italianDay(instant: Date): IsoDate {
  return romeDay.format(instant);
}

/** An instant as people in Italy read it: the day and the time in Rome, e.g. "01/12/2026 18:15". */
export function italianDayAndTime(instant: Date): string {
  return `${formatItalianDate(italianDay(instant))} ${instant.toLocaleTimeString('it-IT', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' })}`;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => italianDay(new Date()),
};

/** A clock that stands still on a given day, for tests and for the benchmark data generator. */
export function fixedClock(today: IsoDate): Clock {
  const instant = new Date(`${today}T10:00:00+01:00`);
  return { now: () => new Date(instant), today: () => today };
}
