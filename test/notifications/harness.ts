import { after, before } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import type { Db } from '../../src/adapters/db/database.ts';
import type { NotificationRow } from '../../src/adapters/db/schema.ts';
import type { Accepted, Channels } from '../../src/adapters/channels/types.ts';
import { SendError } from '../../src/adapters/channels/types.ts';
import { outboxEmailChannel } from '../../src/adapters/channels/outbox.ts';
import { SmppChannel } from '../../src/adapters/channels/smpp.ts';
import { fixedClock, italianDay } from '../../src/application/clock.ts';
import type { Clock } from '../../src/application/clock.ts';
import { enrolCase } from '../../src/application/cases.ts';
import type { Channel } from '../../src/domain/case/contacts.ts';
import { Dispatcher } from '../../src/worker/dispatcher.ts';
import type { DispatcherOptions } from '../../src/worker/dispatcher.ts';
import { livenessFor } from '../../src/worker/liveness.ts';
import { DUE_STATUSES } from '../../src/domain/notification/index.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY, seedCatalogue, systemActor } from '../support/fixtures.ts';
import { startSmppServer } from '../support/smpp.ts';
import { testServices } from '../support/services.ts';
import type { TestSmppServer } from '../support/smpp.ts';

export const BASE_URL = 'https://pratica.provincia.example';
export const SECRET = 'test-session-secret-0123456789abcdefghij';
export const clock = fixedClock(TODAY);
// App IO offered to every office, as with IO_API_KEY set
export const services = testServices(clock);
export const deps = (db: Db) => ({ ...services, db, io: { everyOffice: true, offices: new Set<string>() } });

/** A migrated database with the demo catalogue; the demo's own messages are set aside. */
export async function notificationDatabase(): Promise<DatabaseHandle> {
  const database = await createTestDatabase();
  await seedCatalogue(database.db, clock);
  await database.db.updateTable('notifications').set({ status: 'cancelled', last_error: 'demo' }).where('status', '=', 'created').execute();
  return database;
}

/**
 * A notification database, a real SMPP server and a channel bound to it, made before the file's tests and closed
 * after them; e-mails go to the outbox. The fields are read inside the tests, once `before` has run.
 */
export function smppRig(timeoutMs: number): { database: DatabaseHandle; smsc: TestSmppServer; smpp: SmppChannel; channels: Channels } {
  const rig = {} as { database: DatabaseHandle; smsc: TestSmppServer; smpp: SmppChannel; channels: Channels };
  before(async () => {
    rig.database = await notificationDatabase();
    rig.smsc = await startSmppServer();
    rig.smpp = new SmppChannel({ url: rig.smsc.url, sender: 'ProvinciaFC', submitTimeoutMs: timeoutMs, connectTimeoutMs: timeoutMs });
    rig.channels = { email: outboxEmailChannel(rig.database.db), sms: rig.smpp };
  });
  after(async () => {
    await rig.smpp.close();
    await rig.smsc.stop();
    await rig.database.close();
  });
  return rig;
}

let counter = 0;
export async function enrol(db: Db, contacts: { channels: Channel[]; email?: string | null; mobile?: string | null }, procedureCode = 'TE-01') {
  counter++;
  const enrolled = await enrolCase(deps(db), systemActor, {
    procedureCode,
    subject: `Trasporto eccezionale n. ${counter} di una trave da 40 m`,
    applicantName: 'Trasporti Rossi S.r.l.',
    receivedOn: '2026-11-20',
    protocolNumber: `2026/${900 + counter}`,
    email: contacts.email === undefined ? `cittadino${counter}@example.org` : contacts.email,
    mobile: contacts.mobile === undefined ? `+39 333 12${String(counter).padStart(5, '0')}` : contacts.mobile,
    channels: contacts.channels,
  });
  const row = await db.selectFrom('cases').select(['id', 'email', 'mobile']).where('code', '=', enrolled.code).executeTakeFirstOrThrow();
  return { ...enrolled, caseId: row.id, email: row.email!, mobile: row.mobile! };
}

export function listenUrlOf(database: DatabaseHandle): string | undefined {
  return database.kind === 'postgres' ? (database.pool as unknown as { options: { connectionString: string } }).options.connectionString : undefined;
}

export function dispatcher(database: DatabaseHandle, channels: Channels, options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({
    db: database.db,
    channels,
    publicBaseUrl: BASE_URL,
    sessionSecret: SECRET,
    credentialsKeys: services.credentialsKeys,
    listen: database.listen,
    retry: { baseDelayMs: 40, maxDelayMs: 200, maxAgeMs: 3_600_000, maxCrashes: 3 },
    liveness: livenessFor(database),
    pollMs: 50,
    concurrency: 4,
    random: () => 0.5,
    ...options,
  });
}

export async function notificationsOf(db: Db, caseId: string): Promise<NotificationRow[]> {
  return db.selectFrom('notifications').selectAll().where('case_id', '=', caseId).orderBy('position').orderBy('created_at').execute();
}

/** Polls the database until the predicate holds: tests never sleep a fixed time. */
export async function waitUntil<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value, null, 1).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export const statuses = (rows: NotificationRow[]) => rows.map((r) => `${r.channel}:${r.status}`);

/** A clock the test moves by hand: the dispatcher's due times, leases and message ages follow it. */
export function movableClock(start: Date): Clock & { set(instant: Date): void } {
  let instant = new Date(start);
  return { now: () => new Date(instant), today: () => italianDay(instant), set: (next) => (instant = new Date(next)) };
}

/** A provider stand-in for both channels: refuses with a temporary error while `down`, else takes the message. */
export function standInProvider(): { channels: Channels; down: boolean; sent: string[] } {
  const provider = { down: true, sent: [] as string[], channels: undefined as unknown as Channels };
  const send = async ({ id }: { id: string }): Promise<Accepted> => {
    if (provider.down) throw new SendError('servizio del fornitore non disponibile (503)', false);
    provider.sent.push(id);
    return { provider: 'stand-in', providerId: id, delivered: true };
  };
  provider.channels = { email: { provider: 'stand-in', send, close: async () => {} }, sms: { provider: 'stand-in', send, close: async () => {} } };
  return provider;
}

export const rowsOf = (db: Db, caseIds: string[]) => db.selectFrom('notifications').selectAll().where('case_id', 'in', caseIds).orderBy('position').execute();
const isDue = (row: NotificationRow) => DUE_STATUSES.includes(row.status);

/**
 * Moves the clock to each next retry, once the dispatcher has dealt with everything due, until `until`
 * or until nothing waits: a simulated day takes seconds, with the production retry policy.
 */
export async function runClockUntil(db: Db, worker: Dispatcher, clock: ReturnType<typeof movableClock>, caseIds: string[], until: number): Promise<NotificationRow[]> {
  for (;;) {
    const rows = await waitUntil(() => rowsOf(db, caseIds), (r) => r.every((row) => row.status !== 'sending' && !(isDue(row) && row.next_attempt_at <= clock.now())));
    const next = Math.min(...rows.filter(isDue).map((row) => row.next_attempt_at.getTime()));
    if (!Number.isFinite(next) || next > until) return rows;
    // a millisecond on: the database keeps microseconds, a Date does not
    clock.set(new Date(next + 1));
    worker.wake();
  }
}
