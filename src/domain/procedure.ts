import { formatTerm, parseTerm } from './deadline/index.ts';
import type { Term, TermUnit } from './deadline/index.ts';
import { DomainError } from './errors.ts';

/** The procedure card ("scheda processo") fields that decide whether and how a case is followed. */
export interface ProcedureCard {
  name: string;
  termText: string;
  termAmount: number | null;
  termUnit: TermUnit | null;
  active: boolean;
}

/** Parses the card's "tempo di erogazione"; a card without a numeric term keeps the text and no term. */
export function termOfCard(termText: string): Term | null {
  try {
    return parseTerm(termText);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'term-not-numeric') return null;
    throw error;
  }
}

/** Only procedures whose card has a numeric term can use the service (docs/domain.md, "The service"). */
export function enrollableTerm(card: ProcedureCard): Term {
  if (!card.active) {
    throw new DomainError('invalid-input', `Il procedimento "${card.name}" non è più attivo: non si possono iscrivere nuove pratiche.`);
  }
  if (card.termAmount === null || card.termUnit === null) {
    throw new DomainError(
      'term-not-numeric',
      `Il procedimento "${card.name}" non ha un tempo di erogazione numerico ("${card.termText}"): ` +
        'il servizio "La tua pratica on line" si applica solo ai procedimenti con un termine in giorni o mesi.',
    );
  }
  return { amount: card.termAmount, unit: card.termUnit };
}

export function describeTerm(card: ProcedureCard): string {
  return card.termAmount !== null && card.termUnit !== null
    ? formatTerm({ amount: card.termAmount, unit: card.termUnit })
    : card.termText;
}
