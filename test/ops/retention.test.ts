import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { forgetSpentRecords } from '../../src/application/housekeeping.ts';
import { eraseExpiredContacts } from '../../src/application/retention.ts';
import { addDays } from '../../src/domain/deadline/index.ts';
import { startRetentionJob } from '../../src/worker/retention.ts';
import { deps, enrol, notificationDatabase, notificationsOf, waitUntil } from '../notifications/harness.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';

const DAYS = 365;

describe('retention: the contacts of a closed case are erased RETENTION_CONTACTS_DAYS after closure', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await notificationDatabase();
  });
  after(() => database.close());

  /** A case started and closed today, its messages still queued (no dispatcher runs here). */
  async function closedCase() {
    const citizen = await enrol(database.db, { channels: ['email', 'sms'] });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'close', effectiveOn: TODAY, outcome: 'accepted', reason: 'Autorizzazione rilasciata' });
    return citizen;
  }
  const caseRow = (id: string) => database.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = (code: string) => database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'case').where('entity_id', '=', code).orderBy('id').execute();
  const erase = (today: string) => eraseExpiredContacts({ db: database.db, clock: fixedClock(today) }, DAYS);

  test('the day before the term nothing is erased; on the day, contacts, sealed password, recipients and the audit copies are', async () => {
    const closed = await closedCase();
    const open = await enrol(database.db, { channels: ['email'] });
    const [first] = await notificationsOf(database.db, closed.caseId);
    // what the local outbox keeps of a message is a copy of the contact too
    await database.db.insertInto('outbox_messages').values({ id: first!.id, channel: first!.channel, recipient: first!.recipient, subject: null, text: 'testo' }).execute();
    const eventsBefore = await database.db.selectFrom('case_events').select('seq').where('case_id', '=', closed.caseId).execute();

    // the demo cases closed before today go at this run; this one stays
    await erase(addDays(TODAY, DAYS - 1));
    assert.equal((await caseRow(closed.caseId)).email, closed.email);

    assert.ok((await erase(addDays(TODAY, DAYS))) >= 1);
    const row = await caseRow(closed.caseId);
    assert.deepEqual([row.mobile, row.email, row.notify_sms, row.notify_email, row.state], [null, null, false, false, 'closed']);
    assert.equal(await database.db.selectFrom('case_credentials').select('case_id').where('case_id', '=', closed.caseId).executeTakeFirst(), undefined);
    const messages = await notificationsOf(database.db, closed.caseId);
    assert.ok(messages.length >= 2);
    assert.deepEqual(new Set(messages.map((m) => m.recipient)), new Set(['']));
    // the queued messages could no longer reach anyone: cancelled, not left for a dispatcher to trip on
    assert.deepEqual(new Set(messages.map((m) => m.status)), new Set(['cancelled']));
    assert.equal(await database.db.selectFrom('outbox_messages').select('id').where('id', '=', first!.id).executeTakeFirst(), undefined);
    // the case and its history stay, for the reports
    assert.equal((await database.db.selectFrom('case_events').select('seq').where('case_id', '=', closed.caseId).execute()).length, eventsBefore.length);
    const trail = await auditOf(closed.code);
    const text = JSON.stringify(trail);
    assert.ok(!text.includes(closed.email) && !text.includes(closed.mobile.replace(/\s/g, '')), text);
    const erasure = trail.find((entry) => entry.action === 'case.contacts-erased');
    assert.ok(erasure, 'the erasure is audited');
    assert.equal(erasure.actor, 'system:retention');
    assert.deepEqual(erasure.after, { closedOn: TODAY, retentionDays: DAYS, cancelledMessages: messages.length });
    // a case still open keeps its contacts
    assert.equal((await caseRow(open.caseId)).email, open.email);
    // done once: a second run finds nothing left
    assert.equal(await erase(addDays(TODAY, DAYS)), 0);
  });

  test('a case whose message is being sent right now waits for the next run', async () => {
    const closed = await closedCase();
    const [message] = await notificationsOf(database.db, closed.caseId);
    await database.db.updateTable('notifications').set({ status: 'sending', lease_until: new Date(Date.now() + 60_000), claimed_by: 'someone' }).where('id', '=', message!.id).execute();
    await erase(addDays(TODAY, DAYS));
    assert.equal((await caseRow(closed.caseId)).email, closed.email);
    await database.db.updateTable('notifications').set({ status: 'sent', lease_until: null }).where('id', '=', message!.id).execute();
    await erase(addDays(TODAY, DAYS));
    assert.equal((await caseRow(closed.caseId)).email, null);
    assert.equal((await notificationsOf(database.db, closed.caseId)).find((m) => m.id === message!.id)?.status, 'sent');
  });

  test('the audit log stays append-only but for the erasure of contacts', async () => {
    const citizen = await enrol(database.db, { channels: ['email'] });
    const [entry] = await auditOf(citizen.code);
    await assert.rejects(sql`UPDATE audit_log SET actor = 'someone else' WHERE id = ${entry!.id}`.execute(database.db), /append-only/);
    await assert.rejects(sql`UPDATE audit_log SET after = after - 'subject' WHERE id = ${entry!.id}`.execute(database.db), /append-only/);
    await assert.rejects(sql`UPDATE audit_log SET after = (after - 'email') || '{"x":1}' WHERE id = ${entry!.id}`.execute(database.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_log WHERE id = ${entry!.id}`.execute(database.db), /append-only/);
    await sql`UPDATE audit_log SET after = after - 'email' WHERE id = ${entry!.id}`.execute(database.db);
  });

  test('the worker job erases at its first run, as `pratica worker` and the in-process worker start it', async () => {
    const closed = await closedCase();
    const job = startRetentionJob({ db: database.db, clock: fixedClock(addDays(TODAY, DAYS + 10)), days: DAYS });
    try {
      await waitUntil(() => caseRow(closed.caseId), (row) => row.email === null);
    } finally {
      await job.stop();
    }
    // a staff member's message has no case: never touched
    const staff = await database.db.selectFrom('staff').select(['id', 'email']).executeTakeFirstOrThrow();
    const id = randomUUID();
    await database.db.insertInto('notifications').values({ id, staff_id: staff.id, kind: 'staff-locked', channel: 'email', recipient: staff.email, context: '{}', subject: 's', body: 'b' }).execute();
    await erase(addDays(TODAY, DAYS + 10));
    assert.equal((await database.db.selectFrom('notifications').select('recipient').where('id', '=', id).executeTakeFirstOrThrow()).recipient, staff.email);
  });
});

describe('housekeeping: records that served their purpose are forgotten by the same hourly job', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await notificationDatabase();
  });
  after(() => database.close());

  const NOW = new Date('2026-11-26T12:00:00Z');
  const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
  const clockAt = (now: Date) => ({ ...fixedClock(TODAY), now: () => now });
  const keysOf = async (table: 'portal_throttle' | 'portal_used_links' | 'used_form_tokens' | 'staff_sessions') => {
    const column = { portal_throttle: 'key', portal_used_links: 'nonce', used_form_tokens: 'token_hash', staff_sessions: 'id_hash' }[table];
    const rows = await sql<{ k: string }>`SELECT ${sql.ref(column)} AS k FROM ${sql.table(table)} ORDER BY 1`.execute(database.db);
    return rows.rows.map((r) => r.k);
  };

  test('ended staff sessions, idle sign-in buckets, expired links and month-old form tokens go; the live ones stay', async () => {
    const staff = await database.db.selectFrom('staff').select('id').executeTakeFirstOrThrow();
    await database.db.insertInto('staff_sessions').values([
      { id_hash: 'live', staff_id: staff.id, created_at: ago(1), expires_at: ago(-9), last_seen_at: ago(0.1) },
      { id_hash: 'past-its-limit', staff_id: staff.id, created_at: ago(11), expires_at: ago(1), last_seen_at: ago(0.1) },
      { id_hash: 'idle', staff_id: staff.id, created_at: ago(3), expires_at: ago(-7), last_seen_at: ago(2) },
    ]).execute();
    await database.db.insertInto('portal_throttle').values([
      { key: 'ip:203.0.113.1', failures: 3, full_at: ago(20), updated_at: ago(23) },
      { key: 'ip:203.0.113.2', failures: 1, full_at: null, updated_at: ago(25) },
      { key: 'code:FC-AAAA-BBBB', failures: 7, full_at: ago(30), updated_at: ago(48) },
    ]).execute();
    await database.db.insertInto('portal_used_links').values([
      { nonce: 'still-valid', expires_at: ago(-1) },
      { nonce: 'expired', expires_at: ago(1) },
    ]).execute();
    await database.db.insertInto('used_form_tokens').values([
      { token_hash: 'recent', result: 'pratica FC-1', used_at: ago(24 * 29) },
      { token_hash: 'old', result: 'pratica FC-2', used_at: ago(24 * 31) },
    ]).execute();

    assert.deepEqual(await forgetSpentRecords({ db: database.db, clock: clockAt(NOW) }), { staffSessions: 2, signInBuckets: 2, usedLinks: 1, formTokens: 1 });
    assert.deepEqual(await keysOf('staff_sessions'), ['live']);
    assert.deepEqual(await keysOf('portal_throttle'), ['ip:203.0.113.1']);
    assert.deepEqual(await keysOf('portal_used_links'), ['still-valid']);
    assert.deepEqual(await keysOf('used_form_tokens'), ['recent']);
  });

  test('the worker job forgets them at its first run', async () => {
    await database.db.insertInto('portal_throttle').values({ key: 'ip:198.51.100.9', failures: 2, full_at: null, updated_at: ago(30) }).execute();
    const job = startRetentionJob({ db: database.db, clock: clockAt(NOW), days: DAYS });
    try {
      await waitUntil(() => keysOf('portal_throttle'), (keys) => !keys.includes('ip:198.51.100.9'));
    } finally {
      await job.stop();
    }
  });
});
