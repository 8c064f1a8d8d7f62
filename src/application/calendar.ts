import type { Db } from '../adapters/db/database.ts';
import { createHolidayCalendar } from '../domain/deadline/index.ts';
import type { HolidayCalendar } from '../domain/deadline/index.ts';

/** National holidays are rules in the domain; the administration's local days are data in the database. */
export async function loadCalendar(db: Db): Promise<HolidayCalendar> {
  const localDays = await db.selectFrom('local_days').select(['month', 'day', 'name']).execute();
  return createHolidayCalendar(localDays);
}
