/**
 * The satisfaction questionnaire (docs/domain.md, the service, 10): optional, anonymous, four 1-5 ratings and a comment.
 * Pure validation; storage without any link to the case is the application's job.
 */
import { Checks, DomainError } from '../errors.ts';

export const QUESTIONS = ['clarity', 'timeliness', 'courtesy', 'overall'] as const;
export type Question = (typeof QUESTIONS)[number];

export const COMMENT_MAX = 1000;

/** Aggregates are published only for groups this large, so one answer cannot be singled out. */
export const MIN_GROUP = 5;

export type Ratings = Record<Question, number>;

export interface QuestionnaireAnswer {
  ratings: Ratings;
  comment: string;
}

export type QuestionnaireInput = Partial<Record<Question | 'comment', unknown>>;

/** Accepts what an HTML form sends (strings); refuses each missing or out-of-range rating by its field, all at once. */
export function validateAnswer(input: QuestionnaireInput): QuestionnaireAnswer {
  const checks = new Checks();
  const ratings = {} as Ratings;
  for (const question of QUESTIONS) {
    const raw = input[question];
    const value = typeof raw === 'string' && /^[1-5]$/.test(raw.trim()) ? Number(raw.trim()) : typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 5 ? raw : undefined;
    if (value === undefined) checks.add(new DomainError('invalid-input', 'Indicare un valore da 1 a 5 per ogni domanda.', { field: question }));
    else ratings[question] = value;
  }
  const comment = typeof input.comment === 'string' ? input.comment.replace(/\r\n?/g, '\n').trim() : '';
  if (comment.length > COMMENT_MAX) {
    checks.add(new DomainError('invalid-input', `Il commento supera i ${COMMENT_MAX} caratteri.`, { field: 'comment' }));
  }
  checks.done();
  return { ratings, comment };
}

/** The month an answer is filed under: the only time kept with it. */
export function answerMonth(today: string): string {
  return `${today.slice(0, 7)}-01`;
}
