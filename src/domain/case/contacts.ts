import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Checks, DomainError } from '../errors.ts';

/**
 * The channels a citizen can choose, declared once: e-mail, SMS and App IO (the public administrations'
 * app, where the citizen is identified by SPID/CIE and reached by fiscal code, CAD art. 64-bis).
 */
export const CHANNELS = ['email', 'sms', 'io'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Contacts {
  mobile: string | null;
  email: string | null;
  notifySms: boolean;
  notifyEmail: boolean;
  notifyIo: boolean;
}

export interface ContactsInput {
  mobile?: string | null | undefined;
  email?: string | null | undefined;
  /** the applicant's fiscal code, already validated: App IO reaches the citizen by it */
  fiscalCode?: string | null | undefined;
  channels: readonly Channel[];
}

/** Italian numbers may be written without +39; the stored form is E.164. Only mobiles receive SMS. */
export function normalizeMobile(text: string): string {
  const phone = parsePhoneNumberFromString(text.trim(), 'IT');
  if (!phone || !phone.isValid()) {
    throw new DomainError('invalid-phone', `Il numero di cellulare "${text}" non è valido.`, { field: 'mobile' });
  }
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') {
    throw new DomainError('invalid-phone', `Il numero "${text}" non è un cellulare: gli SMS non gli arriverebbero.`, { field: 'mobile' });
  }
  return phone.number;
}

// A pragmatic check (RFC 5321 lengths, one @, a dotted domain): the real test is delivery.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normalizeEmail(text: string): string {
  const email = text.trim();
  const [local = ''] = email.split('@');
  if (email.length > 254 || local.length > 64 || !EMAIL.test(email) || email.includes('..')) {
    throw new DomainError('invalid-email', `L'indirizzo e-mail "${text}" non è valido.`, { field: 'email' });
  }
  return email;
}

/**
 * The citizen chooses the channels; each chosen channel needs its contact (docs/domain.md, the service, 6).
 * Every contact is checked before any is refused: the form shows all that is wrong at once.
 */
export function validateContacts(input: ContactsInput): Contacts {
  const checks = new Checks();
  const mobileText = input.mobile?.trim() ? input.mobile : undefined;
  const emailText = input.email?.trim() ? input.email : undefined;
  const mobile = mobileText ? checks.run(() => normalizeMobile(mobileText), null) : null;
  const email = emailText ? checks.run(() => normalizeEmail(emailText), null) : null;
  const notifySms = input.channels.includes('sms');
  const notifyEmail = input.channels.includes('email');
  const notifyIo = input.channels.includes('io');
  if (notifySms && !mobileText) {
    checks.add(new DomainError('no-contact', 'Per ricevere gli SMS indicare il numero di cellulare.', { field: 'mobile' }));
  }
  if (notifyEmail && !emailText) {
    checks.add(new DomainError('no-contact', 'Per ricevere le e-mail indicare l\'indirizzo e-mail.', { field: 'email' }));
  }
  if (notifyIo && !input.fiscalCode?.trim()) {
    checks.add(new DomainError('no-contact', 'Per ricevere i messaggi in App IO indicare il codice fiscale del richiedente.', { field: 'applicantFiscalCode' }));
  }
  if (!notifySms && !notifyEmail && !notifyIo) {
    checks.add(new DomainError('no-contact', 'Scegliere almeno un canale (SMS, e-mail o App IO) per ricevere gli aggiornamenti.', { field: 'channels' }));
  }
  checks.done();
  return { mobile, email, notifySms, notifyEmail, notifyIo };
}

/** The chosen channels, in the list's order, from the stored choices. */
export function chosenChannels(choices: { notifyEmail: boolean; notifySms: boolean; notifyIo: boolean }): Channel[] {
  const chosen: Record<Channel, boolean> = { email: choices.notifyEmail, sms: choices.notifySms, io: choices.notifyIo };
  return CHANNELS.filter((channel) => chosen[channel]);
}
