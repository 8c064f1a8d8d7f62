import { CHANNELS } from '../case/contacts.ts';
import type { Channel } from '../case/contacts.ts';
import type { CaseEvent, Outcome } from '../case/decide.ts';
import { OUTCOME_LABELS, SUSPENSION_LABELS } from '../case/decide.ts';
import type { EventType } from '../case/states.ts';
import { EVENT_LABELS, STATE_AFTER, STATE_LABELS } from '../case/states.ts';
import { formatItalianDate } from '../deadline/index.ts';
import type { IsoDate } from '../deadline/index.ts';
import { FAILED_STATUSES } from './status.ts';
import type { NotificationStatus } from './status.ts';

/**
 * Which event sends which message to whom (docs/domain.md, the service, 4): every change of state — avvio, sospensione,
 * riattivazione, chiusura — and the resending of the credentials (docs/domain.md, the service, 7). The applicant's
 * observations (art. 10-bis) are the citizen's own act and change no state: no message. A message that
 * fails for good is announced on the other channel by a `delivery-failed` notice.
 */
export const MESSAGE_KINDS = ['start', 'suspend', 'resume', 'close', 'credentials', 'delivery-failed'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export { CHANNELS };

export const KIND_LABELS: Readonly<Record<MessageKind, string>> = {
  start: 'Avvio del procedimento',
  suspend: 'Sospensione',
  resume: 'Riattivazione',
  close: 'Chiusura',
  credentials: 'Invio delle credenziali (Invio EMAIL/SMS)',
  'delivery-failed': 'Avviso di messaggio non consegnato',
};

/** What the notice names as the message that could not be delivered. */
const FAILED_MESSAGE_NAMES: Readonly<Record<MessageKind, string>> = {
  start: 'la comunicazione di avvio del procedimento',
  suspend: 'l\'avviso di sospensione del procedimento',
  resume: 'l\'avviso di ripresa del procedimento',
  close: 'l\'avviso di conclusione del procedimento',
  credentials: 'le credenziali di accesso',
  'delivery-failed': 'un avviso di mancata consegna',
};

export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = { email: 'e-mail', sms: 'SMS', io: 'App IO' };

/** How the notice of a failed message names the channel it failed on. */
const FAILED_CHANNEL_PHRASES: Readonly<Record<Channel, { via: string; what: string; short: string }>> = {
  email: { via: 'via e-mail', what: 'un messaggio e-mail', short: 'e-mail non consegnata' },
  sms: { via: 'via SMS', what: 'un SMS', short: 'SMS non consegnato' },
  io: { via: 'in App IO', what: 'un messaggio in App IO', short: 'messaggio IO non consegnato' },
};

/**
 * What each channel carries: an SMS lacks the elements of L. 241/1990 art. 8 c.2 that the start message
 * must give; e-mail and App IO carry every fact.
 */
const CARRIES_EVERYTHING: Readonly<Record<Channel, boolean>> = { email: true, sms: false, io: true };

export function messageKindOf(event: EventType): MessageKind | undefined {
  return event === 'start' || event === 'suspend' || event === 'resume' || event === 'close' ? event : undefined;
}

export interface Recipients {
  mobile: string | null;
  email: string | null;
  /** the applicant's fiscal code: App IO's address */
  fiscalCode?: string | null | undefined;
  notifySms: boolean;
  notifyEmail: boolean;
  notifyIo?: boolean | undefined;
  optedOut: boolean;
}

/** Each channel's address among the contacts. */
export function addressOn(contacts: Recipients, channel: Channel): string | null {
  return channel === 'email' ? contacts.email : channel === 'sms' ? contacts.mobile : contacts.fiscalCode ?? null;
}

export function chose(contacts: Recipients, channel: Channel): boolean {
  return channel === 'email' ? contacts.notifyEmail : channel === 'sms' ? contacts.notifySms : contacts.notifyIo === true;
}

/** Every channel the citizen chose that has its address; nothing once they left the service (docs/domain.md, the service, 8). */
export function chosenRecipients(contacts: Recipients): { channel: Channel; recipient: string }[] {
  if (contacts.optedOut) return [];
  return CHANNELS.flatMap((channel) => {
    const recipient = addressOn(contacts, channel);
    return chose(contacts, channel) && recipient ? [{ channel, recipient }] : [];
  });
}

/**
 * Where a message goes. A citizen who chose App IO gets it there alone, the other channels they chose
 * being its fallback (not on IO, service blocked, a failure); the credentials, which IO does not carry
 * (the citizen signs in there with SPID/CIE), go on those other channels when there are any.
 */
export function recipientsFor(contacts: Recipients, kind?: MessageKind): { channel: Channel; recipient: string }[] {
  const chosen = chosenRecipients(contacts);
  const io = chosen.find((target) => target.channel === 'io');
  if (!io) return chosen;
  const others = chosen.filter((target) => target.channel !== 'io');
  return kind === 'credentials' && others.length > 0 ? others : [io];
}

/**
 * An App IO message that cannot arrive (the citizen is not on IO or blocked the service, or IO refused it
 * for good): the message itself goes on each other channel the citizen chose that has no message of the
 * same event. A notice of a failure is never rerouted.
 */
export function reroutingFor(
  failed: { channel: Channel; kind: MessageKind },
  contacts: Recipients,
  siblings: readonly { channel: Channel; status: NotificationStatus }[],
): { channel: Channel; recipient: string }[] {
  if (contacts.optedOut || failed.kind === 'delivery-failed' || failed.channel !== 'io') return [];
  return chosenRecipients(contacts).filter((target) => target.channel !== failed.channel && !siblings.some((s) => s.channel === target.channel));
}

/**
 * When a message fails for good on one channel, the citizen is told on the other one (if they have that
 * address) that a message could not be delivered and where to read it — unless a message of the same
 * event is on its way there or arrived, and carries all of it. An SMS carries no more than its e-mail,
 * but the start SMS lacks the elements of L. 241/1990 art. 8 c.2 that only the e-mail gives: a failed
 * start e-mail is announced by SMS even when the start SMS went. A notice that fails is not announced.
 */
export function deliveryFailedNoticeFor(
  failed: { channel: Channel; kind: MessageKind },
  contacts: Recipients,
  siblings: readonly { channel: Channel; status: NotificationStatus }[],
): { channel: Channel; recipient: string } | undefined {
  if (contacts.optedOut || failed.kind === 'delivery-failed') return undefined;
  // an SMS failed: e-mail first; an e-mail: SMS first; App IO only where the citizen chose it
  const order: readonly Channel[] = failed.channel === 'sms' ? ['email', 'io'] : failed.channel === 'email' ? ['sms', 'io'] : ['email', 'sms'];
  const usable = order.filter((channel) => addressOn(contacts, channel) && (channel !== 'io' || chose(contacts, channel)));
  const alive = (channel: Channel) => siblings.some((s) => s.channel === channel && !FAILED_STATUSES.includes(s.status) && s.status !== 'cancelled');
  const carries = (channel: Channel) => CARRIES_EVERYTHING[channel] || !CARRIES_EVERYTHING[failed.channel] || failed.kind !== 'start';
  if (usable.some((channel) => alive(channel) && carries(channel))) return undefined;
  const channel = usable[0];
  return channel ? { channel, recipient: addressOn(contacts, channel)! } : undefined;
}

/**
 * The variables a template can use. Values are stored on the notification row at the event (so the
 * message tells what was true then); the secrets and links are added only when it is sent.
 */
export interface VariableSpec {
  description: string;
  /** SMS carry no sensitive content (docs/domain.md): these variables are refused in SMS templates */
  emailOnly?: boolean;
  /** added at sending time: never stored */
  atSend?: boolean;
  /** refused in App IO templates: the citizen there is identified by SPID/CIE, not by a password */
  notIo?: boolean;
  sample: string | boolean;
}

export const VARIABLES = {
  administration: { description: 'amministrazione (art. 8 c.2 lett. a)', sample: 'Provincia di Forlì-Cesena' },
  administrationPec: { description: 'PEC dell\'amministrazione', sample: 'provincia.forlicesena@cert.provincia.fc.it' },
  procedureName: { description: 'procedimento (art. 8 c.2 lett. b)', sample: 'Autorizzazione al transito di trasporti eccezionali' },
  procedureLegalBasis: { description: 'norme del procedimento', emailOnly: true, sample: 'D.Lgs. 285/1992, art. 10' },
  term: { description: 'termine del procedimento, es. "15 giorni"', sample: '15 giorni di calendario' },
  subject: { description: 'oggetto della pratica (art. 8 c.2 lett. b)', emailOnly: true, sample: 'Trasporto eccezionale di trave prefabbricata lungo la SP 4 del Bidente' },
  applicantName: { description: 'richiedente', emailOnly: true, sample: 'Edilcarpi S.r.l.' },
  caseCode: { description: 'codice pratica (login)', sample: 'FC-7KM3-9QX2' },
  protocolNumber: { description: 'numero di protocollo della domanda', emailOnly: true, sample: '2026/10037' },
  receivedOn: { description: 'data di ricevimento della domanda (art. 8 c.2 lett. c-ter)', sample: '24/11/2026' },
  officeName: { description: 'ufficio competente (art. 8 c.2 lett. c)', sample: 'Servizio Viabilità - Trasporti eccezionali e concessioni stradali' },
  officeAddress: { description: 'indirizzo dell\'ufficio dove vedere gli atti (art. 8 c.2 lett. d-bis)', sample: 'Piazza Morgagni 9, 47121 Forlì' },
  officeHours: { description: 'orari dell\'ufficio', sample: 'lunedì-venerdì 9:00-12:30' },
  officePhone: { description: 'telefono dell\'ufficio', sample: '+39 0543 714111' },
  officeEmail: { description: 'e-mail dell\'ufficio', sample: 'viabilita@provincia.fc.it' },
  officePec: { description: 'PEC (domicilio digitale) dell\'ufficio (art. 8 c.2 lett. c)', sample: 'viabilita@cert.provincia.fc.it' },
  responsibleName: { description: 'responsabile del procedimento (art. 8 c.2 lett. c)', sample: 'Ing. Paolo Garavini' },
  responsiblePhone: { description: 'telefono del responsabile', sample: '+39 0543 714250' },
  responsibleEmail: { description: 'e-mail del responsabile', sample: 'paolo.garavini@provincia.fc.it' },
  substituteName: { description: 'titolare del potere sostitutivo (art. 2 c.9-bis, art. 8 c.2 lett. c-bis)', sample: 'Segretario generale della Provincia' },
  substituteContact: { description: 'come contattare il titolare del potere sostitutivo', sample: 'segreteria.generale@cert.provincia.fc.it, tel. +39 0543 714200' },
  eventLabel: { description: 'l\'evento, es. "sospensione"', sample: 'avvio del procedimento' },
  eventDate: { description: 'data dell\'evento', sample: '26/11/2026' },
  stateLabel: { description: 'nuovo stato della pratica, es. "sospesa"', sample: 'in corso' },
  reason: { description: 'motivo indicato dall\'ufficio', emailOnly: true, sample: 'Manca la planimetria della rete di raccolta delle acque, firmata da tecnico abilitato' },
  shortReason: { description: 'il motivo per l\'SMS: intero se ci sta, altrimenti accorciato con "..." (l\'SMS cresce al più di una parte); il testo intero è nella pagina della pratica', atSend: true, sample: 'Manca la planimetria della rete di raccolta delle acque, firmata da tecnico abilitato' },
  notes: { description: 'note dell\'ufficio', emailOnly: true, sample: 'Inviare la planimetria via PEC entro 30 giorni.' },
  suspensionLabel: { description: 'tipo di sospensione', sample: 'sospensione per integrazione documentale (art. 2 c.7 L. 241/1990)' },
  legalBasis: { description: 'base giuridica della sospensione', emailOnly: true, sample: 'L. 241/1990, art. 2 comma 7' },
  interruption: { description: 'vero se il termine è interrotto e riparte da capo', sample: false },
  outcome: { description: 'esito della chiusura, es. "accolta"', sample: 'accolta' },
  deadline: { description: 'data entro cui il procedimento deve concludersi (art. 8 c.2 lett. c-bis); vuota se sospeso senza data', sample: '10/12/2026' },
  deadlineMoved: { description: 'vero se la scadenza è cambiata con questo evento', sample: true },
  previousDeadline: { description: 'scadenza precedente', sample: '09/12/2026' },
  deadlineProvisional: { description: 'vero se la scadenza è provvisoria', sample: false },
  closedLate: { description: 'vero se la chiusura è arrivata oltre il termine', sample: false },
  daysTaken: { description: 'giorni impiegati (art. 2 c.9-quinquies)', sample: '14' },
  silenzioAssenso: { description: 'vero se vale il silenzio-assenso (art. 20)', sample: false },
  indemnity: { description: 'vero se in caso di ritardo spetta l\'indennizzo (attività d\'impresa, senza silenzio-assenso: art. 2-bis c.1-bis L. 241/1990, art. 28 D.L. 69/2013)', sample: false },
  substituteTerm: { description: 'il termine del titolare del potere sostitutivo: metà di quello originario (art. 2 c.9-ter)', sample: '8 giorni' },
  indemnityRequestBy: { description: 'ultimo giorno per rivolgersi al titolare del potere sostitutivo e conservare l\'indennizzo (art. 28 c.2 D.L. 69/2013)', emailOnly: true, sample: '30/12/2026' },
  caseLink: { description: 'indirizzo di "La tua pratica on line", dove si accede con codice e password', atSend: true, sample: 'https://pratica.provincia.fc.it/pratica' },
  signInLink: { description: 'link di accesso diretto: firmato, per questa sola pratica, valido 7 giorni e una volta (solo e-mail)', emailOnly: true, atSend: true, notIo: true, sample: 'https://pratica.provincia.fc.it/pratica/link/AZ3kq0Vn3tqXxN1b5m0dQmQzZ3cAZ3kq0Vn3tqXxN1b5m0dQmQzZ3cAZ3k' },
  password: { description: 'password di accesso: l\'ultima inviata è sempre valida (non in App IO, dove si entra con SPID/CIE)', atSend: true, notIo: true, sample: 'K7M3-9QX2-ABCD-EFGH' },
  stop: { description: 'come non ricevere più messaggi (obbligatorio)', sample: 'Per non ricevere più messaggi lo comunichi al responsabile del procedimento, Ing. Paolo Garavini (paolo.garavini@provincia.fc.it, tel. +39 0543 714250).' },
  supportEmail: { description: 'assistenza sul servizio', sample: 'praticaonline@provincia.fc.it' },
  failedMessage: { description: 'il messaggio non consegnato sull\'altro canale (avviso di mancata consegna)', sample: 'la comunicazione di avvio del procedimento' },
  failedVia: { description: 'il canale su cui il messaggio non è stato consegnato, es. "via SMS" (avviso di mancata consegna)', sample: 'via SMS' },
  failedWhat: { description: 'il messaggio non consegnato per il suo canale, es. "un SMS" (avviso di mancata consegna)', sample: 'un SMS' },
  failedShort: { description: 'breve, per l\'SMS, es. "e-mail non consegnata" (avviso di mancata consegna)', sample: 'messaggio IO non consegnato' },
  startCommunicationBasis: {
    description: 'norma locale per cui il messaggio di avvio sostituisce la comunicazione formale (dalla configurazione dell\'amministrazione)', emailOnly: true,
    sample: 'art. 10 c.3 lett. a) del Regolamento provinciale sul procedimento amministrativo, delib. C.P. 59274/129 del 28/06/2010',
  },
} as const satisfies Record<string, VariableSpec>;

export type VariableName = keyof typeof VARIABLES;
export type StoredVariable = { [K in VariableName]: (typeof VARIABLES)[K] extends { atSend: true } ? never : K }[VariableName];
export type StoredContext = Record<StoredVariable, string | boolean>;
/** `shortReason` is derived from `reason` when the message is rendered: the callers need not give it. */
export type MessageContext = Record<Exclude<VariableName, 'shortReason'>, string | boolean> & { shortReason?: string | boolean };

/** Every message carries the login and says how to stop (docs/domain.md, the service, 5 and 8). */
const ALWAYS: readonly VariableName[] = ['caseCode', 'password', 'caseLink', 'stop'];
/** L. 241/1990 art. 8 c.2, letters a) to d-bis): the start e-mail can replace the formal communication. */
export const ART8_VARIABLES: readonly VariableName[] = [
  'administration', 'procedureName', 'subject', 'officeName', 'officePec', 'responsibleName', 'deadline',
  'substituteName', 'substituteContact', 'receivedOn', 'caseLink', 'officeAddress',
];

export function requiredVariables(kind: MessageKind, channel: Channel): VariableName[] {
  // App IO carries every fact of the e-mail, without the password: the citizen signs in with SPID/CIE
  const full = channel === 'email' || channel === 'io';
  const required = new Set<VariableName>(ALWAYS.filter((name) => channel !== 'io' || !('notIo' in VARIABLES[name])));
  const ofEvent = kind !== 'credentials' && kind !== 'delivery-failed';
  if (ofEvent) required.add('eventDate');
  if (kind === 'delivery-failed' && full) required.add('failedMessage');
  if (full && ofEvent) {
    required.add('reason');
    required.add('notes');
  }
  // the citizen reached only by SMS must still learn why the case stopped
  if (channel === 'sms' && kind === 'suspend') required.add('shortReason');
  if (full && kind === 'start') for (const v of ART8_VARIABLES) required.add(v);
  if (full && kind === 'close') required.add('outcome');
  return [...required];
}

/** What the application loads for one case; the builder below turns it into template variables. */
export interface MessageFacts {
  administration: { name: string; pec: string | null; supportEmail: string | null; startCommunicationBasis?: string | null };
  procedure: {
    name: string; legalBasis: string; term: string; silenzioAssenso: boolean; substituteName: string; substituteContact: string;
    /** D.L. 69/2013 art. 28: the indemnity applies (a business activity, no silenzio-assenso) */
    indemnity?: boolean;
    /** art. 2 c.9-ter: half the original term, in words */
    substituteTerm?: string;
    /** art. 28 c.2: the last day to turn to the substitute, from the deadline as it stands */
    indemnityRequestBy?: IsoDate | null;
  };
  office: { name: string; address: string; phone: string | null; email: string | null; pec: string | null; openingHours: string | null };
  responsible: { name: string; phone: string | null; email: string };
  case: { code: string; subject: string; applicantName: string; protocolNumber: string; receivedOn: IsoDate; deadline: IsoDate | null; deadlineProvisional: boolean };
  /** absent for the credentials message */
  event?: { type: EventType; effectiveOn: IsoDate; reason: string; notes: string; suspensionKind?: CaseEvent['suspensionKind']; legalBasis?: string | undefined; outcome?: Outcome | undefined };
  previousDeadline?: IsoDate | null;
  closing?: { late: boolean; grossDays: number } | null;
}

const date = (d: IsoDate | null | undefined): string => (d ? formatItalianDate(d) : '');

interface StopContacts {
  responsibleName: string;
  responsiblePhone: string;
  responsibleEmail: string;
  officePhone: string;
}

/** The citizen leaves the service by telling the responsible person. */
export function stopSentence(c: StopContacts, channel: Channel): string {
  if (channel === 'sms') {
    // every character counts in an SMS: an Italian number in its national form, without spaces
    const phone = (c.responsiblePhone || c.officePhone).replace(/^\+39/, '').replace(/[\s.]/g, '');
    return phone ? `Stop SMS: tel. ${phone}` : `Stop SMS: ${c.responsibleEmail}`;
  }
  const contacts = [c.responsibleEmail, ...(c.responsiblePhone ? [`tel. ${c.responsiblePhone}`] : [])].join(', ');
  return `Per non ricevere più messaggi su questa pratica, lo comunichi al responsabile del procedimento, ${c.responsibleName} (${contacts}).`;
}

/** The notice of a failed message, for the other channel: its variables, with that channel's sentences. */
export function deliveryFailedContext(failed: { context: StoredContext; kind: MessageKind; channel?: Channel }, channel: Channel): StoredContext {
  const phrases = FAILED_CHANNEL_PHRASES[failed.channel ?? (channel === 'sms' ? 'email' : 'sms')];
  return {
    ...failed.context, failedMessage: FAILED_MESSAGE_NAMES[failed.kind], failedVia: phrases.via, failedWhat: phrases.what, failedShort: phrases.short,
    stop: stopSentence(failed.context as unknown as StopContacts, channel),
  };
}

/** A message rerouted from App IO: the same variables, with the stop sentence of the channel it now takes. */
export function reroutedContext(context: StoredContext, channel: Channel): StoredContext {
  return { ...context, stop: stopSentence(context as unknown as StopContacts, channel) };
}

/** The stored variables of one message. Pure: dates in, Italian text out. */
export function messageContext(facts: MessageFacts, channel: Channel): StoredContext {
  const event = facts.event;
  const state = event ? STATE_AFTER[event.type] : undefined;
  return {
    administration: facts.administration.name,
    administrationPec: facts.administration.pec ?? '',
    procedureName: facts.procedure.name,
    procedureLegalBasis: facts.procedure.legalBasis,
    term: facts.procedure.term,
    subject: facts.case.subject,
    applicantName: facts.case.applicantName,
    caseCode: facts.case.code,
    protocolNumber: facts.case.protocolNumber,
    receivedOn: date(facts.case.receivedOn),
    officeName: facts.office.name,
    officeAddress: facts.office.address,
    officeHours: facts.office.openingHours ?? '',
    officePhone: facts.office.phone ?? '',
    officeEmail: facts.office.email ?? '',
    officePec: facts.office.pec ?? facts.administration.pec ?? '',
    responsibleName: facts.responsible.name,
    responsiblePhone: facts.responsible.phone ?? '',
    responsibleEmail: facts.responsible.email,
    substituteName: facts.procedure.substituteName,
    substituteContact: facts.procedure.substituteContact,
    eventLabel: event ? EVENT_LABELS[event.type] : '',
    eventDate: event ? date(event.effectiveOn) : '',
    stateLabel: state ? STATE_LABELS[state] : '',
    reason: event?.reason ?? '',
    notes: event?.notes ?? '',
    suspensionLabel: event?.suspensionKind ? SUSPENSION_LABELS[event.suspensionKind] : '',
    legalBasis: event?.legalBasis ?? '',
    interruption: event?.suspensionKind === 'interruption',
    outcome: event?.outcome ? OUTCOME_LABELS[event.outcome] : '',
    deadline: date(facts.case.deadline),
    deadlineMoved: facts.previousDeadline !== undefined && facts.previousDeadline !== facts.case.deadline,
    previousDeadline: date(facts.previousDeadline),
    deadlineProvisional: facts.case.deadlineProvisional,
    closedLate: facts.closing?.late ?? false,
    daysTaken: facts.closing ? String(facts.closing.grossDays) : '',
    silenzioAssenso: facts.procedure.silenzioAssenso,
    indemnity: facts.procedure.indemnity ?? false,
    substituteTerm: facts.procedure.substituteTerm ?? '',
    indemnityRequestBy: date(facts.procedure.indemnityRequestBy),
    stop: stopSentence({
      responsibleName: facts.responsible.name, responsiblePhone: facts.responsible.phone ?? '',
      responsibleEmail: facts.responsible.email, officePhone: facts.office.phone ?? '',
    }, channel),
    supportEmail: facts.administration.supportEmail ?? '',
    failedMessage: '',
    failedVia: '',
    failedWhat: '',
    failedShort: '',
    startCommunicationBasis: facts.administration.startCommunicationBasis ?? '',
  };
}

/** The variables of a preview: every sample value, or the worst case for lengths. */
export function sampleContext(overrides: Partial<MessageContext> = {}, channel: Channel = 'email'): MessageContext {
  const context = Object.fromEntries(Object.entries(VARIABLES).map(([name, spec]) => [name, spec.sample])) as MessageContext;
  return { ...context, stop: stopSentence(context as unknown as StopContacts, channel), ...overrides };
}

/** Booleans flipped and optional texts empty: the other paths through the blocks. */
export function sparseSampleContext(channel: Channel = 'email'): MessageContext {
  return sampleContext({
    deadlineMoved: false, interruption: true, closedLate: true, silenzioAssenso: true, deadlineProvisional: true,
    reason: '', shortReason: '', notes: '', deadline: '', previousDeadline: '', officeHours: '', officePhone: '', responsiblePhone: '',
    legalBasis: '', suspensionLabel: '', outcome: '', indemnity: true, indemnityRequestBy: '', protocolNumber: '', administrationPec: '', supportEmail: '', startCommunicationBasis: '',
  }, channel);
}
