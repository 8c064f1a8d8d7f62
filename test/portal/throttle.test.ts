import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS_POLICY, CODE_ADDRESS_POLICY, CODE_POLICY, FULL, admit, availableAt, giveBack, isAuditedStep, succeeded, take } from '../../src/domain/portal/throttle.ts';
import type { BucketState, RatePolicy, SignInBuckets } from '../../src/domain/portal/throttle.ts';

const T0 = new Date('2026-11-26T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Attempts at the given seconds after T0, each taken if the bucket has a token: which were let in. */
function run(policy: RatePolicy, seconds: number[]): boolean[] {
  let state: BucketState = FULL;
  return seconds.map((s) => {
    const ok = availableAt(state, policy, at(s)).getTime() <= at(s).getTime();
    if (ok) state = take(state, policy, at(s));
    return ok;
  });
}

const fresh = (): SignInBuckets => ({ address: FULL, code: { code: FULL, codeAddress: FULL } });

describe('sign-in throttle: token buckets, no lock', () => {
  test('the policies as documented: address 10 then 5 a minute, code 5 then 3 a minute, code and address 1 a minute', () => {
    const table: [RatePolicy, burst: number, perMinute: number][] = [
      [ADDRESS_POLICY, 10, 5],
      [CODE_POLICY, 5, 3],
      [CODE_ADDRESS_POLICY, 1, 1],
    ];
    for (const [policy, burst, perMinute] of table) {
      assert.equal(policy.burst, burst);
      assert.equal(60 / policy.intervalSeconds, perMinute);
    }
  });

  test('a bucket lets its burst through at once, then one attempt per interval', () => {
    const table: [RatePolicy, seconds: number[], allowed: boolean[]][] = [
      [CODE_POLICY, [0, 0, 0, 0, 0, 0], [true, true, true, true, true, false]],
      [CODE_POLICY, [0, 0, 0, 0, 0, 19, 20, 21, 39, 40], [true, true, true, true, true, false, true, false, false, true]],
      [CODE_ADDRESS_POLICY, [0, 30, 59, 60, 61, 120], [true, false, false, true, false, true]],
      // refused attempts take nothing: a steady hammering does not push the next token further away
      [CODE_ADDRESS_POLICY, [0, 1, 2, 3, 4, 5, 60], [true, false, false, false, false, false, true]],
      // a rested bucket is full again, but never fuller
      [CODE_POLICY, [0, 3600, 3600, 3600, 3600, 3600, 3600], [true, true, true, true, true, true, false]],
    ];
    for (const [policy, seconds, allowed] of table) assert.deepEqual(run(policy, seconds), allowed, `${JSON.stringify(policy)} at ${seconds}`);
  });

  test('a token given back after a success can be used again, and an empty past bucket is simply full', () => {
    let state = take(FULL, CODE_ADDRESS_POLICY, T0);
    assert.equal(availableAt(state, CODE_ADDRESS_POLICY, at(1)).getTime(), at(60).getTime());
    state = giveBack(state, CODE_ADDRESS_POLICY, at(1));
    assert.equal(state.fullAt, null);
    assert.deepEqual(giveBack(FULL, CODE_POLICY, T0), FULL);
  });

  test('when the code is being guessed, a new address still gets one attempt a minute on it', () => {
    let buckets = fresh();
    // the attacker's address spends the code's own bucket
    for (let i = 0; i < 5; i++) {
      const a = admit(buckets, T0);
      assert.ok(a.allowed, `attempt ${i + 1}`);
      buckets = a.buckets;
    }
    const again = admit(buckets, at(1));
    assert.equal(again.allowed, false, 'the same address is held once the code is spent and its share used');
    assert.equal(!again.allowed && again.retryAt.getTime(), at(20).getTime(), 'until the code refills');
    // another address, with its own address bucket and its own share of the code
    const owner = admit({ address: FULL, code: { code: buckets.code!.code, codeAddress: FULL } }, at(1));
    assert.ok(owner.allowed, 'the owner from another address is let in at once');
    assert.equal(owner.allowed && owner.buckets.code!.code.fullAt?.getTime(), buckets.code!.code.fullAt?.getTime(), 'without spending the code');
    const ownerAgain = admit(owner.allowed ? owner.buckets : fresh(), at(2));
    assert.equal(!ownerAgain.allowed && ownerAgain.retryAt.getTime() <= at(61).getTime(), true, 'a mistyped password waits at most a minute');
  });

  test('an address is held by its own bucket whatever the code', () => {
    let address: BucketState = FULL;
    for (let i = 0; i < 10; i++) {
      const a = admit({ address, code: { code: FULL, codeAddress: FULL } }, T0);
      assert.ok(a.allowed);
      address = a.buckets.address;
    }
    const refused = admit({ address, code: { code: FULL, codeAddress: FULL } }, T0);
    assert.deepEqual(refused, { allowed: false, retryAt: at(12) });
    assert.equal(admit({ address }, at(12)).allowed, true, 'a text that is not a code only meets the address bucket');
  });

  test('a success gives back the tokens it took, ends the failures in a row on the code, not on the address', () => {
    const a = admit(fresh(), T0);
    assert.ok(a.allowed);
    const withFailures: SignInBuckets = {
      address: { ...a.buckets.address, failures: 7 },
      code: { code: { ...a.buckets.code!.code, failures: 4 }, codeAddress: a.buckets.code!.codeAddress },
    };
    const after = succeeded(withFailures, T0);
    assert.deepEqual(after.address, { fullAt: null, failures: 7 });
    assert.deepEqual(after.code, { code: FULL, codeAddress: FULL });
  });

  test('the audit log records every full bucket of failures in a row', () => {
    const table: [failures: number, audited: boolean][] = [[0, false], [1, false], [4, false], [5, true], [6, false], [10, true], [1000, true]];
    for (const [failures, audited] of table) assert.equal(isAuditedStep(failures, CODE_POLICY), audited, `${failures}`);
  });
});
