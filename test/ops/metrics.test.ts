import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createMetrics, serveMetrics } from '../../src/adapters/metrics.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { deps, dispatcher, enrol, notificationDatabase, notificationsOf, standInProvider, waitUntil } from '../notifications/harness.ts';
import { parsePrometheus, sampleValue } from './prometheus.ts';

const TOKEN = 'metrics-token-for-the-tests-0123456789abcdef';
const api = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };

describe('/metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ metricsToken: TOKEN });
  });
  after(() => t.close());

  const scrape = async () => {
    const response = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return { text: response.body, samples: parsePrometheus(response.body) };
  };

  test('is not found without METRICS_TOKEN, and asks for the token when it is set', async () => {
    const without = await createTestApp({ seed: false });
    try {
      assert.equal((await without.app.inject({ url: '/metrics' })).statusCode, 404);
    } finally {
      await without.close();
    }
    const anonymous = await t.app.inject({ url: '/metrics' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer');
    assert.equal((await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/metrics', headers: { authorization: TOKEN } })).statusCode, 401);
  });

  test('times answers by route pattern and status class, never by the URL asked for', async () => {
    const [demo] = await t.database.db.selectFrom('cases').select('code').limit(1).execute();
    assert.equal((await t.app.inject({ url: `/api/v1/cases/${demo!.code}`, headers: api })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/cases/XX-NOT-THERE', headers: api })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/no/such/page/FC-SECRET' })).statusCode, 404);
    const { text, samples } = await scrape();
    const count = (route: string, statusClass: string) =>
      sampleValue(samples, 'pratica_http_request_duration_seconds_count', { method: 'GET', route, status_class: statusClass });
    assert.equal(count('/api/v1/cases/:code', '2xx'), 1);
    assert.equal(count('/api/v1/cases/:code', '4xx'), 1);
    assert.equal(count('unmatched', '4xx'), 1);
    for (const raw of [demo!.code, 'XX-NOT-THERE', 'FC-SECRET']) assert.ok(!text.includes(raw), `${raw} in the metrics`);
  });

  test('counts the case cache hits and misses', async () => {
    const [demo] = await t.database.db.selectFrom('cases').select('code').offset(3).limit(1).execute();
    const before = parsePrometheus((await scrape()).text);
    const lookups = (samples: typeof before, result: string) => sampleValue(samples, 'pratica_case_cache_lookups_total', { cache: 'view', result }) ?? 0;
    for (let i = 0; i < 2; i++) assert.equal((await t.app.inject({ url: `/api/v1/cases/${demo!.code}`, headers: api })).statusCode, 200);
    const { samples } = await scrape();
    assert.equal(lookups(samples, 'miss') - lookups(before, 'miss'), 1);
    assert.equal(lookups(samples, 'hit') - lookups(before, 'hit'), 1);
  });

  test('reads the messages by channel and status, the queue depth and the age of its oldest message at scrape time', async () => {
    const citizen = await enrol(t.database.db, { channels: ['email', 'sms'] });
    await recordEvent({ db: t.database.db, clock: t.clock }, systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
    const [email] = (await notificationsOf(t.database.db, citizen.caseId)).filter((n) => n.channel === 'email');
    await sql`UPDATE notifications SET created_at = now() - interval '2 hours' WHERE id = ${email!.id}`.execute(t.database.db);
    const { samples } = await scrape();
    const pending = await t.database.db.selectFrom('notifications').select(['channel', 'status']).where('status', 'in', ['created', 'sending', 'temporary-failure']).execute();
    const created = await t.database.db.selectFrom('notifications').select('id').where('channel', '=', 'sms').where('status', '=', 'created').execute();
    assert.equal(sampleValue(samples, 'pratica_notifications', { channel: 'sms', status: 'created' }), created.length);
    assert.equal(sampleValue(samples, 'pratica_notification_queue_depth', { channel: 'email' }), pending.filter((p) => p.channel === 'email').length);
    assert.ok(sampleValue(samples, 'pratica_notification_queue_oldest_seconds', { channel: 'email' })! >= 7200);
    assert.equal(sampleValue(samples, 'pratica_database_reachable'), 1);
  });

  test('each app has its own registry: another app in the same process has seen none of these requests', async () => {
    const other = await createTestApp({ seed: false, metricsToken: TOKEN });
    try {
      const response = await other.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      const samples = parsePrometheus(response.body);
      assert.equal(sampleValue(samples, 'pratica_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/cases/:code', status_class: '2xx' }), undefined);
      // the process's own figures are for real processes only: a test app does not start their observers
      assert.equal(samples.some((s) => s.name.startsWith('nodejs_')), false);
    } finally {
      await other.close();
    }
  });
});

describe('metrics of the dispatcher and of a listener of their own', () => {
  test('delivery latency from queuing to acceptance, and failed attempts by outcome', async () => {
    const database = await notificationDatabase();
    const metrics = createMetrics({ db: database.db });
    const provider = standInProvider();
    const running = dispatcher(database, provider.channels, { delivery: metrics.delivery });
    try {
      const citizen = await enrol(database.db, { channels: ['email'] });
      await recordEvent(deps(database.db), systemActor, citizen.code, { type: 'start', effectiveOn: TODAY });
      running.start();
      await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows.some((r) => r.status === 'temporary-failure'));
      provider.down = false;
      await waitUntil(() => notificationsOf(database.db, citizen.caseId), (rows) => rows.every((r) => r.status === 'delivered'));
      const samples = parsePrometheus(await metrics.scrape());
      assert.equal(sampleValue(samples, 'pratica_notification_delivery_seconds_count', { channel: 'email' }), 1);
      assert.ok(sampleValue(samples, 'pratica_notification_failures_total', { channel: 'email', outcome: 'temporary-failure' })! >= 1);
      assert.equal(sampleValue(samples, 'pratica_notification_queue_depth', { channel: 'email' }), 0);
    } finally {
      await running.stop();
      await database.close();
    }
  });

  test('METRICS_PORT: /metrics alone, on its own address, behind the token when there is one', async () => {
    const database = await notificationDatabase();
    const metrics = createMetrics({ db: database.db, processMetrics: true });
    const guarded = await serveMetrics(metrics, { port: 0, host: '127.0.0.1', token: TOKEN });
    const open = await serveMetrics(metrics, { port: 0, host: '127.0.0.1', token: undefined });
    try {
      const at = (listener: { port: number }, path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${listener.port}${path}`, { headers });
      assert.equal((await at(guarded, '/metrics')).status, 401);
      const answer = await at(guarded, '/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.equal(answer.status, 200);
      const samples = parsePrometheus(await answer.text());
      assert.ok(samples.some((s) => s.name === 'process_cpu_user_seconds_total'));
      assert.ok(samples.some((s) => s.name === 'pratica_notification_queue_depth'));
      assert.equal((await at(guarded, '/pratica')).status, 404);
      assert.equal((await at(open, '/metrics')).status, 200);
    } finally {
      await guarded.close();
      await open.close();
      await database.close();
    }
  });
});
