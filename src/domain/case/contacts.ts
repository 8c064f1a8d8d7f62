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
  /** where a missing fiscal code is reported: its own field where the form has one, else the channels */
  fiscalCodeField?: 'applicantFiscalCode' | 'channels';
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
    checks.add(new DomainError('no-contact', 'Per ricevere i messaggi in App IO indicare il codice fiscale del richiedente.', { field: input.fiscalCodeField ?? 'applicantFiscalCode' }));
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

/**
 * Where App IO can be offered. Each IO service has its own key: the administration's (IO_API_KEY) serves every
 * office, an office's own (IO_API_KEYS) serves that office. Undefined: no key at all, App IO is off.
 */
export interface IoCoverage {
  everyOffice: boolean;
  offices: ReadonlySet<string>;
}

export function ioOffered(coverage: IoCoverage | undefined, officeCode: string): boolean {
  return coverage !== undefined && (coverage.everyOffice || coverage.offices.has(officeCode));
}

/**
 * App IO is chosen only where the case's office has it. A choice made while it had it stays when the office
 * loses its key (the messages go meanwhile on the other chosen channels, and to IO again once the key is back):
 * it may be kept or removed, not made anew.
 */
export function checkIoChoice(contacts: Pick<Contacts, 'notifyIo'>, io: { offered: boolean; chosenBefore: boolean }): void {
  if (contacts.notifyIo && !io.offered && !io.chosenBefore) {
    throw new DomainError('channel-unavailable', 'App IO non è attivo per l\'ufficio che segue la pratica: scegliere SMS o e-mail.', { field: 'channels' });
  }
}

/** One channel a case can offer its citizen: its address on the case, whether chosen, whether it works now. */
export interface ChannelOption {
  channel: Channel;
  address: string;
  chosen: boolean;
  /** false: App IO chosen before the office lost its key (kept, but its messages go on the other channels) */
  active: boolean;
}

/**
 * The channels the citizen can choose among on their own case page: those whose address the case has (the
 * office records the addresses), App IO where the office has it or where it was chosen before.
 */
export function channelOptions(c: {
  mobile: string | null; email: string | null; fiscalCode: string | null; notifySms: boolean; notifyEmail: boolean; notifyIo: boolean;
}, ioIsOffered: boolean): ChannelOption[] {
  const address: Record<Channel, string | null> = { email: c.email, sms: c.mobile, io: c.fiscalCode };
  const chosen: Record<Channel, boolean> = { email: c.notifyEmail, sms: c.notifySms, io: c.notifyIo };
  return CHANNELS.flatMap((channel) => {
    const at = address[channel];
    if (!at || (channel === 'io' && !ioIsOffered && !chosen.io)) return [];
    return [{ channel, address: at, chosen: chosen[channel], active: channel !== 'io' || ioIsOffered }];
  });
}
