import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { requestPasswordReset } from '../../src/application/backoffice/password-reset.ts';
import { resendCredentials } from '../../src/application/notifications.ts';
import { ADMIN } from '../backoffice/client.ts';
import { systemActor } from '../support/fixtures.ts';
import { deps, services, dispatcher, enrol, notificationDatabase, rowsOf, SECRET, standInProvider, waitUntil } from './harness.ts';

// The dispatcher hears the commit of every queued message (LISTEN on the notifications trigger), on PGlite as on
// PostgreSQL: with polling once a minute, a message still leaves within moments of its commit.
describe('a dispatcher that polls once a minute', () => {
  let database: DatabaseHandle;
  const provider = standInProvider();
  let worker: ReturnType<typeof dispatcher>;

  before(async () => {
    database = await notificationDatabase();
    provider.down = false;
    worker = dispatcher(database, provider.channels, { pollMs: 60_000, sweepEveryMs: 60_000 });
    worker.start();
    // its first look at the queue is over: from now on only a wake-up can make it look again
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  after(async () => {
    await worker.stop();
    await database.close();
  });

  it('sends the credentials staff resend after it went to sleep at once', async () => {
    const enrolled = await enrol(database.db, { channels: ['email'] });
    await resendCredentials(deps(database.db), systemActor, enrolled.code);
    // the provider takes the message a moment before the dispatcher records it: wait for the record
    const rows = await waitUntil(() => rowsOf(database.db, [enrolled.caseId]), (r) => r.length > 0 && r.every((row) => row.status === 'delivered'), 5_000);
    assert.deepEqual(rows.map((row) => provider.sent.includes(row.id)), [true]);
  });

  it('sends a staff member\'s password reset link at once too', async () => {
    const before = provider.sent.length;
    await requestPasswordReset({ ...services, db: database.db, secret: SECRET }, ADMIN.email);
    await waitUntil(async () => provider.sent.length, (sent) => sent > before, 5_000);
  });
});
