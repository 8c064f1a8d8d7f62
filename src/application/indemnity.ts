/**
 * The office records a payment of the indemnity for delay (L. 241/1990 art. 2-bis c.1-bis; D.L. 69/2013 art. 28):
 * only on a case where it is due, never beyond what accrued; the payment and its audit entry in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { checkIndemnityPayment, formatItalianDate, parseIsoDate, type IsoDate } from '../domain/deadline/index.ts';
import { DomainError } from '../domain/errors.ts';
import { audit, type Actor } from './audit.ts';
import { getCaseView, type CaseDeps, type CaseView } from './cases.ts';
import { inTransaction } from './transaction.ts';

export interface IndemnityPaymentInput {
  amountCents: number;
  /** the day it was paid; today when not given */
  paidOn?: string | undefined;
}

export async function recordIndemnityPayment(deps: CaseDeps, actor: Actor, code: string, input: IndemnityPaymentInput): Promise<CaseView> {
  const today = deps.clock.today();
  const paidOn: IsoDate = input.paidOn === undefined || input.paidOn === '' ? today : parseIsoDate(input.paidOn);
  if (paidOn > today) {
    throw new DomainError('date-in-future', `La data del pagamento (${formatItalianDate(paidOn)}) non può essere successiva a oggi.`, { field: 'paidOn' });
  }
  return inTransaction(deps.db, async (trx) => {
    // the case row locked: two payments at once cannot both fit in what is left to pay
    let lock = trx.selectFrom('cases').select('id').where('code', '=', code).forUpdate();
    if (actor.officeId) lock = lock.where('office_id', '=', actor.officeId);
    if (!(await lock.executeTakeFirst())) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
    const view = await getCaseView({ db: trx, clock: deps.clock }, actor.officeId, code);
    checkIndemnityPayment(view.remedies.indemnity, view.indemnityPaidCents, input.amountCents);
    const id = randomUUID();
    await trx.insertInto('indemnity_payments').values({
      id, case_id: view.case.id, amount_cents: input.amountCents, paid_on: paidOn, recorded_by: actor.name, recorded_at: deps.clock.now(),
    }).execute();
    await audit(trx, actor, {
      action: 'case.indemnity-payment', entity: 'case', entityId: code, officeId: view.case.office_id,
      before: { paidCents: view.indemnityPaidCents },
      after: { payment: id, amountCents: input.amountCents, paidOn, paidCents: view.indemnityPaidCents + input.amountCents, accruedEuro: view.remedies.indemnity.euro },
    });
    return { ...view, indemnityPaidCents: view.indemnityPaidCents + input.amountCents };
  });
}
