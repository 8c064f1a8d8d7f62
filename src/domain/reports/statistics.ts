/**
 * Measuring procedure times (art. 1 c.28 L. 190/2012: periodic monitoring of the terms, results published on the
 * website; art. 35 D.Lgs. 33/2013 for the procedure cards): the figures of a group of cases and the arithmetic on them.
 * Pure: the sums, counts and medians come from the database; presentation (means, shares, rounding, the
 * small-group rule) happens here, once, for the pages, the exports and the open data alike.
 */
import { addMonths, daysInMonth } from '../deadline/index.ts';
import { SUSPENSION_KINDS } from '../deadline/index.ts';
import type { SuspensionKind } from '../deadline/index.ts';

/** No figure is published, nor shown in aggregate, from fewer cases or answers than this (privacy: nobody singled out). */
export const MIN_GROUP = 5;


export interface SuspensionFigures {
  count: number;
  /** calendar days the clock stood still (an open suspension without legal end: up to today) */
  days: number;
}

/** What SQL computes for a group of cases (one procedure, one office, or all) and one period. */
export interface GroupFigures {
  /** received (protocol date, art. 18-bis) within the period */
  started: number;
  /** closed within the period */
  closed: number;
  /** received by the end of the period and not closed by then */
  openAtEnd: number;
  /** closed within the period, on or before the deadline */
  closedOnTime: number;
  /** closed within the period: sum of days from receipt to closing */
  grossDaysSum: number;
  /** the same, net of the days the clock stood still (art. 2 c.9-quinquies L. 241/1990) */
  netDaysSum: number;
  grossDaysMedian: number | null;
  netDaysMedian: number | null;
  /** closed late within the period: the largest delay in days */
  longestClosedDelay: number | null;
  /** suspensions and interruptions that began within the period, by kind */
  suspensions: Record<SuspensionKind, SuspensionFigures>;
  /** today, not at the end of the period: open cases past their deadline and the largest delay */
  overdueOpen: number;
  longestOpenDelay: number | null;
  /** art. 20 L. 241/1990: deadline within the period, passed without a decision, on a silenzio-assenso procedure */
  silenzioAssenso: number;
}

export interface PresentedFigures extends GroupFigures {
  meanGrossDays: number | null;
  meanNetDays: number | null;
  /** percent of the cases closed in the period that closed within the term */
  onTimeShare: number | null;
}

export function emptySuspensions(): Record<SuspensionKind, SuspensionFigures> {
  return Object.fromEntries(SUSPENSION_KINDS.map((kind) => [kind, { count: 0, days: 0 }])) as Record<SuspensionKind, SuspensionFigures>;
}

export function emptyFigures(): GroupFigures {
  return {
    started: 0, closed: 0, openAtEnd: 0, closedOnTime: 0, grossDaysSum: 0, netDaysSum: 0, grossDaysMedian: null, netDaysMedian: null,
    longestClosedDelay: null, suspensions: emptySuspensions(), overdueOpen: 0, longestOpenDelay: null, silenzioAssenso: 0,
  };
}

/** One decimal, halves away from zero, the same everywhere a figure is shown. */
export function round1(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value) * 10) / 10;
}

export function mean(sum: number, count: number): number | null {
  return count === 0 ? null : round1(sum / count);
}

export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : round1((100 * part) / whole);
}

/** The median as PostgreSQL's percentile_cont(0.5) computes it: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The median of values given as a histogram (value → how many times): what `median` gives for the values
 * written out, without writing them out (the database keeps counts of each number of days, migration 0009).
 */
export function medianOfCounts(histogram: ReadonlyMap<number, number>): number | null {
  const values = [...histogram.keys()].filter((value) => histogram.get(value)! > 0).sort((a, b) => a - b);
  const n = values.reduce((sum, value) => sum + histogram.get(value)!, 0);
  if (n === 0) return null;
  const valueAt = (index: number): number => {
    let seen = 0;
    for (const value of values) {
      seen += histogram.get(value)!;
      if (index < seen) return value;
    }
    throw new RangeError(`index ${index} beyond ${n} values`);
  };
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? valueAt(middle) : (valueAt(middle - 1) + valueAt(middle)) / 2;
}

export function present(figures: GroupFigures): PresentedFigures {
  return {
    ...figures,
    meanGrossDays: mean(figures.grossDaysSum, figures.closed),
    meanNetDays: mean(figures.netDaysSum, figures.closed),
    onTimeShare: percent(figures.closedOnTime, figures.closed),
  };
}

export const publishable = (count: number): boolean => count >= MIN_GROUP;

/** Net duration buckets in days (upper bounds, inclusive; the last is open): the duration distribution chart. */
export const DURATION_BUCKETS: readonly (number | null)[] = [15, 30, 60, 90, 180, null];

export function durationBucket(days: number): number {
  const index = DURATION_BUCKETS.findIndex((max) => max === null || days <= max);
  return index;
}

export function durationBucketLabel(index: number): string {
  const max = DURATION_BUCKETS[index];
  const min = index === 0 ? 0 : DURATION_BUCKETS[index - 1]! + 1;
  return max === null ? `oltre ${min - 1}` : `${min}-${max}`;
}

/** Open cases by days from today to the deadline: the workload chart. */
export const OPEN_BUCKETS = ['overdue-over-30', 'overdue', 'due-7', 'due-30', 'later', 'unknown'] as const;
export type OpenBucket = (typeof OPEN_BUCKETS)[number];

/** `daysToDeadline` null: an open-ended suspension or interruption, the deadline is not known yet. */
export function openBucket(daysToDeadline: number | null): OpenBucket {
  if (daysToDeadline === null) return 'unknown';
  if (daysToDeadline < -30) return 'overdue-over-30';
  if (daysToDeadline < 0) return 'overdue';
  if (daysToDeadline <= 7) return 'due-7';
  if (daysToDeadline <= 30) return 'due-30';
  return 'later';
}

/** The months of a period, 'YYYY-MM', in order. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) return months;
    months.push(key);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
}

export interface PeriodByMonths {
  /** first days of the first and last months lying wholly within the period; null if none does */
  wholeMonths: { first: string; last: string } | null;
  /** the days of the period outside those months: at most one range at each end */
  partial: { from: string; to: string }[];
}

/**
 * A period split into whole calendar months and the days at its ends: reports read counters kept per month
 * for the former and the cases themselves for the latter.
 */
export function periodByMonths(from: string, to: string): PeriodByMonths {
  const firstOfMonth = (day: string): string => `${day.slice(0, 7)}-01`;
  const lastOfMonth = (day: string): string =>
    `${day.slice(0, 7)}-${String(daysInMonth(Number(day.slice(0, 4)), Number(day.slice(5, 7)))).padStart(2, '0')}`;
  const first = from === firstOfMonth(from) ? from : addMonths(firstOfMonth(from), 1);
  const last = to === lastOfMonth(to) ? firstOfMonth(to) : addMonths(firstOfMonth(to), -1);
  if (first > last) return { wholeMonths: null, partial: [{ from, to }] };
  const partial: { from: string; to: string }[] = [];
  if (from < first) partial.push({ from, to: lastOfMonth(from) });
  if (to > lastOfMonth(last)) partial.push({ from: firstOfMonth(to), to });
  return { wholeMonths: { first, last }, partial };
}
