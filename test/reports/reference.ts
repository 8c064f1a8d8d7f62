/**
 * The straightforward in-memory computation the SQL reports are checked against: every case and its events
 * loaded, the deadline engine run on each (with today), and the figures counted with plain loops.
 */
import type { Db } from '../../src/adapters/db/database.ts';
import { loadCalendar } from '../../src/application/calendar.ts';
import { caseDeadline, closingFigures } from '../../src/domain/case/decide.ts';
import type { CaseEvent } from '../../src/domain/case/decide.ts';
import { daysBetween } from '../../src/domain/deadline/index.ts';
import type { SuspensionKind } from '../../src/domain/deadline/index.ts';

export interface CaseFacts {
  officeId: string;
  officeCode: string;
  procedureId: string;
  procedureCode: string;
  silenzioAssenso: boolean;
  receivedOn: string;
  closedOn: string | null;
  deadline: string | null;
  grossDays: number | null;
  netDays: number | null;
  suspensions: { kind: SuspensionKind; from: string; days: number }[];
}

export async function loadFacts(db: Db, today: string): Promise<CaseFacts[]> {
  const calendar = await loadCalendar(db);
  const procedures = new Map((await db.selectFrom('procedures').innerJoin('offices', 'offices.id', 'procedures.office_id')
    .selectAll('procedures').select('offices.code as office_code').execute()).map((p) => [p.id, p]));
  const cases = await db.selectFrom('cases')
    .select(['id', 'office_id', 'procedure_id', 'received_on', 'term_amount', 'term_unit', 'saturday_working', 'saturday_moves_deadline', 'silenzio_assenso'])
    .execute();
  const events = new Map<string, CaseEvent[]>();
  for (const e of await db.selectFrom('case_events').selectAll().orderBy('case_id').orderBy('seq').execute()) {
    const list = events.get(e.case_id) ?? [];
    list.push({ type: e.type, effectiveOn: e.effective_on, reason: e.reason, notes: e.notes, suspensionKind: e.suspension_kind ?? undefined, outcome: e.outcome ?? undefined });
    events.set(e.case_id, list);
  }
  return cases.map((c) => {
    const p = procedures.get(c.procedure_id)!;
    const list = events.get(c.id) ?? [];
    // the case's own term, as at enrolment
    const terms = { term: { amount: c.term_amount, unit: c.term_unit }, saturdayWorking: c.saturday_working, saturdayMovesDeadline: c.saturday_moves_deadline };
    const result = caseDeadline(c.received_on, list, terms, calendar, today);
    const close = list.find((e) => e.type === 'close');
    const closing = close ? closingFigures(c.received_on, close.effectiveOn, result) : null;
    return {
      officeId: c.office_id, officeCode: p.office_code, procedureId: c.procedure_id, procedureCode: p.code, silenzioAssenso: c.silenzio_assenso,
      receivedOn: c.received_on, closedOn: close?.effectiveOn ?? null, deadline: result.deadline,
      grossDays: closing?.grossDays ?? null, netDays: closing?.netDays ?? null,
      suspensions: result.suspensions.map((s) => ({ kind: s.kind, from: s.from, days: s.days })),
    };
  });
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const maxOf = (values: number[]): number | null => (values.length ? Math.max(...values) : null);
const between = (d: string | null, from: string, to: string): boolean => d !== null && d >= from && d <= to;

/** The raw figures of a group of cases (same shape as GroupFigures). */
export function figuresOf(facts: CaseFacts[], from: string, to: string, today: string) {
  const closed = facts.filter((f) => between(f.closedOn, from, to));
  const late = closed.filter((f) => f.closedOn! > f.deadline!);
  const open = facts.filter((f) => f.closedOn === null);
  const overdue = open.filter((f) => f.deadline !== null && f.deadline < today);
  const suspensions = { art2c7: { count: 0, days: 0 }, art10bis: { count: 0, days: 0 }, other: { count: 0, days: 0 }, interruption: { count: 0, days: 0 } };
  for (const f of facts) {
    for (const s of f.suspensions) {
      if (!between(s.from, from, to)) continue;
      suspensions[s.kind].count += 1;
      suspensions[s.kind].days += s.days;
    }
  }
  return {
    started: facts.filter((f) => between(f.receivedOn, from, to)).length,
    closed: closed.length,
    openAtEnd: facts.filter((f) => f.receivedOn <= to && (f.closedOn === null || f.closedOn > to)).length,
    closedOnTime: closed.length - late.length,
    grossDaysSum: closed.reduce((n, f) => n + f.grossDays!, 0),
    netDaysSum: closed.reduce((n, f) => n + f.netDays!, 0),
    grossDaysMedian: medianOf(closed.map((f) => f.grossDays!)),
    netDaysMedian: medianOf(closed.map((f) => f.netDays!)),
    longestClosedDelay: maxOf(late.map((f) => daysBetween(f.deadline!, f.closedOn!))),
    suspensions,
    overdueOpen: overdue.length,
    longestOpenDelay: maxOf(overdue.map((f) => daysBetween(f.deadline!, today))),
    silenzioAssenso: facts.filter((f) => f.silenzioAssenso && between(f.deadline, from, to) && f.deadline! < today && (f.closedOn === null || f.closedOn > f.deadline!)).length,
  };
}

export function monthlyOf(facts: CaseFacts[], from: string, to: string) {
  const months = new Map<string, { closed: number; onTime: number }>();
  for (const f of facts) {
    if (!between(f.closedOn, from, to)) continue;
    const m = f.closedOn!.slice(0, 7);
    const entry = months.get(m) ?? { closed: 0, onTime: 0 };
    entry.closed += 1;
    if (f.closedOn! <= f.deadline!) entry.onTime += 1;
    months.set(m, entry);
  }
  return months;
}

export function durationsOf(facts: CaseFacts[], from: string, to: string): number[] {
  const bounds = [15, 30, 60, 90, 180];
  const counts = [0, 0, 0, 0, 0, 0];
  for (const f of facts) {
    if (!between(f.closedOn, from, to)) continue;
    const i = bounds.findIndex((b) => f.netDays! <= b);
    counts[i === -1 ? 5 : i]! += 1;
  }
  return counts;
}

export function openByDeadlineOf(facts: CaseFacts[], today: string): Record<string, number> {
  const counts: Record<string, number> = { 'overdue-over-30': 0, overdue: 0, 'due-7': 0, 'due-30': 0, later: 0, unknown: 0 };
  for (const f of facts) {
    if (f.closedOn !== null) continue;
    if (f.deadline === null) counts.unknown! += 1;
    else {
      const d = daysBetween(today, f.deadline);
      counts[d < -30 ? 'overdue-over-30' : d < 0 ? 'overdue' : d <= 7 ? 'due-7' : d <= 30 ? 'due-30' : 'later']! += 1;
    }
  }
  return counts;
}
