import { randomUUID } from 'node:crypto';
import { substituteFor } from '../domain/administration/setup.ts';
import { sql } from 'kysely';
import type { Db } from '../adapters/db/database.ts';
import type { CaseNotificationRow, CaseRow } from '../adapters/db/schema.ts';
import type { Channel } from '../domain/case/contacts.ts';
import { daysBetween, formatTerm, halfTerm, lastSubstituteRequestDay } from '../domain/deadline/index.ts';
import type { HolidayCalendar, IsoDate } from '../domain/deadline/index.ts';
import { loadCalendar } from './calendar.ts';
import { loadCaseCard } from './case-card.ts';
import type { CaseCard } from './case-card.ts';
import { DomainError } from '../domain/errors.ts';
import { CANCELLABLE_STATUSES, STATUS_LABELS, messageContext, messageKindOf, recipientsFor } from '../domain/notification/index.ts';
import type { MessageFacts, MessageKind, NotificationStatus, Recipients } from '../domain/notification/index.ts';
import type { CaseEvent } from '../domain/case/decide.ts';
import { describeTerm } from '../domain/procedure.ts';
import { audit } from './audit.ts';
import type { Actor } from './audit.ts';
import { hashPassword, newPassword } from './credentials.ts';
import { sealPassword } from './notifications/secrets.ts';
import type { CredentialsKeys } from './notifications/secrets.ts';
import type { Services } from './services.ts';
import { inTransaction } from './transaction.ts';

/**
 * Notifications are written in the caller's transaction, beside the event that causes them: if the event
 * commits, its messages exist; if it rolls back, they never did. Nothing is sent from here — the
 * dispatcher (src/worker) sends what the table holds.
 */

/** At enrolment: keep the password sealed beside its hash, so that every message can carry it. */
export async function storeCaseCredentials(trx: Db, keys: CredentialsKeys, input: { caseId: string; password: string; passwordHash: string }): Promise<void> {
  const sealed = sealPassword(input.password, input.passwordHash, keys);
  await trx
    .insertInto('case_credentials')
    .values({ case_id: input.caseId, sealed })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ sealed, updated_at: sql`now()` }))
    .execute();
}

/** D.L. 69/2013 art. 28 c.1: the start communication tells of the indemnity where it applies, how and by when. */
function indemnityFacts(
  row: Pick<CaseRow, 'business_activity' | 'silenzio_assenso' | 'received_on' | 'deadline' | 'term_amount' | 'term_unit' | 'saturday_moves_deadline'>,
  calendar: HolidayCalendar,
) {
  const substituteTerm = formatTerm(halfTerm(row.received_on, { amount: row.term_amount, unit: row.term_unit }));
  if (!row.business_activity || row.silenzio_assenso) return { indemnity: false, substituteTerm };
  const indemnityRequestBy = row.deadline ? lastSubstituteRequestDay(row.deadline, { calendar, saturdayMovesDeadline: row.saturday_moves_deadline }) : null;
  return { indemnity: true, substituteTerm, indemnityRequestBy };
}

export type CaseMessageFacts = MessageFacts & { recipients: Recipients; closedOn: IsoDate | null };

/** Everything a message says about a case, from its row (the case's own term, as at enrolment: migration 0012) and its card. */
export function messageFactsOf(row: CaseRow, card: CaseCard, calendar: HolidayCalendar): CaseMessageFacts {
  const substitute = substituteFor({ name: card.substitute_name, contact: card.substitute_contact }, card.administration_substitute_power);
  return {
    administration: {
      name: card.administration_name, pec: card.administration_pec, supportEmail: card.administration_support_email,
      startCommunicationBasis: card.administration_start_communication_basis,
    },
    procedure: {
      name: card.name,
      legalBasis: card.legal_basis,
      term: describeTerm({ name: card.name, termText: row.term_text, termAmount: row.term_amount, termUnit: row.term_unit, active: true }),
      silenzioAssenso: row.silenzio_assenso,
      ...indemnityFacts(row, calendar),
      substituteName: substitute.name,
      substituteContact: substitute.contact,
    },
    office: {
      name: card.office_name, address: card.office_address, phone: card.office_phone, email: card.office_email, pec: card.office_pec,
      openingHours: card.office_opening_hours,
    },
    responsible: { name: card.responsible_name, phone: card.responsible_phone, email: card.responsible_email },
    case: {
      code: row.code, subject: row.subject, applicantName: row.applicant_name, protocolNumber: row.protocol_number,
      receivedOn: row.received_on, deadline: row.deadline, deadlineProvisional: row.deadline_provisional,
    },
    recipients: {
      mobile: row.mobile, email: row.email, fiscalCode: row.applicant_fiscal_code, notifySms: row.notify_sms, notifyEmail: row.notify_email,
      notifyIo: row.notify_io, optedOut: row.opted_out_at !== null,
    },
    closedOn: row.closed_on,
  };
}

/** Everything a message says about a case, read afresh. */
export async function loadMessageFacts(db: Db, caseId: string): Promise<CaseMessageFacts> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  const [card, calendar] = await Promise.all([loadCaseCard(db, row), loadCalendar(db)]);
  return messageFactsOf(row, card, calendar);
}

export interface EnqueuedNotification {
  id: string;
  channel: Channel;
  recipient: string;
  kind: MessageKind;
}

async function insertNotifications(
  trx: Db,
  caseId: string,
  kind: MessageKind,
  eventSeq: number | null,
  facts: MessageFacts,
  targets: { channel: Channel; recipient: string }[],
  taken?: number,
): Promise<EnqueuedNotification[]> {
  if (targets.length === 0) return [];
  // the messages of one event share a position: a later event's messages wait for them
  const position = taken ?? (await sql<{ position: number }>`SELECT nextval('notification_position')::int8 AS position`.execute(trx).then((r) => r.rows[0]!.position));
  const rows = targets.map((t) => ({
    id: randomUUID(),
    position,
    case_id: caseId,
    event_seq: eventSeq,
    kind,
    channel: t.channel,
    recipient: t.recipient,
    context: JSON.stringify(messageContext(facts, t.channel)),
  }));
  await trx.insertInto('notifications').values(rows).execute();
  return rows.map((r) => ({ id: r.id, channel: r.channel, recipient: r.recipient, kind }));
}

/**
 * Called by recordEvent inside its transaction, after the event row and the case update, with what it read and
 * wrote there: one message per channel the citizen chose, for the events that change the state (docs/domain.md,
 * the service, 4). `position` is the event's place in the message queue, taken with the case update.
 */
export async function enqueueEventNotifications(
  trx: Db,
  input: { row: CaseRow; card: CaseCard; calendar: HolidayCalendar; seq: number; event: CaseEvent; previousDeadline: IsoDate | null; position: number },
): Promise<EnqueuedNotification[]> {
  const kind = messageKindOf(input.event.type);
  if (!kind) return [];
  const facts = messageFactsOf(input.row, input.card, input.calendar);
  const targets = recipientsFor(facts.recipients, kind);
  if (targets.length === 0) return [];
  return insertNotifications(trx, input.row.id, kind, input.seq, eventMessageFacts(facts, input.event, input.previousDeadline), targets, input.position);
}

/**
 * What an event's message says, from the case as it stands after the event: used when the event is recorded
 * and by the back office's preview of it, so that the two say the same.
 */
export function eventMessageFacts(facts: MessageFacts, event: CaseEvent, previousDeadline: IsoDate | null): MessageFacts {
  const closing =
    event.type === 'close'
      ? { late: facts.case.deadline !== null && event.effectiveOn > facts.case.deadline, grossDays: daysBetween(facts.case.receivedOn, event.effectiveOn) }
      : null;
  return { ...facts, event, previousDeadline, closing };
}

/** The messages an event would queue, with their stored contexts: what the preview renders. */
export function eventMessageContexts(facts: MessageFacts & { recipients: Recipients }, event: CaseEvent, previousDeadline: IsoDate | null) {
  const full = eventMessageFacts(facts, event, previousDeadline);
  return recipientsFor(facts.recipients, messageKindOf(event.type)).map((target) => ({ ...target, context: messageContext(full, target.channel) }));
}

export interface NotificationDeps extends Pick<Services, 'clock'> {
  db: Db;
}

async function lockCase(trx: Db, actor: Actor, code: string) {
  let query = trx.selectFrom('cases').select(['id', 'code', 'office_id', 'opted_out_at', 'password_hash']).where('code', '=', code).forUpdate();
  if (actor.officeId) query = query.where('office_id', '=', actor.officeId);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
  return row;
}

/**
 * "Invio EMAIL/SMS" (docs/domain.md, the service, 7): the office sends the login again to the contacts the citizen chose.
 * With `newPassword` the old password stops working (e.g. it reached someone else).
 */
export async function resendCredentials(
  deps: NotificationDeps & Pick<Services, 'credentialsKeys'>,
  actor: Actor,
  code: string,
  options: { newPassword?: boolean } = {},
): Promise<EnqueuedNotification[]> {
  const password = options.newPassword ? newPassword() : undefined;
  const passwordHash = password ? await hashPassword(password, deps.credentialsKeys) : undefined;
  return inTransaction(deps.db, async (trx) => {
    const current = await lockCase(trx, actor, code);
    if (current.opted_out_at) {
      throw new DomainError('conflict', `Il cittadino ha lasciato il servizio per la pratica ${code}: non gli si inviano più messaggi.`);
    }
    if (password && passwordHash) {
      await trx.updateTable('cases').set({ password_hash: passwordHash, updated_at: deps.clock.now() }).where('id', '=', current.id).execute();
      await storeCaseCredentials(trx, deps.credentialsKeys, { caseId: current.id, password, passwordHash });
    }
    const facts = await loadMessageFacts(trx, current.id);
    const sent = await insertNotifications(trx, current.id, 'credentials', null, facts, recipientsFor(facts.recipients, 'credentials'));
    await audit(trx, actor, {
      action: 'case.credentials-sent',
      entity: 'case',
      entityId: code,
      officeId: current.office_id,
      after: { channels: sent.map((s) => s.channel), newPassword: Boolean(password) },
    });
    return sent;
  });
}

/**
 * The citizen leaves the service (docs/domain.md, the service, 8), from the portal or through the office alike: from
 * now on nothing is sent, the messages not yet handed to a provider are cancelled, and the contacts, collected only
 * for this service, are erased (GDPR art. 5 c.1 lett. c and e). Repeating it changes nothing.
 */
export async function optOut(deps: NotificationDeps, actor: Actor, code: string): Promise<{ optedOutAt: Date; cancelled: number }> {
  return inTransaction(deps.db, async (trx) => {
    const current = await lockCase(trx, actor, code);
    if (current.opted_out_at) return { optedOutAt: current.opted_out_at, cancelled: 0 };
    const now = deps.clock.now();
    await trx.updateTable('cases').set({
      opted_out_at: now, mobile: null, email: null, notify_sms: false, notify_email: false, notify_io: false, version: sql`version + 1`, updated_at: now,
    }).where('id', '=', current.id).execute();
    const cancelled = await trx
      .updateTable('notifications')
      .set({ status: 'cancelled', updated_at: sql`now()`, last_error: 'il cittadino ha lasciato il servizio' })
      .where('case_id', '=', current.id)
      .where('status', 'in', [...CANCELLABLE_STATUSES])
      .executeTakeFirst();
    const count = Number(cancelled.numUpdatedRows);
    await audit(trx, actor, { action: 'case.opt-out', entity: 'case', entityId: code, officeId: current.office_id, after: { optedOutAt: now, cancelled: count, contactsErased: true } });
    return { optedOutAt: now, cancelled: count };
  });
}

export interface NotificationView {
  id: string;
  kind: MessageKind;
  channel: Channel;
  recipient: string;
  status: NotificationStatus;
  statusLabel: string;
  eventSeq: number | null;
  attempts: number;
  subject: string | null;
  body: string | null;
  provider: string | null;
  providerId: string | null;
  lastError: string | null;
  fallbackOf: string | null;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  /** App IO reports it read */
  readAt: Date | null;
  failedAt: Date | null;
  nextAttemptAt: Date | null;
}

const READ_LABEL = 'consegnato e letto';

export function presentNotification(row: CaseNotificationRow): NotificationView {
  return {
    id: row.id, kind: row.kind, channel: row.channel, recipient: row.recipient, status: row.status, statusLabel: row.read_at ? READ_LABEL : STATUS_LABELS[row.status],
    eventSeq: row.event_seq, attempts: row.attempts, subject: row.subject, body: row.body, provider: row.provider, providerId: row.provider_id,
    lastError: row.last_error, fallbackOf: row.fallback_of, createdAt: row.created_at, sentAt: row.sent_at, deliveredAt: row.delivered_at, readAt: row.read_at,
    failedAt: row.failed_at, nextAttemptAt: row.status === 'temporary-failure' || row.status === 'created' ? row.next_attempt_at : null,
  };
}

/** The messages of a case, in event order, for the staff (what was sent, when, and what went wrong). */
export async function listCaseNotifications(db: Db, officeId: string | null, code: string): Promise<NotificationView[]> {
  let query = db.selectFrom('cases').select('id').where('code', '=', code);
  if (officeId) query = query.where('office_id', '=', officeId);
  const found = await query.executeTakeFirst();
  if (!found) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
  const rows = await db.selectFrom('notifications').selectAll().where('case_id', '=', found.id).orderBy('position').orderBy('created_at').$narrowType<CaseNotificationRow>().execute();
  return rows.map(presentNotification);
}
