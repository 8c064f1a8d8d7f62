/**
 * The per-case figures that reports aggregate in SQL (migration 0005): the days the clock was stopped and each
 * suspension with its legal effect, as the deadline engine derives them from the events. Kept in step with the
 * events: recordEvent and the bulk generator store them, from the deadline they compute, in their transaction
 * (figuresOf); cases older than the migration are derived at start-up by deriveMissingFigures (refreshCaseFigures).
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import type { CaseSuspensionTable } from '../../adapters/db/schema.ts';
import { caseDeadline } from '../../domain/case/decide.ts';
import type { CaseEvent } from '../../domain/case/decide.ts';
import type { HolidayCalendar } from '../../domain/deadline/index.ts';
import { loadCalendar } from '../calendar.ts';
import { termsOfCase } from '../case-terms.ts';
import { inTransaction } from '../transaction.ts';

/** What is stored of one case's deadline computation: its suspended days and each suspension's row. */
export function figuresOf(
  c: { id: string; office_id: string; procedure_id: string },
  result: ReturnType<typeof caseDeadline>,
): { suspendedDays: number; suspensions: CaseSuspensionTable[] } {
  return {
    suspendedDays: result.suspendedDays,
    suspensions: result.suspensions.map((s, position) => ({
      case_id: c.id, position, office_id: c.office_id, procedure_id: c.procedure_id, kind: s.kind, from_on: s.from, to_on: s.to,
      legal_end: s.legalEnd ?? null, days: s.to === null ? null : s.days, capped_by_law: s.cappedByLaw ?? false, no_effect: s.noEffect ?? null,
    })),
  };
}

/**
 * Derives and stores the figures of the given cases (any number; done in slices). Computed without "today",
 * so the stored values do not age: an open suspension without a legal end is stored with no end and no days,
 * and the reports count its days up to the day they are asked for.
 */
export async function refreshCaseFigures(db: Db, caseIds: readonly string[], calendar?: HolidayCalendar): Promise<void> {
  if (caseIds.length === 0) return;
  const holidays = calendar ?? (await loadCalendar(db));
  for (let i = 0; i < caseIds.length; i += 1000) {
    const ids = caseIds.slice(i, i + 1000);
    const cases = await db
      .selectFrom('cases')
      .select(['id', 'office_id', 'procedure_id', 'received_on', 'term_amount', 'term_unit', 'saturday_working', 'saturday_moves_deadline'])
      .where('id', 'in', ids)
      .execute();
    const eventRows = await db
      .selectFrom('case_events')
      .select(['case_id', 'type', 'effective_on', 'suspension_kind', 'outcome'])
      .where('case_id', 'in', ids)
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    const eventsOf = new Map<string, CaseEvent[]>();
    for (const e of eventRows) {
      const list = eventsOf.get(e.case_id) ?? [];
      list.push({ type: e.type, effectiveOn: e.effective_on, reason: '', notes: '', suspensionKind: e.suspension_kind ?? undefined, outcome: e.outcome ?? undefined });
      eventsOf.set(e.case_id, list);
    }
    const suspensions: CaseSuspensionTable[] = [];
    const updates: { id: string; days: number }[] = [];
    for (const c of cases) {
      const result = caseDeadline(c.received_on, eventsOf.get(c.id) ?? [], termsOfCase(c), holidays);
      const figures = figuresOf(c, result);
      updates.push({ id: c.id, days: figures.suspendedDays });
      suspensions.push(...figures.suspensions);
    }
    await replaceSuspensions(db, ids, suspensions);
    if (updates.length > 0) {
      // one statement for the slice: UPDATE ... FROM (VALUES ...)
      const values = sql.join(updates.map((u) => sql`(${u.id}::uuid, ${u.days}::int)`));
      await sql`UPDATE cases SET suspended_days = v.days, figures_at = now() FROM (VALUES ${values}) AS v(id, days) WHERE cases.id = v.id`.execute(db);
    }
  }
}

/** The stored suspensions of the given cases replaced by `rows` (their new figures). */
export async function replaceSuspensions(db: Db, caseIds: readonly string[], rows: readonly CaseSuspensionTable[]): Promise<void> {
  await db.deleteFrom('case_suspensions').where('case_id', 'in', caseIds).execute();
  for (let i = 0; i < rows.length; i += 2000) await db.insertInto('case_suspensions').values(rows.slice(i, i + 2000)).execute();
}

/**
 * Cases enrolled before migration 0005 (or written by hand) have no figures: derived once, at start-up and by
 * `pratica migrate`, never by a report's read. Several processes starting together share the work (SKIP LOCKED).
 */
export async function deriveMissingFigures(db: Db): Promise<number> {
  let derived = 0;
  let calendar: HolidayCalendar | undefined;
  for (;;) {
    const slice = await inTransaction(db, async (trx) => {
      const pending = await trx.selectFrom('cases').select('id').where('figures_at', 'is', null).limit(5000).forUpdate().skipLocked().execute();
      if (pending.length === 0) return 0;
      calendar ??= await loadCalendar(trx);
      await refreshCaseFigures(trx, pending.map((p) => p.id), calendar);
      return pending.length;
    });
    if (slice === 0) return derived;
    derived += slice;
  }
}
