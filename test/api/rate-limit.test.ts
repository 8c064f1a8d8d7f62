import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { createApiToken } from '../../src/application/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { movableClock } from '../portal/support.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY, seedCatalogue, systemActor } from '../support/fixtures.ts';
import { testServices } from '../support/services.ts';

const LIMIT = 3;

describe('the API limits each token\'s requests per minute', () => {
  let database: DatabaseHandle;
  let app: App;
  let other: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  before(async () => {
    database = await createTestDatabase();
    const clock = fixedClock(TODAY);
    await seedCatalogue(database.db, clock);
    app = await buildApp({ db: database.db, ...testServices(clock), publicBaseUrl: 'http://localhost:3000', production: false, sessionSecret: TEST_SESSION_SECRET, apiRateLimit: LIMIT });
    await app.ready();
    other = (await createApiToken(database.db, systemActor, 'protocollo')).token;
  });
  after(async () => {
    await app?.close();
    await database?.close();
  });

  test('over the limit: 429 problem+json in Italian with Retry-After, counted across the API, per token', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const ok = await app.inject({ method: 'GET', url: '/api/v1/offices', headers: bearer(DEMO_LOGINS.apiToken) });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['x-ratelimit-remaining'], String(LIMIT - 1 - i), 'each answer says how many are left');
    }
    // the messages' routes count in the same window as the cases'
    const refused = await app.inject({ method: 'GET', url: '/api/v1/notification-templates', headers: bearer(DEMO_LOGINS.apiToken) });
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    const body = refused.json();
    assert.equal(body.code, 'rate-limited');
    assert.equal(body.title, 'Troppe richieste');
    assert.match(body.detail, /^Troppe richieste con questo token: al massimo 3 al minuto\. Riprovare tra \d+ second[io]\.$/);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After in seconds (${refused.headers['retry-after']})`);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/procedures', headers: bearer(DEMO_LOGINS.apiToken) })).statusCode, 429);
    // another token has its own allowance; an unknown token is refused as such, not as throttled
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/offices', headers: bearer(other) })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/offices', headers: bearer('po_not_a_token') })).statusCode, 401);
    // the public open data is not counted per token
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/open-data/tempi-procedimentali.json' })).statusCode, 200);
  });

  test('the OpenAPI document declares 429 with Retry-After on every operation that takes a token', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    let withToken = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }> }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const open = Array.isArray(operation.security) && operation.security.length === 0;
        const declared = operation.responses['429'];
        if (open) {
          assert.equal(declared, undefined, `${method} ${path} is not limited per token`);
          continue;
        }
        withToken++;
        assert.ok(declared, `${method} ${path} declares 429`);
        assert.ok(declared.headers?.['Retry-After'], `${method} ${path}: its 429 has Retry-After`);
        assert.ok(declared.content?.['application/problem+json'], `${method} ${path}: its 429 is problem+json`);
      }
    }
    assert.ok(withToken >= 15, `operations with a token (${withToken})`);
  });

  test("a minute later by the application's clock the token may send again; another app counts on its own", async () => {
    const clock = movableClock();
    const fresh = async () => {
      const built = await buildApp({ db: database.db, ...testServices(clock), publicBaseUrl: 'http://localhost:3000', production: false, sessionSecret: TEST_SESSION_SECRET, apiRateLimit: 1 });
      await built.ready();
      return built;
    };
    const [first, second] = [await fresh(), await fresh()];
    try {
      const offices = (on: App) => on.inject({ method: 'GET', url: '/api/v1/offices', headers: bearer(other) }).then((r) => r.statusCode);
      assert.deepEqual([await offices(first), await offices(first)], [200, 429]);
      assert.equal(await offices(second), 200, 'the windows belong to the app that counted them');
      clock.advance(61);
      assert.equal(await offices(first), 200);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('API_RATE_LIMIT sets it; by default 1,200 a minute', () => {
    assert.equal(loadConfig({}).apiRateLimit, 1200);
    assert.equal(loadConfig({ API_RATE_LIMIT: '60' }).apiRateLimit, 60);
  });
});
