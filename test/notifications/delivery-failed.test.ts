import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Accepted, Channels, OutgoingEmail, OutgoingSms } from '../../src/adapters/channels/types.ts';
import { SendError } from '../../src/adapters/channels/types.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { ADMIN, StaffClient, text } from '../backoffice/client.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { BASE_URL, deps, dispatcher, enrol, notificationsOf, waitUntil } from './harness.ts';

/** A provider that refuses every e-mail to `refused` (a 550: permanent) and takes everything else. */
function refusingProvider(refused: RegExp) {
  const sms: OutgoingSms[] = [];
  const emails: OutgoingEmail[] = [];
  const accepted = (id: string): Accepted => ({ provider: 'stand-in', providerId: id, delivered: true });
  const channels: Channels = {
    email: {
      provider: 'stand-in',
      send: async (message) => {
        if (refused.test(message.to)) throw new SendError('550 5.1.1 casella inesistente', true);
        emails.push(message);
        return accepted(message.id);
      },
      close: async () => {},
    },
    sms: { provider: 'stand-in', send: async (message) => (sms.push(message), accepted(message.id)), close: async () => {} },
  };
  return { channels, sms, emails };
}

describe('a message that fails for good is announced on the other channel', () => {
  let testApp: TestApp;

  before(async () => {
    testApp = await createTestApp();
    await testApp.database.db.updateTable('notifications').set({ status: 'cancelled', last_error: 'demo' }).where('status', '=', 'created').execute();
  });
  after(() => testApp.close());

  it('a refused start e-mail, though the start SMS went: an SMS says an e-mail could not be delivered and where to read it; staff see both', { timeout: 30_000 }, async () => {
    const db = testApp.database.db;
    const citizen = await enrol(db, { channels: ['email', 'sms'], email: 'inesistente@example.org' });
    const provider = refusingProvider(/^inesistente@/);
    const worker = dispatcher(testApp.database, provider.channels);
    worker.start();
    try {
      await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      const rows = await waitUntil(() => notificationsOf(db, citizen.caseId), (r) => r.length === 3 && r.every((n) => n.status !== 'created' && n.status !== 'sending'));
      const failed = rows.find((r) => r.channel === 'email')!;
      const notice = rows.find((r) => r.kind === 'delivery-failed')!;
      assert.equal(failed.status, 'permanent-failure');
      assert.equal(rows.find((r) => r.kind === 'start' && r.channel === 'sms')!.status, 'delivered');
      assert.equal(notice.channel, 'sms');
      assert.equal(notice.recipient, citizen.mobile);
      assert.equal(notice.fallback_of, failed.id);
      assert.equal(notice.status, 'delivered');
      const sent = provider.sms.find((m) => m.id === notice.id)!;
      assert.match(sent.text, new RegExp(`^Pratica ${citizen.code}: e-mail non consegnata, la legga su ${BASE_URL}/pratica password `));
      assert.equal(provider.sms.length, 2, 'the start SMS and the notice, nothing more');
    } finally {
      await worker.stop();
    }
    const staff = new StaffClient(testApp.app);
    await staff.get('/uffici/accesso');
    await staff.post('/uffici/accesso', { email: ADMIN.email, password: ADMIN.password, next: '/uffici' });
    const page = text((await staff.get(`/uffici/pratiche/${citizen.code}`)).body);
    assert.match(page, /non consegnato\s*550 5\.1\.1 casella inesistente\s*Il cittadino ne è avvisato via SMS\./);
    assert.match(page, /Avviso di messaggio non consegnato\s*Avvisa il cittadino che non gli è stato consegnato: Avvio del procedimento via e-mail\./);
  });

  it('a refused suspension e-mail whose SMS went: nothing is lost, no notice', { timeout: 30_000 }, async () => {
    const db = testApp.database.db;
    const citizen = await enrol(db, { channels: ['email', 'sms'], email: 'inesistente2@example.org' });
    await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    await db.updateTable('notifications').set({ status: 'cancelled' }).where('case_id', '=', citizen.caseId).execute();
    const provider = refusingProvider(/^inesistente2@/);
    const worker = dispatcher(testApp.database, provider.channels);
    worker.start();
    try {
      await recordEvent(deps(db), systemActor, citizen.code, { type: 'suspend', effectiveOn: TODAY, kind: 'art2c7', reason: 'Manca la planimetria' });
      const rows = await waitUntil(
        () => notificationsOf(db, citizen.caseId).then((r) => r.filter((n) => n.status !== 'cancelled')),
        (r) => r.length === 2 && r.every((n) => n.status === 'delivered' || n.status === 'permanent-failure'),
      );
      assert.deepEqual(rows.map((r) => `${r.kind}/${r.channel}:${r.status}`).sort(), ['suspend/email:permanent-failure', 'suspend/sms:delivered']);
      // the notice would be queued in the same transaction as the failure: none is there
      assert.equal((await notificationsOf(db, citizen.caseId)).filter((r) => r.kind === 'delivery-failed').length, 0);
    } finally {
      await worker.stop();
    }
  });
});
