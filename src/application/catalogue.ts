import type { Db } from '../adapters/db/database.ts';
import type { OfficeRow, ProcedureRow } from '../adapters/db/schema.ts';
import { DomainError } from '../domain/errors.ts';

export async function listOffices(db: Db, officeId: string | null): Promise<OfficeRow[]> {
  let query = db.selectFrom('offices').selectAll().orderBy('name');
  if (officeId) query = query.where('id', '=', officeId);
  return query.execute();
}

export async function getOffice(db: Db, officeId: string | null, code: string): Promise<OfficeRow> {
  let query = db.selectFrom('offices').selectAll().where('code', '=', code);
  if (officeId) query = query.where('id', '=', officeId);
  const office = await query.executeTakeFirst();
  if (!office) throw new DomainError('not-found', `Ufficio "${code}" non trovato.`);
  return office;
}

export type ProcedureWithNames = ProcedureRow & { office_code: string; responsible_name: string; responsible_phone: string | null; responsible_email: string };

function proceduresQuery(db: Db) {
  return db
    .selectFrom('procedures')
    .innerJoin('offices', 'offices.id', 'procedures.office_id')
    .innerJoin('staff', 'staff.id', 'procedures.responsible_staff_id')
    .selectAll('procedures')
    .select(['offices.code as office_code', 'staff.name as responsible_name', 'staff.phone as responsible_phone', 'staff.email as responsible_email']);
}

export async function listProcedures(db: Db, officeId: string | null): Promise<ProcedureWithNames[]> {
  let query = proceduresQuery(db).orderBy('procedures.name');
  if (officeId) query = query.where('procedures.office_id', '=', officeId);
  return query.execute();
}

export async function getProcedure(db: Db, officeId: string | null, code: string): Promise<ProcedureWithNames> {
  let query = proceduresQuery(db).where('procedures.code', '=', code);
  if (officeId) query = query.where('procedures.office_id', '=', officeId);
  const procedure = await query.executeTakeFirst();
  if (!procedure) throw new DomainError('not-found', `Procedimento "${code}" non trovato.`);
  return procedure;
}
