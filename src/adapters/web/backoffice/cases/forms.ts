/**
 * The case pages' forms: each one's url-encoded body as a TypeBox schema (every field an optional string, or a
 * list for checkboxes: the browser can send anything), and the function that turns the body read into the values
 * shown again and the command or input the use case takes. The domain checks the values and words the refusals.
 */
import { Type } from 'typebox';
import { newFormToken } from '../../../../application/form-tokens.ts';
import { checkCommandTexts } from '../../../../application/cases.ts';
import type { CaseSearch } from '../../../../application/backoffice/case-search.ts';
import { CHANNELS } from '../../../../domain/case/contacts.ts';
import type { Channel } from '../../../../domain/case/contacts.ts';
import { OUTCOMES } from '../../../../domain/case/decide.ts';
import type { CaseCommand, Outcome } from '../../../../domain/case/decide.ts';
import { CASE_STATES } from '../../../../domain/case/states.ts';
import type { CaseState, EventType } from '../../../../domain/case/states.ts';
import { SUSPENSION_KINDS, isoDateProblem, parseEuroCents } from '../../../../domain/deadline/index.ts';
import type { SuspensionKind } from '../../../../domain/deadline/index.ts';
import { Checks, DomainError } from '../../../../domain/errors.ts';
import { isUuid } from '../../../../domain/text.ts';
import { Text, Texts, wholeNumber } from '../forms.ts';
import type { FormValues } from '../forms.ts';

export const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);

/** The version of the case the clerk saw, sent back by every form that changes it: anything but a number is none. */
export const versionOf = (form: { version: string }): number | undefined => wholeNumber(form.version);

// --- the case list's filters (a query string) ----------------------------------------------------

export const CaseListQuery = Type.Object({ q: Text, state: Text, procedure: Text, office: Text, due: Text, sort: Text, cursor: Text });

const DUE_WINDOWS = ['overdue', '7', '15', '30'] as const;

/** The filters as a search (the office only for who sees every office), and as the parameters of the page's links. */
export function caseSearchOf(query: FormValues<typeof CaseListQuery>, scoped: boolean): { search: CaseSearch; params: URLSearchParams } {
  const search: CaseSearch = {
    q: query.q.slice(0, 200) || undefined,
    state: query.state === 'open' || CASE_STATES.includes(query.state as CaseState) ? (query.state as CaseSearch['state']) : undefined,
    procedureCode: query.procedure || undefined,
    officeCode: scoped ? undefined : query.office || undefined,
    due: (DUE_WINDOWS as readonly string[]).includes(query.due) ? (query.due as CaseSearch['due']) : undefined,
    sort: query.sort === 'deadline' ? 'deadline' : 'recent',
    cursor: query.cursor || undefined,
  };
  const params = new URLSearchParams();
  for (const key of ['q', 'state', 'procedure', 'office', 'due', 'sort'] as const) if (query[key]) params.set(key, query[key]);
  return { search, params };
}

// --- enrolment ------------------------------------------------------------------------------------

/** The enrolment page's query: the procedure to preselect (from the procedure's page). */
export const NewCaseQuery = Type.Object({ procedimento: Text });

export const EnrolForm = Type.Object({
  procedureCode: Text, subject: Text, applicantName: Text, receivedOn: Text, protocolNumber: Text, mobile: Text, email: Text, channels: Texts,
  applicantFiscalCode: Text, applicantVatNumber: Text, legalRepresentativeFiscalCode: Text, privacy: Text, formToken: Text, adhesionRequest: Text,
  /** 'save' enrols; anything else previews the deadline */
  action: Text,
});

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

export function enrolValues(form: FormValues<typeof EnrolForm>, today: string): EnrolValues {
  return {
    procedureCode: form.procedureCode,
    subject: form.subject,
    applicantName: form.applicantName,
    receivedOn: form.receivedOn || today,
    protocolNumber: form.protocolNumber,
    mobile: form.mobile,
    email: form.email,
    channels: form.channels,
    ...fiscalValues(form),
    privacy: form.privacy === 'yes',
    formToken: /^[A-Za-z0-9_-]{24}$/.test(form.formToken) ? form.formToken : newFormToken(),
    adhesionRequest: isUuid(form.adhesionRequest) ? form.adhesionRequest : '',
  };
}

/** The form's values as the enrolment the use case takes (its one-time token included). */
export function enrolmentOf(values: EnrolValues) {
  return {
    procedureCode: values.procedureCode, subject: values.subject, applicantName: values.applicantName, receivedOn: values.receivedOn,
    protocolNumber: values.protocolNumber, mobile: values.mobile || null, email: values.email || null, channels: values.channels.filter(isChannel),
    formToken: values.formToken, adhesionRequestId: values.adhesionRequest || undefined, ...fiscalInput(values),
  };
}

// --- fiscal code and VAT number -------------------------------------------------------------------

export const FiscalForm = Type.Object({ applicantFiscalCode: Text, applicantVatNumber: Text, legalRepresentativeFiscalCode: Text, version: Text });

export type FiscalValues = Pick<EnrolValues, 'applicantFiscalCode' | 'applicantVatNumber' | 'legalRepresentativeFiscalCode'>;

export function fiscalValues(form: FiscalValues): FiscalValues {
  return {
    applicantFiscalCode: form.applicantFiscalCode,
    applicantVatNumber: form.applicantVatNumber,
    legalRepresentativeFiscalCode: form.legalRepresentativeFiscalCode,
  };
}

/** The identifiers as stored: one left empty is none. */
export function fiscalInput(values: FiscalValues) {
  return {
    applicantFiscalCode: values.applicantFiscalCode || null,
    applicantVatNumber: values.applicantVatNumber || null,
    legalRepresentativeFiscalCode: values.legalRepresentativeFiscalCode || null,
  };
}

// --- contacts -------------------------------------------------------------------------------------

export const ContactsForm = Type.Object({ mobile: Text, email: Text, channels: Texts, version: Text });

/** The contacts form as typed, shown again when refused. */
export type ContactsValues = FormValues<typeof ContactsForm>;

/** The contacts as the use case takes them: one left empty is none; a channel the domain does not know is dropped. */
export function contactsOf(values: ContactsValues): { mobile: string | null; email: string | null; channels: Channel[] } {
  return { mobile: values.mobile || null, email: values.email || null, channels: values.channels.filter(isChannel) };
}

// --- events ---------------------------------------------------------------------------------------

export const CaseEventForm = Type.Object({
  type: Text, effectiveOn: Text, reason: Text, notes: Text, kind: Text, legalBasis: Text, outcome: Text, version: Text,
  /** 'preview' shows what would be sent; anything else records */
  action: Text,
});

/** The fields shown again in a refused event form, as typed. */
export function eventValues(form: FormValues<typeof CaseEventForm>): Record<string, string> {
  const { effectiveOn, reason, notes, kind, legalBasis, outcome } = form;
  return { effectiveOn, reason, notes, kind, legalBasis, outcome };
}

/** The event form as a command, every field checked before any is refused (the form lists them all at once). */
export function commandOf(form: FormValues<typeof CaseEventForm>, today: string): CaseCommand {
  const type = form.type as EventType;
  const checks = new Checks();
  const typed = form.effectiveOn.trim() || today;
  const problem = isoDateProblem(typed);
  if (problem) checks.add(new DomainError('invalid-date', `La data "${typed}" non è valida: ${problem}.`, { field: 'effectiveOn' }));
  const effectiveOn = problem ? today : typed;
  const { reason, notes } = form;
  let command: CaseCommand;
  switch (type) {
    case 'start':
    case 'resume':
    case 'observations':
    case 'substitute-request':
      command = { type, effectiveOn, reason, notes };
      break;
    case 'suspend': {
      const kind = form.kind as SuspensionKind;
      if (!SUSPENSION_KINDS.includes(kind)) checks.add(new DomainError('invalid-input', 'Scegliere il tipo di sospensione.', { field: 'kind' }));
      command = { type, effectiveOn, reason, notes, kind, legalBasis: form.legalBasis };
      break;
    }
    case 'close': {
      const outcome = form.outcome as Outcome;
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

// --- indemnity payment ----------------------------------------------------------------------------

export const PaymentForm = Type.Object({ amount: Text, paidOn: Text });

/** The payment as the use case takes it: the amount in cents, the date (empty: today); refused in Italian otherwise. */
export function paymentOf(values: FormValues<typeof PaymentForm>): { amountCents: number; paidOn: string } {
  const amountCents = parseEuroCents(values.amount);
  if (amountCents === null) {
    throw new DomainError('invalid-input', `L'importo "${values.amount}" non è valido: indicare gli euro, con al massimo due decimali dopo la virgola (es. 300,50).`, { field: 'amountCents' });
  }
  const paidOn = values.paidOn.trim();
  const dateProblem = paidOn === '' ? null : isoDateProblem(paidOn);
  if (dateProblem) throw new DomainError('invalid-date', `La data "${paidOn}" non è valida: ${dateProblem}.`, { field: 'paidOn' });
  return { amountCents, paidOn };
}

// --- opt-out -------------------------------------------------------------------------------------

export const OptOutForm = Type.Object({ note: Text, confirm: Text, version: Text });
