/**
 * The anonymous satisfaction questionnaire (docs/domain.md, the service, 10; "Access, privacy, satisfaction").
 * One answer per case without linking the two: the case leaves only a keyed marker, HMAC(secret, case id),
 * in a table of its own with no time; the answer has the month, the office and the procedure (0008, for the
 * results per procedure), nothing else.
 * The marker and the answer are written in one transaction, so a marker never exists without its answer or the
 * reverse; the answer goes to a holding table, which the worker's job (shuffleHeldAnswers) rewrites in its own
 * transactions, so that no answer keeps its marker's transaction id (xmin) or its place in the row order (0013).
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { addDays } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import { MIN_GROUP, answerMonth, validateAnswer } from '../../domain/portal/questionnaire.ts';
import type { QuestionnaireInput } from '../../domain/portal/questionnaire.ts';
import type { Clock } from '../clock.ts';
import { inTransaction } from '../transaction.ts';
import type { PortalDeps } from './sign-in.ts';

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
      .insertInto('questionnaire_held_answers')
      .values({ month: answerMonth(deps.clock.today()), office_id: row.office_id, procedure_id: row.procedure_id, ...answer.ratings, comment: answer.comment })
      .execute();
  });
}

/** A holding table, the table its rows are published into, and the columns they carry. */
interface HeldRows {
  held: 'questionnaire_held_answers' | 'service_ratings_held';
  published: 'questionnaire_answers' | 'service_ratings';
  columns: string;
}

/** The questionnaire's answers (0013) and the service pages' ratings (0020) go the same way. */
const HELD: HeldRows[] = [
  { held: 'questionnaire_held_answers', published: 'questionnaire_answers', columns: 'month, office_id, procedure_id, clarity, timeliness, courtesy, overall, comment' },
  { held: 'service_ratings_held', published: 'service_ratings', columns: 'month, rating' },
];

/**
 * The worker's job, one transaction per holding table (a crash leaves everything held as it was; a second run
 * finds nothing to do): the held rows of the months that have ended are published with new random ids, the
 * others are written back; both in random order, with this transaction's id. A month's rows are published
 * together once it is over, so none can be told from the others by when it arrived. TRUNCATE gives the holding
 * table a new file: the rows as the citizens wrote them, with their transactions' xmin, do not stay behind as
 * dead tuples.
 */
export async function shuffleHeldAnswers(deps: { db: Db; clock: Clock }): Promise<{ published: number; held: number }> {
  const total = { published: 0, held: 0 };
  for (const rows of HELD) {
    const done = await shuffleHeld(deps, rows);
    total.published += done.published;
    total.held += done.held;
  }
  return total;
}

async function shuffleHeld(deps: { db: Db; clock: Clock }, rows: HeldRows): Promise<{ published: number; held: number }> {
  // a month is published on its first day over, not at midnight: an answer given at 23:59 and stored a moment
  // later must not be published alone, after the others of its month
  const openMonth = answerMonth(addDays(deps.clock.today(), -1));
  const held = sql.table(rows.held);
  const columns = sql.raw(rows.columns);
  const pending = (db: Db) =>
    sql`SELECT 1 FROM ${held} WHERE shuffled = false OR month < ${openMonth} LIMIT 1`.execute(db).then((result) => result.rows.length > 0);
  // the usual run finds nothing to do, and should not lock out the citizens' answers for that
  if (!(await pending(deps.db))) return { published: 0, held: 0 };
  return inTransaction(deps.db, async (trx) => {
    // one job at a time (several workers may run), and no row written while the table is rewritten
    await sql`LOCK TABLE ${held} IN ACCESS EXCLUSIVE MODE`.execute(trx);
    if (!(await pending(trx))) return { published: 0, held: 0 };
    await sql`CREATE TEMPORARY TABLE held_now ON COMMIT DROP AS SELECT ${columns} FROM ${held}`.execute(trx);
    await sql`TRUNCATE ${held}`.execute(trx);
    const published = await sql`
      INSERT INTO ${sql.table(rows.published)} (id, ${columns})
      SELECT gen_random_uuid(), ${columns} FROM held_now WHERE month < ${openMonth} ORDER BY 1`.execute(trx);
    const kept = await sql`
      INSERT INTO ${held} (${columns}, shuffled)
      SELECT ${columns}, true FROM held_now WHERE month >= ${openMonth} ORDER BY gen_random_uuid()`.execute(trx);
    return { published: Number(published.numAffectedRows ?? 0), held: Number(kept.numAffectedRows ?? 0) };
  });
}

/** "How easy was it to use this service?": the number alone and its month, held and shuffled like the answers. */
export async function rateService(deps: { db: Db; clock: Clock }, value: string): Promise<void> {
  if (!/^[1-5]$/.test(value)) throw new DomainError('invalid-input', 'Scegliere un numero di stelle da 1 a 5.', { field: 'rating' });
  await deps.db.insertInto('service_ratings_held').values({ month: answerMonth(deps.clock.today()), rating: Number(value) }).execute();
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
