import { Type } from 'typebox';
import { PROBLEM_MEDIA_TYPE, problemCodesOf } from './problems.ts';
import { CASE_STATES } from '../../domain/case/states.ts';
import { OUTCOMES } from '../../domain/case/decide.ts';
import { TEXT_LIMITS } from '../../domain/case/text-limits.ts';
import { SUSPENSION_KINDS } from '../../domain/deadline/index.ts';
import { CHANNELS } from '../../domain/case/contacts.ts';

/**
 * TypeBox schemas of the API: validation, TypeScript types and the OpenAPI document at once. A response schema's
 * `$id` names it among the document's components; request schemas have none, so each operation shows its own.
 */

export const IsoDateSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'data AAAA-MM-GG', examples: ['2026-03-02'] });
export const CaseCodeParams = Type.Object({ code: Type.String({ maxLength: 20, description: 'codice pratica, es. FC-7KM3-9QX2' }) });
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });

const nullableString = Type.Union([Type.String(), Type.Null()]);

export const OfficeSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  address: Type.String(),
  phone: nullableString,
  email: nullableString,
  pec: nullableString,
  openingHours: nullableString,
}, { $id: 'Office' });

export const TermSchema = Type.Object({
  text: Type.String({ description: 'come scritto nella scheda del procedimento' }),
  amount: Type.Union([Type.Integer(), Type.Null()]),
  unit: Type.Union([Type.Literal('calendar-days'), Type.Literal('working-days'), Type.Literal('months'), Type.Null()]),
  description: Type.String(),
}, { $id: 'Term' });

export const ProcedureSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  legalBasis: Type.String(),
  officeCode: Type.String(),
  responsible: Type.Object({ name: Type.String(), phone: nullableString, email: Type.String() }),
  term: TermSchema,
  enrollable: Type.Boolean({ description: 'false se la scheda non ha un termine numerico' }),
  saturdayWorking: Type.Boolean(),
  saturdayMovesDeadline: Type.Boolean(),
  silenzioAssenso: Type.Boolean(),
  businessActivity: Type.Boolean({ description: 'riguarda l\'avvio o l\'esercizio di un\'attività d\'impresa: indennizzo da ritardo (art. 28 D.L. 69/2013)' }),
  substitute: Type.Object({ name: Type.String(), contact: Type.String() }),
  active: Type.Boolean(),
}, { $id: 'Procedure' });

// the domain's lists, each a union of its literals
const SuspensionKindSchema = Type.Union(SUSPENSION_KINDS.map((kind) => Type.Literal(kind)));
const OutcomeSchema = Type.Union(OUTCOMES.map((outcome) => Type.Literal(outcome)));
const StateSchema = Type.Union(CASE_STATES.map((state) => Type.Literal(state)));
const ChannelSchema = Type.Union(CHANNELS.map((channel) => Type.Literal(channel)));

// Validated by the domain (check character, omocodia, check digit) with an Italian message; the schema bounds the size.
const FiscalIdentifierFields = {
  applicantFiscalCode: Type.Optional(Type.Union([Type.String({ maxLength: 32, description: 'codice fiscale del richiedente (16 caratteri)', examples: ['RSSMRA85T10A562S'] }), Type.Null()])),
  applicantVatNumber: Type.Optional(Type.Union([Type.String({ maxLength: 32, description: 'partita IVA del richiedente, se impresa (11 cifre)', examples: ['12345678903'] }), Type.Null()])),
  legalRepresentativeFiscalCode: Type.Optional(Type.Union([Type.String({ maxLength: 32, description: 'codice fiscale del legale rappresentante, se impresa' }), Type.Null()])),
};

export const CreateCaseBody = Type.Object({
  procedureCode: Type.String({ minLength: 1, maxLength: 40 }),
  subject: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.subject }),
  applicantName: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.applicantName }),
  receivedOn: IsoDateSchema,
  protocolNumber: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.protocolNumber })),
  mobile: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
  channels: Type.Array(ChannelSchema, {
    minItems: 1, maxItems: CHANNELS.length, uniqueItems: true,
    description: 'i canali scelti dal cittadino; io (App IO) richiede applicantFiscalCode ed è accettato solo se l\'ufficio del procedimento ha App IO (altrimenti 422 channel-unavailable)',
  }),
  ...FiscalIdentifierFields,
}, { additionalProperties: false });

/** The applicant's identifiers on an existing case (a PUT: every field is replaced, null or absent removes it). */
export const FiscalIdentifiersBody = Type.Object({ ...FiscalIdentifierFields }, { additionalProperties: false });

const EventText = {
  effectiveOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'data dell\'evento (AAAA-MM-GG); oggi se assente', examples: ['2026-03-02'] })),
  reason: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.reason, description: 'Motivo, mostrato al cittadino' })),
  notes: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.notes, description: 'Note, mostrate al cittadino' })),
};

export const StartBody = Type.Object({ ...EventText }, { additionalProperties: false });
export const ResumeBody = StartBody;
export const ObservationsBody = StartBody;
export const SubstituteRequestBody = StartBody;
/** A payment of the indemnity for delay (art. 28 D.L. 69/2013); whether it is due and how much is left is the domain's to say (422). */
export const IndemnityPaymentBody = Type.Object({
  amountCents: Type.Integer({ description: 'importo pagato in centesimi di euro; con i pagamenti precedenti non oltre l\'indennizzo maturato (al massimo 2.000 euro)', examples: [30000] }),
  paidOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'data del pagamento (AAAA-MM-GG); oggi se assente' })),
}, { additionalProperties: false });
export const SuspendBody = Type.Object({
  ...EventText,
  reason: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.reason, description: 'Motivo della sospensione, mostrato al cittadino' }),
  kind: SuspensionKindSchema,
  legalBasis: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.legalBasis, description: 'obbligatoria per kind other e interruption' })),
}, { additionalProperties: false });
export const CloseBody = Type.Object({ ...EventText, outcome: OutcomeSchema }, { additionalProperties: false });

export const ListCasesQuery = Type.Object({
  state: Type.Optional(StateSchema),
  procedure: Type.Optional(Type.String({ maxLength: 40 })),
  office: Type.Optional(Type.String({ maxLength: 40 })),
  overdue: Type.Optional(Type.Boolean()),
  dueWithinDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

const StepSchema = Type.Object({ kind: Type.String(), date: Type.String(), text: Type.String() });
const WarningSchema = Type.Object({ code: Type.String(), date: Type.String(), text: Type.String() });

export const SuspensionSchema = Type.Object({
  kind: SuspensionKindSchema,
  from: Type.String(),
  to: nullableString,
  legalEnd: Type.Optional(Type.String()),
  days: Type.Integer(),
  open: Type.Boolean({ description: 'true finché non è registrata la riattivazione' }),
  cappedByLaw: Type.Optional(Type.Boolean({ description: 'la sospensione è cessata per legge (art. 2 c.7: 30 giorni; art. 10-bis: 10 giorni)' })),
  noEffect: Type.Optional(Type.Union([Type.Literal('after-deadline'), Type.Literal('before-interruption')])),
}, { $id: 'Suspension' });

export const EventSchema = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  label: Type.String(),
  effectiveOn: Type.String(),
  recordedAt: Type.String({ format: 'date-time' }),
  recordedBy: Type.String(),
  reason: Type.String(),
  notes: Type.String(),
  suspensionKind: Type.Union([SuspensionKindSchema, Type.Null()]),
  legalBasis: nullableString,
  outcome: Type.Union([OutcomeSchema, Type.Null()]),
}, { $id: 'CaseEvent' });

export const CaseSchema = Type.Object({
  code: Type.String(),
  state: StateSchema,
  stateLabel: Type.String(),
  subject: Type.String(),
  applicantName: Type.String(),
  applicantFiscalCode: nullableString,
  applicantVatNumber: nullableString,
  legalRepresentativeFiscalCode: nullableString,
  receivedOn: Type.String(),
  protocolNumber: Type.String(),
  contacts: Type.Object({ mobile: nullableString, email: nullableString, channels: Type.Array(ChannelSchema), optedOut: Type.Boolean() }),
  version: Type.Integer({ description: 'da rimandare in If-Match per rilevare modifiche concorrenti' }),
  procedure: Type.Object({ code: Type.String(), name: Type.String(), legalBasis: Type.String(), term: TermSchema, silenzioAssenso: Type.Boolean(), businessActivity: Type.Boolean() }),
  office: OfficeSchema,
  responsible: Type.Object({ name: Type.String(), phone: nullableString, email: Type.String() }),
  deadline: Type.Object({
    date: Type.Union([Type.String(), Type.Null()], { description: 'scadenza legale; null durante una sospensione senza termine' }),
    provisional: Type.Boolean(),
    baseDeadline: Type.String(),
    termStart: Type.String(),
    suspendedDays: Type.Integer(),
    daysRemaining: Type.Union([Type.Integer(), Type.Null()], { description: 'negativo se scaduta; null se chiusa o senza scadenza' }),
    overdue: Type.Boolean(),
    steps: Type.Array(StepSchema),
    warnings: Type.Array(WarningSchema),
  }),
  suspensions: Type.Array(SuspensionSchema),
  history: Type.Array(EventSchema),
  closing: Type.Union([
    Type.Object({
      deadline: nullableString, closedOn: Type.String(), grossDays: Type.Integer(), netDays: Type.Integer(),
      suspendedDays: Type.Integer(), late: Type.Boolean(), daysLate: Type.Integer(),
    }),
    Type.Null(),
  ]),
  allowedEvents: Type.Array(Type.String()),
  remedies: Type.Object({
    substituteFrom: Type.Union([Type.String(), Type.Null()], { description: 'dal giorno dopo la scadenza ci si può rivolgere al titolare del potere sostitutivo (art. 2 c.9-bis L. 241/1990)' }),
    substituteRequestBy: Type.Union([Type.String(), Type.Null()], { description: 'ultimo giorno per rivolgersi al sostituto conservando l\'indennizzo (art. 28 c.2 D.L. 69/2013)' }),
    substituteRequest: Type.Union([Type.String(), Type.Null()]),
    substituteDeadline: Type.Union([Type.String(), Type.Null()], { description: 'metà del termine originario dalla richiesta (art. 2 c.9-ter)' }),
    delayDays: Type.Integer({ description: 'giorni di calendario dalla scadenza alla decisione o a oggi' }),
    indemnity: Type.Object({ euro: Type.Integer(), eligible: Type.Boolean(), reason: Type.String() }),
    indemnityPaidCents: Type.Integer({ description: 'indennizzo già pagato, in centesimi di euro' }),
    silenceAccepted: Type.Boolean(),
    acceptedFrom: Type.Union([Type.String(), Type.Null()], { description: 'silenzio-assenso: domanda accolta da questa data (art. 20 L. 241/1990)' }),
  }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'Case' });

export const CaseSummarySchema = Type.Object({
  code: Type.String(),
  state: StateSchema,
  subject: Type.String(),
  applicantName: Type.String(),
  receivedOn: Type.String(),
  protocolNumber: Type.String(),
  procedureCode: Type.String(),
  procedureName: Type.String(),
  officeCode: Type.String(),
  deadline: nullableString,
  daysRemaining: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'CaseSummary' });

const PROBLEM_ID = 'Problem';
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
}, { $id: PROBLEM_ID, additionalProperties: true, description: 'RFC 9457, con un `code` stabile' });

const PROBLEM_STATUSES = {
  400: 'Richiesta non valida: schema, caratteri di controllo, JSON malformato',
  401: 'Token mancante, non valido o revocato',
  403: 'Operazione non consentita a questo token',
  404: 'Risorsa non trovata, o non visibile al token',
  409: 'In conflitto con lo stato della pratica o con una richiesta precedente',
  412: 'La pratica è cambiata dopo la versione indicata in If-Match',
  415: 'Tipo di contenuto non supportato: inviare application/json',
  422: 'Dati non accettati',
  429: 'Troppe richieste con questo token (API_RATE_LIMIT al minuto): riprovare dopo i secondi indicati da Retry-After',
} as const;
type ProblemStatus = keyof typeof PROBLEM_STATUSES;

/**
 * The refusals an operation can answer, each a problem+json whose description lists the codes it may carry; the
 * schema is the app's shared `Problem` (buildApp adds it), named once in the document.
 */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  const response = (status: ProblemStatus) => ({
    description: `${PROBLEM_STATUSES[status]} (code: ${problemCodesOf(status).join(', ')})`,
    ...(status === 429 ? { headers: { 'Retry-After': Type.Integer({ minimum: 1, description: 'secondi da attendere prima di riprovare' }) } } : {}),
    content: { [PROBLEM_MEDIA_TYPE]: { schema: Type.Ref(PROBLEM_ID) } },
  });
  return Object.fromEntries(statuses.map((status) => [status, response(status)])) as Record<S, ReturnType<typeof response>>;
}
