import type { Db } from '../adapters/db/database.ts';
import { createHolidayCalendar } from '../domain/deadline/index.ts';
import type { HolidayCalendar } from '../domain/deadline/index.ts';
import { CatalogueKept } from './catalogue-kept.ts';

/** National holidays are rules in the domain; the administration's local days are data in the database. */
export async function loadCalendar(db: Db): Promise<HolidayCalendar> {
  const localDays = await db.selectFrom('local_days').select(['month', 'day', 'name']).execute();
  return createHolidayCalendar(localDays);
}

/** The holiday calendar, kept by a process while the change feed is heard: a change of the local days notifies '*'. */
export class CalendarProvider extends CatalogueKept<HolidayCalendar> {
  constructor() {
    super(loadCalendar);
  }
}

/** The calendar from the process's provider when there is one, else read now. */
export function calendarOf(db: Db, provider: CalendarProvider | undefined): Promise<HolidayCalendar> {
  return provider ? provider.get(db) : loadCalendar(db);
}
