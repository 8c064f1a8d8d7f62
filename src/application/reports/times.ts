/**
 * The procedure-times report (art. 1 c.28 L. 190/2012; docs/domain.md "Measuring times"): every figure is an SQL sum
 * over the counters of migration 0009 (cases by fact, day or month, and number of days; ended suspensions by
 * kind and day), grouped per procedure, per office and in total with GROUPING SETS. The days of a partial month
 * at the ends of the period, and the suspensions still open, are read from cases and case_suspensions. Medians
 * come from the counts of each number of days, so they are exact. The cost depends on the procedures and the
 * months, not on the number of cases.
 */
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { parseIsoDate } from '../../domain/deadline/index.ts';
import type { IsoDate, SuspensionKind } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import {
  DURATION_BUCKETS, OPEN_BUCKETS, durationBucket, durationBucketLabel, emptyFigures, medianOfCounts, monthsOf, percent, periodByMonths, present,
} from '../../domain/reports/statistics.ts';
import type { GroupFigures, OpenBucket, PresentedFigures } from '../../domain/reports/statistics.ts';
import { addRemedyCase, emptyRemedyFigures, type RemedyFigures } from '../../domain/reports/remedies.ts';
import { substituteOutcome } from '../../domain/deadline/index.ts';
import { loadCalendar } from '../calendar.ts';
import { caseRemediesOf, toDomainEvent } from '../cases.ts';
import type { CaseEvent } from '../../domain/case/decide.ts';

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
  remedies: RemedyFigures;
}

export interface OfficeLine {
  officeCode: string;
  officeName: string;
  figures: PresentedFigures;
  remedies: RemedyFigures;
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
  totalRemedies: RemedyFigures;
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

/**
 * The closed cases of the period as counted facts (migration 0009): measure, month of closing and number of
 * days, with the number of cases. Whole months come from the counters; the days at the ends of the period
 * from the cases themselves, through the same case_report_facts.
 */
function closedFacts(scope: Scope): RawBuilder<unknown> {
  const { wholeMonths, partial } = periodByMonths(scope.from, scope.to);
  const parts: RawBuilder<unknown>[] = [];
  if (wholeMonths) {
    parts.push(sql`
      SELECT r.office_id, r.procedure_id, r.measure, r.on_day AS month, r.days, r.cases
      FROM case_report_counts r
      WHERE r.measure IN ${CLOSED_MEASURES} AND r.on_day BETWEEN ${wholeMonths.first}::date AND ${wholeMonths.last}::date
        AND r.cases <> 0 AND ${scopeSql(scope, 'r')}`);
  }
  if (partial.length > 0) {
    const days = sql.join(partial.map((range) => sql`c.closed_on BETWEEN ${range.from}::date AND ${range.to}::date`), sql` OR `);
    // the state only makes the 'open' fact: without it, the index on closed_on holds every column read
    parts.push(sql`
      SELECT c.office_id, c.procedure_id, f.measure, f.on_day AS month, f.days, count(*)::int AS cases
      FROM cases c CROSS JOIN LATERAL case_report_facts(NULL, c.received_on, c.closed_on, c.deadline, c.suspended_days) AS f
      WHERE c.closed_on IS NOT NULL AND (${days}) AND f.measure IN ${CLOSED_MEASURES} AND ${scopeSql(scope, 'c')}
      GROUP BY 1, 2, 3, 4, 5`);
  }
  return sql.join(parts, sql` UNION ALL `);
}

const CLOSED_MEASURES = sql`('gross', 'net', 'on-time', 'late')`;

type ClosedMeasure = 'gross' | 'net' | 'on-time' | 'late';

export interface PeriodFigures {
  /** the figures of every procedure, office and the total, keyed 'procedure:<id>', 'office:<id>', 'total' */
  figures: Map<string, GroupFigures>;
  /** all groups together: the cases closed in the period by number of net days, and by month ('YYYY-MM') */
  netDays: Map<number, number>;
  byMonth: Map<string, { closed: number; onTime: number }>;
}

/** The figures of the period for each procedure, each office and in total, with the closed cases' charts. */
export async function groupFigures(db: Db, scope: Scope): Promise<PeriodFigures> {
  const { from, to, today } = scope;
  const [closed, counted, suspensions] = await Promise.all([
    // the fourth set counts the closed cases of all groups by month, for the on-time chart
    sql<Keyed & { month: string | null; measure: ClosedMeasure; days: number; cases: number }>`
      SELECT f.office_id, f.procedure_id, GROUPING(f.office_id, f.procedure_id)::int AS level,
        to_char(f.month, 'YYYY-MM') AS month, f.measure, f.days, sum(f.cases)::int AS cases
      FROM (${closedFacts(scope)}) AS f
      GROUP BY GROUPING SETS ((f.office_id, f.procedure_id, f.measure, f.days), (f.office_id, f.measure, f.days), (f.measure, f.days), (f.month, f.measure))
      HAVING sum(f.cases) <> 0`.execute(db),
    sql<Keyed & { started: number; open: number; overdue: number; longest: number | null; silence: number }>`
      SELECT r.office_id, r.procedure_id, GROUPING(r.office_id, r.procedure_id)::int AS level,
        coalesce(sum(r.cases) FILTER (WHERE r.measure = 'received' AND r.on_day >= ${from}::date), 0)::int AS started,
        coalesce(sum(r.cases) FILTER (WHERE r.measure = 'received'), 0)::int - coalesce(sum(r.cases) FILTER (WHERE r.measure = 'closed'), 0)::int AS open,
        coalesce(sum(r.cases) FILTER (WHERE r.measure = 'open' AND r.on_day < ${today}::date), 0)::int AS overdue,
        ${today}::date - min(r.on_day) FILTER (WHERE r.measure = 'open' AND r.on_day < ${today}::date AND r.cases > 0) AS longest,
        coalesce(sum(r.cases) FILTER (WHERE r.measure = 'silenzio-missed'
          AND r.on_day >= ${from}::date AND r.on_day < ${today}::date), 0)::int AS silence
      FROM case_report_counts r
      WHERE (r.measure IN ('received', 'closed', 'silenzio-missed') AND r.on_day <= ${to}::date OR r.measure = 'open')
        AND ${scopeSql(scope, 'r')}
      GROUP BY ${GROUPS('r')}`.execute(db),
    sql<Keyed & { kind: SuspensionKind; count: number; days: number }>`
      SELECT s.office_id, s.procedure_id, GROUPING(s.office_id, s.procedure_id)::int AS level, s.kind,
        sum(s.suspensions)::int AS count, sum(s.days)::int8 AS days
      FROM (
        SELECT n.office_id, n.procedure_id, n.kind, n.suspensions, n.days
        FROM suspension_report_counts n
        WHERE n.from_on BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope, 'n')}
        UNION ALL
        SELECT o.office_id, o.procedure_id, o.kind, 1, greatest(0, ${today}::date - o.from_on)
        FROM case_suspensions o
        WHERE o.days IS NULL AND o.from_on BETWEEN ${from}::date AND ${to}::date AND ${scopeSql(scope, 'o')}
      ) AS s
      GROUP BY GROUPING SETS ((s.office_id, s.procedure_id, s.kind), (s.office_id, s.kind), (s.kind))
      HAVING sum(s.suspensions) <> 0`.execute(db),
  ]);

  const figures = new Map<string, GroupFigures>();
  const at = (row: Keyed): GroupFigures => {
    const key = keyOf(row);
    let entry = figures.get(key);
    if (!entry) figures.set(key, (entry = emptyFigures()));
    return entry;
  };
  const histograms = new Map<string, { gross: Map<number, number>; net: Map<number, number> }>();
  const byMonth = new Map<string, { closed: number; onTime: number }>();
  for (const r of closed.rows) {
    if (r.month !== null) {
      const month = byMonth.get(r.month) ?? { closed: 0, onTime: 0 };
      if (r.measure === 'gross') month.closed = r.cases;
      if (r.measure === 'on-time') month.onTime = r.cases;
      byMonth.set(r.month, month);
      continue;
    }
    const f = at(r);
    if (r.measure === 'gross' || r.measure === 'net') {
      const key = keyOf(r);
      let pair = histograms.get(key);
      if (!pair) histograms.set(key, (pair = { gross: new Map(), net: new Map() }));
      pair[r.measure].set(r.days, r.cases);
      if (r.measure === 'gross') {
        f.closed += r.cases;
        f.grossDaysSum += r.days * r.cases;
      } else {
        f.netDaysSum += r.days * r.cases;
      }
    } else if (r.measure === 'on-time') {
      f.closedOnTime += r.cases;
    } else {
      f.longestClosedDelay = Math.max(f.longestClosedDelay ?? r.days, r.days);
    }
  }
  for (const [key, pair] of histograms) {
    Object.assign(figures.get(key)!, { grossDaysMedian: medianOfCounts(pair.gross), netDaysMedian: medianOfCounts(pair.net) });
  }
  for (const r of counted.rows) {
    if (r.started === 0 && r.open === 0 && r.overdue === 0 && r.silence === 0) continue;
    Object.assign(at(r), { started: r.started, openAtEnd: r.open, overdueOpen: r.overdue, longestOpenDelay: r.longest, silenzioAssenso: r.silence });
  }
  for (const r of suspensions.rows) {
    // GROUPING over (office_id, procedure_id) only: the kind is in every set
    at(r).suspensions[r.kind] = { count: r.count, days: r.days };
  }
  return { figures, netDays: histograms.get('total')?.net ?? new Map(), byMonth };
}

/** The whole report for a period: per procedure, per office, total, and the three charts' data. */
export async function timesReport(deps: ReportDeps, filter: ReportFilter): Promise<TimesReport> {
  const scope = await resolveScope(deps, filter);
  const { db } = deps;
  const [{ figures, netDays, byMonth }, remedies, procedures, openBuckets] = await Promise.all([
    groupFigures(db, scope),
    remedyFigures(db, scope),
    proceduresOf(db, scope),
    sql<{ bucket: OpenBucket; count: number }>`
      SELECT CASE
          WHEN r.on_day IS NULL THEN 'unknown'
          WHEN r.on_day - ${scope.today}::date < -30 THEN 'overdue-over-30'
          WHEN r.on_day - ${scope.today}::date < 0 THEN 'overdue'
          WHEN r.on_day - ${scope.today}::date <= 7 THEN 'due-7'
          WHEN r.on_day - ${scope.today}::date <= 30 THEN 'due-30'
          ELSE 'later' END AS bucket,
        sum(r.cases)::int AS count
      FROM case_report_counts r
      WHERE r.measure = 'open' AND ${scopeSql(scope, 'r')}
      GROUP BY 1`.execute(db),
  ]);
  const figuresOf = (key: string) => present(figures.get(key) ?? emptyFigures());
  const remediesOf = (key: string) => remedies.get(key) ?? emptyRemedyFigures();
  const offices = new Map<string, OfficeLine>();
  for (const p of procedures) {
    if (!offices.has(p.office_id)) {
      offices.set(p.office_id, { officeCode: p.office_code, officeName: p.office_name, figures: figuresOf(`office:${p.office_id}`), remedies: remediesOf(`office:${p.office_id}`) });
    }
  }
  const byDuration = new Map<number, number>();
  for (const [days, count] of netDays) byDuration.set(durationBucket(days), (byDuration.get(durationBucket(days)) ?? 0) + count);
  const byOpen = new Map(openBuckets.rows.map((r) => [r.bucket, r.count]));
  return {
    from: scope.from,
    to: scope.to,
    today: scope.today,
    procedures: procedures.map((p) => ({
      officeCode: p.office_code, officeName: p.office_name, procedureCode: p.code, procedureName: p.name, termText: p.term_text,
      silenzioAssenso: p.silenzio_assenso, figures: figuresOf(`procedure:${p.id}`), remedies: remediesOf(`procedure:${p.id}`),
    })),
    offices: [...offices.values()],
    total: figuresOf('total'),
    totalRemedies: remediesOf('total'),
    monthly: monthsOf(scope.from, scope.to).map((month) => {
      const row = byMonth.get(month);
      const closedCount = row?.closed ?? 0;
      const onTime = row?.onTime ?? 0;
      return { month, closed: closedCount, closedOnTime: onTime, onTimeShare: percent(onTime, closedCount) };
    }),
    durations: DURATION_BUCKETS.map((_, bucket) => ({ bucket, label: durationBucketLabel(bucket), count: byDuration.get(bucket) ?? 0 })),
    openByDeadline: OPEN_BUCKETS.map((bucket) => ({ bucket, count: byOpen.get(bucket) ?? 0 })),
  };
}

/**
 * The requests to the substitute dated within the period, per procedure, per office and in total, each with its
 * outcome and the indemnity of its case, accrued and paid. Read case by case, since each needs the deadline
 * engine; only cases whose applicant turned to the substitute are read, a small share of the late ones.
 */
async function remedyFigures(db: Db, scope: Scope): Promise<Map<string, RemedyFigures>> {
  let query = db
    .selectFrom('cases')
    .innerJoin('case_events', 'case_events.case_id', 'cases.id')
    .select([
      'cases.id', 'cases.office_id', 'cases.procedure_id', 'cases.received_on', 'cases.term_text', 'cases.term_amount', 'cases.term_unit',
      'cases.saturday_working', 'cases.saturday_moves_deadline', 'cases.silenzio_assenso', 'cases.business_activity',
    ])
    .where('case_events.type', '=', 'substitute-request')
    .where('case_events.effective_on', '>=', scope.from)
    .where('case_events.effective_on', '<=', scope.to);
  if (scope.officeId) query = query.where('cases.office_id', '=', scope.officeId);
  if (scope.procedureId) query = query.where('cases.procedure_id', '=', scope.procedureId);
  const cases = await query.execute();
  const result = new Map<string, RemedyFigures>();
  if (cases.length === 0) return result;
  const ids = cases.map((c) => c.id);
  const [eventRows, payments, calendar] = await Promise.all([
    db.selectFrom('case_events').selectAll().where('case_id', 'in', ids).orderBy('case_id').orderBy('seq').execute(),
    db.selectFrom('indemnity_payments').select(['case_id', (eb) => eb.fn.sum<number>('amount_cents').as('cents')]).where('case_id', 'in', ids).groupBy('case_id').execute(),
    loadCalendar(db),
  ]);
  const paid = new Map(payments.map((p) => [p.case_id, Number(p.cents)]));
  const eventsOf = new Map<string, CaseEvent[]>();
  for (const e of eventRows) {
    let list = eventsOf.get(e.case_id);
    if (!list) eventsOf.set(e.case_id, (list = []));
    list.push(toDomainEvent(e));
  }
  for (const c of cases) {
    const events = eventsOf.get(c.id) ?? [];
    const { remedies } = caseRemediesOf(c, events, calendar, scope.today);
    const decision = events.find((e) => e.type === 'close')?.effectiveOn;
    // a deadline made unknown again by a later open suspension leaves the substitute's term open: pending
    const outcome = remedies.substituteDeadline !== null ? substituteOutcome(remedies.substituteDeadline, decision, scope.today) : 'pending';
    const one = { outcome, indemnityDue: remedies.indemnity.eligible, indemnityEuro: remedies.indemnity.euro, paidCents: paid.get(c.id) ?? 0 };
    for (const key of [`procedure:${c.procedure_id}`, `office:${c.office_id}`, 'total']) {
      let figures = result.get(key);
      if (!figures) result.set(key, (figures = emptyRemedyFigures()));
      addRemedyCase(figures, one);
    }
  }
  return result;
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
