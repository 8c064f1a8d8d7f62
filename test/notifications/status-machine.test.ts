import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DUE_STATUSES, FAILED_STATUSES, FAILURE_OUTCOMES, NOTIFICATION_STATUSES, PENDING_STATUSES, statusesBefore } from '../../src/domain/notification/index.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { createTestDatabase } from '../support/database.ts';

describe('the message status machine drives the queue', () => {
  test('a dispatcher claims (→ sending) exactly the due messages', () => assert.deepEqual(statusesBefore('sending'), [...DUE_STATUSES]));
  for (const [update, to, from] of [
    ['a send recorded', ['sent', 'delivered'], ['sending', 'temporary-failure']],
    ['a failed attempt recorded', [...FAILURE_OUTCOMES], ['sending', 'temporary-failure']],
    ['an SMS without receipt expired', ['sent-no-receipt'], ['sent']],
  ] as const) {
    test(`${update}: only from ${from.join(', ')}`, () => assert.deepEqual(statusesBefore(...to), [...from]));
  }
  test('final statuses lead nowhere', () => {
    for (const status of ['delivered', 'sent-no-receipt', 'permanent-failure', 'technical-failure', 'cancelled'] as const) {
      assert.deepEqual(NOTIFICATION_STATUSES.filter((to) => statusesBefore(to).includes(status)), [], status);
    }
  });
});

describe("the partial indexes name the domain's status lists", () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  for (const [index, statuses] of [
    ['notifications_due', DUE_STATUSES],
    ['notifications_case_pending', PENDING_STATUSES],
    ['notifications_failed', FAILED_STATUSES],
  ] as const) {
    test(`${index}: ${statuses.join(', ')}`, async () => {
      const { rows } = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE indexname = ${index}`.execute(database.db);
      assert.equal(rows.length, 1, index);
      const predicate = rows[0]!.indexdef.split(' WHERE ')[1] ?? '';
      assert.deepEqual([...predicate.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort(), [...statuses].sort());
    });
  }
});
