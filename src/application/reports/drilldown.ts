/**
 * From a figure to the cases behind it: the same conditions as the aggregates in times.ts, listing the cases
 * with, for each closed one, the legal deadline and the time actually taken (art. 2 c.9-quinquies L. 241/1990).
 */
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { daysBetween } from '../../domain/deadline/index.ts';
import type { IsoDate } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import { DURATION_BUCKETS, OPEN_BUCKETS } from '../../domain/reports/statistics.ts';
import { SUSPENSION_KINDS } from '../../domain/deadline/index.ts';
import type { OpenBucket } from '../../domain/reports/statistics.ts';
import type { CaseState } from '../../domain/case/states.ts';
import { durationBucketSql, resolveScope, scopeSql } from './times.ts';
import type { ReportDeps, ReportFilter, Scope } from './times.ts';

export const BASE_METRICS = ['started', 'closed', 'closed-on-time', 'closed-late', 'open', 'overdue', 'silenzio-assenso'] as const;

/** 'started' … plus 'suspension:<kind>', 'duration:<bucket>', 'open-by-deadline:<bucket>' */
export type Metric = string;

export function isMetric(value: string): boolean {
  if ((BASE_METRICS as readonly string[]).includes(value)) return true;
  const [head, tail] = value.split(':');
  if (head === 'suspension') return (SUSPENSION_KINDS as readonly string[]).includes(tail ?? '');
  if (head === 'duration') return /^\d$/.test(tail ?? '') && Number(tail) < DURATION_BUCKETS.length;
  if (head === 'open-by-deadline') return (OPEN_BUCKETS as readonly string[]).includes(tail ?? '');
  return false;
}

export interface DrilldownCase {
  code: string;
  state: CaseState;
  officeCode: string;
  procedureCode: string;
  procedureName: string;
  termText: string;
  receivedOn: IsoDate;
  deadline: IsoDate | null;
  closedOn: IsoDate | null;
  grossDays: number | null;
  netDays: number | null;
  suspendedDays: number | null;
  /** closed late: days after the deadline; open and overdue: days since the deadline */
  daysLate: number | null;
}

export interface Drilldown {
  metric: Metric;
  total: number;
  offset: number;
  cases: DrilldownCase[];
}

function condition(metric: Metric, scope: Scope): RawBuilder<unknown> {
  const { from, to, today } = scope;
  const closedIn = sql`c.closed_on IS NOT NULL AND c.closed_on BETWEEN ${from}::date AND ${to}::date`;
  const [head, tail] = metric.split(':');
  switch (head) {
    case 'started': return sql`c.received_on BETWEEN ${from}::date AND ${to}::date`;
    case 'closed': return closedIn;
    case 'closed-on-time': return sql`${closedIn} AND c.closed_on <= c.deadline`;
    case 'closed-late': return sql`${closedIn} AND c.closed_on > c.deadline`;
    case 'open': return sql`c.received_on <= ${to}::date AND (c.closed_on IS NULL OR c.closed_on > ${to}::date)`;
    case 'overdue': return sql`c.state <> 'closed' AND c.deadline < ${today}::date`;
    case 'silenzio-assenso':
      return sql`c.silenzio_assenso AND c.deadline BETWEEN ${from}::date AND ${to}::date AND c.deadline < ${today}::date
        AND (c.closed_on IS NULL OR c.closed_on > c.deadline)`;
    case 'suspension':
      return sql`EXISTS (SELECT 1 FROM case_suspensions s WHERE s.case_id = c.id AND s.kind = ${tail} AND s.from_on BETWEEN ${from}::date AND ${to}::date)`;
    case 'duration':
      return sql`${closedIn} AND ${durationBucketSql(sql`c.closed_on - c.received_on - c.suspended_days`)} = ${Number(tail)}`;
    case 'open-by-deadline': {
      const d = sql`(c.deadline - ${today}::date)`;
      const bucket = tail as OpenBucket;
      const range = {
        unknown: sql`c.deadline IS NULL`,
        'overdue-over-30': sql`${d} < -30`,
        overdue: sql`${d} BETWEEN -30 AND -1`,
        'due-7': sql`${d} BETWEEN 0 AND 7`,
        'due-30': sql`${d} BETWEEN 8 AND 30`,
        later: sql`${d} > 30`,
      }[bucket];
      return sql`c.state <> 'closed' AND ${range}`;
    }
  }
  throw new DomainError('invalid-input', `Indicatore sconosciuto: "${metric}".`, { field: 'metric' });
}

export const DRILLDOWN_PAGE = 100;

/** The cases behind a figure, oldest receipt first, a page at a time. */
export async function drilldown(deps: ReportDeps, filter: ReportFilter, metric: Metric, offset = 0): Promise<Drilldown> {
  if (!isMetric(metric)) throw new DomainError('invalid-input', `Indicatore sconosciuto: "${metric}".`, { field: 'metric' });
  const scope = await resolveScope(deps, filter);
  const where = sql`${condition(metric, scope)} AND ${scopeSql(scope, 'c')}`;
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`SELECT count(*)::int AS n FROM cases c JOIN procedures p ON p.id = c.procedure_id WHERE ${where}`.execute(deps.db),
    sql<{
      code: string; state: CaseState; office_code: string; procedure_code: string; procedure_name: string; term_text: string;
      received_on: string; deadline: string | null; closed_on: string | null; suspended_days: number | null;
    }>`
      SELECT c.code, c.state, o.code AS office_code, p.code AS procedure_code, p.name AS procedure_name, c.term_text,
        c.received_on, c.deadline, c.closed_on, c.suspended_days
      FROM cases c JOIN procedures p ON p.id = c.procedure_id JOIN offices o ON o.id = c.office_id
      WHERE ${where}
      ORDER BY c.received_on, c.code
      LIMIT ${DRILLDOWN_PAGE} OFFSET ${Math.max(0, Math.floor(offset))}`.execute(deps.db),
  ]);
  const dayDiff = daysBetween;
  return {
    metric,
    total: count.rows[0]?.n ?? 0,
    offset,
    cases: rows.rows.map((r) => {
      const gross = r.closed_on ? dayDiff(r.received_on, r.closed_on) : null;
      const lateBase = r.closed_on ?? (r.state !== 'closed' ? scope.today : null);
      const late = r.deadline && lateBase ? dayDiff(r.deadline, lateBase) : null;
      return {
        code: r.code, state: r.state, officeCode: r.office_code, procedureCode: r.procedure_code, procedureName: r.procedure_name,
        termText: r.term_text, receivedOn: r.received_on, deadline: r.deadline, closedOn: r.closed_on, grossDays: gross,
        netDays: gross !== null && r.suspended_days !== null ? gross - r.suspended_days : null,
        suspendedDays: r.closed_on ? r.suspended_days : null,
        daysLate: late !== null && late > 0 ? late : null,
      };
    }),
  };
}
