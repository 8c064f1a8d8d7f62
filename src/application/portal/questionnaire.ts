/**
 * The anonymous satisfaction questionnaire (seed section 10; DOMAIN.md "Access, privacy, satisfaction").
 * One answer per case without linking the two: the case leaves only a keyed marker, HMAC(secret, case id),
 * in a table of its own with no time; the answer has a random id, the month, the office and the procedure (0008,
 * for the results per procedure), nothing else.
 * Both rows are written in one transaction, so a marker never exists without its answer or the reverse.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DomainError } from '../../domain/errors.ts';
import { MIN_GROUP, answerMonth, validateAnswer } from '../../domain/portal/questionnaire.ts';
import type { QuestionnaireInput } from '../../domain/portal/questionnaire.ts';
import type { PortalDeps } from './sign-in.ts';
import { inTransaction } from '../transaction.ts';

/** Without the secret the markers cannot be matched to cases, not even by trying every case id. */
export function questionnaireMarker(secret: string, caseId: string): string {
  return createHmac('sha256', `pratica-online/questionnaire/${secret}`).update(caseId).digest('base64url');
}

export async function hasAnswered(deps: PortalDeps, caseId: string): Promise<boolean> {
  const row = await deps.db
    .selectFrom('questionnaire_markers')
    .select('marker')
    .where('marker', '=', questionnaireMarker(deps.secret, caseId))
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores an answer for a started case; a second answer for the same case is refused ('conflict'). */
export async function submitAnswer(deps: PortalDeps, caseId: string, input: QuestionnaireInput): Promise<void> {
  const answer = validateAnswer(input);
  const row = await deps.db.selectFrom('cases').select(['state', 'office_id', 'procedure_id']).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw new DomainError('not-found', 'Pratica non trovata.');
  if (row.state === 'enrolled') {
    throw new DomainError('precondition-failed', 'Il questionario è disponibile dopo l\'avvio del procedimento.');
  }
  await inTransaction(deps.db, async (trx) => {
    const marked = await trx
      .insertInto('questionnaire_markers')
      .values({ marker: questionnaireMarker(deps.secret, caseId) })
      .onConflict((oc) => oc.column('marker').doNothing())
      .returning('marker')
      .executeTakeFirst();
    if (!marked) throw new DomainError('conflict', 'Il questionario per questa pratica è già stato compilato. Grazie!');
    await trx
      .insertInto('questionnaire_answers')
      .values({
        id: randomUUID(), month: answerMonth(deps.clock.today()), office_id: row.office_id, procedure_id: row.procedure_id,
        ...answer.ratings, comment: answer.comment,
      })
      .execute();
  });
}

export interface QuestionnaireSummary {
  answers: number;
  /** null when fewer than MIN_GROUP answers: too few to show without singling anyone out */
  averages: { clarity: number; timeliness: number; courtesy: number; overall: number } | null;
}

/** Aggregates for a period of months ('YYYY-MM'), optionally for one office; comments are never aggregated here. */
export async function questionnaireSummary(
  deps: Pick<PortalDeps, 'db'>,
  filter: { fromMonth: string; toMonth: string; officeId?: string },
): Promise<QuestionnaireSummary> {
  let query = deps.db
    .selectFrom('questionnaire_answers')
    .select([
      sql<number>`count(*)::int`.as('answers'),
      sql<number>`avg(clarity)::float8`.as('clarity'),
      sql<number>`avg(timeliness)::float8`.as('timeliness'),
      sql<number>`avg(courtesy)::float8`.as('courtesy'),
      sql<number>`avg(overall)::float8`.as('overall'),
    ])
    .where('month', '>=', `${filter.fromMonth}-01`)
    .where('month', '<=', `${filter.toMonth}-01`);
  if (filter.officeId) query = query.where('office_id', '=', filter.officeId);
  const row = await query.executeTakeFirstOrThrow();
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    answers: row.answers,
    averages:
      row.answers >= MIN_GROUP
        ? { clarity: round(row.clarity), timeliness: round(row.timeliness), courtesy: round(row.courtesy), overall: round(row.overall) }
        : null,
  };
}
