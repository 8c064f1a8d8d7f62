import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import type { Accepted, Channels } from '../../src/adapters/channels/types.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { deps, dispatcher, enrol, notificationDatabase, waitUntil } from './harness.ts';

/**
 * A provider that holds the first `hold` messages until the test lets them go (so that they are in flight
 * together), takes the others at once, and counts how many times it took each message.
 */
function holdingProvider(hold: number) {
  const held: { id: string; accept: () => void }[] = [];
  const taken = new Map<string, number>();
  const send = ({ id }: { id: string }): Promise<Accepted> => {
    const accepted = (): Accepted => {
      taken.set(id, (taken.get(id) ?? 0) + 1);
      return { provider: 'stand-in', providerId: id, delivered: true };
    };
    if (held.length >= hold) return Promise.resolve(accepted());
    return new Promise((resolve) => held.push({ id, accept: () => resolve(accepted()) }));
  };
  const channels: Channels = { email: { provider: 'stand-in', send, close: async () => {} }, sms: { provider: 'stand-in', send, close: async () => {} } };
  return { channels, held, taken };
}

describe('a process killed right after the provider took a message', () => {
  let database: DatabaseHandle;

  before(async () => {
    database = await notificationDatabase();
  });
  after(() => database.close());

  it('each acceptance is recorded on its own: a restart resends only the messages not yet recorded, at most those in flight', { timeout: 30_000 }, async () => {
    const db = database.db;
    const cases = [];
    for (let i = 0; i < 6; i++) {
      const citizen = await enrol(db, { channels: ['email'] });
      await recordEvent(deps(db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      cases.push(citizen.caseId);
    }
    const ids = (await db.selectFrom('notifications').select('id').where('case_id', 'in', cases).execute()).map((r) => r.id);
    assert.equal(ids.length, 6);

    // the process "dies" after the provider took the third message: nothing about it or later ones reaches the database
    const lost = new Set<string>();
    const dying: KyselyPlugin = {
      transformQuery({ node }) {
        if (node.kind !== 'SelectQueryNode' && [...lost].some((id) => JSON.stringify(node).includes(id))) throw new Error('the process died');
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const provider = holdingProvider(4);
    const first = dispatcher(database, provider.channels, { db: db.withPlugin(dying), concurrency: 4 });
    first.start();
    try {
      await waitUntil(async () => provider.held.length, (n) => n === 4);
      const sending = await db.selectFrom('notifications').select('id').where('id', 'in', ids).where('status', '=', 'sending').execute();
      assert.equal(sending.length, 4, 'no more messages in flight than the concurrency');
      const [one, two, three, four] = provider.held.map((h) => h.id);
      lost.add(three!).add(four!);
      // the provider takes the four together, as it would within one batch
      for (const h of provider.held) h.accept();
      await waitUntil(
        () => db.selectFrom('notifications').select(['id', 'status']).where('id', 'in', [one!, two!]).execute(),
        (rows) => rows.every((r) => r.status === 'delivered'),
        3_000,
      );
    } finally {
      await first.stop();
    }
    const [, , three, four] = provider.held.map((h) => h.id);
    const left = await db.selectFrom('notifications').select(['id', 'status']).where('id', 'in', [three!, four!]).execute();
    assert.deepEqual(left.map((r) => r.status), ['sending', 'sending'], 'taken by the provider, not recorded: the process died');

    // the restart takes back what the dead process left in "sending" and resends those two only
    const restarted = dispatcher(database, provider.channels);
    restarted.start();
    try {
      await waitUntil(
        () => db.selectFrom('notifications').select('status').where('id', 'in', ids).execute(),
        (rows) => rows.every((r) => r.status === 'delivered'),
      );
    } finally {
      await restarted.stop();
    }
    const resent = ids.filter((id) => provider.taken.get(id) !== 1).sort();
    assert.deepEqual(resent, [three!, four!].sort());
    assert.ok(ids.every((id) => (provider.taken.get(id) ?? 0) >= 1));
  });
});
