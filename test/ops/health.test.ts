import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { buildApp } from '../../src/adapters/web/app.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { createTestApp, TEST_SESSION_SECRET } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY } from '../support/fixtures.ts';
import { testServices } from '../support/services.ts';

const appOn = (database: DatabaseHandle, listen: DatabaseHandle['listen'] | undefined) =>
  buildApp({ db: database.db, listen, ...testServices(fixedClock(TODAY)), publicBaseUrl: 'http://localhost:3000', production: true, sessionSecret: TEST_SESSION_SECRET });

describe('health: /health/live and /health/ready', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ seed: false });
  });
  after(() => t.close());

  test('live answers without the database; ready checks the database, the migrations and the change feed', async () => {
    const live = await t.app.inject({ url: '/health/live' });
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: 'ok' });
    for (const url of ['/health/ready', '/health']) {
      const ready = await t.app.inject({ url });
      assert.equal(ready.statusCode, 200, url);
      assert.deepEqual(ready.json(), { status: 'ok', checks: { database: 'ok', migrations: 'ok', changeFeed: 'ok' } }, url);
      assert.equal(ready.headers['cache-control'], 'no-store');
    }
  });

  test('a migration the code knows but the database lacks: 503 naming it', async () => {
    const row = await t.database.db.selectFrom('schema_migrations').selectAll().where('version', '=', 16).executeTakeFirstOrThrow();
    await t.database.db.deleteFrom('schema_migrations').where('version', '=', 16).execute();
    try {
      const ready = await t.app.inject({ url: '/health/ready' });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json().notReady, ['migrations']);
      assert.equal(ready.json().checks.migrations, 'da applicare: 0016_delivery_failed_notice.sql');
    } finally {
      await t.database.db.insertInto('schema_migrations').values(row).execute();
    }
  });

  test('the change feed lost: 503 naming it, ready again once it is heard', async () => {
    const database = await createTestDatabase();
    let report: (listening: boolean) => void = () => {};
    const app = await appOn(database, async (_channel, handlers) => {
      report = handlers.listening;
      return async () => {};
    });
    try {
      // not yet listening: the cache is off, but the pages would miss other processes' changes
      assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 503);
      report(true);
      assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 200);
      report(false);
      const ready = await app.inject({ url: '/health/ready' });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json().notReady, ['changeFeed']);
    } finally {
      await app.close();
      await database.close();
    }
  });

  test('the database gone: ready is 503 naming it, live still answers', async () => {
    const database = await createTestDatabase();
    const app = await appOn(database, undefined);
    try {
      assert.equal((await app.inject({ url: '/health/ready' })).statusCode, 200);
      await database.close();
      const ready = await app.inject({ url: '/health/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().status, 'unavailable');
      assert.deepEqual(ready.json().notReady, ['database', 'migrations']);
      assert.equal(ready.json().checks.database, 'non raggiungibile');
      assert.equal((await app.inject({ url: '/health' })).statusCode, 503);
      assert.equal((await app.inject({ url: '/health/live' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
