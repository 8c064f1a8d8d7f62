/**
 * Satisfaction results (seed section 10; DOMAIN.md "Access, privacy, satisfaction"): per office, the distribution
 * of the 1-5 answers and their averages, only for groups of at least MIN_GROUP answers; comments listed with no
 * time, no case and in the answers' random-id order, so that nothing links them back to a case.
 * The answers carry the office and the month only (migration 0003): there is no per-procedure breakdown.
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { QUESTIONS } from '../../domain/portal/questionnaire.ts';
import type { Question } from '../../domain/portal/questionnaire.ts';
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
  officeCode: string | null;
  officeName: string | null;
  answers: number;
  /** false: fewer than MIN_GROUP answers, nothing else is shown */
  shown: boolean;
  questions: Record<Question, QuestionResult> | null;
  comments: string[];
}

export interface SatisfactionReport {
  fromMonth: string;
  toMonth: string;
  offices: SatisfactionGroup[];
  total: SatisfactionGroup;
}

export async function satisfactionReport(db: Db, filter: SatisfactionFilter): Promise<SatisfactionReport> {
  const scope = filter.scopeOfficeId ? sql`a.office_id = ${filter.scopeOfficeId}::uuid` : sql`true`;
  const period = sql`a.month BETWEEN ${`${filter.fromMonth}-01`}::date AND ${`${filter.toMonth}-01`}::date`;
  const counts = QUESTIONS.flatMap((q) =>
    [1, 2, 3, 4, 5].map((v) => sql`(count(*) FILTER (WHERE ${sql.ref(`a.${q}`)} = ${sql.lit(v)}))::int AS ${sql.ref(`${q}_${v}`)}`),
  );
  const sums = QUESTIONS.map((q) => sql`sum(${sql.ref(`a.${q}`)})::int8 AS ${sql.ref(`${q}_sum`)}`);
  const [groups, comments, offices] = await Promise.all([
    sql<Record<string, number> & { office_id: string | null; level: number; answers: number }>`
      SELECT a.office_id, GROUPING(a.office_id)::int AS level, count(*)::int AS answers, ${sql.join([...counts, ...sums])}
      FROM questionnaire_answers a
      WHERE ${period} AND ${scope}
      GROUP BY GROUPING SETS ((a.office_id), ())`.execute(db),
    sql<{ office_id: string | null; comment: string }>`
      SELECT a.office_id, a.comment FROM questionnaire_answers a
      WHERE ${period} AND ${scope} AND a.comment <> ''
      ORDER BY a.id`.execute(db),
    db.selectFrom('offices').select(['id', 'code', 'name']).orderBy('code').execute(),
  ]);
  const group = (row: (typeof groups.rows)[number] | undefined, office: { code: string; name: string } | null, officeId: string | null | 'all'): SatisfactionGroup => {
    const answers = row?.answers ?? 0;
    const shown = publishable(answers);
    const questions = shown && row
      ? (Object.fromEntries(QUESTIONS.map((q) => [q, {
          distribution: [1, 2, 3, 4, 5].map((v) => row[`${q}_${v}`] ?? 0) as QuestionResult['distribution'],
          average: mean(row[`${q}_sum`] ?? 0, answers),
        }])) as Record<Question, QuestionResult>)
      : null;
    return {
      officeCode: office?.code ?? null,
      officeName: office?.name ?? null,
      answers,
      shown,
      questions,
      comments: shown ? comments.rows.filter((c) => officeId === 'all' || c.office_id === officeId).map((c) => c.comment) : [],
    };
  };
  const byOffice = new Map(groups.rows.filter((r) => r.level === 0).map((r) => [r.office_id, r]));
  const visibleOffices = offices.filter((o) => filter.scopeOfficeId === null || o.id === filter.scopeOfficeId);
  return {
    fromMonth: filter.fromMonth,
    toMonth: filter.toMonth,
    offices: visibleOffices.map((o) => group(byOffice.get(o.id), o, o.id)),
    total: group(groups.rows.find((r) => r.level === 1), null, 'all'),
  };
}
