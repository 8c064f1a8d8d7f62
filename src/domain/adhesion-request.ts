import { TEXT_LIMITS } from './case/text-limits.ts';
import { checkIoChoice, validateContacts } from './case/contacts.ts';
import type { Channel, Contacts } from './case/contacts.ts';
import { normalizeFiscalCode } from './case/fiscal-code.ts';
import { isoDateProblem } from './deadline/index.ts';
import type { IsoDate } from './deadline/index.ts';
import { Checks, DomainError } from './errors.ts';

/**
 * An online adhesion request: a citizen who filed an application with the office asks, from the procedure's
 * public card, to follow it online. The office checks the protocol number and enrols the case, or dismisses it.
 */
export const ADHESION_REQUEST_STATUSES = ['pending', 'enrolled', 'dismissed'] as const;
export type AdhesionRequestStatus = (typeof ADHESION_REQUEST_STATUSES)[number];

/** The public form's fields, top to bottom: the order of its error summary. */
export const ADHESION_REQUEST_FIELDS = ['applicantName', 'protocolNumber', 'protocolDate', 'applicantFiscalCode', 'mobile', 'email', 'channels', 'privacy'] as const;

/** The longest dismissal reason, as for an event's. */
export const DISMISS_REASON_LIMIT = TEXT_LIMITS.reason;

export interface AdhesionRequestInput {
  applicantName: string;
  protocolNumber: string;
  protocolDate: string;
  fiscalCode: string;
  mobile: string;
  email: string;
  channels: readonly Channel[];
  consent: boolean;
}

export interface CheckedAdhesionRequest {
  applicantName: string;
  protocolNumber: string;
  protocolDate: IsoDate;
  fiscalCode: string | null;
  contacts: Contacts;
}

function text(value: string, field: 'applicantName' | 'protocolNumber', label: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new DomainError('invalid-input', `Il campo "${label}" è obbligatorio.`, { field });
  if (trimmed.length > TEXT_LIMITS[field]) throw new DomainError('invalid-input', `Il campo "${label}" supera i ${TEXT_LIMITS[field]} caratteri.`, { field });
  return trimmed;
}

/**
 * The request's fields, every one checked before any is refused. The protocol date is the day the office
 * registered the application: not in the future. App IO only where the office has it (and then with the
 * fiscal code it reaches the citizen by). GDPR art. 13: the request is taken only with the notice read.
 */
export function checkAdhesionRequest(input: AdhesionRequestInput, context: { today: IsoDate; ioOffered: boolean }): CheckedAdhesionRequest {
  const checks = new Checks();
  const applicantName = checks.run(() => text(input.applicantName, 'applicantName', 'Nome e cognome o ragione sociale'), '');
  const protocolNumber = checks.run(() => text(input.protocolNumber, 'protocolNumber', 'Numero di protocollo'), '');
  const protocolDate = checks.run(() => {
    const problem = input.protocolDate.trim() === '' ? 'indicare la data' : isoDateProblem(input.protocolDate.trim());
    if (problem) throw new DomainError('invalid-date', `Data di protocollo: ${problem}.`, { field: 'protocolDate' });
    if (input.protocolDate.trim() > context.today) throw new DomainError('date-in-future', 'La data di protocollo è futura: indicare il giorno in cui l\'ufficio ha protocollato la domanda.', { field: 'protocolDate' });
    return input.protocolDate.trim();
  }, context.today);
  const fiscalCode = input.fiscalCode.trim() ? checks.run(() => normalizeFiscalCode(input.fiscalCode), null) : null;
  const contacts = checks.run(() => validateContacts({ mobile: input.mobile, email: input.email, fiscalCode: fiscalCode ?? input.fiscalCode, channels: input.channels }), {
    mobile: null, email: null, notifySms: false, notifyEmail: false, notifyIo: false,
  });
  checks.run(() => checkIoChoice({ notifyIo: input.channels.includes('io') }, { offered: context.ioOffered, chosenBefore: false }), undefined);
  if (!input.consent) checks.add(new DomainError('invalid-input', 'Per inviare la richiesta confermare di aver letto l\'informativa privacy.', { field: 'privacy' }));
  checks.done();
  return { applicantName, protocolNumber, protocolDate, fiscalCode, contacts };
}
