/**
 * The procedure-times report (art. 1 c.28 L. 190/2012; DOMAIN.md "Measuring times"): every figure is an SQL
 * aggregate over cases and case_suspensions (migration 0005), grouped per procedure, per office and in total
 * with GROUPING SETS, so the cost does not depend on loading cases into memory.
 */
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { parseIsoDate } from '../../domain/deadline/index.ts';
import type { IsoDate, SuspensionKind } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  DURATION_BUCKETS, OPEN_BUCKETS, durationBucketLabel, emptyFigures, monthsOf, percent, present,
} from '../../domain/reports/statistics.ts';
import type { GroupFigures, OpenBucket, PresentedFigures } from '../../domain/reports/statistics.ts';
import { deriveMissingFigures } from './figures.ts';

export interface ReportFilter {
  from: IsoDate;
  to: IsoDate;
  /** the viewer's office; null: every office (administrators, the public page) */
  scopeOfficeId: string | null;
  officeCode?: string | undefined;
  procedureCode?: string | undefined;
}

export interface ReportDeps {
  db: Db;
  clock: { today(): IsoDate };
}

export interface ProcedureLine {
  officeCode: string;
  officeName: string;
  procedureCode: string;
  procedureName: string;
  termText: string;
  silenzioAssenso: boolean;
  figures: PresentedFigures;
}

export interface OfficeLine {
  officeCode: string;
  officeName: string;
  figures: PresentedFigures;
}

export interface MonthLine {
  month: string;
  closed: number;
  closedOnTime: number;
  onTimeShare: number | null;
}

export interface TimesReport {
  from: IsoDate;
  to: IsoDate;
  today: IsoDate;
  procedures: ProcedureLine[];
  offices: OfficeLine[];
  total: PresentedFigures;
  /** on-time share by month of closing */
  monthly: MonthLine[];
  /** closed cases by net duration (DURATION_BUCKETS) */
  durations: { bucket: number; label: string; count: number }[];
  /** open cases today by days to the deadline */
  openByDeadline: { bucket: OpenBucket; count: number }[];
}

/** Resolved filter: ids for the SQL, checked against the viewer's scope. */
export interface Scope {
  from: IsoDate;
  to: IsoDate;
  today: IsoDate;
  officeId: string | null;
  procedureId: string | null;
}

const MAX_PERIOD_DAYS = 366 * 5;

export async function resolveScope(deps: ReportDeps, filter: ReportFilter): Promise<Scope> {
  const from = parseIsoDate(filter.from);
  const to = parseIsoDate(filter.to);
  if (from > to) throw new DomainError('invalid-input', 'Il periodo non è valido: la data iniziale segue quella finale.', { field: 'from' });
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PERIOD_DAYS) {
    throw new DomainError('invalid-input', 'Il periodo può coprire al massimo cinque anni.', { field: 'from' });
  }
  let officeId = filter.scopeOfficeId;
  if (filter.officeCode) {
    const office = await deps.db.selectFrom('offices').select('id').where('code', '=', filter.officeCode).executeTakeFirst();
    if (!office || (officeId !== null && office.id !== officeId)) throw new DomainError('not-found', `Ufficio "${filter.officeCode}" non trovato.`);
    officeId = office.id;
  }
  let procedureId: string | null = null;
  if (filter.procedureCode) {
    let query = deps.db.selectFrom('procedures').select(['id', 'office_id']).where('code', '=', filter.procedureCode);
    if (officeId) query = query.where('office_id', '=', officeId);
    const procedure = await query.executeTakeFirst();
    if (!procedure) throw new DomainError('not-found', `Procedimento "${filter.procedureCode}" non trovato.`);
    procedureId = procedure.id;
  }
  return { from, to, today: deps.clock.today(), officeId, procedureId };
}

/** WHERE conditions of the scope on a table with office_id and procedure_id. */
export function scopeSql(scope: Scope, alias: string): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (scope.officeId) parts.push(sql`${sql.ref(`${alias}.office_id`)} = ${scope.officeId}::uuid`);
  if (scope.procedureId) parts.push(sql`${sql.ref(`${alias}.procedure_id`)} = ${scope.procedureId}::uuid`);
  return sql.join(parts, sql` AND `);
}

const GROUPS = (alias: string) =>
  sql`GROUPING SETS ((${sql.ref(`${alias}.office_id`)}, ${sql.ref(`${alias}.procedure_id`)}), (${sql.ref(`${alias}.office_id`)}), ())`;

interface Keyed {
  office_id: string | null;
  procedure_id: string | null;
  /** GROUPING(office_id, procedure_id): 0 procedure, 1 office, 3 total */
  level: number;
}

const keyOf = (row: Keyed): string => (row.level === 3 ? 'total' : row.level === 1 ? `office:${row.office_id}` : `procedure:${row.procedure_id}`);

/** The figures of every procedure, office and the total, keyed 'procedure:<id>', 'office:<id>', 'total'. */
export async function groupFigures(db: Db, scope: Scope): Promise<Map<string, GroupFigures>> {
  const { from, to, today } = scope;
  const [closed, started, open, overdue, silence, suspensions] = await Promise.all([
    sql<Keyed & {
      closed: number; on_time: number; gross_sum: number; net_sum: number; gross_median: number | null; net_median: number | null; longest_delay: number | null;
    }>`
      SELECT c.office_id, c.procedure_id, GROUPING(c.office_id, c.procedure_id)::int AS level,
        count(*)::int AS closed,
        (count(*) FILTER (WHERE c.closed_on <= c.deadline))::int AS on_time,
        coalesce(sum(c.closed_on - c.received_on), 0)::int8 AS gross_sum,
        coalesce(sum(c.closed_on - c.received_on - c.suspended_days), 0)::int8 AS net_sum,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_on - c.received_on) AS gross_median,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY c.closed_on - c.received_on - c.suspended_days) AS net_median,
        max(c.closed_on - c.deadline) FILTER (WHERE c.closed_on > c.deadline) AS longest_delay
      FROM cases c
      WHERE c.closed_on IS NOT NULL AND c.closed_on BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope, 'c')}
      GROUP BY ${GROUPS('c')}`.execute(db),
    sql<Keyed & { started: number }>`
      SELECT c.office_id, c.procedure_id, GROUPING(c.office_id, c.procedure_id)::int AS level, count(*)::int AS started
      FROM cases c
      WHERE c.received_on BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope, 'c')}
      GROUP BY ${GROUPS('c')}`.execute(db),
    sql<Keyed & { open: number }>`
      SELECT c.office_id, c.procedure_id, GROUPING(c.office_id, c.procedure_id)::int AS level, count(*)::int AS open
      FROM cases c
      WHERE c.received_on <= ${to}::date AND (c.closed_on IS NULL OR c.closed_on > ${to}::date) AND ${scopeSql(scope, 'c')}
      GROUP BY ${GROUPS('c')}`.execute(db),
    sql<Keyed & { overdue: number; longest: number | null }>`
      SELECT c.office_id, c.procedure_id, GROUPING(c.office_id, c.procedure_id)::int AS level,
        count(*)::int AS overdue, max(${today}::date - c.deadline) AS longest
      FROM cases c
      WHERE c.state <> 'closed' AND c.deadline < ${today}::date AND ${scopeSql(scope, 'c')}
      GROUP BY ${GROUPS('c')}`.execute(db),
    sql<Keyed & { silence: number }>`
      SELECT c.office_id, c.procedure_id, GROUPING(c.office_id, c.procedure_id)::int AS level, count(*)::int AS silence
      FROM cases c JOIN procedures p ON p.id = c.procedure_id
      WHERE p.silenzio_assenso AND c.deadline BETWEEN ${from}::date AND ${to}::date AND c.deadline < ${today}::date
        AND (c.closed_on IS NULL OR c.closed_on > c.deadline) AND ${scopeSql(scope, 'c')}
      GROUP BY ${GROUPS('c')}`.execute(db),
    sql<Keyed & { kind: SuspensionKind; count: number; days: number }>`
      SELECT s.office_id, s.procedure_id, GROUPING(s.office_id, s.procedure_id)::int AS level, s.kind,
        count(*)::int AS count, sum(coalesce(s.days, greatest(0, ${today}::date - s.from_on)))::int8 AS days
      FROM case_suspensions s
      WHERE s.from_on BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope, 's')}
      GROUP BY GROUPING SETS ((s.office_id, s.procedure_id, s.kind), (s.office_id, s.kind), (s.kind))`.execute(db),
  ]);

  const figures = new Map<string, GroupFigures>();
  const at = (row: Keyed): GroupFigures => {
    const key = keyOf(row);
    let entry = figures.get(key);
    if (!entry) figures.set(key, (entry = emptyFigures()));
    return entry;
  };
  for (const r of closed.rows) {
    if (r.closed === 0) continue; // the () set yields a row even with no case
    Object.assign(at(r), {
      closed: r.closed, closedOnTime: r.on_time, grossDaysSum: r.gross_sum, netDaysSum: r.net_sum,
      grossDaysMedian: r.gross_median, netDaysMedian: r.net_median, longestClosedDelay: r.longest_delay,
    });
  }
  for (const r of started.rows) if (r.started > 0) at(r).started = r.started;
  for (const r of open.rows) if (r.open > 0) at(r).openAtEnd = r.open;
  for (const r of overdue.rows) {
    if (r.overdue > 0) Object.assign(at(r), { overdueOpen: r.overdue, longestOpenDelay: r.longest });
  }
  for (const r of silence.rows) if (r.silence > 0) at(r).silenzioAssenso = r.silence;
  for (const r of suspensions.rows) {
    // GROUPING over (office_id, procedure_id) only: the kind is in every set
    at(r).suspensions[r.kind] = { count: r.count, days: r.days };
  }
  return figures;
}

/** The whole report for a period: per procedure, per office, total, and the three charts' data. */
export async function timesReport(deps: ReportDeps, filter: ReportFilter): Promise<TimesReport> {
  await deriveMissingFigures(deps.db);
  const scope = await resolveScope(deps, filter);
  const { db } = deps;
  const [figures, procedures, monthly, durations, openBuckets] = await Promise.all([
    groupFigures(db, scope),
    proceduresOf(db, scope),
    sql<{ month: string; closed: number; on_time: number }>`
      SELECT to_char(c.closed_on, 'YYYY-MM') AS month, count(*)::int AS closed,
        (count(*) FILTER (WHERE c.closed_on <= c.deadline))::int AS on_time
      FROM cases c
      WHERE c.closed_on IS NOT NULL AND c.closed_on BETWEEN ${scope.from}::date AND ${scope.to}::date AND ${scopeSql(scope, 'c')}
      GROUP BY 1`.execute(db),
    sql<{ bucket: number; count: number }>`
      SELECT ${durationBucketSql(sql`c.closed_on - c.received_on - c.suspended_days`)} AS bucket, count(*)::int AS count
      FROM cases c
      WHERE c.closed_on IS NOT NULL AND c.closed_on BETWEEN ${scope.from}::date AND ${scope.to}::date AND ${scopeSql(scope, 'c')}
      GROUP BY 1`.execute(db),
    sql<{ bucket: OpenBucket; count: number }>`
      SELECT CASE
          WHEN c.deadline IS NULL THEN 'unknown'
          WHEN c.deadline - ${scope.today}::date < -30 THEN 'overdue-over-30'
          WHEN c.deadline - ${scope.today}::date < 0 THEN 'overdue'
          WHEN c.deadline - ${scope.today}::date <= 7 THEN 'due-7'
          WHEN c.deadline - ${scope.today}::date <= 30 THEN 'due-30'
          ELSE 'later' END AS bucket,
        count(*)::int AS count
      FROM cases c
      WHERE c.state <> 'closed' AND ${scopeSql(scope, 'c')}
      GROUP BY 1`.execute(db),
  ]);
  const figuresOf = (key: string) => present(figures.get(key) ?? emptyFigures());
  const offices = new Map<string, OfficeLine>();
  for (const p of procedures) {
    if (!offices.has(p.office_id)) offices.set(p.office_id, { officeCode: p.office_code, officeName: p.office_name, figures: figuresOf(`office:${p.office_id}`) });
  }
  const byMonth = new Map(monthly.rows.map((r) => [r.month, r]));
  const byDuration = new Map(durations.rows.map((r) => [r.bucket, r.count]));
  const byOpen = new Map(openBuckets.rows.map((r) => [r.bucket, r.count]));
  return {
    from: scope.from,
    to: scope.to,
    today: scope.today,
    procedures: procedures.map((p) => ({
      officeCode: p.office_code, officeName: p.office_name, procedureCode: p.code, procedureName: p.name, termText: p.term_text,
      silenzioAssenso: p.silenzio_assenso, figures: figuresOf(`procedure:${p.id}`),
    })),
    offices: [...offices.values()],
    total: figuresOf('total'),
    monthly: monthsOf(scope.from, scope.to).map((month) => {
      const row = byMonth.get(month);
      const closedCount = row?.closed ?? 0;
      const onTime = row?.on_time ?? 0;
      return { month, closed: closedCount, closedOnTime: onTime, onTimeShare: percent(onTime, closedCount) };
    }),
    durations: DURATION_BUCKETS.map((_, bucket) => ({ bucket, label: durationBucketLabel(bucket), count: byDuration.get(bucket) ?? 0 })),
    openByDeadline: OPEN_BUCKETS.map((bucket) => ({ bucket, count: byOpen.get(bucket) ?? 0 })),
  };
}

/** CASE expression mapping a number of days to its DURATION_BUCKETS index, from the same bounds as the domain. */
export function durationBucketSql(days: RawBuilder<unknown>): RawBuilder<number> {
  const whens = DURATION_BUCKETS.flatMap((max, index) => (max === null ? [] : [sql`WHEN ${days} <= ${sql.lit(max)} THEN ${sql.lit(index)}`]));
  return sql<number>`CASE ${sql.join(whens, sql` `)} ELSE ${sql.lit(DURATION_BUCKETS.length - 1)} END`;
}

/** The procedures with a numeric term in scope, in office and code order: a row each, even without cases. */
async function proceduresOf(db: Db, scope: Scope) {
  let query = db
    .selectFrom('procedures')
    .innerJoin('offices', 'offices.id', 'procedures.office_id')
    .select([
      'procedures.id', 'procedures.code', 'procedures.name', 'procedures.term_text', 'procedures.silenzio_assenso', 'procedures.office_id',
      'offices.code as office_code', 'offices.name as office_name',
    ])
    .where('procedures.term_amount', 'is not', null);
  if (scope.officeId) query = query.where('procedures.office_id', '=', scope.officeId);
  if (scope.procedureId) query = query.where('procedures.id', '=', scope.procedureId);
  return query.orderBy('offices.code').orderBy('procedures.code').execute();
}
