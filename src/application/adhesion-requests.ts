/**
 * Online adhesion requests (docs/portal.md): a citizen asks from the procedure's public card to follow the
 * application they filed; the office enrols the case from the request, adds its contacts to the case with the
 * same protocol number, or dismisses it. The requester is told nothing about any case: the answer to a request
 * is the same whether or not the protocol number exists.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import { checkAdhesionRequest } from '../domain/adhesion-request.ts';
import type { AdhesionRequestInput } from '../domain/adhesion-request.ts';
import { DISMISS_REASON_LIMIT } from '../domain/adhesion-request.ts';
import { chosenChannels, validateContacts } from '../domain/case/contacts.ts';
import type { Channel, IoCoverage } from '../domain/case/contacts.ts';
import { addDays } from '../domain/deadline/index.ts';
import { DomainError } from '../domain/errors.ts';
import { isUuid } from '../domain/text.ts';
import { loadAdhesionProcedure } from './adhesion.ts';
import { audit } from './audit.ts';
import type { Actor } from './audit.ts';
import { lockCase, saveContacts } from './backoffice/case-admin.ts';
import type { Clock } from './clock.ts';
import { reserveAttempt } from './portal/sign-in.ts';
import { inTransaction } from './transaction.ts';

export interface AdhesionRequestDeps {
  db: Db;
  clock: Clock;
  io?: IoCoverage | undefined;
}

export type SubmitResult = { ok: true } | { ok: false; retryAt: Date };

/**
 * Stores a request for an active procedure with a numeric term. Only a request that would be stored takes a
 * token from the address's bucket (the sign-in's, under a key of its own): a form corrected costs nothing.
 */
export async function submitAdhesionRequest(deps: AdhesionRequestDeps, procedureCode: string, input: AdhesionRequestInput, address: string): Promise<SubmitResult> {
  const { procedure, ioOffered } = await loadAdhesionProcedure(deps.db, null, procedureCode, deps.io);
  const checked = checkAdhesionRequest(input, { today: deps.clock.today(), ioOffered });
  const now = deps.clock.now();
  const admission = await reserveAttempt(deps.db, { address: `adhesion-ip:${address}` }, now);
  if (!admission.allowed) return { ok: false, retryAt: admission.retryAt };
  await deps.db.insertInto('adhesion_requests').values({
    id: randomUUID(), procedure_id: procedure.id, office_id: procedure.office_id,
    applicant_name: checked.applicantName, protocol_number: checked.protocolNumber, protocol_date: checked.protocolDate,
    fiscal_code: checked.fiscalCode, mobile: checked.contacts.mobile, email: checked.contacts.email,
    notify_sms: checked.contacts.notifySms, notify_email: checked.contacts.notifyEmail, notify_io: checked.contacts.notifyIo,
    consent_at: now, created_at: now,
  }).execute();
  return { ok: true };
}

export interface PendingRequest {
  id: string;
  createdAt: Date;
  procedureCode: string;
  procedureName: string;
  officeName: string;
  applicantName: string;
  protocolNumber: string;
  protocolDate: string;
  fiscalCode: string | null;
  mobile: string | null;
  email: string | null;
  channels: Channel[];
  /** the case of the office with the same protocol number, if one exists */
  matchingCaseCode: string | null;
}

function pendingQuery(db: Db, officeId: string | null) {
  let query = db
    .selectFrom('adhesion_requests as r')
    .innerJoin('procedures', 'procedures.id', 'r.procedure_id')
    .innerJoin('offices', 'offices.id', 'r.office_id')
    .where('r.status', '=', 'pending');
  if (officeId) query = query.where('r.office_id', '=', officeId);
  return query;
}

/**
 * The pending requests of the office (every office: null), oldest first, each with the case that has its protocol
 * number (the first enrolled, then by code: the same one `addRequestContactsToCase` takes).
 */
export async function listPendingRequests(db: Db, officeId: string | null): Promise<PendingRequest[]> {
  const rows = await pendingQuery(db, officeId)
    .select((eb) => [
      'r.id', 'r.created_at', 'procedures.code as procedure_code', 'procedures.name as procedure_name', 'offices.name as office_name',
      'r.applicant_name', 'r.protocol_number', 'r.protocol_date', 'r.fiscal_code', 'r.mobile', 'r.email', 'r.notify_sms', 'r.notify_email', 'r.notify_io',
      eb.selectFrom('cases').select('cases.code').whereRef('cases.office_id', '=', 'r.office_id').whereRef('cases.protocol_number', '=', 'r.protocol_number')
        .orderBy('cases.created_at').orderBy('cases.code').limit(1).as('matching_case_code'),
    ])
    .orderBy('r.created_at')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id, createdAt: r.created_at, procedureCode: r.procedure_code, procedureName: r.procedure_name, officeName: r.office_name,
    applicantName: r.applicant_name, protocolNumber: r.protocol_number, protocolDate: r.protocol_date, fiscalCode: r.fiscal_code,
    mobile: r.mobile, email: r.email, channels: chosenChannels({ notifySms: r.notify_sms, notifyEmail: r.notify_email, notifyIo: r.notify_io }),
    matchingCaseCode: r.matching_case_code ?? null,
  }));
}

export async function countPendingRequests(db: Db, officeId: string | null): Promise<number> {
  const row = await pendingQuery(db, officeId).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One pending request of the office, for the enrolment form it fills in; not found outside the office. */
export async function pendingRequest(db: Db, officeId: string | null, id: string): Promise<PendingRequest> {
  const found = isUuid(id) ? (await listPendingRequests(db, officeId)).find((r) => r.id === id) : undefined;
  if (!found) throw new DomainError('not-found', 'Richiesta di adesione non trovata o già trattata.');
  return found;
}

/** The pending request, locked, in the actor's office. */
async function lockPending(trx: Db, actor: Actor, id: string) {
  let query = trx.selectFrom('adhesion_requests').selectAll().where('id', '=', isUuid(id) ? id : '00000000-0000-0000-0000-000000000000').forUpdate();
  if (actor.officeId) query = query.where('office_id', '=', actor.officeId);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('not-found', 'Richiesta di adesione non trovata.');
  if (row.status !== 'pending') throw new DomainError('conflict', 'La richiesta di adesione è già stata trattata da un\'altra persona: ricaricare l\'elenco.');
  return row;
}

function handled(actor: Actor, now: Date) {
  return { handled_by: `${actor.kind}:${actor.id}`, handled_at: now };
}

/** Part of the enrolment's transaction: the request enrolled is marked so and linked to its new case. */
export async function markRequestEnrolled(trx: Db, actor: Actor, id: string, enrolled: { caseId: string; code: string; officeId: string }, now: Date): Promise<void> {
  const row = await lockPending(trx, actor, id);
  if (row.office_id !== enrolled.officeId) throw new DomainError('invalid-input', 'La richiesta di adesione è per un procedimento di un altro ufficio.', { field: 'procedureCode' });
  await trx.updateTable('adhesion_requests').set({ status: 'enrolled', case_id: enrolled.caseId, ...handled(actor, now) }).where('id', '=', row.id).execute();
  await audit(trx, actor, { action: 'adhesion-request.enrolled', entity: 'case', entityId: enrolled.code, officeId: row.office_id, after: { request: row.id, protocolNumber: row.protocol_number } });
}

/**
 * The case with the request's protocol number already exists: the request's contacts and channels become the
 * case's (the citizen's own, latest choice), the request is linked to it. App IO goes by the fiscal code the case has.
 */
export async function addRequestContactsToCase(deps: AdhesionRequestDeps, actor: Actor, id: string): Promise<string> {
  return inTransaction(deps.db, async (trx) => {
    const request = await lockPending(trx, actor, id);
    const match = await trx.selectFrom('cases').select('code').where('office_id', '=', request.office_id).where('protocol_number', '=', request.protocol_number)
      .orderBy('created_at').orderBy('code').limit(1).executeTakeFirst();
    if (!match) throw new DomainError('not-found', `Nessuna pratica dell'ufficio ha il protocollo ${request.protocol_number}.`);
    const row = await lockCase(trx, actor, match.code, undefined);
    const channels = chosenChannels({ notifySms: request.notify_sms, notifyEmail: request.notify_email, notifyIo: request.notify_io });
    const contacts = validateContacts({ mobile: request.mobile ?? row.mobile, email: request.email ?? row.email, fiscalCode: row.applicant_fiscal_code, fiscalCodeField: 'channels', channels });
    await saveContacts(trx, deps, actor, row, contacts);
    await trx.updateTable('adhesion_requests').set({ status: 'enrolled', case_id: row.id, ...handled(actor, deps.clock.now()) }).where('id', '=', request.id).execute();
    await audit(trx, actor, { action: 'adhesion-request.linked', entity: 'case', entityId: row.code, officeId: row.office_id, after: { request: request.id, protocolNumber: request.protocol_number } });
    return row.code;
  });
}

/** The office dismisses a request (the protocol number names no application of the citizen, a duplicate...), saying why. */
export async function dismissRequest(deps: AdhesionRequestDeps, actor: Actor, id: string, reasonText: string): Promise<void> {
  const reason = reasonText.trim();
  if (reason === '') throw new DomainError('invalid-input', 'Indicare il motivo per cui si scarta la richiesta.', { field: `reason-${id}` });
  if (reason.length > DISMISS_REASON_LIMIT) throw new DomainError('invalid-input', `Il motivo supera i ${DISMISS_REASON_LIMIT} caratteri.`, { field: `reason-${id}` });
  await inTransaction(deps.db, async (trx) => {
    const row = await lockPending(trx, actor, id);
    await trx.updateTable('adhesion_requests').set({ status: 'dismissed', dismiss_reason: reason, ...handled(actor, deps.clock.now()) }).where('id', '=', row.id).execute();
    await audit(trx, actor, { action: 'adhesion-request.dismissed', entity: 'adhesion-request', entityId: row.id, officeId: row.office_id, after: { protocolNumber: row.protocol_number, reason } });
  });
}

const RETENTION_ACTOR: Actor = { kind: 'system', id: 'retention', name: 'Conservazione dei dati', officeId: null };

/**
 * GDPR art. 5(1)(e): a request's contacts serve only until the office handles it (they are then on the case, or
 * of no use); a request left pending `days` is dismissed. Either way its contacts and fiscal code are erased.
 * Returns the requests erased.
 */
export async function eraseHandledRequestContacts(deps: { db: Db; clock: Clock }, days: number): Promise<number> {
  const now = deps.clock.now();
  const olderThan = new Date(`${addDays(deps.clock.today(), -days)}T00:00:00Z`);
  return inTransaction(deps.db, async (trx) => {
    const expired = await trx.updateTable('adhesion_requests')
      .set({ status: 'dismissed', dismiss_reason: 'decorso il termine di conservazione', handled_by: 'system:retention', handled_at: now })
      .where('status', '=', 'pending').where('created_at', '<', olderThan)
      .returning(['id', 'office_id']).execute();
    const erased = await trx.updateTable('adhesion_requests')
      .set({ mobile: null, email: null, fiscal_code: null, contacts_erased_at: now })
      .where('status', '!=', 'pending').where('contacts_erased_at', 'is', null)
      .returning(['id', 'office_id']).execute();
    for (const r of erased) {
      await audit(trx, RETENTION_ACTOR, { action: 'adhesion-request.contacts-erased', entity: 'adhesion-request', entityId: r.id, officeId: r.office_id, after: { expired: expired.some((e) => e.id === r.id), retentionDays: days } });
    }
    return erased.length;
  });
}
