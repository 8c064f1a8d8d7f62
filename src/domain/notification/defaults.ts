import type { Channel } from '../case/contacts.ts';
import type { MessageKind } from './messages.ts';

export interface TemplateText {
  /** e-mail only */
  subject: string;
  body: string;
}

/*
 * The texts used until an administrator changes them. E-mail bodies are plain text with a light markup
 * that also gives the HTML part: a blank line separates paragraphs, "## " starts a heading, "- " a list
 * item, and addresses become links. SMS texts stay short and carry nothing sensitive (no subject, no
 * notes): the link leads to the page that has everything. The suspension SMS says why, in a reason
 * shortened when it would cost more than one extra part.
 */

const LOGIN = `## Come seguire la pratica online
Pagina della pratica: {{caseLink}}
Codice pratica: {{caseCode}}
Password: {{password}}
Vale sempre la password dell'ultimo messaggio ricevuto.

Accesso diretto senza password (valido 7 giorni, una sola volta, solo per questa pratica): {{signInLink}}`;

const CONTACTS = `## Chi se ne occupa
- Ufficio competente: {{officeName}}, {{officeAddress}}{{#officeHours}} ({{officeHours}}){{/officeHours}}
- Domicilio digitale (PEC): {{officePec}}
- Responsabile del procedimento: {{responsibleName}}, {{responsibleEmail}}{{#responsiblePhone}}, tel. {{responsiblePhone}}{{/responsiblePhone}}`;

const FOOTER = `{{stop}}

Messaggio automatico del servizio "La tua pratica on line" di {{administration}}: non risponda a questo indirizzo.{{#supportEmail}} Per problemi con il servizio: {{supportEmail}}.{{/supportEmail}}`;

const REASON = `{{#reason}}
Motivo: {{reason}}
{{/reason}}{{#notes}}
Note: {{notes}}
{{/notes}}`;

const DEADLINE_CHANGE = `{{#deadline}}{{#deadlineMoved}}La scadenza del procedimento passa {{#previousDeadline}}dal {{previousDeadline}} {{/previousDeadline}}al {{deadline}}.{{/deadlineMoved}}{{^deadlineMoved}}La scadenza del procedimento resta il {{deadline}}.{{/deadlineMoved}}{{#deadlineProvisional}} La data è provvisoria: dipende dalla durata della sospensione.{{/deadlineProvisional}}{{/deadline}}{{^deadline}}Durante la sospensione il termine non decorre: la nuova scadenza sarà comunicata alla ripresa.{{/deadline}}`;

/* App IO: the e-mail's facts; the citizen is signed in with SPID/CIE, so no password and no personal link. */
const IO_LOGIN = `## Come seguire la pratica online
[Apra la pagina della pratica]({{caseLink}}) ed entri con SPID o CIE, oppure con il codice pratica {{caseCode}}.`;

const IO_FOOTER = `{{stop}}

Messaggio del servizio "La tua pratica on line" di {{administration}}.{{#supportEmail}} Per problemi con il servizio: {{supportEmail}}.{{/supportEmail}}`;

const EMAIL_TEMPLATES: Readonly<Record<MessageKind, Readonly<Record<'email' | 'sms', TemplateText>>>> = {
  start: {
    email: {
      subject: 'Pratica {{caseCode}}: avvio del procedimento',
      body: `Gentile {{applicantName}},

{{administration}} le comunica che il {{eventDate}} è stato avviato il procedimento relativo alla sua domanda. Questo messaggio vale come comunicazione di avvio del procedimento (art. 8 L. 241/1990{{#startCommunicationBasis}}; {{startCommunicationBasis}}{{/startCommunicationBasis}}).

## La pratica
- Amministrazione: {{administration}}
- Procedimento: {{procedureName}}
- Oggetto: {{subject}}
- Domanda ricevuta il {{receivedOn}}{{#protocolNumber}}, protocollo n. {{protocolNumber}}{{/protocolNumber}}
- Codice pratica: {{caseCode}}
${REASON}
${CONTACTS}

## Entro quando
{{#deadline}}Il procedimento deve concludersi entro il {{deadline}} (termine: {{term}}).{{/deadline}}{{^deadline}}Il termine del procedimento è di {{term}}.{{/deadline}}{{#silenzioAssenso}} Per questo procedimento vale il silenzio-assenso (art. 20 L. 241/1990): se entro il termine l'ufficio non risponde, la domanda si intende accolta.{{/silenzioAssenso}}

Se l'ufficio non conclude il procedimento entro il termine, può rivolgersi al titolare del potere sostitutivo, {{substituteName}} ({{substituteContact}}), che deve concluderlo entro la metà del termine originario (art. 2 commi 9-bis e 9-ter L. 241/1990). Contro il silenzio dell'amministrazione è inoltre possibile il ricorso al Tribunale amministrativo regionale (art. 117 D.Lgs. 104/2010).{{#indemnity}}

Il procedimento riguarda l'avvio o l'esercizio di un'attività d'impresa: in caso di ritardo le spetta un indennizzo di 30 euro per ogni giorno di ritardo dalla scadenza, fino a 2.000 euro (art. 2-bis c.1-bis L. 241/1990; art. 28 D.L. 69/2013). Per ottenerlo si rivolga al titolare del potere sostitutivo entro 20 giorni dalla scadenza del termine{{#indemnityRequestBy}}, cioè entro il {{indemnityRequestBy}}{{/indemnityRequestBy}}: il titolare ha {{substituteTerm}} per concludere il procedimento e liquidare l'indennizzo.{{/indemnity}}

## Atti e diritti di partecipazione
Dalla pagina della pratica può seguire online lo stato del procedimento e le sue scadenze. Per vedere gli atti del procedimento e presentare memorie e documenti (artt. 9 e 10 L. 241/1990) scriva alla PEC dell'ufficio, {{officePec}}, oppure si rechi presso l'ufficio: {{officeName}}, {{officeAddress}}{{#officeHours}}, {{officeHours}}{{/officeHours}}.

${LOGIN}

${FOOTER}`,
    },
    sms: {
      subject: '',
      body: 'Pratica {{caseCode}} avviata il {{eventDate}}{{#deadline}}, termine {{deadline}}{{/deadline}}. {{caseLink}} password {{password}} {{stop}}',
    },
  },
  suspend: {
    email: {
      subject: 'Pratica {{caseCode}}: {{#interruption}}termine interrotto{{/interruption}}{{^interruption}}procedimento sospeso{{/interruption}}',
      body: `Gentile {{applicantName}},

il {{eventDate}} il procedimento "{{procedureName}}" per la pratica {{caseCode}} ({{subject}}) è stato sospeso: {{suspensionLabel}}{{#legalBasis}}, {{legalBasis}}{{/legalBasis}}.
${REASON}
{{#interruption}}Il termine è interrotto: ricomincerà a decorrere per intero dalla ripresa del procedimento.{{/interruption}}{{^interruption}}${DEADLINE_CHANGE}{{/interruption}}

${CONTACTS}

${LOGIN}

${FOOTER}`,
    },
    sms: {
      subject: '',
      body: 'Pratica {{caseCode}} sospesa il {{eventDate}}. Motivo: {{shortReason}} Dettagli: {{caseLink}} password {{password}} {{stop}}',
    },
  },
  resume: {
    email: {
      subject: 'Pratica {{caseCode}}: il procedimento riprende',
      body: `Gentile {{applicantName}},

il {{eventDate}} il procedimento "{{procedureName}}" per la pratica {{caseCode}} ({{subject}}) è ripreso dopo la sospensione.
${REASON}
${DEADLINE_CHANGE}

${CONTACTS}

${LOGIN}

${FOOTER}`,
    },
    sms: {
      subject: '',
      body: 'Pratica {{caseCode}} riattivata il {{eventDate}}{{#deadline}}, scade {{deadline}}{{/deadline}}. {{caseLink}} password {{password}} {{stop}}',
    },
  },
  close: {
    email: {
      subject: 'Pratica {{caseCode}}: procedimento concluso',
      body: `Gentile {{applicantName}},

il {{eventDate}} il procedimento "{{procedureName}}" per la pratica {{caseCode}} ({{subject}}) si è concluso. Esito: {{outcome}}.
${REASON}
{{#closedLate}}Il procedimento si è concluso oltre il termine previsto{{#deadline}} (scadenza {{deadline}}){{/deadline}}: termine di legge {{term}}, tempo impiegato {{daysTaken}} giorni (art. 2 c.9-quinquies L. 241/1990).{{/closedLate}}

${CONTACTS}

${LOGIN}

${FOOTER}`,
    },
    sms: {
      subject: '',
      body: 'Pratica {{caseCode}} conclusa il {{eventDate}}, esito: {{outcome}}. {{caseLink}} password {{password}} {{stop}}',
    },
  },
  credentials: {
    email: {
      subject: 'Pratica {{caseCode}}: le credenziali di accesso',
      body: `Gentile {{applicantName}},

come richiesto, le inviamo di nuovo le credenziali per seguire online la pratica {{caseCode}} ({{procedureName}}: {{subject}}).

${LOGIN}

${CONTACTS}

${FOOTER}`,
    },
    sms: {
      subject: '',
      body: 'Pratica {{caseCode}}: {{caseLink}} password {{password}} {{stop}}',
    },
  },
  // sent on another channel when a message fails for good: an e-mail when an SMS failed, and the reverse
  'delivery-failed': {
    email: {
      subject: 'Pratica {{caseCode}}: {{failedWhat}} non le è stato consegnato',
      body: `Gentile {{applicantName}},

non è stato possibile consegnarle {{failedVia}} {{failedMessage}} per la pratica {{caseCode}} ({{procedureName}}). Può leggerne il contenuto sulla pagina della pratica, dove trova lo stato, le date e i contatti dell'ufficio.

${LOGIN}

${CONTACTS}

${FOOTER}`,
    },
    sms: {
      subject: '',
      body: 'Pratica {{caseCode}}: {{failedShort}}, la legga su {{caseLink}} password {{password}} {{stop}}',
    },
  },
};

/** The IO text of each message, made from its e-mail: the same facts, IO's sign-in and footer. */
function ioTemplate(email: TemplateText): TemplateText {
  return { subject: email.subject, body: email.body.replace(LOGIN, IO_LOGIN).replace(FOOTER, IO_FOOTER) };
}

export const DEFAULT_TEMPLATES: Readonly<Record<MessageKind, Readonly<Record<Channel, TemplateText>>>> = Object.fromEntries(
  Object.entries(EMAIL_TEMPLATES).map(([kind, texts]) => [kind, { ...texts, io: ioTemplate(texts.email) }]),
) as Record<MessageKind, Record<Channel, TemplateText>>;
