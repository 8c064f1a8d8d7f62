import type { Db } from '../../adapters/db/database.ts';

/** The report filter's choices within the user's scope (null: every office): offices, and procedures with a numeric term. */
export function reportChoices(db: Db, scope: string | null) {
  let offices = db.selectFrom('offices').select(['id', 'code', 'name']).orderBy('code');
  if (scope) offices = offices.where('id', '=', scope);
  let procedures = db.selectFrom('procedures').select(['code', 'name']).where('term_amount', 'is not', null).orderBy('code');
  if (scope) procedures = procedures.where('office_id', '=', scope);
  return Promise.all([offices.execute(), procedures.execute()]);
}
