/**
 * The citizen's requests of a late office, from the case page: the attestation of silenzio-assenso
 * (art. 20 c.2-bis L. 241/1990), issued on request and kept, with its audit entry, in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import { audit } from '../audit.ts';
import { getCaseView, type CaseDeps, type CaseView } from '../cases.ts';
import { inTransaction } from '../transaction.ts';
import { citizenActor } from './opt-out.ts';

export interface IssuedAttestation {
  view: CaseView;
  attestation: { id: string; issuedAt: Date; acceptedFrom: string; deadline: string };
}

/** Refused (precondition-failed) unless the case is under silenzio-assenso and its term has passed without a decision. */
export async function issueSilenceAttestation(deps: CaseDeps, code: string): Promise<IssuedAttestation> {
  return inTransaction(deps.db, async (trx) => {
    const view = await getCaseView({ db: trx, clock: deps.clock }, null, code);
    const { silence } = view.remedies;
    if (!silence.accepted || silence.acceptedFrom === null || view.deadline.deadline === null) {
      throw new DomainError(
        'precondition-failed',
        'L\'attestazione di silenzio-assenso si rilascia solo quando il termine è decorso senza provvedimento in un procedimento soggetto al silenzio-assenso (art. 20 L. 241/1990).',
      );
    }
    const attestation = { id: randomUUID(), issuedAt: deps.clock.now(), acceptedFrom: silence.acceptedFrom, deadline: view.deadline.deadline };
    await trx.insertInto('silence_attestations').values({
      id: attestation.id, case_id: view.case.id, deadline: attestation.deadline, accepted_from: attestation.acceptedFrom, issued_at: attestation.issuedAt,
    }).execute();
    await audit(trx, citizenActor(code), {
      action: 'case.silence-attestation', entity: 'case', entityId: code, officeId: view.case.office_id,
      after: { attestation: attestation.id, deadline: attestation.deadline, acceptedFrom: attestation.acceptedFrom },
    });
    return { view, attestation };
  });
}
