import type { Db } from '../../adapters/db/database.ts';

/** The catalogue pages' reads: staff, an office or a procedure as its form shows them, the local days. */

/** The staff list, by name, within the office's scope (null: every office). */
export function listStaff(db: Db, scope: string | null) {
  let q = db.selectFrom('staff').leftJoin('offices', 'offices.id', 'staff.office_id')
    .select(['staff.id', 'staff.name', 'staff.email', 'staff.role', 'staff.active', 'staff.office_id', 'offices.code as office_code']).orderBy('staff.name');
  if (scope) q = q.where('staff.office_id', '=', scope);
  return q.execute();
}

export function findOfficeByCode(db: Db, code: string) {
  return db.selectFrom('offices').selectAll().where('code', '=', code).executeTakeFirst();
}

/** One staff member as the user's page shows it. */
export function findStaffMember(db: Db, id: string) {
  return db.selectFrom('staff').leftJoin('offices', 'offices.id', 'staff.office_id')
    .select(['staff.name', 'staff.email', 'staff.phone', 'staff.role', 'staff.active', 'staff.office_id', 'staff.locked_until', 'offices.code'])
    .where('staff.id', '=', id).executeTakeFirst();
}

export async function staffEmail(db: Db, id: string): Promise<string> {
  return (await db.selectFrom('staff').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
}

/** Who may be made responsible for a procedure: active staff other than administrators, within the scope. */
export function listAssignableStaff(db: Db, scope: string | null) {
  let q = db.selectFrom('staff').select(['email', 'name']).where('active', '=', true).where('role', '!=', 'admin').orderBy('name');
  if (scope) q = q.where('office_id', '=', scope);
  return q.execute();
}

/** A procedure with its office's code and its responsible officer's e-mail, as its form shows it. */
export function findProcedureForm(db: Db, code: string) {
  return db.selectFrom('procedures').innerJoin('offices', 'offices.id', 'procedures.office_id').innerJoin('staff', 'staff.id', 'procedures.responsible_staff_id')
    .selectAll('procedures').select(['offices.code as office_code', 'staff.email as responsible_email']).where('procedures.code', '=', code).executeTakeFirst();
}

/** The administration's own holidays (the patron saint's day...), by date in the year. */
export function listLocalDays(db: Db) {
  return db.selectFrom('local_days').selectAll().orderBy('month').orderBy('day').execute();
}
