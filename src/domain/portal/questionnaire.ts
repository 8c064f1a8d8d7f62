/**
 * The satisfaction questionnaire (docs/domain.md, the service, 10): optional, anonymous, four 1-5 ratings and a comment.
 * Pure validation; storage without any link to the case is the application's job.
 */
import { DomainError } from '../errors.ts';

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

/** Accepts what an HTML form sends (strings); refuses a missing or out-of-range rating by field. */
export function validateAnswer(input: QuestionnaireInput): QuestionnaireAnswer {
  const ratings = {} as Ratings;
  const missing: Question[] = [];
  for (const question of QUESTIONS) {
    const raw = input[question];
    const value = typeof raw === 'string' && /^[1-5]$/.test(raw.trim()) ? Number(raw.trim()) : typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 5 ? raw : undefined;
    if (value === undefined) missing.push(question);
    else ratings[question] = value;
  }
  if (missing.length > 0) {
    throw new DomainError('invalid-input', 'Indicare un valore da 1 a 5 per ogni domanda.', { fields: missing });
  }
  const comment = typeof input.comment === 'string' ? input.comment.replace(/\r\n?/g, '\n').trim() : '';
  if (comment.length > COMMENT_MAX) {
    throw new DomainError('invalid-input', `Il commento supera i ${COMMENT_MAX} caratteri.`, { fields: ['comment'] });
  }
  return { ratings, comment };
}

/** The month an answer is filed under: the only time kept with it. */
export function answerMonth(today: string): string {
  return `${today.slice(0, 7)}-01`;
}
