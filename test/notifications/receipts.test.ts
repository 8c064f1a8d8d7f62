import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { recordReceipt } from '../../src/worker/queue.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { deps, enrol, notificationDatabase } from './harness.ts';

describe('delivery receipts arriving together', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await notificationDatabase();
  });
  after(() => database.close());

  it('the receipts of a long SMS\'s parts, recorded at the same moment, all count: none is lost to a deadlock', async () => {
    const db = database.db;
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { caseId, code } = await enrol(db, { channels: ['sms'] });
      await recordEvent(deps(db), systemActor, code, { type: 'start', effectiveOn: TODAY });
      // as the dispatcher leaves a two-part SMS that the SMS centre took
      const [row] = await db.updateTable('notifications')
        .set({ status: 'sent', provider: 'smpp', provider_id: `c${i}-1`, provider_ids: [`c${i}-1`, `c${i}-2`], sent_at: new Date() })
        .where('case_id', '=', caseId).where('channel', '=', 'sms').returning('id').execute();
      ids.push(row!.id);
    }
    // the SMS centre answers for both parts at once; on PostgreSQL they are recorded on separate connections
    const outcomes = await Promise.allSettled(ids.flatMap((_, i) => [1, 2].map((part) =>
      recordReceipt(db, { provider: 'smpp', providerId: `c${i}-${part}`, status: 'delivered', detail: 'DELIVRD' }))));
    assert.deepEqual(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason)), []);
    const rows = await db.selectFrom('notifications').select('status').where('id', 'in', ids).execute();
    assert.deepEqual(rows.map((r) => r.status), ids.map(() => 'delivered'));
  });
});
