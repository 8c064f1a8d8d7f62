import type { CaseSummary, CaseView } from '../../application/cases.ts';
import type { ProcedureWithNames } from '../../application/catalogue.ts';
import type { OfficeRow } from '../db/schema.ts';
import { EVENT_LABELS, STATE_LABELS } from '../../domain/case/states.ts';
import { describeTerm } from '../../domain/procedure.ts';
import { chosenChannels } from '../../domain/case/contacts.ts';

export function officeResource(office: Pick<OfficeRow, 'code' | 'name' | 'address' | 'phone' | 'email' | 'pec' | 'opening_hours'>) {
  return {
    code: office.code,
    name: office.name,
    address: office.address,
    phone: office.phone,
    email: office.email,
    pec: office.pec,
    openingHours: office.opening_hours,
  };
}

/** A card's term, or a case's own (the one of its card at enrolment). */
function termResource(name: string, term: Pick<ProcedureWithNames, 'term_text' | 'term_amount' | 'term_unit'>) {
  const card = { name, termText: term.term_text, termAmount: term.term_amount, termUnit: term.term_unit, active: true };
  return { text: term.term_text, amount: term.term_amount, unit: term.term_unit, description: describeTerm(card) };
}

export function procedureResource(procedure: ProcedureWithNames) {
  return {
    code: procedure.code,
    name: procedure.name,
    description: procedure.description,
    legalBasis: procedure.legal_basis,
    officeCode: procedure.office_code,
    responsible: { name: procedure.responsible_name, phone: procedure.responsible_phone, email: procedure.responsible_email },
    term: termResource(procedure.name, procedure),
    enrollable: procedure.term_amount !== null && procedure.active,
    saturdayWorking: procedure.saturday_working,
    saturdayMovesDeadline: procedure.saturday_moves_deadline,
    silenzioAssenso: procedure.silenzio_assenso,
    businessActivity: procedure.business_activity,
    substitute: { name: procedure.substitute_name, contact: procedure.substitute_contact },
    active: procedure.active,
  };
}

export function caseResource(view: CaseView) {
  const c = view.case;
  return {
    code: c.code,
    state: c.state,
    stateLabel: STATE_LABELS[c.state],
    subject: c.subject,
    applicantName: c.applicant_name,
    applicantFiscalCode: c.applicant_fiscal_code,
    applicantVatNumber: c.applicant_vat_number,
    legalRepresentativeFiscalCode: c.legal_representative_fiscal_code,
    receivedOn: c.received_on,
    protocolNumber: c.protocol_number,
    contacts: {
      mobile: c.mobile,
      email: c.email,
      channels: chosenChannels({ notifyEmail: c.notify_email, notifySms: c.notify_sms, notifyIo: c.notify_io }),
      optedOut: c.opted_out_at !== null,
    },
    version: c.version,
    procedure: {
      code: view.procedure.code,
      name: view.procedure.name,
      legalBasis: view.procedure.legal_basis,
      term: termResource(view.procedure.name, c),
      silenzioAssenso: c.silenzio_assenso,
      businessActivity: c.business_activity,
    },
    office: {
      code: view.office.code, name: view.office.name, address: view.office.address, phone: view.office.phone,
      email: view.office.email, pec: view.office.pec, openingHours: view.office.openingHours,
    },
    responsible: view.responsible,
    deadline: {
      date: view.deadline.deadline,
      provisional: view.deadline.provisional,
      baseDeadline: view.deadline.baseDeadline,
      termStart: view.deadline.termStart,
      suspendedDays: view.deadline.suspendedDays,
      daysRemaining: view.daysRemaining,
      overdue: view.overdue,
      steps: view.deadline.steps,
      warnings: view.deadline.warnings,
    },
    suspensions: view.deadline.suspensions,
    history: view.events.map((e) => ({
      ...e,
      label: EVENT_LABELS[e.type],
      recordedAt: e.recordedAt.toISOString(),
    })),
    closing: view.closing,
    allowedEvents: view.allowedEvents,
    remedies: {
      substituteFrom: view.remedies.substituteFrom,
      substituteRequestBy: view.remedies.substituteRequestBy,
      substituteRequest: view.remedies.substituteRequest,
      substituteDeadline: view.remedies.substituteDeadline,
      delayDays: view.remedies.delayDays,
      indemnity: { euro: view.remedies.indemnity.euro, eligible: view.remedies.indemnity.eligible, reason: view.remedies.indemnity.reason },
      indemnityPaidCents: view.indemnityPaidCents,
      silenceAccepted: view.remedies.silence.accepted,
      acceptedFrom: view.remedies.silence.acceptedFrom,
    },
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

export function caseSummaryResource(summary: CaseSummary) {
  return { ...summary, createdAt: summary.createdAt.toISOString() };
}
