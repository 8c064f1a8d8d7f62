/**
 * Satisfaction results (docs/domain.md, the service, 10; "Access, privacy, satisfaction"): per procedure within its office,
 * per office and in total, the distribution of the 1-5 answers and their averages, in one GROUPING SETS query.
 * A group's figures are shown from MIN_GROUP answers, and only if its parent minus the parts shown leaves nothing or
 * a publishable rest (shownParts): no group of 1-4 answers can be worked out by subtraction on the page.
 * Answers given before migration 0008 carry no procedure: they count in their office and in the total only.
 * Comments are listed per office, never per procedure (that would narrow them down to a few cases), when the office
 * has MIN_GROUP answers or more, with no time, no case and in the answers' random-id order.
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { QUESTIONS } from '../../domain/portal/questionnaire.ts';
import type { Question } from '../../domain/portal/questionnaire.ts';
import { shownParts } from '../../domain/reports/disclosure.ts';
import { mean, publishable } from '../../domain/reports/statistics.ts';

export interface SatisfactionFilter {
  /** 'YYYY-MM' */
  fromMonth: string;
  toMonth: string;
  /** the viewer's office; null: every office */
  scopeOfficeId: string | null;
}

export interface QuestionResult {
  /** answers with 1, 2, 3, 4, 5 */
  distribution: [number, number, number, number, number];
  average: number | null;
}

export interface SatisfactionGroup {
  /** null: the total */
  officeCode: string | null;
  officeName: string | null;
  /** null: an office or the total */
  procedureCode: string | null;
  procedureName: string | null;
  answers: number;
  /** false: fewer than MIN_GROUP answers, or withheld so that a smaller group cannot be worked out; nothing else is shown */
  shown: boolean;
  questions: Record<Question, QuestionResult> | null;
  /** offices and total, from MIN_GROUP answers; always empty for a procedure */
  comments: string[];
}

export interface OfficeSatisfaction extends SatisfactionGroup {
  /** the procedures with answers in the period, by code */
  procedures: SatisfactionGroup[];
}

export interface SatisfactionReport {
  fromMonth: string;
  toMonth: string;
  offices: OfficeSatisfaction[];
  total: SatisfactionGroup;
}

type Row = Record<string, number> & { office_id: string | null; procedure_id: string | null; level: number; answers: number };

/** GROUPING(office_id, procedure_id): one row per office and procedure (procedure NULL: before 0008), per office, in total */
const LEVEL = { procedure: 0, office: 1, total: 3 } as const;

function questionsOf(row: Row): Record<Question, QuestionResult> {
  return Object.fromEntries(QUESTIONS.map((q) => [q, {
    distribution: [1, 2, 3, 4, 5].map((v) => row[`${q}_${v}`] ?? 0) as QuestionResult['distribution'],
    average: mean(row[`${q}_sum`] ?? 0, row.answers),
  }])) as Record<Question, QuestionResult>;
}

export async function satisfactionReport(db: Db, filter: SatisfactionFilter): Promise<SatisfactionReport> {
  const scope = filter.scopeOfficeId ? sql`a.office_id = ${filter.scopeOfficeId}::uuid` : sql`true`;
  const period = sql`a.month BETWEEN ${`${filter.fromMonth}-01`}::date AND ${`${filter.toMonth}-01`}::date`;
  const counts = QUESTIONS.flatMap((q) =>
    [1, 2, 3, 4, 5].map((v) => sql`(count(*) FILTER (WHERE ${sql.ref(`a.${q}`)} = ${sql.lit(v)}))::int AS ${sql.ref(`${q}_${v}`)}`),
  );
  const sums = QUESTIONS.map((q) => sql`sum(${sql.ref(`a.${q}`)})::int8 AS ${sql.ref(`${q}_sum`)}`);
  const [groups, comments, offices, procedures] = await Promise.all([
    sql<Row>`
      SELECT a.office_id, a.procedure_id, GROUPING(a.office_id, a.procedure_id)::int AS level, count(*)::int AS answers,
        ${sql.join([...counts, ...sums])}
      FROM questionnaire_answers a
      WHERE ${period} AND ${scope}
      GROUP BY GROUPING SETS ((a.office_id, a.procedure_id), (a.office_id), ())`.execute(db),
    sql<{ office_id: string | null; comment: string }>`
      SELECT a.office_id, a.comment FROM questionnaire_answers a
      WHERE ${period} AND ${scope} AND a.comment <> ''
      ORDER BY a.id`.execute(db),
    db.selectFrom('offices').select(['id', 'code', 'name']).orderBy('code').execute(),
    db.selectFrom('procedures').select(['id', 'code', 'name']).orderBy('code').execute(),
  ]);

  const group = (
    row: Row | undefined, shown: boolean, office: { code: string; name: string } | null, procedure: { code: string; name: string } | null,
    groupComments: string[],
  ): SatisfactionGroup => ({
    officeCode: office?.code ?? null,
    officeName: office?.name ?? null,
    procedureCode: procedure?.code ?? null,
    procedureName: procedure?.name ?? null,
    answers: row?.answers ?? 0,
    shown,
    questions: shown && row ? questionsOf(row) : null,
    comments: publishable(row?.answers ?? 0) ? groupComments : [],
  });

  const totalRow = groups.rows.find((r) => r.level === LEVEL.total);
  const officeRows = new Map(groups.rows.filter((r) => r.level === LEVEL.office).map((r) => [r.office_id, r]));
  const procedureRows = new Map(groups.rows.filter((r) => r.level === LEVEL.procedure && r.procedure_id !== null).map((r) => [`${r.office_id}/${r.procedure_id}`, r]));
  const visibleOffices = offices.filter((o) => filter.scopeOfficeId === null || o.id === filter.scopeOfficeId);
  const totalAnswers = totalRow?.answers ?? 0;
  const officeShown = shownParts(totalAnswers, visibleOffices.map((o) => officeRows.get(o.id)?.answers ?? 0));

  return {
    fromMonth: filter.fromMonth,
    toMonth: filter.toMonth,
    offices: visibleOffices.map((office, i) => {
      const row = officeRows.get(office.id);
      const parts = procedures.flatMap((p) => {
        const partRow = procedureRows.get(`${office.id}/${p.id}`);
        return partRow ? [{ procedure: p, row: partRow }] : [];
      });
      // an office withheld from the total withholds its procedures too: the total minus the offices shown minus
      // that office's procedures could otherwise single out the small rest
      const partShown = officeShown[i] ? shownParts(row?.answers ?? 0, parts.map((p) => p.row.answers)) : parts.map(() => false);
      return {
        ...group(row, officeShown[i]!, office, null, comments.rows.filter((c) => c.office_id === office.id).map((c) => c.comment)),
        procedures: parts.map((p, j) => group(p.row, partShown[j]!, office, p.procedure, [])),
      };
    }),
    total: group(totalRow, publishable(totalAnswers), null, null, comments.rows.map((c) => c.comment)),
  };
}
