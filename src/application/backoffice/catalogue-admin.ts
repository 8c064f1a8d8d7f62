import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import type { Db } from '../../adapters/db/database.ts';
import { normalizeEmail } from '../../domain/case/contacts.ts';
import { createHolidayCalendar, computeDeadline } from '../../domain/deadline/index.ts';
import type { DeadlineResult, IsoDate } from '../../domain/deadline/index.ts';
import { Checks, DomainError } from '../../domain/errors.ts';
import { assertAllowed, canCreateOffices, canEditOffice, canManageCalendar, canManageProcedures, canManageStaff, ROLES } from '../../domain/policy.ts';
import type { Principal, Role } from '../../domain/policy.ts';
import { termOfCard } from '../../domain/procedure.ts';
import { audit } from '../audit.ts';
import type { Actor } from '../audit.ts';
import { newPassword } from '../credentials.ts';
import { assertManageableAfter } from './staff-accounts.ts';
import { inTransaction } from '../transaction.ts';

export interface CatalogueDeps extends Pick<Services, 'staffPasswords'> {
  db: Db;
}

/** A text field of a catalogue form, its refusal naming the field so that the form shows it there. */
function text(value: string | undefined, field: string, label: string, max: number, required = true): string {
  const v = (value ?? '').trim();
  if (required && v === '') throw new DomainError('invalid-input', `Il campo "${label}" è obbligatorio.`, { field });
  if (v.length > max) throw new DomainError('invalid-input', `Il campo "${label}" supera i ${max} caratteri.`, { field });
  return v;
}

const optional = (value: string | undefined, field: string, label: string, max: number): string | null => text(value, field, label, max, false) || null;

/** An e-mail field, empty allowed when optional. */
function emailField(value: string | undefined, field: string, label: string, required: boolean): string | null {
  const v = text(value, field, label, 254, required);
  if (v === '') return null;
  try {
    return normalizeEmail(v);
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, error.message, { field });
    throw error;
  }
}

/**
 * An administrator (or the office manager for their office) lifts a sign-in lock, for the owner who
 * cannot wait: until then five wrong passwords lock any account, an administrator's too. Audited.
 */
export async function unlockStaff(deps: CatalogueDeps & { clock: { now(): Date } }, actor: Actor, who: Principal, id: string): Promise<{ wasLocked: boolean }> {
  return inTransaction(deps.db, async (trx) => {
    const row = await trx.selectFrom('staff').select(['id', 'role', 'office_id', 'locked_until', 'failed_logins']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row || !canManageStaff(who, { officeId: row.office_id, role: row.role })) throw new DomainError('not-found', 'Utente non trovato.');
    const wasLocked = !!row.locked_until && row.locked_until > deps.clock.now();
    if (!wasLocked) return { wasLocked };
    await trx.updateTable('staff').set({ locked_until: null, failed_logins: 0 }).where('id', '=', id).execute();
    await audit(trx, actor, { action: 'staff.unlocked', entity: 'staff', entityId: id, officeId: row.office_id, before: { lockedUntil: row.locked_until!.toISOString(), failures: row.failed_logins } });
    return { wasLocked };
  });
}

// --- offices ------------------------------------------------------------------------------------

export interface OfficeInput {
  code: string;
  name: string;
  address: string;
  phone?: string;
  email?: string;
  pec?: string;
  openingHours?: string;
}

function officeCodeOf(input: string): string {
  const code = text(input, 'code', 'Codice', 32).toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9-]{1,31}$/.test(code)) throw new DomainError('invalid-input', 'Il codice dell\'ufficio usa lettere maiuscole, cifre e trattini (2-32 caratteri).', { field: 'code' });
  return code;
}

/** Creates an office (administrators) or updates one (administrators, its own manager). The code never changes. */
export async function saveOffice(deps: CatalogueDeps, actor: Actor, who: Principal, input: OfficeInput, existingCode?: string): Promise<string> {
  // every field checked before any is refused: the form lists all that is wrong at once
  const checks = new Checks();
  const values = {
    name: checks.run(() => text(input.name, 'name', 'Nome', 200), ''),
    address: checks.run(() => text(input.address, 'address', 'Indirizzo', 300), ''),
    phone: checks.run(() => optional(input.phone, 'phone', 'Telefono', 40), null),
    email: checks.run(() => emailField(input.email, 'email', 'E-mail', false), null),
    pec: checks.run(() => emailField(input.pec, 'pec', 'PEC', false), null),
    opening_hours: checks.run(() => optional(input.openingHours, 'openingHours', 'Orari', 300), null),
  };
  const newCode = existingCode ? '' : checks.run(() => officeCodeOf(input.code), '');
  checks.done();
  return inTransaction(deps.db, async (trx) => {
    if (existingCode) {
      const office = await trx.selectFrom('offices').selectAll().where('code', '=', existingCode).forUpdate().executeTakeFirst();
      if (!office) throw new DomainError('not-found', `Ufficio "${existingCode}" non trovato.`);
      assertAllowed(canEditOffice(who, office.id), 'modificare l\'ufficio');
      await trx.updateTable('offices').set(values).where('id', '=', office.id).execute();
      await audit(trx, actor, { action: 'office.update', entity: 'office', entityId: office.code, officeId: office.id, before: office, after: values });
      return office.code;
    }
    assertAllowed(canCreateOffices(who), 'creare uffici');
    const code = newCode;
    if (await trx.selectFrom('offices').select('id').where('code', '=', code).executeTakeFirst()) throw new DomainError('conflict', `Esiste già un ufficio con codice ${code}.`);
    const administration = await trx.selectFrom('administrations').select('id').orderBy('created_at').limit(1).executeTakeFirst();
    // the offices belong to the administration: without it no page or message could say whose they are
    if (!administration) throw new DomainError('conflict', 'Prima di creare un ufficio va configurata l\'amministrazione: pagina "Amministrazione" o comando pratica setup.');
    const id = randomUUID();
    await trx.insertInto('offices').values({ id, administration_id: administration.id, code, ...values }).execute();
    await audit(trx, actor, { action: 'office.create', entity: 'office', entityId: code, officeId: id, after: { code, ...values } });
    return code;
  });
}

// --- staff --------------------------------------------------------------------------------------

export interface StaffInput {
  name: string;
  email: string;
  phone?: string;
  role: string;
  officeCode?: string;
  active?: boolean;
}

/** The id of the office with this code, if there is one. */
async function officeIdOf(db: Db, code: string | undefined): Promise<string | undefined> {
  return (await db.selectFrom('offices').select('id').where('code', '=', code ?? '').executeTakeFirst())?.id;
}

const noStaffOffice = () => new DomainError('invalid-input', 'Scegliere l\'ufficio: solo gli amministratori non ne hanno uno.', { field: 'officeCode' });

/** Creates a user with a one-time password (returned once) or updates name, role, office and active flag. */
export async function saveStaff(deps: CatalogueDeps, actor: Actor, who: Principal, input: StaffInput, existingId?: string): Promise<{ id: string; password?: string }> {
  const checks = new Checks();
  const name = checks.run(() => text(input.name, 'name', 'Nome', 200), '');
  const email = checks.run(() => emailField(input.email, 'email', 'E-mail', true), null) ?? '';
  const phone = checks.run(() => optional(input.phone, 'phone', 'Telefono', 40), null);
  if (!ROLES.includes(input.role as Role)) checks.add(new DomainError('invalid-input', 'Ruolo non valido.', { field: 'role' }));
  // the office looked up with the other fields, before the password is hashed: the form tells every fault at once
  else if (input.role !== 'admin' && (await officeIdOf(deps.db, input.officeCode)) === undefined) checks.add(noStaffOffice());
  checks.done();
  const role = input.role as Role;
  const password = existingId ? undefined : newPassword();
  const passwordHash = password ? await deps.staffPasswords.hash(password) : undefined;
  return inTransaction(deps.db, async (trx) => {
    let officeId: string | null = null;
    if (role !== 'admin') {
      // read again in the transaction: the office may have gone meanwhile
      officeId = (await officeIdOf(trx, input.officeCode)) ?? null;
      if (!officeId) throw noStaffOffice();
    }
    assertAllowed(canManageStaff(who, { officeId, role }), 'gestire questo utente');
    const clash = await trx.selectFrom('staff').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();
    if (clash && clash.id !== existingId) throw new DomainError('conflict', `Esiste già un utente con e-mail ${email}.`);
    const values = { name, email, phone, role, office_id: officeId, active: input.active ?? true };
    if (existingId) {
      const before = await trx.selectFrom('staff').select(['id', 'name', 'email', 'role', 'office_id', 'active']).where('id', '=', existingId).forUpdate().executeTakeFirst();
      if (!before || !canManageStaff(who, { officeId: before.office_id, role: before.role })) throw new DomainError('not-found', 'Utente non trovato.');
      await assertManageableAfter(trx, who, before, values);
      await trx.updateTable('staff').set(values).where('id', '=', existingId).execute();
      // a deactivated or demoted user must sign in again
      if (!values.active || before.role !== role || before.office_id !== officeId) await trx.deleteFrom('staff_sessions').where('staff_id', '=', existingId).execute();
      await audit(trx, actor, { action: 'staff.update', entity: 'staff', entityId: existingId, officeId, before, after: values });
      return { id: existingId };
    }
    const id = randomUUID();
    // the administrator has seen the one-time password: its owner replaces it at the first sign-in
    await trx.insertInto('staff').values({ id, ...values, password_hash: passwordHash!, must_change_password: true }).execute();
    await audit(trx, actor, { action: 'staff.create', entity: 'staff', entityId: id, officeId, after: values });
    return { id, password: password! };
  });
}

// --- procedures ---------------------------------------------------------------------------------

export interface ProcedureInput {
  code: string;
  officeCode: string;
  responsibleEmail: string;
  name: string;
  description?: string;
  legalBasis?: string;
  termText: string;
  saturdayWorking?: boolean;
  saturdayMovesDeadline?: boolean;
  silenzioAssenso?: boolean;
  businessActivity?: boolean;
  substituteName?: string;
  substituteContact?: string;
  active?: boolean;
}

function procedureCodeOf(input: string): string {
  const code = text(input, 'code', 'Codice', 40).toUpperCase();
  if (!/^[A-Z0-9][A-Z0-9._-]{0,39}$/.test(code)) throw new DomainError('invalid-input', 'Il codice del procedimento usa lettere maiuscole, cifre, punto e trattino.', { field: 'code' });
  return code;
}

/** A term the card's text cannot give, refused on that field. */
function onTermText<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError && error.details.field === undefined) throw new DomainError(error.code, error.message, { ...error.details, field: 'termText' });
    throw error;
  }
}

/**
 * The procedure card (D.Lgs. 33/2013 art. 35). The term is parsed here: a card without a numeric term is
 * stored as written and cannot be enrolled (only numeric terms qualify: docs/domain.md); a malformed one is refused.
 */
export async function saveProcedure(deps: CatalogueDeps, actor: Actor, who: Principal, input: ProcedureInput, existingCode?: string): Promise<string> {
  const checks = new Checks();
  const termText = checks.run(() => text(input.termText, 'termText', 'Tempo di erogazione', 200), '');
  const term = checks.run(() => onTermText(() => termOfCard(termText)), null);
  const values = {
    name: checks.run(() => text(input.name, 'name', 'Nome', 300), ''),
    description: checks.run(() => text(input.description, 'description', 'Descrizione', 4000, false), ''),
    legal_basis: checks.run(() => text(input.legalBasis, 'legalBasis', 'Base giuridica', 1000, false), ''),
    term_text: termText,
    term_amount: term?.amount ?? null,
    term_unit: term?.unit ?? null,
    saturday_working: input.saturdayWorking ?? false,
    saturday_moves_deadline: input.saturdayMovesDeadline ?? false,
    silenzio_assenso: input.silenzioAssenso ?? false,
    business_activity: input.businessActivity ?? false,
    substitute_name: checks.run(() => text(input.substituteName, 'substituteName', 'Titolare del potere sostitutivo', 300, false), ''),
    substitute_contact: checks.run(() => text(input.substituteContact, 'substituteContact', 'Contatti del potere sostitutivo', 300, false), ''),
    active: input.active ?? true,
  };
  const newCode = existingCode ? '' : checks.run(() => procedureCodeOf(input.code), '');
  return inTransaction(deps.db, async (trx) => {
    // the office and the responsible are checked with the card's other fields, all told at once
    const foundOffice = await trx.selectFrom('offices').select(['id', 'code']).where('code', '=', input.officeCode).executeTakeFirst();
    if (!foundOffice) checks.add(new DomainError('invalid-input', 'Scegliere l\'ufficio competente.', { field: 'officeCode' }));
    else assertAllowed(canManageProcedures(who, foundOffice.id), 'gestire i procedimenti di questo ufficio');
    const foundResponsible = await trx.selectFrom('staff').select(['id', 'office_id']).where('email', '=', input.responsibleEmail).where('active', '=', true).executeTakeFirst();
    if (!foundResponsible || (foundOffice && foundResponsible.office_id !== null && foundResponsible.office_id !== foundOffice.id)) {
      checks.add(new DomainError('invalid-input', 'Il responsabile del procedimento deve essere un utente attivo dell\'ufficio competente.', { field: 'responsibleEmail' }));
    }
    checks.done();
    // both found: done() has thrown otherwise
    const office = foundOffice!;
    const responsible = foundResponsible!;
    const row = { ...values, office_id: office.id, responsible_staff_id: responsible.id };
    if (existingCode) {
      const before = await trx.selectFrom('procedures').selectAll().where('code', '=', existingCode).forUpdate().executeTakeFirst();
      if (!before || !canManageProcedures(who, before.office_id)) throw new DomainError('not-found', `Procedimento "${existingCode}" non trovato.`);
      await trx.updateTable('procedures').set(row).where('id', '=', before.id).execute();
      await audit(trx, actor, { action: 'procedure.update', entity: 'procedure', entityId: existingCode, officeId: office.id, before, after: row });
      if (before.office_id !== office.id) await moveOpenCases(trx, actor, before, office);
      return existingCode;
    }
    const code = newCode;
    if (await trx.selectFrom('procedures').select('id').where('code', '=', code).executeTakeFirst()) throw new DomainError('conflict', `Esiste già un procedimento con codice ${code}.`);
    await trx.insertInto('procedures').values({ id: randomUUID(), code, ...row }).execute();
    await audit(trx, actor, { action: 'procedure.create', entity: 'procedure', entityId: code, officeId: office.id, after: { code, ...row } });
    return code;
  });
}

/**
 * A card given to another office takes its open cases along, each with an audit entry: the new office now
 * handles them. Closed cases stay with the office that concluded them, as do their figures in the reports.
 * The cases keep their own term (migration 0012): only the card's new cases follow its new text.
 */
async function moveOpenCases(trx: Db, actor: Actor, card: { id: string; code: string; office_id: string }, to: { id: string; code: string }): Promise<void> {
  const from = await trx.selectFrom('offices').select('code').where('id', '=', card.office_id).executeTakeFirstOrThrow();
  const moved = await trx
    .updateTable('cases')
    .set({ office_id: to.id, updated_at: sql`now()` })
    .where('procedure_id', '=', card.id)
    .where('state', '!=', 'closed')
    .returning(['id', 'code'])
    .execute();
  if (moved.length === 0) return;
  // the reports count suspensions by office too
  await trx.updateTable('case_suspensions').set({ office_id: to.id }).where('case_id', 'in', moved.map((c) => c.id)).execute();
  for (const c of moved) {
    await audit(trx, actor, {
      action: 'case.move-office', entity: 'case', entityId: c.code, officeId: to.id,
      before: { office: from.code }, after: { office: to.code, procedure: card.code },
    });
  }
}

/** The card's deadline for an application received on `from`: shown while the card is edited. */
export async function previewProcedureDeadline(
  db: Db,
  card: { termText: string; saturdayWorking: boolean; saturdayMovesDeadline: boolean },
  from: IsoDate,
): Promise<DeadlineResult | null> {
  const term = termOfCard(card.termText);
  if (!term) return null;
  const localDays = await db.selectFrom('local_days').select(['month', 'day', 'name']).execute();
  return computeDeadline({
    from, term, saturdayWorking: card.saturdayWorking, saturdayMovesDeadline: card.saturdayMovesDeadline, events: [],
    calendar: createHolidayCalendar(localDays), today: from,
  });
}

// --- local closure days -------------------------------------------------------------------------

export async function addLocalDay(deps: CatalogueDeps, actor: Actor, who: Principal, input: { month: number; day: number; name: string }): Promise<void> {
  assertAllowed(canManageCalendar(who), 'modificare il calendario');
  // the length here, the rest (an empty name too) with the day and the month, all told at once
  const checks = new Checks();
  const name = checks.run(() => text(input.name, 'name', 'Nome', 200, false), '');
  checks.run(() => createHolidayCalendar([{ month: input.month, day: input.day, name }]), null);
  checks.done();
  await inTransaction(deps.db, async (trx) => {
    if (await trx.selectFrom('local_days').select('id').where('month', '=', input.month).where('day', '=', input.day).executeTakeFirst()) {
      throw new DomainError('conflict', `Il giorno ${input.day}/${input.month} è già nel calendario.`);
    }
    const id = randomUUID();
    await trx.insertInto('local_days').values({ id, month: input.month, day: input.day, name }).execute();
    await audit(trx, actor, { action: 'calendar.add', entity: 'local_day', entityId: id, after: { month: input.month, day: input.day, name } });
  });
}

export async function removeLocalDay(deps: CatalogueDeps, actor: Actor, who: Principal, id: string): Promise<void> {
  assertAllowed(canManageCalendar(who), 'modificare il calendario');
  await inTransaction(deps.db, async (trx) => {
    const removed = await trx.deleteFrom('local_days').where('id', '=', id).returningAll().executeTakeFirst();
    if (!removed) throw new DomainError('not-found', 'Giorno non trovato.');
    await audit(trx, actor, { action: 'calendar.remove', entity: 'local_day', entityId: id, before: removed });
  });
}
