/**
 * The report counters of migration 0009 against a count made afresh over the cases and their suspensions
 * (the views case_report_counts_expected and suspension_report_counts_expected). Triggers keep them right;
 * what could still put them wrong is outside the application: a hand edit, a restore with triggers disabled.
 * `pratica report-counts` checks them, and with --repair counts them again.
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { inTransaction } from '../transaction.ts';

export interface CounterCheck {
  /** counters in use (not fallen to zero) */
  caseCounters: number;
  suspensionCounters: number;
  /** counters that differ from the count made afresh */
  differences: number;
  /** a few of them, as 'measure day office procedure days: kept N, counted M' */
  examples: string[];
}

const EXAMPLES = 10;

/** In one snapshot, so that writers running meanwhile cannot show as differences. */
export async function checkReportCounters(db: Db): Promise<CounterCheck> {
  return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const sizes = await sql<{ cases: number; suspensions: number }>`
      SELECT (SELECT count(*) FROM case_report_counts WHERE cases <> 0)::int AS cases,
        (SELECT count(*) FROM suspension_report_counts WHERE suspensions <> 0 OR days <> 0)::int AS suspensions`.execute(trx);
    const differences = await sql<{ difference: string; total: number }>`
      SELECT d.difference, count(*) OVER ()::int AS total FROM (
        SELECT concat_ws(' ', coalesce(k.measure, e.measure), coalesce(k.on_day, e.on_day), coalesce(k.office_id, e.office_id),
            coalesce(k.procedure_id, e.procedure_id), coalesce(k.days, e.days))
          || ': kept ' || coalesce(k.cases, 0) || ', counted ' || coalesce(e.cases, 0) AS difference
        FROM (SELECT * FROM case_report_counts WHERE cases <> 0) AS k
          FULL JOIN case_report_counts_expected AS e
            ON k.measure = e.measure AND coalesce(k.on_day, 'infinity') = coalesce(e.on_day, 'infinity')
              AND k.office_id = e.office_id AND k.procedure_id = e.procedure_id AND k.days = e.days
        WHERE k.cases IS DISTINCT FROM e.cases
        UNION ALL
        SELECT concat_ws(' ', coalesce(k.kind, e.kind), coalesce(k.from_on, e.from_on), coalesce(k.office_id, e.office_id),
            coalesce(k.procedure_id, e.procedure_id))
          || ': kept ' || coalesce(k.suspensions, 0) || ' (' || coalesce(k.days, 0) || ' days), counted '
          || coalesce(e.suspensions, 0) || ' (' || coalesce(e.days, 0) || ' days)'
        FROM (SELECT * FROM suspension_report_counts WHERE suspensions <> 0 OR days <> 0) AS k
          FULL JOIN suspension_report_counts_expected AS e
            ON k.kind = e.kind AND k.from_on = e.from_on AND k.office_id = e.office_id AND k.procedure_id = e.procedure_id
        WHERE (k.suspensions, k.days) IS DISTINCT FROM (e.suspensions, e.days)
      ) AS d
      ORDER BY 1 LIMIT ${EXAMPLES}`.execute(trx);
    return {
      caseCounters: sizes.rows[0]!.cases,
      suspensionCounters: sizes.rows[0]!.suspensions,
      differences: differences.rows[0]?.total ?? 0,
      examples: differences.rows.map((r) => r.difference),
    };
  });
}

/**
 * Counts every counter again. Writers wait meanwhile (their triggers need the counters), so that none of their
 * changes is counted twice or lost; readers do not.
 */
export async function repairReportCounters(db: Db, actor: Actor): Promise<void> {
  await inTransaction(db, async (trx) => {
    // the counters are kept in shards (migration 0025); counted again, each goes into one
    await sql`LOCK TABLE case_report_count_shards, suspension_report_count_shards IN EXCLUSIVE MODE`.execute(trx);
    await sql`DELETE FROM case_report_count_shards`.execute(trx);
    await sql`INSERT INTO case_report_count_shards (measure, on_day, office_id, procedure_id, days, cases)
      SELECT measure, on_day, office_id, procedure_id, days, cases FROM case_report_counts_expected`.execute(trx);
    await sql`DELETE FROM suspension_report_count_shards`.execute(trx);
    await sql`INSERT INTO suspension_report_count_shards (kind, from_on, office_id, procedure_id, suspensions, days)
      SELECT kind, from_on, office_id, procedure_id, suspensions, days FROM suspension_report_counts_expected`.execute(trx);
    await audit(trx, actor, { action: 'report-counts.repair', entity: 'report-counts', entityId: 'all', officeId: null });
  });
}
