/**
 * The remedies of a late office in the times report: the requests to the holder of the substitute power made in
 * the period (L. 241/1990 art. 2 c.9-bis) with what became of them (c.9-ter: half the original term), and the
 * indemnity for delay on those cases (art. 2-bis c.1-bis; D.L. 69/2013 art. 28), accrued and paid. Pure.
 */
import { SUBSTITUTE_OUTCOMES, type SubstituteOutcome } from '../deadline/index.ts';

export interface RemedyFigures {
  /** requests to the substitute dated within the period */
  substituteRequests: number;
  /** of those: decided within the substitute's term, decided or still open after it, open within it */
  substituteOutcomes: Record<SubstituteOutcome, number>;
  /** of those cases: where the indemnity is due, the euro accrued (to the decision or today) and the cents paid */
  indemnityCases: number;
  indemnityAccruedEuro: number;
  indemnityPaidCents: number;
}

export interface RemedyCase {
  outcome: SubstituteOutcome;
  indemnityDue: boolean;
  indemnityEuro: number;
  paidCents: number;
}

export function emptyRemedyFigures(): RemedyFigures {
  return {
    substituteRequests: 0,
    substituteOutcomes: Object.fromEntries(SUBSTITUTE_OUTCOMES.map((o) => [o, 0])) as Record<SubstituteOutcome, number>,
    indemnityCases: 0,
    indemnityAccruedEuro: 0,
    indemnityPaidCents: 0,
  };
}

export function addRemedyCase(figures: RemedyFigures, c: RemedyCase): void {
  figures.substituteRequests++;
  figures.substituteOutcomes[c.outcome]++;
  if (c.indemnityDue) {
    figures.indemnityCases++;
    figures.indemnityAccruedEuro += c.indemnityEuro;
  }
  figures.indemnityPaidCents += c.paidCents;
}
