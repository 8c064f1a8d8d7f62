import type { Db } from '../../adapters/db/database.ts';
import type { CaseRow } from '../../adapters/db/schema.ts';
import { channelOptions, checkIoChoice, ioOffered, validateContacts } from '../../domain/case/contacts.ts';
import type { Channel, Contacts, IoCoverage } from '../../domain/case/contacts.ts';
import { DomainError } from '../../domain/errors.ts';
import { CHANNEL_LABELS } from '../../domain/notification/index.ts';
import { validateFiscalIdentifiers } from '../../domain/case/fiscal-code.ts';
import type { FiscalIdentifiersInput } from '../../domain/case/fiscal-code.ts';
import { audit } from '../audit.ts';
import { isUuid } from '../../domain/text.ts';
import type { Actor, AuditAction } from '../audit.ts';
import type { Clock } from '../clock.ts';
import { optOut } from '../notifications.ts';
import { inTransaction } from '../transaction.ts';

export interface CaseAdminDeps {
  db: Db;
  clock: Clock;
  /** the offices with an App IO key (IO_API_KEY, IO_API_KEYS); undefined: off */
  io?: IoCoverage | undefined;
}

/** Loads the case for a change, locked, scoped to the actor's office, at the version the user saw. */
export async function lockCase(trx: Db, actor: Actor, code: string, expectedVersion: number | undefined): Promise<CaseRow> {
  let query = trx.selectFrom('cases').selectAll().where('code', '=', code).forUpdate();
  if (actor.officeId) query = query.where('office_id', '=', actor.officeId);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('not-found', `Pratica ${code} non trovata.`);
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw new DomainError(
      'conflict',
      `La pratica ${code} è stata aggiornata da un'altra persona mentre la si modificava: ricaricare la pagina e verificare prima di salvare di nuovo.`,
      { expectedVersion, currentVersion: row.version },
    );
  }
  return row;
}

export interface ContactsChange {
  mobile?: string | null | undefined;
  email?: string | null | undefined;
  channels: Channel[];
}

/** Whether the case's office has App IO now (its own key or the administration's). */
async function ioOfferedTo(trx: Db, io: IoCoverage | undefined, officeId: string): Promise<boolean> {
  if (io === undefined) return false;
  const office = await trx.selectFrom('offices').select('code').where('id', '=', officeId).executeTakeFirstOrThrow();
  return ioOffered(io, office.code);
}

/** The contacts and channels saved on the locked case, with the audit entry; the new version. */
export async function saveContacts(trx: Db, deps: CaseAdminDeps, actor: Actor, row: CaseRow, contacts: Contacts): Promise<number> {
  if (row.opted_out_at) {
    throw new DomainError('illegal-transition', 'Il richiedente ha lasciato il servizio: i recapiti non si usano più.');
  }
  checkIoChoice(contacts, { offered: await ioOfferedTo(trx, deps.io, row.office_id), chosenBefore: row.notify_io });
  const after = { mobile: contacts.mobile, email: contacts.email, notify_sms: contacts.notifySms, notify_email: contacts.notifyEmail, notify_io: contacts.notifyIo };
  const version = row.version + 1;
  await trx.updateTable('cases').set({ ...after, version, updated_at: deps.clock.now() }).where('id', '=', row.id).execute();
  await audit(trx, actor, {
    action: 'case.contacts', entity: 'case', entityId: row.code, officeId: row.office_id,
    before: { mobile: row.mobile, email: row.email, notify_sms: row.notify_sms, notify_email: row.notify_email, notify_io: row.notify_io }, after,
  });
  return version;
}

/** The citizen's contacts are theirs to choose, change or remove (docs/domain.md, GDPR art. 13). */
export async function updateContacts(deps: CaseAdminDeps, actor: Actor, code: string, change: ContactsChange, expectedVersion?: number): Promise<number> {
  return inTransaction(deps.db, async (trx) => {
    const row = await lockCase(trx, actor, code, expectedVersion);
    // App IO reaches the citizen by the fiscal code already on the case, which this form does not edit
    return saveContacts(trx, deps, actor, row, validateContacts({ ...change, fiscalCode: row.applicant_fiscal_code, fiscalCodeField: 'channels' }));
  });
}

/**
 * The citizen chooses, on their case page, which of the case's contacts receive the messages; the addresses
 * themselves stay the office's to record. Only the channels the page offered are accepted.
 */
export async function chooseChannels(deps: CaseAdminDeps, actor: Actor, code: string, channels: readonly string[]): Promise<number> {
  return inTransaction(deps.db, async (trx) => {
    const row = await lockCase(trx, actor, code, undefined);
    const options = channelOptions({
      mobile: row.mobile, email: row.email, fiscalCode: row.applicant_fiscal_code,
      notifySms: row.notify_sms, notifyEmail: row.notify_email, notifyIo: row.notify_io,
    }, await ioOfferedTo(trx, deps.io, row.office_id));
    const offered: readonly string[] = options.map((o) => o.channel);
    if (channels.some((c) => !offered.includes(c))) {
      const names = options.map((o) => CHANNEL_LABELS[o.channel]).join(', ');
      throw new DomainError('channel-unavailable', `Per questa pratica si possono scegliere solo i canali con un recapito registrato: ${names || 'nessuno'}.`, { field: 'channels' });
    }
    const contacts = validateContacts({ mobile: row.mobile, email: row.email, fiscalCode: row.applicant_fiscal_code, channels: channels as Channel[] });
    return saveContacts(trx, deps, actor, row, contacts);
  });
}

/**
 * Staff add or correct the applicant's codice fiscale, partita IVA and legal representative's codice fiscale on a
 * case enrolled without them (a case with the citizen's code appears in their "Le mie pratiche"). Audited.
 */
export async function updateFiscalIdentifiers(
  deps: CaseAdminDeps, actor: Actor, code: string, change: FiscalIdentifiersInput, expectedVersion?: number,
): Promise<number> {
  const fiscal = validateFiscalIdentifiers(change);
  return inTransaction(deps.db, async (trx) => {
    const row = await lockCase(trx, actor, code, expectedVersion);
    const before = {
      applicant_fiscal_code: row.applicant_fiscal_code, applicant_vat_number: row.applicant_vat_number,
      legal_representative_fiscal_code: row.legal_representative_fiscal_code,
    };
    const after = {
      applicant_fiscal_code: fiscal.applicantFiscalCode, applicant_vat_number: fiscal.applicantVatNumber,
      legal_representative_fiscal_code: fiscal.legalRepresentativeFiscalCode,
    };
    if (JSON.stringify(before) === JSON.stringify(after)) return row.version;
    const version = row.version + 1;
    await trx.updateTable('cases').set({ ...after, version, updated_at: deps.clock.now() }).where('id', '=', row.id).execute();
    await audit(trx, actor, { action: 'case.fiscal-identifiers', entity: 'case', entityId: code, officeId: row.office_id, before, after });
    return version;
  });
}

/**
 * The citizen leaves the service by telling the responsible: the same opt-out as from the portal (optOut stops the
 * messages and erases the contacts), with the office's acknowledgement and how it was told kept beside it.
 */
/** The note of an opt-out recorded by the office, trimmed: checked with the rest of its form, before anything is read. */
export function optOutNoteOf(note: string): string {
  const text = note.trim();
  if (text.length > 500) throw new DomainError('invalid-input', 'La nota supera i 500 caratteri.', { field: 'note' });
  return text;
}

export async function recordOptOut(deps: CaseAdminDeps, actor: Actor, code: string, note: string, expectedVersion?: number): Promise<void> {
  const text = optOutNoteOf(note);
  await inTransaction(deps.db, async (trx) => {
    const row = await lockCase(trx, actor, code, expectedVersion);
    if (row.opted_out_at && row.opt_out_acknowledged_at) {
      throw new DomainError('illegal-transition', `La rinuncia al servizio per la pratica ${code} è già registrata.`);
    }
    await optOut({ db: trx, clock: deps.clock }, actor, code);
    await trx.updateTable('cases').set({ opt_out_acknowledged_at: deps.clock.now(), opt_out_acknowledged_by: actor.name }).where('id', '=', row.id).execute();
    await audit(trx, actor, { action: 'case.opt-out-recorded', entity: 'case', entityId: code, officeId: row.office_id, after: { note: text } });
  });
}

/** An opt-out requested by the citizen elsewhere (portal, message link) is acknowledged by the office. */
export async function acknowledgeOptOut(deps: CaseAdminDeps, actor: Actor, code: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const row = await lockCase(trx, actor, code, undefined);
    if (!row.opted_out_at) throw new DomainError('illegal-transition', `Per la pratica ${code} non c'è una rinuncia da prendere in carico.`);
    if (row.opt_out_acknowledged_at) return;
    await trx.updateTable('cases').set({ opt_out_acknowledged_at: deps.clock.now(), opt_out_acknowledged_by: actor.name }).where('id', '=', row.id).execute();
    await audit(trx, actor, { action: 'case.opt-out-acknowledged', entity: 'case', entityId: code, officeId: row.office_id });
  });
}

export interface AuditLine {
  at: Date;
  /** who, as the view labels it: the person or integration by name when known */
  actor: { kind: Actor['kind']; id: string; name: string | null };
  action: AuditAction;
  before: unknown;
  after: unknown;
}

/** The audit trail of one case, newest first; names resolved for staff and API-token actors. */
export async function caseAuditTrail(db: Db, code: string): Promise<AuditLine[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['at', 'actor', 'action', 'before', 'after'])
    .where('entity', '=', 'case')
    .where('entity_id', '=', code)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  const idsOf = (kind: string) => [...new Set(rows.map((r) => new RegExp(`^${kind}:(.+)$`).exec(r.actor)?.[1]).filter((id): id is string => !!id && isUuid(id)))];
  const staffIds = idsOf('staff');
  const tokenIds = idsOf('token');
  const names = new Map<string, string>([
    ...(staffIds.length ? (await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', staffIds).execute()).map((s): [string, string] => [`staff:${s.id}`, s.name]) : []),
    ...(tokenIds.length ? (await db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', tokenIds).execute()).map((t): [string, string] => [`token:${t.id}`, t.name]) : []),
  ]);
  return rows.map((r) => {
    const colon = r.actor.indexOf(':');
    const kind = r.actor.slice(0, colon) as Actor['kind'];
    return { at: r.at, actor: { kind, id: r.actor.slice(colon + 1), name: names.get(r.actor) ?? null }, action: r.action as AuditAction, before: r.before, after: r.after };
  });
}

