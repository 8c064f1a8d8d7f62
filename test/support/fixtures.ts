import type { Db } from '../../src/adapters/db/database.ts';
import type { Actor } from '../../src/application/audit.ts';
import { fixedClock } from '../../src/application/clock.ts';
import type { Clock } from '../../src/application/clock.ts';
import { seedDemoData } from '../../src/application/demo.ts';
import type { CredentialsKeys } from '../../src/application/notifications/secrets.ts';
import { TEST_CREDENTIALS_KEYS, testServices } from './services.ts';

export const TODAY = '2026-11-26';

/** The demo catalogue (3 offices, 7 procedures, 22 cases), seeded on a fixed day. */
export async function seedCatalogue(db: Db, clock: Clock = fixedClock(TODAY), keys: CredentialsKeys = TEST_CREDENTIALS_KEYS): Promise<void> {
  await seedDemoData({ ...testServices(clock, keys), db });
}

export const systemActor: Actor = { kind: 'system', id: 'test', name: 'Test', officeId: null };

export async function officeId(db: Db, code: string): Promise<string> {
  const office = await db.selectFrom('offices').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return office.id;
}

export function officeActor(id: string, name = 'Incaricato di prova'): Actor {
  return { kind: 'staff', id: `staff-${id}`, name, officeId: id };
}
