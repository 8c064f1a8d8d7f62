import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../adapters/db/database.ts';
import type { CaseNotificationRow, NotificationRow } from '../adapters/db/schema.ts';
import type { Accepted, Receipt } from '../adapters/channels/types.ts';
import {
  DUE_STATUSES, FAILURE_OUTCOMES, PENDING_STATUSES, statusesBefore, afterCrash, deliveryFailedContext, deliveryFailedNoticeFor, isStaffMessageKind,
  ioStatusOutcome, reroutedContext, reroutingFor,
} from '../domain/notification/index.ts';
import type { Recipients } from '../domain/notification/index.ts';
import type { CaseState } from '../domain/case/states.ts';
import type { IsoDate } from '../domain/deadline/index.ts';
import type { FailureOutcome, NotificationStatus, RetryPolicy, StaffMessageKind, StoredContext } from '../domain/notification/index.ts';

/**
 * The notifications table is the queue. Every change of a row's status happens here, each guarded by the
 * status it expects, so that a late or repeated update cannot undo a newer one. `now` is the dispatcher's
 * clock: due times, leases and the age of a message are read against it, not the server's.
 */

/** The domain's status lists as SQL literals, so that the partial indexes on them apply. */
const statusList = (statuses: readonly NotificationStatus[]) => sql.join(statuses.map((status) => sql.lit(status)));

export interface ClaimedCaseMessage extends CaseNotificationRow {
  case_code: string;
  password_hash: string;
  opted_out: boolean;
  sealed: string | null;
  /** App IO: the office's own service key, and the due date while the term runs */
  office_code: string;
  case_state: CaseState;
  case_deadline: IsoDate | null;
}

/** A message to a staff member (the lock notice, the reset link), written whole when queued but for the link. */
export type ClaimedStaffMessage = NotificationRow & { case_id: null; staff_id: string; kind: StaffMessageKind };

export type Claimed = ClaimedCaseMessage | ClaimedStaffMessage;

/**
 * Claims up to `limit` messages that are due, skipping rows other dispatchers hold (FOR UPDATE SKIP
 * LOCKED) and any message whose case still has an earlier one pending on the same channel: a case's
 * messages leave in event order on each channel, and an outage of one channel does not hold back the
 * other. The lease bounds how long a dispatcher that hangs can hold a row.
 */
export async function claimDue(db: Db, workerId: string, limit: number, leaseMs: number, now: Date): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const claimed = await sql<NotificationRow>`
    WITH due AS (
      SELECT n.id FROM notifications n
      WHERE n.status IN (${statusList(DUE_STATUSES)}) AND n.next_attempt_at <= ${now}
        AND NOT EXISTS (
          SELECT 1 FROM notifications earlier
          WHERE earlier.case_id = n.case_id AND earlier.channel = n.channel AND earlier.position < n.position
            AND earlier.status IN (${statusList(PENDING_STATUSES)}))
      ORDER BY n.next_attempt_at, n.position
      LIMIT ${limit}
      FOR UPDATE OF n SKIP LOCKED
    )
    UPDATE notifications t
    SET status = 'sending', attempts = t.attempts + 1, claimed_by = ${workerId},
        lease_until = ${now}::timestamptz + make_interval(secs => ${leaseMs / 1000}), updated_at = ${now}
    FROM due WHERE t.id = due.id
    RETURNING t.*`.execute(db);
  if (claimed.rows.length === 0) return [];
  const caseIds = [...new Set(claimed.rows.flatMap((r) => (r.case_id === null ? [] : [r.case_id])))];
  const cases = caseIds.length === 0 ? [] : await db
    .selectFrom('cases')
    .leftJoin('case_credentials', 'case_credentials.case_id', 'cases.id')
    .innerJoin('offices', 'offices.id', 'cases.office_id')
    .select(['cases.id', 'cases.code', 'cases.password_hash', 'cases.opted_out_at', 'case_credentials.sealed', 'cases.state', 'cases.deadline', 'offices.code as office_code'])
    .where('cases.id', 'in', caseIds)
    .execute();
  const byId = new Map(cases.map((c) => [c.id, c]));
  return claimed.rows
    .sort((a, b) => a.position - b.position)
    .map((row): Claimed => {
      if (row.case_id === null) return row as ClaimedStaffMessage;
      const c = byId.get(row.case_id)!;
      return {
        ...(row as CaseNotificationRow), case_code: c.code, password_hash: c.password_hash, opted_out: c.opted_out_at !== null, sealed: c.sealed,
        office_code: c.office_code, case_state: c.state, case_deadline: c.deadline,
      };
    });
}

const RECEIPT_PROVIDERS = new Set(['smpp', 'http']);

/** The provider took the message: sent (or delivered, for the outbox). Returns false if the row moved on. */
export async function markAccepted(
  db: Db,
  row: Claimed,
  workerId: string,
  accepted: Accepted,
  shown: { subject: string | null; body: string },
  now: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable('notifications')
    .set({
      status: accepted.delivered ? 'delivered' : 'sent',
      provider: accepted.provider,
      provider_id: accepted.providerId,
      provider_ids: accepted.providerIds ?? [accepted.providerId],
      provider_account: accepted.account ?? null,
      subject: shown.subject,
      body: shown.body,
      sent_at: now,
      delivered_at: accepted.delivered ? now : null,
      lease_until: null,
      last_error: null,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .where('claimed_by', '=', workerId)
    // after an expired lease the sweeper made it temporary-failure: the send did happen, record it
    .where('status', 'in', statusesBefore('sent', 'delivered'))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Whether the provider sends delivery receipts, which may have come in before the acceptance was recorded. */
export const awaitsReceipts = (accepted: Accepted): boolean => !accepted.delivered && RECEIPT_PROVIDERS.has(accepted.provider);

/** A failed attempt: retried later, or failed for good, with a fallback to the other channel. */
export async function markFailed(db: Db, row: Claimed, workerId: string, outcome: FailureOutcome, error: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('notifications')
      .set(
        outcome.status === 'temporary-failure'
          ? { status: 'temporary-failure', lease_until: null, last_error: error, updated_at: now, next_attempt_at: new Date(now.getTime() + outcome.delayMs) }
          : { status: outcome.status, lease_until: null, last_error: error, failed_at: now, updated_at: now },
      )
      .where('id', '=', row.id)
      .where('claimed_by', '=', workerId)
      .where('status', 'in', statusesBefore(...FAILURE_OUTCOMES))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    if (outcome.status === 'rerouted') {
      // reached on no other channel either: a failure like any other, on the dashboard
      if (!(await reroute(trx, row.id))) {
        await trx.updateTable('notifications').set({ status: 'permanent-failure', last_error: `${error}; nessun altro canale scelto dal cittadino` }).where('id', '=', row.id).execute();
      }
    } else if (outcome.status !== 'temporary-failure') await fallBack(trx, row.id);
    return true;
  });
}

/** The citizen left the service after the message was queued. */
export async function markCancelled(db: Db, row: Claimed, workerId: string, now: Date): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ status: 'cancelled', lease_until: null, last_error: 'il cittadino ha lasciato il servizio', updated_at: now })
    .where('id', '=', row.id)
    .where('claimed_by', '=', workerId)
    .where('status', '=', 'sending')
    .execute();
}

/**
 * A message failed for good: the citizen is told on the other channel, when the rule says so
 * (deliveryFailedNoticeFor), in the same place in the case's order; `fallback_of` points to the failure.
 */
async function fallBack(trx: Db, failedId: string): Promise<void> {
  const failed = await trx.selectFrom('notifications').selectAll().where('id', '=', failedId).executeTakeFirstOrThrow();
  // a staff member's message has no other channel
  if (failed.case_id === null || isStaffMessageKind(failed.kind)) return;
  // an App IO message that failed goes whole on the citizen's other channels, its fallback
  if (failed.channel === 'io' && (await reroute(trx, failedId))) return;
  const { contacts, siblings } = await contactsAndSiblings(trx, { ...failed, case_id: failed.case_id });
  const target = deliveryFailedNoticeFor({ channel: failed.channel, kind: failed.kind }, contacts, siblings);
  if (!target) return;
  await trx
    .insertInto('notifications')
    .values({
      id: randomUUID(),
      position: failed.position,
      case_id: failed.case_id,
      // the unique (case, event, channel) index: the notice is not a second message of the event
      event_seq: null,
      kind: 'delivery-failed',
      channel: target.channel,
      recipient: target.recipient,
      context: JSON.stringify(deliveryFailedContext({ context: failed.context as StoredContext, kind: failed.kind, channel: failed.channel }, target.channel)),
      fallback_of: failed.id,
    })
    .execute();
}

/** The citizen's contacts now, and the other messages of the same event (same position in the case's order). */
async function contactsAndSiblings(trx: Db, failed: NotificationRow & { case_id: string }): Promise<{ contacts: Recipients; siblings: { channel: NotificationRow['channel']; status: NotificationStatus }[] }> {
  const row = await trx
    .selectFrom('cases')
    .select(['mobile', 'email', 'notify_sms', 'notify_email', 'notify_io', 'applicant_fiscal_code', 'opted_out_at'])
    .where('id', '=', failed.case_id)
    .executeTakeFirstOrThrow();
  const siblings = await trx
    .selectFrom('notifications')
    .select(['channel', 'status'])
    .where('case_id', '=', failed.case_id)
    .where('position', '=', failed.position)
    .where('id', '!=', failed.id)
    .execute();
  const contacts: Recipients = {
    mobile: row.mobile, email: row.email, fiscalCode: row.applicant_fiscal_code,
    notifySms: row.notify_sms, notifyEmail: row.notify_email, notifyIo: row.notify_io, optedOut: row.opted_out_at !== null,
  };
  return { contacts, siblings };
}

/**
 * An App IO message whose citizen is not on IO (or blocked the service): the message itself is queued on
 * each other channel they chose that has none of this event, in the same place in the case's order, with
 * `fallback_of` pointing to it. False when no other channel reaches them.
 */
async function reroute(trx: Db, failedId: string): Promise<boolean> {
  const failed = await trx.selectFrom('notifications').selectAll().where('id', '=', failedId).executeTakeFirstOrThrow();
  if (failed.case_id === null || isStaffMessageKind(failed.kind)) return false;
  const { contacts, siblings } = await contactsAndSiblings(trx, { ...failed, case_id: failed.case_id });
  const targets = reroutingFor({ channel: failed.channel, kind: failed.kind }, contacts, siblings);
  if (targets.length > 0) {
    await trx
      .insertInto('notifications')
      .values(targets.map((target) => ({
        id: randomUUID(),
        position: failed.position,
        case_id: failed.case_id,
        event_seq: null,
        kind: failed.kind,
        channel: target.channel,
        recipient: target.recipient,
        context: JSON.stringify(reroutedContext(failed.context as StoredContext, target.channel)),
        fallback_of: failed.id,
      })))
      .execute();
  }
  return targets.length > 0;
}

export interface Abandoned {
  /** rows back in the queue */
  retried: number;
  /** rows that crashed their process once too often: technical-failure */
  ended: number;
}

/**
 * Rows in `sending` whose dispatcher is gone (its lease ran out, or it is known dead): each counts as a
 * crash of the message's process, and goes back to the queue, or ends in technical-failure after
 * `maxCrashes` of them, so that a message that kills its worker cannot keep killing the next one.
 */
export async function reclaimAbandoned(db: Db, now: Date, policy: RetryPolicy, from: { leaseBefore: Date } | { claimedBy: readonly string[] }): Promise<Abandoned> {
  return db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('notifications').select(['id', 'crashes']).where('status', '=', 'sending');
    query = 'leaseBefore' in from ? query.where('lease_until', '<', from.leaseBefore) : query.where('claimed_by', 'in', [...from.claimedBy]);
    const rows = await query.forUpdate().skipLocked().execute();
    const ended = rows.filter((r) => afterCrash(policy, r.crashes + 1) === 'technical-failure').map((r) => r.id);
    const retried = rows.filter((r) => !ended.includes(r.id)).map((r) => r.id);
    const cause = 'leaseBefore' in from ? 'lease scaduto' : 'il processo che lo inviava è terminato';
    if (retried.length > 0) {
      await trx
        .updateTable('notifications')
        .set((eb) => ({ status: 'temporary-failure', crashes: eb('crashes', '+', 1), lease_until: null, next_attempt_at: now, updated_at: now, last_error: `invio interrotto (${cause}): nuovo tentativo` }))
        .where('id', 'in', retried)
        .execute();
    }
    if (ended.length > 0) {
      await trx
        .updateTable('notifications')
        .set((eb) => ({
          status: 'technical-failure', crashes: eb('crashes', '+', 1), lease_until: null, failed_at: now, updated_at: now,
          last_error: `invio interrotto ${policy.maxCrashes} volte (${cause}): non più ritentato`,
        }))
        .where('id', 'in', ended)
        .execute();
      for (const id of ended) await fallBack(trx, id);
    }
    return { retried: retried.length, ended: ended.length };
  });
}

/** The other workers holding rows in `sending`: the ones whose liveness the sweeper checks. */
export async function workersHoldingRows(db: Db, self: string): Promise<string[]> {
  const rows = await db.selectFrom('notifications').select('claimed_by').distinct().where('status', '=', 'sending').where('claimed_by', '!=', self).execute();
  return rows.map((r) => r.claimed_by!);
}

/** Milliseconds until the next retry is due, or undefined when nothing waits. */
export async function nextDueInMs(db: Db, now: Date): Promise<number | undefined> {
  const row = await sql<{ wait: number | null }>`
    SELECT (EXTRACT(EPOCH FROM (min(next_attempt_at) - ${now}::timestamptz)) * 1000)::float8 AS wait
    FROM notifications WHERE status IN (${statusList(DUE_STATUSES)})`.execute(db);
  const wait = row.rows[0]?.wait;
  return wait === null || wait === undefined ? undefined : Math.max(0, wait);
}

export interface ReceiptWindow {
  /** the receipt's arrival, on the dispatcher's clock */
  now: Date;
  /** a receipt lands only on a message sent this long before it: SMS_RECEIPT_TIMEOUT_HOURS */
  windowMs: number;
}

/**
 * A delivery receipt: appended as received, in a statement of its own that locks no message (the row
 * has no notification yet, so not even the foreign key's share lock), then applied. A receipt that does
 * not match yet (its message's acceptance is not recorded yet) stays pending: the sweeper applies it later.
 */
export async function recordReceipt(db: Db, receipt: Receipt, window: ReceiptWindow): Promise<{ matched: boolean }> {
  return outcomeOfReceipt(db, await storeReceipt(db, receipt, window.now), window);
}

/**
 * Applies a stored receipt and tells whether it found its message. A dispatcher's sweep may hold the
 * receipt at that moment (the applier skips it): reading it under a share lock waits for the sweep's outcome.
 */
export async function outcomeOfReceipt(db: Db, id: number, window: ReceiptWindow): Promise<{ matched: boolean }> {
  const applied = await applyPendingReceipts(db, window, { ids: [id] });
  if (applied.matched > 0) return { matched: true };
  const row = await db.selectFrom('notification_receipts').select('notification_id').where('id', '=', id).forShare().executeTakeFirstOrThrow();
  return { matched: row.notification_id !== null };
}

/** The receipt appended, matched to nothing yet; returns its id. */
export async function storeReceipt(db: Db, receipt: Receipt, now: Date): Promise<number> {
  const { id } = await db
    .insertInto('notification_receipts')
    .values({
      notification_id: null, provider: receipt.provider, provider_id: receipt.providerId, account: receipt.account ?? null,
      destination: receipt.destination ?? null, status: receipt.status, detail: receipt.detail.slice(0, 500), received_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Applies the pending receipts (all of them, or `only` these) in one transaction: each is matched to the
 * latest message sent through the same provider and account, to the same destination, with its id,
 * within the window (an SMSC restarted hands out its ids again); the messages are then locked in id
 * order, so that two appliers never wait on each other in a cycle, and their statuses follow: a failed
 * part is a permanent failure with fallback, delivered once every part is. Receipts another applier holds
 * are skipped (it applies them).
 */
export async function applyPendingReceipts(db: Db, window: ReceiptWindow, only?: { ids?: number[]; providerIds?: string[] }): Promise<{ matched: number }> {
  const since = new Date(window.now.getTime() - window.windowMs);
  return db.transaction().execute(async (trx) => {
    const filter = only?.ids ? sql`AND r.id IN (${sql.join(only.ids)})` : only?.providerIds ? sql`AND r.provider_id IN (${sql.join(only.providerIds)})` : sql``;
    const pending = await sql<{ id: number; target: string | null }>`
      SELECT r.id, (
        SELECT n.id FROM notifications n
        WHERE n.provider = r.provider AND n.provider_ids @> ARRAY[r.provider_id]
          AND (r.account IS NULL OR n.provider_account = r.account)
          AND (r.destination IS NULL OR ltrim(n.recipient, '+') = ltrim(r.destination, '+'))
          AND n.sent_at >= r.received_at - ${`${window.windowMs} milliseconds`}::interval
        ORDER BY n.sent_at DESC, n.position DESC LIMIT 1
      ) AS target
      FROM notification_receipts r
      WHERE r.notification_id IS NULL AND r.received_at >= ${since} ${filter}
      ORDER BY r.id
      FOR UPDATE OF r SKIP LOCKED`.execute(trx);
    const matched = pending.rows.filter((r) => r.target !== null);
    if (matched.length === 0) return { matched: 0 };
    const targets = await trx
      .selectFrom('notifications')
      .select(['id', 'status', 'provider_ids'])
      .where('id', 'in', [...new Set(matched.map((r) => r.target!))])
      .orderBy('id')
      .forUpdate()
      .execute();
    for (const r of matched) await trx.updateTable('notification_receipts').set({ notification_id: r.target }).where('id', '=', r.id).execute();
    for (const target of targets) await settleByReceipts(trx, target, window.now);
    return { matched: matched.length };
  });
}

async function settleByReceipts(trx: Db, row: { id: string; status: NotificationStatus; provider_ids: string[] }, now: Date): Promise<void> {
  if (row.status !== 'sent') return;
  const receipts = await trx.selectFrom('notification_receipts').select(['provider_id', 'status', 'detail']).where('notification_id', '=', row.id).execute();
  const failed = receipts.find((r) => r.status === 'failed');
  if (failed) {
    await trx
      .updateTable('notifications')
      .set({ status: 'permanent-failure', failed_at: now, last_error: `ricevuta di mancata consegna: ${failed.detail}`, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await fallBack(trx, row.id);
    return;
  }
  const delivered = new Set(receipts.filter((r) => r.status === 'delivered').map((r) => r.provider_id));
  if (row.provider_ids.every((id) => delivered.has(id))) {
    await trx.updateTable('notifications').set({ status: 'delivered', delivered_at: now, updated_at: now }).where('id', '=', row.id).execute();
  }
}

/** SMS still `sent` `timeoutMs` after sending: their receipt is not coming, they end in `sent-no-receipt`. */
export async function expireAwaitedReceipts(db: Db, now: Date, timeoutMs: number): Promise<number> {
  const updated = await db
    .updateTable('notifications')
    .set({ status: 'sent-no-receipt', updated_at: now, last_error: 'nessuna ricevuta di consegna dal fornitore' })
    .where('status', 'in', statusesBefore('sent-no-receipt'))
    .where('channel', '=', 'sms')
    .where('sent_at', '<', new Date(now.getTime() - timeoutMs))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

export interface AcceptedMessage {
  row: Claimed;
  accepted: Accepted;
  shown: { subject: string | null; body: string };
}

export interface IoStatusCheck {
  id: string;
  recipient: string;
  provider_id: string;
  office_code: string;
}

/**
 * The App IO messages whose status is to be read back now: sent in the last 30 days, not yet read, not
 * checked within `everyMs`. Marking them checked claims them, so that two dispatchers do not ask IO twice.
 */
export async function claimIoStatusChecks(db: Db, now: Date, everyMs: number, limit: number): Promise<IoStatusCheck[]> {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const checkedBefore = new Date(now.getTime() - everyMs);
  const { rows } = await sql<IoStatusCheck>`
    WITH due AS (
      SELECT n.id FROM notifications n
      WHERE n.channel = 'io' AND n.status IN ('sent', 'delivered') AND n.read_at IS NULL AND n.sent_at >= ${since}
        AND n.provider_id IS NOT NULL AND (n.status_checked_at IS NULL OR n.status_checked_at < ${checkedBefore})
      ORDER BY n.sent_at
      LIMIT ${limit}
      FOR UPDATE OF n SKIP LOCKED
    )
    UPDATE notifications t SET status_checked_at = ${now}
    FROM due, cases c, offices o
    WHERE t.id = due.id AND c.id = t.case_id AND o.id = c.office_id
    RETURNING t.id, t.recipient, t.provider_id, o.code AS office_code`.execute(db);
  return rows;
}

/** What IO said of a message: processed is delivered ("consegnato"), read is kept apart ("letto"); a rejection fails it. */
export async function recordIoStatus(db: Db, id: string, state: { status: string | undefined; readStatus: string | undefined }, now: Date): Promise<void> {
  const outcome = ioStatusOutcome(state.status, state.readStatus);
  await db.transaction().execute(async (trx) => {
    if (outcome.failed) {
      const updated = await trx
        .updateTable('notifications')
        .set({ status: 'permanent-failure', failed_at: now, last_error: outcome.failed, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'sent')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) await fallBack(trx, id);
      return;
    }
    if (outcome.delivered || outcome.read) {
      await trx.updateTable('notifications').set({ status: 'delivered', delivered_at: sql`coalesce(delivered_at, ${now})`, updated_at: now }).where('id', '=', id).where('status', '=', 'sent').execute();
    }
    if (outcome.read) await trx.updateTable('notifications').set({ read_at: now, updated_at: now }).where('id', '=', id).where('read_at', 'is', null).execute();
  });
}
