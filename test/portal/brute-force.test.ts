import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, Visitor, createPortalApp, csrfOf, demoCase } from './support.ts';
import type { PortalTestApp } from './support.ts';

/** A guesser at one address, with the sign-in page's CSRF token at hand. */
async function guesser(testApp: PortalTestApp, address: string): Promise<{ visitor: Visitor; csrf: string }> {
  const visitor = new Visitor(testApp, address);
  return { visitor, csrf: csrfOf((await visitor.get('/pratica')).body) };
}

let guesses = 0;
async function guess(who: { visitor: Visitor; csrf: string }, code: string): Promise<number> {
  const password = `WRNG-${String(++guesses).padStart(4, '2').replace(/[01]/g, '2')}-AAAA-BBBB`;
  const response = await who.visitor.post('/pratica/accesso', { _csrf: who.csrf, code, password });
  assert.ok(response.statusCode !== 303 && !response.cookies.some((c) => c.name === 'po_pratica'), 'a wrong password never gets in');
  return response.statusCode;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('brute force against the sign-in', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  test('wrong passwords against one code from one address, one every 3 seconds: a few a minute reach the check', async () => {
    const c = await demoCase(testApp, 'acque meteoriche');
    const attacker = await guesser(testApp, '203.0.113.200');
    const statuses: number[] = [];
    // 55 tries: under the in-memory flood guard (60 a minute of real time), so what holds them is the throttle
    for (let i = 0; i < 55; i++) {
      statuses.push(await guess(attacker, c.code));
      testApp.clock.advance(3);
    }
    const checked = count(statuses, 401);
    // in 165 seconds: the code's 5 at once and 3 a minute, and this address's own share of 1 a minute
    assert.ok(checked >= 5 && checked <= 5 + 9 + 3, `${checked} guesses reached the password check in under 3 minutes`);
    assert.equal(count(statuses, 429), 55 - checked, 'the rest were refused as too many');
    const last = await new Visitor(testApp, '203.0.113.200').signIn(c.code, 'WRNG-WRNG-WRNG-WRNG');
    assert.equal(last.statusCode, 429);
    assert.match(last.body, /Troppi tentativi di accesso/);
    const retryAfter = Number(last.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 60, `says when to retry, never more than a minute away (${retryAfter} s)`);

    const steps = await testApp.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'portal.sign-in-throttled').where('entity_id', '=', c.code).execute();
    assert.ok(steps.length >= 1, 'the guessing is recorded in the audit log');
    assert.ok(steps.length <= checked / 5 + 1, 'in steps, not one row per guess');
    assert.equal(steps[0]!.office_id, c.office_id, 'for the office of the case');
  });

  test('while many addresses hammer a code, the owner from another address gets in within a minute', async () => {
    const c = await demoCase(testApp, 'gru semovente');
    const attackers = await Promise.all(Array.from({ length: 20 }, (_, i) => guesser(testApp, `10.9.${i}.1`)));
    const statuses: number[] = [];
    // every attacker tries every 6 seconds (fewer than the in-memory flood guard's 60 a minute of real time,
    // so what holds them is the throttle); at each instant the attackers go first, so any token that comes
    // free is theirs before the owner asks
    const hammer = async (seconds: number) => {
      for (let s = 0; s < seconds; s += 6) {
        testApp.clock.advance(6);
        for (const attacker of attackers) statuses.push(await guess(attacker, c.code));
      }
    };
    await hammer(180);
    const checked = count(statuses, 401);
    // the code's 5 at once and 3 a minute, plus one a minute for each of the 20 addresses
    assert.ok(checked <= 5 + 3 * 3 + 20 * (3 + 1), `${checked} of ${statuses.length} guesses reached the password check`);

    // the owner first mistypes, then types the right password, waiting as told while the attack goes on
    const owner = new Visitor(testApp, '198.51.100.250');
    assert.equal((await owner.signIn(c.code, 'WRNG-WRNG-WRNG-WRNG')).statusCode, 401);
    const mistypedAt = testApp.clock.now().getTime();
    let answer = await owner.signIn(c.code, PASSWORD);
    while (answer.statusCode === 429 && testApp.clock.now().getTime() - mistypedAt < 120_000) {
      const wait = Number(answer.headers['retry-after']);
      assert.ok(wait > 0 && wait <= 60, `the owner is told to wait ${wait} s`);
      await hammer(wait);
      answer = await owner.signIn(c.code, PASSWORD);
    }
    assert.equal(answer.statusCode, 303, 'the owner gets in while the attack goes on');
    const waited = (testApp.clock.now().getTime() - mistypedAt) / 1000;
    assert.ok(waited <= 66, `within a minute of the typing error (${waited} s, the attackers' 6-second rounds included)`);

    // and from a fresh address, the right password gets in at once
    await hammer(6);
    assert.equal((await new Visitor(testApp, '198.51.100.251').signIn(c.code, PASSWORD)).statusCode, 303);
  });

  test('once the guessing stops, nothing is kept for the code after the owner signs in', async () => {
    const c = await demoCase(testApp, 'gru semovente');
    testApp.clock.advance(3600);
    assert.equal((await new Visitor(testApp, '198.51.100.252').signIn(c.code, PASSWORD)).statusCode, 303);
    // a missing row is a full bucket, so the table does not grow with every sign-in
    const rows = await testApp.database.db.selectFrom('portal_throttle').selectAll().where('key', 'like', `%${c.code}%`).where('key', 'like', '%198.51.100.252%').execute();
    assert.deepEqual(rows, []);
    const codeRow = await testApp.database.db.selectFrom('portal_throttle').selectAll().where('key', '=', `code:${c.code}`).executeTakeFirst();
    assert.equal(codeRow, undefined);
  });

  test('one address guessing across many codes is slowed to a few a minute, and that is recorded', async () => {
    const address = '203.0.113.201';
    const attacker = await guesser(testApp, address);
    const statuses: number[] = [];
    for (let i = 0; i < 55; i++) {
      const code = `FC-${'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[i % 32]}${'ABCDEFGHJK'[i % 10]}23-4567`;
      statuses.push(await guess(attacker, code));
      testApp.clock.advance(1);
    }
    const checked = count(statuses, 401);
    // 10 at once, then one every 12 seconds
    assert.ok(checked >= 10 && checked <= 10 + 5, `${checked} guesses in 55 seconds`);
    assert.equal(statuses.at(-1), 429);
    const step = await testApp.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'portal.sign-in-throttled').where('entity_id', '=', address).executeTakeFirst();
    assert.ok(step, 'the address is in the audit log');
  });
});
