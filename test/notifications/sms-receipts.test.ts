import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from 'pino';
import { recordEvent } from '../../src/application/cases.ts';
import { resendCredentials } from '../../src/application/notifications.ts';
import { STATUS_LABELS } from '../../src/domain/notification/index.ts';
import { expireAwaitedReceipts } from '../../src/worker/queue.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { deps, dispatcher, enrol, movableClock, notificationsOf, smppRig, waitUntil } from './harness.ts';

/** The dispatcher's errors, kept: a receipt it could not record is logged there. */
function recordingLogger(): Logger & { errors: unknown[] } {
  const errors: unknown[] = [];
  const logger = {
    errors,
    error: (...args: unknown[]) => errors.push(args),
    warn: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    child: () => logger,
  };
  return logger as unknown as Logger & { errors: unknown[] };
}

// three GSM-7 parts: every part's receipt goes to the same message
const LONG_SMS = `Pratica {{caseCode}} avviata il {{eventDate}}. ${'Testo lungo per avere piu parti. '.repeat(9)}{{caseLink}} password {{password}} {{stop}}`;

describe('SMPP delivery receipts', () => {
  const rig = smppRig(5_000);

  it('the receipts of long SMS sent at once all land, without a deadlock, and each message is delivered', async () => {
    await rig.database.db.insertInto('notification_templates').values({ kind: 'start', channel: 'sms', subject: '', body: LONG_SMS, updated_by: 'test' }).execute();
    // the parts' receipts arrive together, after the message is recorded as sent: they compete for its row
    rig.smsc.receiptDelayMs = 60;
    const logger = recordingLogger();
    const citizens = await Promise.all(Array.from({ length: 12 }, () => enrol(rig.database.db, { channels: ['sms'] })));
    const worker = dispatcher(rig.database, rig.channels, { concurrency: 12, logger, sweepEveryMs: 60_000 });
    worker.start();
    try {
      await Promise.all(citizens.map((c) => recordEvent(deps(rig.database.db), systemActor, c.code, { type: 'start', effectiveOn: TODAY })));
      for (const citizen of citizens) {
        const [row] = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (rows) => rows[0]?.status === 'delivered', 20_000);
        assert.equal(row!.provider_ids.length, 3, 'three parts');
        const receipts = await rig.database.db.selectFrom('notification_receipts').select('provider_id').where('notification_id', '=', row!.id).execute();
        assert.deepEqual(receipts.map((r) => r.provider_id).sort(), [...row!.provider_ids].sort());
      }
      assert.deepEqual(logger.errors, [], 'no receipt failed to be recorded');
    } finally {
      rig.smsc.receiptDelayMs = 5;
      await worker.stop();
      await rig.database.db.deleteFrom('notification_templates').where('kind', '=', 'start').where('channel', '=', 'sms').execute();
    }
  });

  it('after an SMSC restart gives out the same message ids again, a receipt lands on the new message, not the old one', async () => {
    const citizen = await enrol(rig.database.db, { channels: ['sms'] });
    const worker = dispatcher(rig.database, rig.channels);
    worker.start();
    try {
      rig.smsc.restartIds();
      rig.smsc.receipt = undefined; // the old message's receipt never comes
      await recordEvent(deps(rig.database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const [old] = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      rig.smsc.restartIds();
      rig.smsc.receipt = 'DELIVRD';
      await resendCredentials(deps(rig.database.db), systemActor, citizen.code);
      const rows = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (r) => r[1]?.status === 'delivered');
      assert.equal(rows[1]!.provider_id, old!.provider_id, 'the SMSC gave the same id twice');
      assert.equal(rows[0]!.status, 'sent', 'the older message did not take the receipt');
      const receipts = await rig.database.db.selectFrom('notification_receipts').select('notification_id').where('provider_id', '=', old!.provider_id!)
        .where('destination', '=', citizen.mobile.slice(1)).execute();
      assert.deepEqual(receipts.map((r) => r.notification_id), [rows[1]!.id]);
    } finally {
      rig.smsc.receipt = 'DELIVRD';
      await worker.stop();
    }
  });

  it('a receipt names the destination and the account: one for another number does not land on this message', async () => {
    const citizen = await enrol(rig.database.db, { channels: ['sms'] });
    rig.smsc.receipt = undefined;
    const worker = dispatcher(rig.database, rig.channels);
    worker.start();
    try {
      await recordEvent(deps(rig.database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const [row] = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      const { recordReceipt } = await import('../../src/worker/queue.ts');
      const window = { now: new Date(), windowMs: 3_600_000 };
      const receipt = { provider: 'smpp', providerId: row!.provider_id!, status: 'delivered' as const, detail: 'DELIVRD' };
      assert.deepEqual(await recordReceipt(rig.database.db, { ...receipt, account: 'pratica', destination: '393330000000' }, window), { matched: false });
      assert.deepEqual(await recordReceipt(rig.database.db, { ...receipt, account: 'altro', destination: citizen.mobile.slice(1) }, window), { matched: false });
      assert.equal((await notificationsOf(rig.database.db, citizen.caseId))[0]!.status, 'sent');
      assert.deepEqual(await recordReceipt(rig.database.db, { ...receipt, account: 'pratica', destination: citizen.mobile.slice(1) }, window), { matched: true });
      assert.equal((await notificationsOf(rig.database.db, citizen.caseId))[0]!.status, 'delivered');
    } finally {
      rig.smsc.receipt = 'DELIVRD';
      await worker.stop();
    }
  });

  it('an SMS whose receipt never comes ends, after the timeout on the dispatcher\'s clock, in "sent, no receipt"', async () => {
    // a minute ahead: the row, queued on the database's clock, is due at once
    const clock = movableClock(new Date(Date.now() + 60_000));
    const citizen = await enrol(rig.database.db, { channels: ['sms'] });
    rig.smsc.receipt = undefined;
    const worker = dispatcher(rig.database, rig.channels, { clock, receiptTimeoutMs: 48 * 3_600_000, sweepEveryMs: 20 });
    worker.start();
    try {
      await recordEvent(deps(rig.database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const [sent] = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent');
      assert.equal(await expireAwaitedReceipts(rig.database.db, new Date(sent!.sent_at!.getTime() + 47 * 3_600_000), 48 * 3_600_000), 0, 'not before the timeout');
      clock.set(new Date(sent!.sent_at!.getTime() + 48 * 3_600_000 + 1_000));
      const [row] = await waitUntil(() => notificationsOf(rig.database.db, citizen.caseId), (rows) => rows[0]?.status === 'sent-no-receipt');
      assert.match(row!.last_error!, /nessuna ricevuta/);
      assert.equal(STATUS_LABELS['sent-no-receipt'], 'inviato, senza conferma di consegna');
    } finally {
      rig.smsc.receipt = 'DELIVRD';
      await worker.stop();
    }
  });
});
