import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { DatabaseHandle, Db } from '../adapters/db/database.ts';
import type { Channels, Receipt } from '../adapters/channels/types.ts';
import { NotReachableError, SendError } from '../adapters/channels/types.ts';
import { DEFAULT_RETRY_POLICY, IoContentError, RESET_LINK_PLACEHOLDER, SmsTooLongError, afterFailure, ioDueDate, textToHtml } from '../domain/notification/index.ts';
import type { RetryPolicy, StoredContext } from '../domain/notification/index.ts';
import { sendablePassword } from '../application/notifications/passwords.ts';
import { REDACTED_LINK, composeMessage } from '../application/notifications/compose.ts';
import type { CredentialsKeys } from '../application/notifications/secrets.ts';
import { loadTemplates, templateFor } from '../application/notifications/templates.ts';
import type { TemplateSet } from '../application/notifications/templates.ts';
import { createSignInLink } from '../application/portal/sign-in-link.ts';
import { createResetLink } from '../application/backoffice/password-reset.ts';
import { systemClock } from '../application/clock.ts';
import type { Clock } from '../application/clock.ts';
import {
  applyPendingReceipts, awaitsReceipts, claimDue, claimIoStatusChecks, expireAwaitedReceipts, markAccepted, markCancelled, markFailed, nextDueInMs, outcomeOfReceipt, reclaimAbandoned,
  recordIoStatus, storeReceipt, workersHoldingRows,
} from './queue.ts';
import type { AcceptedMessage, Claimed } from './queue.ts';
import type { WorkerLiveness } from './liveness.ts';
import type { DeliveryObserver } from '../adapters/metrics.ts';

class AcceptedNotRecorded extends Error {
  constructor(cause: unknown) {
    super('accepted by the provider, not recorded', { cause });
  }
}

export const NOTIFY_CHANNEL = 'pratica_notifications';

export interface DispatcherOptions {
  db: Db;
  channels: Channels;
  publicBaseUrl: string;
  /** SESSION_SECRET: signs the e-mail's one-click link and the staff's reset link */
  sessionSecret: string;
  /** LISTEN (DatabaseHandle.listen) to wake at each commit that queued a message, on PostgreSQL and PGlite alike */
  listen?: DatabaseHandle['listen'] | undefined;
  /** the process's keys (Services): open the sealed case passwords the messages carry */
  credentialsKeys: CredentialsKeys;
  workerId?: string;
  /** messages in flight at once */
  concurrency?: number;
  /** the last resort for a dispatcher that hangs without dying; a dead one is found by `liveness` */
  leaseMs?: number;
  /** the polling fallback: the longest sleep without a signal */
  pollMs?: number;
  /** how often the sweeper looks for expired leases and dead workers */
  sweepEveryMs?: number;
  retry?: RetryPolicy;
  /** an SMS still without its delivery receipt this long after sending ends in sent-no-receipt */
  receiptTimeoutMs?: number;
  /** how often an App IO message's status (processed, read) is read back from IO */
  ioStatusEveryMs?: number;
  /** livenessFor(database): without it, a dead worker's messages wait for its lease */
  liveness?: WorkerLiveness | undefined;
  /** due times, leases and the age of messages are read on it */
  clock?: Clock;
  logger?: Logger | undefined;
  /** the process's metrics: delivery latency and failed attempts */
  delivery?: DeliveryObserver | undefined;
  random?: () => number;
}

const RECEIPT_ATTEMPTS = 6;

/**
 * Sends what the notifications table holds. Several dispatchers may run against one PostgreSQL (each
 * `npx pratica worker`, or the server's in-process one): rows are claimed with FOR UPDATE SKIP LOCKED, so
 * each message goes to one of them. It wakes on the NOTIFY of each commit that queued
 * a message (a trigger on the notifications table, heard on both databases) and polls as a fallback; a sweeper puts back the rows of a dispatcher that died, or whose lease expired.
 */
export class Dispatcher {
  readonly workerId: string;
  private readonly opts: Required<Omit<DispatcherOptions, 'listen' | 'logger' | 'credentialsKeys' | 'liveness' | 'delivery'>> & Pick<DispatcherOptions, 'listen' | 'logger' | 'liveness' | 'delivery'>;
  private readonly keys: CredentialsKeys;
  private readonly inflight = new Set<Promise<void>>();
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeRequested = false;
  private wakeUp: (() => void) | undefined;
  private listening: Promise<(() => Promise<void>) | undefined> | undefined;
  /** on the monotonic timer, as the templates' age: pauses between sweeps, not dates of the facts (those use the clock) */
  private lastSweep = -Infinity;
  private templates: { set: TemplateSet; at: number } | undefined;

  constructor(options: DispatcherOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.keys = options.credentialsKeys;
    this.opts = {
      concurrency: 16, leaseMs: 60_000, pollMs: 1_000, sweepEveryMs: 2_000, retry: DEFAULT_RETRY_POLICY, receiptTimeoutMs: 48 * 3_600_000, ioStatusEveryMs: 60_000,
      clock: systemClock, random: Math.random,
      workerId: this.workerId, ...options,
    };
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.opts.channels.sms.onReceipt?.((receipt) => void this.receipt(receipt));
    this.listening = this.opts.listen?.(NOTIFY_CHANNEL, {
      message: () => this.wake(),
      // once listening again, anything committed meanwhile is looked for at once
      listening: (listening) => (listening ? this.wake() : this.opts.logger?.warn('LISTEN connection lost: polling until it is back')),
    });
    this.running = this.loop();
  }

  /** Stops claiming, lets the messages in flight finish, and releases the connections. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const unlisten = await this.listening;
    this.listening = undefined;
    await unlisten?.();
    await this.running;
    this.running = undefined;
    await this.opts.liveness?.release(this.workerId);
  }

  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.wakeRequested = false;
      let idle = true;
      try {
        // a worker that cannot show it is alive claims nothing: its rows would look abandoned
        const alive = (await this.opts.liveness?.hold(this.workerId)) ?? true;
        if (!alive) this.opts.logger?.warn('dispatcher: cannot hold the worker lock, retrying');
        if (performance.now() - this.lastSweep >= this.opts.sweepEveryMs) {
          this.lastSweep = performance.now();
          await this.sweep();
        }
        const capacity = this.opts.concurrency - this.inflight.size;
        if (alive && capacity > 0) {
          const rows = await claimDue(this.opts.db, this.workerId, capacity, this.opts.leaseMs, this.opts.clock.now());
          for (const row of rows) this.track(this.process(row));
          idle = rows.length === 0;
          if (rows.length === capacity) continue; // there may be more waiting
        }
      } catch (error) {
        this.opts.logger?.error({ err: error }, 'dispatcher: database error, retrying');
      }
      if (this.wakeRequested || this.stopping) continue;
      let wait = this.opts.pollMs;
      if (idle && this.inflight.size === 0) {
        const due = await nextDueInMs(this.opts.db, this.opts.clock.now()).catch(() => undefined);
        if (due !== undefined) wait = Math.min(wait, Math.max(5, due));
      }
      await this.sleep(wait);
    }
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * Puts back the rows of dispatchers that died (at once) or hang (after their lease); applies the
   * receipts still pending (they came before their message's acceptance was recorded, or applying them
   * failed), and ends the SMS whose receipt is overdue.
   */
  private async sweep(): Promise<void> {
    const { db, retry, liveness, logger } = this.opts;
    const now = this.opts.clock.now();
    await applyPendingReceipts(db, this.receiptWindow());
    await this.refreshIoStatuses(now);
    const unconfirmed = await expireAwaitedReceipts(db, now, this.opts.receiptTimeoutMs);
    if (unconfirmed > 0) logger?.warn({ count: unconfirmed }, 'SMS without a delivery receipt in time: sent-no-receipt');
    const expired = await reclaimAbandoned(db, now, retry, { leaseBefore: now });
    if (expired.retried + expired.ended > 0) logger?.warn(expired, 'expired leases: messages put back in the queue');
    await liveness?.dead(await workersHoldingRows(db, this.workerId), async (dead) => {
      const orphaned = await reclaimAbandoned(db, now, retry, { claimedBy: dead });
      if (orphaned.retried + orphaned.ended > 0) logger?.warn({ ...orphaned, workers: dead }, 'dead workers: their messages put back in the queue');
    });
  }

  /**
   * App IO has no receipts: what it says of each message sent (processed, read, rejected) is read back,
   * each message at most every `ioStatusEveryMs`, for the staff's "consegnato" and "letto".
   */
  private async refreshIoStatuses(now: Date): Promise<void> {
    const io = this.opts.channels.io;
    if (!io) return;
    const rows = await claimIoStatusChecks(this.opts.db, now, this.opts.ioStatusEveryMs, 50);
    await Promise.all(rows.map(async (row) => {
      try {
        const state = await io.status({ fiscalCode: row.recipient, providerId: row.provider_id, office: row.office_code });
        if (state) await recordIoStatus(this.opts.db, row.id, state, this.opts.clock.now());
      } catch (error) {
        this.opts.logger?.warn({ err: error, notification: row.id }, 'App IO status not read: tried again later');
      }
    }));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  private track(work: Promise<void>): void {
    this.inflight.add(work);
    void work.finally(() => {
      this.inflight.delete(work);
      // refill in batches, and at once when a case's next message may now be free to go
      if (this.inflight.size <= this.opts.concurrency / 2) this.wake();
    });
  }

  private async currentTemplates(): Promise<TemplateSet> {
    // an administrator's change applies within a second, without a query per message
    if (!this.templates || performance.now() - this.templates.at > 1_000) this.templates = { set: await loadTemplates(this.opts.db), at: performance.now() };
    return this.templates.set;
  }

  private async process(row: Claimed): Promise<void> {
    const { db, channels, logger } = this.opts;
    try {
      if (row.case_id === null) {
        // written whole when queued but for the reset link, made now from the account's current password hash
        const subject = row.subject ?? '';
        const body = row.body ?? '';
        const link = body.includes(RESET_LINK_PLACEHOLDER) ? await this.resetLink(row.staff_id) : '';
        const text = body.replaceAll(RESET_LINK_PLACEHOLDER, link);
        const accepted = await channels.email.send({ id: row.id, to: row.recipient, subject, text, html: textToHtml(text, subject) });
        await this.recordAccepted({ row, accepted, shown: { subject, body: body.replaceAll(RESET_LINK_PLACEHOLDER, REDACTED_LINK) } });
        return;
      }
      if (row.opted_out) {
        await markCancelled(db, row, this.workerId, this.opts.clock.now());
        return;
      }
      const template = templateFor(await this.currentTemplates(), row.kind, row.channel);
      if (row.channel === 'io') {
        // the citizen on IO signs in with SPID/CIE: no password to unseal, no personal link
        if (!channels.io) throw new NotReachableError('App IO non è configurato (IO_API_KEY, IO_API_KEYS)');
        const message = composeMessage(template, 'io', row.context as StoredContext, this.opts.publicBaseUrl, { password: '', signInLink: '' });
        const accepted = await channels.io.send({
          id: row.id, fiscalCode: row.recipient, office: row.office_code, ...message.io!,
          dueDate: ioDueDate(row.kind, row.case_state, row.case_deadline, this.opts.clock.today()),
        });
        await this.recordAccepted({ row, accepted, shown: message.shown });
        return;
      }
      const password = await sendablePassword(db, { caseId: row.case_id, passwordHash: row.password_hash, sealed: row.sealed }, this.opts.clock.now(), this.keys);
      const signIn = row.channel === 'email' ? createSignInLink({ secret: this.opts.sessionSecret, baseUrl: this.opts.publicBaseUrl, caseId: row.case_id, now: this.opts.clock.now() }) : '';
      const message = composeMessage(template, row.channel, row.context as StoredContext, this.opts.publicBaseUrl, { password, signInLink: signIn });
      const accepted = message.email
        ? await channels.email.send({ id: row.id, to: row.recipient, ...message.email })
        : await channels.sms.send({ id: row.id, to: row.recipient, text: message.sms!.text });
      await this.recordAccepted({ row, accepted, shown: message.shown });
    } catch (error) {
      if (error instanceof AcceptedNotRecorded) {
        // sent, but the row could not be updated: the lease expires and it may go once more (same message id)
        logger?.error({ err: error.cause, notification: row.id }, 'message sent but not recorded');
        return;
      }
      const known = error instanceof SendError || error instanceof SmsTooLongError || error instanceof IoContentError;
      const permanent = error instanceof SendError ? error.permanent : known;
      const now = this.opts.clock.now();
      const outcome = error instanceof NotReachableError
        ? { status: 'rerouted' as const }
        : afterFailure(this.opts.retry, {
          attempts: row.attempts, ageMs: now.getTime() - row.created_at.getTime(), permanent, random: this.opts.random(),
          notBeforeMs: error instanceof SendError ? error.retryAfterMs : undefined,
        });
      const message = error instanceof Error ? error.message : String(error);
      if (!known) logger?.error({ err: error, notification: row.id }, 'unexpected error while sending');
      else logger?.warn({ notification: row.id, channel: row.channel, attempts: row.attempts, outcome: outcome.status, error: message }, 'message not sent');
      this.opts.delivery?.failed(row.channel, outcome.status);
      await markFailed(db, row, this.workerId, outcome, message.slice(0, 1000), now).catch((dbError: unknown) => {
        // the lease will expire and the sweeper will put the row back: nothing is lost
        logger?.error({ err: dbError, notification: row.id }, 'could not record the failure');
      });
    }
  }

  private async resetLink(staffId: string): Promise<string> {
    const staff = await this.opts.db.selectFrom('staff').select('password_hash').where('id', '=', staffId).executeTakeFirstOrThrow();
    return createResetLink({ secret: this.opts.sessionSecret, baseUrl: this.opts.publicBaseUrl, staffId, passwordHash: staff.password_hash, now: this.opts.clock.now() });
  }

  /**
   * Each acceptance is recorded at once, in its own small UPDATE: a process killed after the provider took
   * a message resends only the messages in flight on it (at most `concurrency`), never a batch of them.
   */
  private async recordAccepted(item: AcceptedMessage): Promise<void> {
    const now = this.opts.clock.now();
    let recorded: boolean;
    try {
      recorded = await markAccepted(this.opts.db, item.row, this.workerId, item.accepted, item.shown, now);
    } catch (error) {
      throw new AcceptedNotRecorded(error);
    }
    if (recorded) this.opts.delivery?.accepted(item.row.channel, (now.getTime() - item.row.created_at.getTime()) / 1000);
    if (!recorded || !awaitsReceipts(item.accepted)) return;
    // receipts faster than this update wait for it: apply them now (else the sweeper does)
    const providerIds = item.accepted.providerIds ?? [item.accepted.providerId];
    await applyPendingReceipts(this.opts.db, this.receiptWindow(), { providerIds }).catch((error: unknown) =>
      this.opts.logger?.warn({ err: error, notification: item.row.id }, 'early delivery receipts not applied yet: the sweeper will'));
  }

  private receiptWindow() {
    return { now: this.opts.clock.now(), windowMs: this.opts.receiptTimeoutMs };
  }

  /**
   * A receipt is acknowledged to the SMSC on arrival: storing it is retried, or it would be lost; once
   * stored, applying it that fails is the sweeper's to do again.
   */
  private async receipt(receipt: Receipt, attempt = 1): Promise<void> {
    let id: number;
    try {
      id = await storeReceipt(this.opts.db, receipt, this.opts.clock.now());
    } catch (error) {
      if (attempt >= RECEIPT_ATTEMPTS || this.stopping) {
        this.opts.logger?.error({ err: error, receipt }, 'could not record a delivery receipt');
        return;
      }
      this.opts.logger?.warn({ err: error, receipt, attempt }, 'delivery receipt not recorded: retrying');
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      await this.receipt(receipt, attempt + 1);
      return;
    }
    try {
      const { matched } = await outcomeOfReceipt(this.opts.db, id, this.receiptWindow());
      if (!matched) this.opts.logger?.info({ receipt }, 'delivery receipt not matched yet: kept, applied when its message is recorded');
    } catch (error) {
      this.opts.logger?.warn({ err: error, receipt }, 'delivery receipt stored, not applied yet: the sweeper will');
    }
  }
}
