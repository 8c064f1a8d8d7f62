import type { CaseTable, ProcedureRow } from '../adapters/db/schema.ts';
import type { CaseTerms } from '../domain/case/decide.ts';
import { enrollableTerm } from '../domain/procedure.ts';

/**
 * The columns of a case that keep its card's term as it was at enrolment (migration 0012): the term in force
 * when the application was received binds the case (L. 241/1990 art. 2), whatever the card says later.
 */
export type CaseTermColumns = Pick<CaseTable, 'term_text' | 'term_amount' | 'term_unit' | 'saturday_working' | 'saturday_moves_deadline' | 'silenzio_assenso'> & {
  business_activity: boolean;
};

type Card = Pick<ProcedureRow, 'name' | 'active' | 'term_text' | 'term_amount' | 'term_unit' | 'saturday_working' | 'saturday_moves_deadline' | 'silenzio_assenso'> & { business_activity: boolean };

/** What a new case copies of its card; a card without a numeric term, or no longer active, is refused. */
export function termColumnsOf(card: Card): CaseTermColumns {
  const term = enrollableTerm({ name: card.name, termText: card.term_text, termAmount: card.term_amount, termUnit: card.term_unit, active: card.active });
  return {
    term_text: card.term_text,
    term_amount: term.amount,
    term_unit: term.unit,
    saturday_working: card.saturday_working,
    saturday_moves_deadline: card.saturday_moves_deadline,
    silenzio_assenso: card.silenzio_assenso,
    // D.L. 69/2013 art. 28: whether the indemnity for delay can apply is fixed with the term
    business_activity: card.business_activity,
  };
}

/** The deadline rules of a case: its own, never its card's present ones. */
export function termsOfCase(c: Pick<CaseTermColumns, 'term_amount' | 'term_unit' | 'saturday_working' | 'saturday_moves_deadline'>): CaseTerms {
  return { term: { amount: c.term_amount, unit: c.term_unit }, saturdayWorking: c.saturday_working, saturdayMovesDeadline: c.saturday_moves_deadline };
}
