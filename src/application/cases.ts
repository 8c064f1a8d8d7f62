import { sql } from 'kysely';
import { TEXT_LIMITS } from '../domain/case/text-limits.ts';
import { substituteAddress, substituteFor } from '../domain/administration/setup.ts';
import type { Expression, ExpressionBuilder } from 'kysely';
import type { Db } from '../adapters/db/database.ts';
import type { CaseEventRow, CaseRow, Database, ProcedureRow } from '../adapters/db/schema.ts';
import { randomUUID } from 'node:crypto';
import { caseDeadline, checkReceiptDate, closingFigures, decide } from '../domain/case/decide.ts';
import type { CaseCommand, CaseEvent, ClosingFigures, Outcome } from '../domain/case/decide.ts';
import { checkIoChoice, ioOffered, validateContacts } from '../domain/case/contacts.ts';
import type { Channel, Contacts, IoCoverage } from '../domain/case/contacts.ts';
import { validateFiscalIdentifiers } from '../domain/case/fiscal-code.ts';
import type { FiscalIdentifiers } from '../domain/case/fiscal-code.ts';
import { allowedEvents } from '../domain/case/states.ts';
import { caseRemedies, eventsOffered, type CaseRemedies } from '../domain/case/remedies.ts';
import type { CaseState, EventType } from '../domain/case/states.ts';
import { daysBetween, parseIsoDate } from '../domain/deadline/index.ts';
import type { DeadlineResult, HolidayCalendar, IsoDate, SuspensionKind } from '../domain/deadline/index.ts';
import { Checks, DomainError } from '../domain/errors.ts';
import { isIsoTimestamp, isUuid } from '../domain/text.ts';
import { audit } from './audit.ts';
import type { Actor } from './audit.ts';
import { termColumnsOf, termsOfCase } from './case-terms.ts';
import type { CaseTermColumns } from './case-terms.ts';
import { calendarOf } from './calendar.ts';
import type { CalendarProvider } from './calendar.ts';
import type { Services } from './services.ts';
import { hashPassword, newCaseCode, newPassword } from './credentials.ts';
import { inTransaction } from './transaction.ts';
import { useFormToken } from './form-tokens.ts';
import { markRequestEnrolled } from './adhesion-requests.ts';
import { figuresOf, replaceSuspensions } from './reports/figures.ts';
import { enqueueEventNotifications, storeCaseCredentials } from './notifications.ts';
import { findCardByCode, loadCaseCard } from './case-card.ts';
import type { CaseCard } from './case-card.ts';

export interface CaseDeps extends Pick<Services, 'clock'> {
  db: Db;
  /** the offices with an App IO key (IO_API_KEY, IO_API_KEYS): App IO is chosen only there; undefined: off */
  io?: IoCoverage | undefined;
  /** the holiday calendar kept by the process; without it the calendar is read at each use */
  calendar?: CalendarProvider | undefined;
}

export interface EnrolCaseInput {
  procedureCode: string;
  subject: string;
  applicantName: string;
  receivedOn: string;
  protocolNumber?: string | undefined;
  mobile?: string | null | undefined;
  email?: string | null | undefined;
  channels: Channel[];
  /** optional: the applicant's codice fiscale, a firm's partita IVA and its legal representative's codice fiscale */
  applicantFiscalCode?: string | null | undefined;
  applicantVatNumber?: string | null | undefined;
  legalRepresentativeFiscalCode?: string | null | undefined;
  /** the back-office form's one-time token: the same form sent twice enrols once (FormAlreadySent) */
  formToken?: string | undefined;
  /** the online adhesion request this enrolment comes from: marked enrolled and linked to the case, in the same transaction */
  adhesionRequestId?: string | undefined;
}

export interface EnrolledCase {
  code: string;
  /** shown once: only its keyed hash is stored */
  password: string;
  passwordHash: string;
  /** the case just enrolled, as getCaseView would read it */
  view: CaseView;
}

const LIMITS = TEXT_LIMITS;

function requiredText(value: string | undefined, field: keyof typeof LIMITS, label: string): string {
  const text = (value ?? '').trim();
  if (text === '') throw new DomainError('invalid-input', `Il campo "${label}" è obbligatorio.`, { field });
  return limitedText(text, field, label);
}

function limitedText(value: string | undefined, field: keyof typeof LIMITS, label: string): string {
  const text = (value ?? '').trim();
  if (text.length > LIMITS[field]) {
    throw new DomainError('invalid-input', `Il campo "${label}" supera i ${LIMITS[field]} caratteri.`, { field });
  }
  return text;
}

/** A form sent without choosing a procedure names none: say so, rather than `Procedimento "" non trovato`. */
export function requireProcedureCode(code: string): void {
  if (code.trim() === '') throw new DomainError('invalid-input', 'Scegliere il procedimento.', { field: 'procedureCode' });
}

export interface CheckedEnrolment {
  subject: string;
  applicantName: string;
  protocolNumber: string;
  receivedOn: IsoDate;
  contacts: Contacts;
  fiscal: FiscalIdentifiers;
}

/** A refusal that names no field, tied to the field it came from. */
function onField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError && error.details.field === undefined && error.details.errors === undefined) {
      throw new DomainError(error.code, error.message, { ...error.details, field });
    }
    throw error;
  }
}

/** The enrolment's own fields, every one checked before any is refused: the form shows all that is wrong at once. */
export function checkEnrolment(input: EnrolCaseInput, today: IsoDate): CheckedEnrolment {
  const checks = new Checks();
  const subject = checks.run(() => requiredText(input.subject, 'subject', 'Oggetto'), '');
  const applicantName = checks.run(() => requiredText(input.applicantName, 'applicantName', 'Richiedente'), '');
  const protocolNumber = checks.run(() => limitedText(input.protocolNumber, 'protocolNumber', 'Numero di protocollo'), '');
  const receivedOn = checks.run(() => {
    const date = onField('receivedOn', () => parseIsoDate(input.receivedOn));
    checkReceiptDate(date, today);
    return date;
  }, today);
  const fiscal = checks.run(() => validateFiscalIdentifiers(input), { applicantFiscalCode: null, applicantVatNumber: null, legalRepresentativeFiscalCode: null });
  const contacts = checks.run(() => validateContacts({ mobile: input.mobile, email: input.email, fiscalCode: fiscal.applicantFiscalCode ?? input.applicantFiscalCode, channels: input.channels }), {
    mobile: null, email: null, notifySms: false, notifyEmail: false, notifyIo: false,
  });
  checks.run(() => requireProcedureCode(input.procedureCode), undefined);
  checks.done();
  return { subject, applicantName, protocolNumber, receivedOn, contacts, fiscal };
}

/** An enrolment issues the case's password: hashed and sealed under the process's keys. */
export type EnrolmentDeps = CaseDeps & Pick<Services, 'credentialsKeys'>;

/** Enrols a citizen's case: the adhesion form's data, validated as a whole. */
export async function enrolCase(deps: EnrolmentDeps, actor: Actor, input: EnrolCaseInput): Promise<EnrolledCase> {
  const today = deps.clock.today();
  const { subject, applicantName, protocolNumber, receivedOn, contacts, fiscal } = checkEnrolment(input, today);
  const password = newPassword();
  const passwordHash = await hashPassword(password, deps.credentialsKeys); // outside the transaction

  return inTransaction(deps.db, async (trx) => {
    requireProcedureCode(input.procedureCode);
    const card = await findCardByCode(trx, input.procedureCode, actor.officeId);
    if (!card) throw new DomainError('not-found', `Procedimento "${input.procedureCode}" non trovato.`, { field: 'procedureCode' });
    if (!card.active) {
      throw new DomainError('invalid-input', `Il procedimento "${card.name}" non è più attivo.`, { field: 'procedureCode' });
    }
    const termColumns = termColumnsOf(card);
    const calendar = await calendarOf(trx, deps.calendar);
    const deadline = caseDeadline(receivedOn, [], termsOfCase(termColumns), calendar, today);
    checkIoChoice(contacts, { offered: ioOffered(deps.io, card.office_code), chosenBefore: false });
    const values = {
      id: randomUUID(),
      procedure_id: card.id,
      office_id: card.office_id,
      subject,
      applicant_name: applicantName,
      applicant_fiscal_code: fiscal.applicantFiscalCode,
      applicant_vat_number: fiscal.applicantVatNumber,
      legal_representative_fiscal_code: fiscal.legalRepresentativeFiscalCode,
      received_on: receivedOn,
      protocol_number: protocolNumber,
      mobile: contacts.mobile,
      email: contacts.email,
      notify_sms: contacts.notifySms,
      notify_email: contacts.notifyEmail,
      notify_io: contacts.notifyIo,
      state: 'enrolled' as const,
      deadline: deadline.deadline,
      deadline_provisional: deadline.provisional,
      ...termColumns,
      password_hash: passwordHash,
      // millisecond precision, like the cursor that pages through cases
      created_at: deps.clock.now(),
    };
    // 40 random bits: a clash is rare, and the unique index turns one into another draw, not a duplicate
    let row: CaseRow | undefined;
    while (!row) {
      row = await trx.insertInto('cases').values({ ...values, code: newCaseCode(card.administration_code) })
        .onConflict((oc) => oc.column('code').doNothing()).returningAll().executeTakeFirst();
    }
    const { id, code } = row;
    if (input.formToken) await useFormToken(trx, input.formToken, code);
    if (input.adhesionRequestId) await markRequestEnrolled(trx, actor, input.adhesionRequestId, { caseId: id, code, officeId: card.office_id }, deps.clock.now());
    const { password_hash: _secret, id: _id, ...rest } = values;
    const visible = { id, code, ...rest };
    await audit(trx, actor, { action: 'case.enrol', entity: 'case', entityId: code, officeId: card.office_id, after: visible });
    // enrolment is not a state change: no message yet, but every later message carries this password
    await storeCaseCredentials(trx, deps.credentialsKeys, { caseId: id, password, passwordHash });
    return { code, password, passwordHash, view: viewOf(row, { ...card, indemnity_paid_cents: 0 }, [], calendar, today) };
  });
}

export interface RecordEventOptions {
  /** the version the user saw; a different current version means someone else recorded meanwhile */
  expectedVersion?: number | undefined;
}

export interface RecordedEvent {
  caseId: string;
  code: string;
  seq: number;
  state: CaseState;
  version: number;
  deadline: DeadlineResult;
  /** the case as it stands after the event, as getCaseView would read it */
  view: CaseView;
}

export function toDomainEvent(row: CaseEventRow): CaseEvent {
  return {
    type: row.type,
    effectiveOn: row.effective_on,
    reason: row.reason,
    notes: row.notes,
    suspensionKind: row.suspension_kind ?? undefined,
    legalBasis: row.legal_basis ?? undefined,
    outcome: row.outcome ?? undefined,
  };
}

/** The texts and the date of an event, every one checked before any is refused. */
export function checkCommandTexts(command: CaseCommand): CaseCommand {
  const checks = new Checks();
  checks.run(() => onField('effectiveOn', () => parseIsoDate(command.effectiveOn)), undefined);
  if (command.type === 'suspend') checks.run(() => limitedText(command.legalBasis, 'legalBasis', 'Base giuridica'), '');
  checks.run(() => limitedText(command.reason, 'reason', 'Motivo'), '');
  checks.run(() => limitedText(command.notes, 'notes', 'Note'), '');
  checks.done();
  return command;
}

/** Records a state change: load, decide, save the event, the new state and the audit entry in one transaction. */
export async function recordEvent(
  deps: CaseDeps,
  actor: Actor,
  code: string,
  command: CaseCommand,
  options: RecordEventOptions = {},
): Promise<RecordedEvent> {
  checkCommandTexts(command);
  return inTransaction(deps.db, async (trx) => {
    let query = trx.selectFrom('cases').selectAll().where('code', '=', code).forUpdate();
    if (actor.officeId) query = query.where('office_id', '=', actor.officeId);
    const current = await query.executeTakeFirst();
    if (!current) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new DomainError(
        'conflict',
        `La pratica ${code} è stata aggiornata da un'altra persona mentre la si modificava: ricaricare la pagina e verificare prima di registrare di nuovo.`,
        { expectedVersion: options.expectedVersion, currentVersion: current.version },
      );
    }
    const eventRows = await trx.selectFrom('case_events').selectAll().where('case_id', '=', current.id).orderBy('seq').execute();
    const events = eventRows.map(toDomainEvent);
    const terms = termsOfCase(current);
    const calendar = await calendarOf(trx, deps.calendar);
    const decision = decide(
      { state: current.state, receivedOn: current.received_on, events },
      command,
      { today: deps.clock.today(), terms, calendar },
    );
    const seq = eventRows.length + 1;
    const { event } = decision;
    const eventRow = await trx
      .insertInto('case_events')
      .values({
        case_id: current.id,
        seq,
        type: event.type,
        effective_on: event.effectiveOn,
        recorded_at: deps.clock.now(),
        recorded_by: actor.name,
        reason: event.reason,
        notes: event.notes,
        suspension_kind: event.suspensionKind ?? null,
        legal_basis: event.legalBasis ?? null,
        outcome: event.outcome ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const version = current.version + 1;
    const changes = {
      state: decision.state,
      deadline: decision.deadline.deadline,
      deadline_provisional: decision.deadline.provisional,
      outcome: event.type === 'close' ? (event.outcome ?? null) : current.outcome,
      closed_on: event.type === 'close' ? event.effectiveOn : current.closed_on,
      version,
    };
    // the reports' per-case figures (migration 0005) change with the events, in the same transaction; derived
    // without "today", as refreshCaseFigures does, so that they do not age
    const figures = figuresOf(current, caseDeadline(current.received_on, [...events, event], terms, calendar));
    const { position, ...updated } = await trx
      .updateTable('cases')
      .set({ ...changes, updated_at: deps.clock.now(), suspended_days: figures.suspendedDays, figures_at: sql`now()` })
      .where('id', '=', current.id)
      .returningAll()
      // the place of this event's messages in the queue, taken with the update rather than in a round trip of its own
      .returning(sql<number>`nextval('notification_position')::int8`.as('position'))
      .executeTakeFirstOrThrow();
    // only a suspension leaves rows there: a case never suspended has none to replace
    if ([...events, event].some((e) => e.type === 'suspend')) await replaceSuspensions(trx, [current.id], figures.suspensions);
    await audit(trx, actor, {
      action: `case.${event.type}`,
      entity: 'case',
      entityId: code,
      officeId: current.office_id,
      before: { state: current.state, deadline: current.deadline, version: current.version },
      after: { ...changes, event: { seq, ...event } },
    });
    const card = await loadCaseCard(trx, current);
    // the messages commit with the event or not at all
    await enqueueEventNotifications(trx, { row: updated, card, calendar, seq, event, previousDeadline: current.deadline, position: Number(position) });
    const view = viewOf(updated, card, [...eventRows, eventRow], calendar, deps.clock.today());
    return { caseId: current.id, code, seq, state: decision.state, version, deadline: decision.deadline, view };
  });
}

export interface CaseEventView {
  seq: number;
  type: EventType;
  effectiveOn: IsoDate;
  recordedAt: Date;
  recordedBy: string;
  reason: string;
  notes: string;
  suspensionKind: SuspensionKind | null;
  legalBasis: string | null;
  outcome: Outcome | null;
}

export interface CaseView {
  /** with the term that binds the case (its term_* columns) */
  case: Omit<CaseRow, 'password_hash'>;
  /** the card as it is now, without its term: the case's own is in `case` */
  procedure: Omit<ProcedureRow, keyof CaseTermColumns>;
  office: { code: string; name: string; address: string; phone: string | null; email: string | null; pec: string | null; openingHours: string | null };
  responsible: { name: string; phone: string | null; email: string };
  administration: { name: string; pec: string | null; website: string | null };
  events: CaseEventView[];
  deadline: DeadlineResult;
  /** days from today to the deadline: negative when overdue; null while the deadline is unknown or the case is closed */
  daysRemaining: number | null;
  overdue: boolean;
  closing: ClosingFigures | null;
  allowedEvents: EventType[];
  /** what the citizen can do once the office is late (substitute power, indemnity, silenzio-assenso) */
  remedies: CaseRemedies;
  /** the indemnity for delay paid so far, in euro cents (art. 28 D.L. 69/2013) */
  indemnityPaidCents: number;
  /** where to write to the holder of the substitute power (their PEC, else their e-mail), when known */
  substituteAddress: string | null;
}

export type CaseRemedyColumns = Pick<CaseRow, 'received_on' | 'business_activity' | 'silenzio_assenso'> & CaseTermColumns;

/** A case's deadline for today and its remedies, from its row and its events: the case page, a payment, the report. */
export function caseRemediesOf(row: CaseRemedyColumns, events: readonly CaseEvent[], calendar: HolidayCalendar, today: IsoDate): { deadline: DeadlineResult; remedies: CaseRemedies } {
  const terms = termsOfCase(row);
  const deadline = caseDeadline(row.received_on, events, terms, calendar, today);
  return {
    deadline,
    remedies: caseRemedies({ receivedOn: row.received_on, events, deadline, terms, businessActivity: row.business_activity, silenzioAssenso: row.silenzio_assenso, calendar, today }),
  };
}

/** Everything about one case, with the deadline recomputed for today. `officeId` null: any office. */
export async function getCaseView(deps: CaseDeps, officeId: string | null, code: string): Promise<CaseView> {
  let query = deps.db.selectFrom('cases').selectAll().where('code', '=', code);
  if (officeId) query = query.where('office_id', '=', officeId);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
  return presentCase(deps, row);
}

async function presentCase(deps: CaseDeps, row: CaseRow): Promise<CaseView> {
  const { db } = deps;
  // one round trip: the card, the events, the calendar
  const [card, eventRows, calendar] = await Promise.all([
    loadCaseCard(db, row),
    db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('seq').execute(),
    calendarOf(db, deps.calendar),
  ]);
  return viewOf(row, card, eventRows, calendar, deps.clock.today());
}

/** The case as its pages and the API show it, from what was read (or just written) about it. */
function viewOf(row: CaseRow, card: CaseCard & { indemnity_paid_cents: number | string | null }, eventRows: readonly CaseEventRow[], calendar: HolidayCalendar, today: IsoDate): CaseView {
  const {
    office_code, office_name, office_address, office_phone, office_email, office_pec, office_opening_hours,
    administration_name, administration_pec, administration_website, administration_substitute_power, responsible_name, responsible_phone, responsible_email,
    administration_code: _prefix, administration_support_email: _support, administration_start_communication_basis: _basis, indemnity_paid_cents,
    term_text: _text, term_amount: _amount, term_unit: _unit, saturday_working: _working, saturday_moves_deadline: _moves, silenzio_assenso: _silence, business_activity: _business,
    ...procedure
  } = card;
  const events = eventRows.map(toDomainEvent);
  const { deadline, remedies } = caseRemediesOf(row, events, calendar, today);
  const closed = row.state === 'closed' && row.closed_on !== null;
  const daysRemaining = !closed && deadline.deadline ? daysBetween(today, deadline.deadline) : null;
  const { password_hash: _secret, ...visible } = row;
  const substitute = substituteFor({ name: procedure.substitute_name, contact: procedure.substitute_contact }, administration_substitute_power);
  return {
    case: visible,
    procedure: { ...procedure, substitute_name: substitute.name, substitute_contact: substitute.contact },
    office: {
      code: office_code, name: office_name, address: office_address, phone: office_phone, email: office_email, pec: office_pec,
      openingHours: office_opening_hours,
    },
    responsible: { name: responsible_name, phone: responsible_phone, email: responsible_email },
    administration: { name: administration_name, pec: administration_pec, website: administration_website },
    events: eventRows.map((e) => ({
      seq: e.seq,
      type: e.type,
      effectiveOn: e.effective_on,
      recordedAt: e.recorded_at,
      recordedBy: e.recorded_by,
      reason: e.reason,
      notes: e.notes,
      suspensionKind: e.suspension_kind,
      legalBasis: e.legal_basis,
      outcome: e.outcome,
    })),
    deadline,
    daysRemaining,
    overdue: daysRemaining !== null && daysRemaining < 0,
    closing: closed ? closingFigures(row.received_on, row.closed_on!, deadline) : null,
    allowedEvents: eventsOffered(row.state, allowedEvents(row.state), remedies),
    remedies,
    indemnityPaidCents: Number(indemnity_paid_cents),
    substituteAddress: substituteAddress({ name: procedure.substitute_name, contact: procedure.substitute_contact }, administration_substitute_power),
  };
}

/** Lower case without accents, as the trigram indexes hold the applicant and the subject (migration 0021). */
const searchText = (value: Expression<string>) => sql<string>`search_text(${value})`;

/**
 * The free-text search of case lists: exact case code or protocol number, or part of the applicant or subject
 * regardless of accents and case.
 */
function caseMatchesText(text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (eb: ExpressionBuilder<Database, 'cases'>) =>
    eb.or([
      eb('cases.code', '=', text.toUpperCase()),
      eb('cases.protocol_number', '=', text),
      eb(searchText(eb.ref('cases.applicant_name')), 'like', searchText(eb.val(pattern))),
      eb(searchText(eb.ref('cases.subject')), 'like', searchText(eb.val(pattern))),
    ]);
}

/** Up to this many cases matching a search term are listed by id (see caseTextFilter). */
const FEW_MATCHES = 1_000;
/** An id no case has: a filter that matches nothing. */
export const NO_CASE = '00000000-0000-0000-0000-000000000000';

/**
 * The condition of a case list's free-text search. A rare term (a name, a firm) inside a filter would make
 * PostgreSQL walk the filter's index in page order testing each row; so the matching cases are found first,
 * in no order (the trigram indexes), and when few the list is made of them. A common term is dense enough
 * for the walk to end soon. (Filters are left out of this first query: with them the planner walks the
 * filter's index again.)
 */
export async function caseTextFilter(db: Db, text: string) {
  const matches = await db.selectFrom('cases').select('id').where(caseMatchesText(text)).limit(FEW_MATCHES + 1).execute();
  if (matches.length > FEW_MATCHES) return caseMatchesText(text);
  const ids = matches.length ? matches.map((m) => m.id) : [NO_CASE];
  return (eb: ExpressionBuilder<Database, 'cases'>) => eb('cases.id', 'in', ids);
}

/** The rows of a case list: each case with its procedure and office, as CaseSummary needs them. */
export function caseListQuery(db: Db) {
  return db
    .selectFrom('cases')
    .innerJoin('procedures', 'procedures.id', 'cases.procedure_id')
    .innerJoin('offices', 'offices.id', 'cases.office_id')
    .select([
      'cases.id', 'cases.code', 'cases.state', 'cases.subject', 'cases.applicant_name', 'cases.received_on', 'cases.protocol_number',
      'cases.deadline', 'cases.created_at', 'procedures.code as procedure_code', 'procedures.name as procedure_name',
      'offices.code as office_code',
    ]);
}

export interface CaseFilters {
  state?: CaseState | undefined;
  procedureCode?: string | undefined;
  officeCode?: string | undefined;
  overdue?: boolean | undefined;
  /** open cases whose deadline falls within this many days from today */
  dueWithinDays?: number | undefined;
  /** case code, applicant, subject or protocol number */
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface CaseSummary {
  code: string;
  state: CaseState;
  subject: string;
  applicantName: string;
  receivedOn: IsoDate;
  protocolNumber: string;
  procedureCode: string;
  procedureName: string;
  officeCode: string;
  deadline: IsoDate | null;
  daysRemaining: number | null;
  createdAt: Date;
}

interface Cursor {
  createdAt: string;
  id: string;
}

function decodeCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof cursor.createdAt === 'string' && isIsoTimestamp(cursor.createdAt) && typeof cursor.id === 'string' && isUuid(cursor.id)) return cursor;
  } catch {
    // fall through to the error below
  }
  throw new DomainError('invalid-input', 'Il cursore di paginazione non è valido: ripartire dalla prima pagina.', { field: 'cursor' });
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Newest first, with a keyset cursor so that a page costs the same at any depth. */
export async function listCases(
  deps: CaseDeps,
  officeId: string | null,
  filters: CaseFilters,
): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 200);
  const today = deps.clock.today();
  let query = caseListQuery(deps.db);
  if (officeId) query = query.where('cases.office_id', '=', officeId);
  if (filters.state) query = query.where('cases.state', '=', filters.state);
  if (filters.procedureCode) query = query.where('procedures.code', '=', filters.procedureCode);
  if (filters.officeCode) query = query.where('offices.code', '=', filters.officeCode);
  if (filters.overdue !== undefined) {
    query = filters.overdue
      ? query.where('cases.state', '!=', 'closed').where('cases.deadline', '<', today)
      : query.where((eb) => eb.or([eb('cases.state', '=', 'closed'), eb('cases.deadline', '>=', today), eb('cases.deadline', 'is', null)]));
  }
  if (filters.dueWithinDays !== undefined) {
    query = query
      .where('cases.state', '!=', 'closed')
      .where('cases.deadline', '>=', today)
      .where('cases.deadline', '<=', sql<string>`(${today}::date + ${filters.dueWithinDays}::int)`);
  }
  const q = filters.q?.trim();
  if (q) query = query.where(await caseTextFilter(deps.db, q));
  if (filters.cursor) {
    const cursor = decodeCursor(filters.cursor);
    query = query.where((eb) =>
      eb.or([
        eb('cases.created_at', '<', new Date(cursor.createdAt)),
        eb.and([eb('cases.created_at', '=', new Date(cursor.createdAt)), eb('cases.id', '<', cursor.id)]),
      ]),
    );
  }
  const rows = await query.orderBy('cases.created_at', 'desc').orderBy('cases.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      code: r.code,
      state: r.state,
      subject: r.subject,
      applicantName: r.applicant_name,
      receivedOn: r.received_on,
      protocolNumber: r.protocol_number,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      officeCode: r.office_code,
      deadline: r.deadline,
      daysRemaining: r.state !== 'closed' && r.deadline ? daysBetween(today, r.deadline) : null,
      createdAt: r.created_at,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at.toISOString(), id: last.id }) : null,
  };
}
