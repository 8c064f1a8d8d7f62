/** The case pages' forms, read into the values shown again and the commands the use cases take. */
import { newFormToken } from '../../../../application/form-tokens.ts';
import { checkCommandTexts } from '../../../../application/cases.ts';
import { CHANNELS } from '../../../../domain/case/contacts.ts';
import type { Channel } from '../../../../domain/case/contacts.ts';
import { OUTCOMES } from '../../../../domain/case/decide.ts';
import type { CaseCommand, Outcome } from '../../../../domain/case/decide.ts';
import type { EventType } from '../../../../domain/case/states.ts';
import { SUSPENSION_KINDS, isoDateProblem } from '../../../../domain/deadline/index.ts';
import type { SuspensionKind } from '../../../../domain/deadline/index.ts';
import { Checks, DomainError } from '../../../../domain/errors.ts';
import { isUuid } from '../../../../domain/text.ts';
import { str, strs } from '../forms.ts';

export const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);

export interface EnrolValues {
  procedureCode: string;
  subject: string;
  applicantName: string;
  receivedOn: string;
  protocolNumber: string;
  mobile: string;
  email: string;
  channels: string[];
  applicantFiscalCode: string;
  applicantVatNumber: string;
  legalRepresentativeFiscalCode: string;
  privacy: boolean;
  /** the form's one-time token, kept while the form is corrected */
  formToken: string;
  /** the online adhesion request the form was filled in from, if any */
  adhesionRequest: string;
}

/** The enrolment form's fields, top to bottom: the order of its error summary. */
export const ENROL_FIELDS = ['procedureCode', 'subject', 'applicantName', 'applicantFiscalCode', 'applicantVatNumber', 'legalRepresentativeFiscalCode', 'receivedOn', 'protocolNumber', 'mobile', 'email', 'channels', 'privacy'];

export type FiscalValues = Pick<EnrolValues, 'applicantFiscalCode' | 'applicantVatNumber' | 'legalRepresentativeFiscalCode'>;

export function fiscalValues(body: unknown): FiscalValues {
  return {
    applicantFiscalCode: str(body, 'applicantFiscalCode'),
    applicantVatNumber: str(body, 'applicantVatNumber'),
    legalRepresentativeFiscalCode: str(body, 'legalRepresentativeFiscalCode'),
  };
}

export function fiscalInput(values: FiscalValues) {
  return {
    applicantFiscalCode: values.applicantFiscalCode || null,
    applicantVatNumber: values.applicantVatNumber || null,
    legalRepresentativeFiscalCode: values.legalRepresentativeFiscalCode || null,
  };
}

export function enrolValues(body: unknown, today: string): EnrolValues {
  return {
    procedureCode: str(body, 'procedureCode'),
    subject: str(body, 'subject'),
    applicantName: str(body, 'applicantName'),
    receivedOn: str(body, 'receivedOn') || today,
    protocolNumber: str(body, 'protocolNumber'),
    mobile: str(body, 'mobile'),
    email: str(body, 'email'),
    channels: strs(body, 'channels'),
    ...fiscalValues(body),
    privacy: str(body, 'privacy') === 'yes',
    formToken: /^[A-Za-z0-9_-]{24}$/.test(str(body, 'formToken')) ? str(body, 'formToken') : newFormToken(),
    adhesionRequest: isUuid(str(body, 'adhesionRequest')) ? str(body, 'adhesionRequest') : '',
  };
}

/** The contacts form as typed, shown again when refused. */
export interface ContactsValues {
  mobile: string;
  email: string;
  channels: string[];
  version: string;
}

/** The event form as a command, every field checked before any is refused (the form lists them all at once). */
export function commandOf(body: unknown, today: string): CaseCommand {
  const type = str(body, 'type') as EventType;
  const checks = new Checks();
  const typed = str(body, 'effectiveOn').trim() || today;
  const problem = isoDateProblem(typed);
  if (problem) checks.add(new DomainError('invalid-date', `La data "${typed}" non è valida: ${problem}.`, { field: 'effectiveOn' }));
  const effectiveOn = problem ? today : typed;
  const reason = str(body, 'reason');
  const notes = str(body, 'notes');
  let command: CaseCommand;
  switch (type) {
    case 'start':
    case 'resume':
    case 'observations':
    case 'substitute-request':
      command = { type, effectiveOn, reason, notes };
      break;
    case 'suspend': {
      const kind = str(body, 'kind') as SuspensionKind;
      if (!SUSPENSION_KINDS.includes(kind)) checks.add(new DomainError('invalid-input', 'Scegliere il tipo di sospensione.', { field: 'kind' }));
      command = { type, effectiveOn, reason, notes, kind, legalBasis: str(body, 'legalBasis') };
      break;
    }
    case 'close': {
      const outcome = str(body, 'outcome') as Outcome;
      if (!OUTCOMES.includes(outcome)) checks.add(new DomainError('invalid-input', 'Scegliere l\'esito.', { field: 'outcome' }));
      command = { type, effectiveOn, reason, notes, outcome };
      break;
    }
    default:
      throw new DomainError('invalid-input', 'Evento sconosciuto.');
  }
  checks.run(() => checkCommandTexts(command), command);
  checks.done();
  return command;
}
