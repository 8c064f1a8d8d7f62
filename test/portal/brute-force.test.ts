import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, Visitor, createPortalApp, csrfOf, demoCase } from './support.ts';
import type { PortalTestApp } from './support.ts';

/** Sends `count` wrong passwords for `code`, the attacker's clock moving `secondsApart` between tries. */
async function attack(testApp: PortalTestApp, code: string, count: number, addressOf: (i: number) => string, secondsApart: number) {
  const statuses = new Map<number, number>();
  let signedIn = 0;
  const visitors = new Map<string, { visitor: Visitor; csrf: string }>();
  for (let i = 0; i < count; i++) {
    const address = addressOf(i);
    let entry = visitors.get(address);
    if (!entry) {
      const visitor = new Visitor(testApp, address);
      entry = { visitor, csrf: csrfOf((await visitor.get('/pratica')).body) };
      visitors.set(address, entry);
    }
    const guess = `WRNG-${String(i).padStart(4, '2').replace(/[01]/g, '2')}-AAAA-BBBB`;
    const response = await entry.visitor.post('/pratica/accesso', { _csrf: entry.csrf, code, password: guess });
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    if (response.statusCode === 303 || response.cookies.some((c) => c.name === 'po_pratica')) signedIn++;
    testApp.clock.advance(secondsApart);
  }
  return { statuses, signedIn, last: statuses };
}

describe('brute force against the sign-in', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('1,000 wrong passwords against one code from one address never get in and end rate-limited', async () => {
    const c = await demoCase(testApp, 'acque meteoriche');
    const { statuses, signedIn } = await attack(testApp, c.code, 1000, () => '203.0.113.200', 3);
    assert.equal(signedIn, 0);
    const checked = statuses.get(401) ?? 0;
    assert.ok(checked <= 20, `only a handful of guesses reached the password check (${checked})`);
    assert.ok((statuses.get(429) ?? 0) >= 980, 'the rest were refused as too many');
    const last = await new Visitor(testApp, '203.0.113.200').signIn(c.code, 'WRNG-WRNG-WRNG-WRNG');
    assert.equal(last.statusCode, 429);
    assert.match(last.body, /Troppi tentativi di accesso/);
    assert.ok(Number(last.headers['retry-after']) > 0, 'says when to retry');

    const locks = await testApp.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'portal.sign-in-locked').where('entity_id', '=', c.code).execute();
    assert.ok(locks.length >= 1, 'the lock is recorded in the audit log');
    assert.equal(locks[0]!.office_id, c.office_id, 'for the office of the case');
  });

  test('1,000 wrong passwords against one code from many addresses never get in and end locked; the right one waits too', async () => {
    const c = await demoCase(testApp, 'gru semovente');
    const { statuses, signedIn } = await attack(testApp, c.code, 1000, (i) => `10.${Math.floor(i / 250)}.${i % 250}.1`, 3);
    assert.equal(signedIn, 0);
    const checked = statuses.get(401) ?? 0;
    assert.ok(checked <= 20, `only a handful of guesses reached the password check (${checked})`);
    // while the code is locked even the right password is refused: otherwise the lock would tell
    const owner = new Visitor(testApp, '198.51.100.250');
    const refused = await owner.signIn(c.code, PASSWORD);
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /collegamento ricevuto per e-mail/);
    // once the lock is over the citizen gets in, and the count starts afresh
    testApp.clock.advance(24 * 3600);
    const allowed = await owner.signIn(c.code, PASSWORD);
    assert.equal(allowed.statusCode, 303);
    // afresh: nothing is kept for the code (a missing row is a fresh count), so the table does not grow with every sign-in
    const row = await testApp.database.db.selectFrom('portal_throttle').selectAll().where('key', '=', `code:${c.code}`).executeTakeFirst();
    assert.equal(row, undefined);
    const wrongAgain = await new Visitor(testApp, '198.51.100.251').signIn(c.code, 'WRNG-WRNG-WRNG-WRNG');
    assert.equal(wrongAgain.statusCode, 401, 'one wrong password after that is a plain refusal, not a lock');
    const counted = await testApp.database.db.selectFrom('portal_throttle').select('failures').where('key', '=', `code:${c.code}`).executeTakeFirstOrThrow();
    assert.equal(counted.failures, 1);
  });

  test('one address guessing across many codes is slowed down, then locked, and the lock is recorded', async () => {
    const address = '203.0.113.201';
    const visitor = new Visitor(testApp, address);
    const csrf = csrfOf((await visitor.get('/pratica')).body);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const code = `FC-${'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[i % 32]}${'ABCDEFGHJK'[i % 10]}23-4567`;
      statuses.push((await visitor.post('/pratica/accesso', { _csrf: csrf, code, password: 'AAAA-BBBB-CCCC-DDDD' })).statusCode);
      testApp.clock.advance(61);
    }
    assert.ok(!statuses.includes(303));
    assert.equal(statuses.at(-1), 429);
    const lock = await testApp.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'portal.sign-in-locked').where('entity_id', '=', address).executeTakeFirst();
    assert.ok(lock, 'the address lock is in the audit log');
  });
});
