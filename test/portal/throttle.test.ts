import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS_POLICY, CODE_POLICY, FRESH, admit, countAttempt, succeeded, waitAfter } from '../../src/domain/portal/throttle.ts';
import type { ThrottleState } from '../../src/domain/portal/throttle.ts';

describe('sign-in throttle policy', () => {
  test('per case code: free tries, growing delays, then locks that grow', () => {
    const table: [failures: number, seconds: number, locked: boolean][] = [
      [1, 0, false],
      [3, 0, false],
      [4, 2, false],
      [5, 4, false],
      [6, 8, false],
      [8, 32, false],
      [9, 60, false],
      [10, 15 * 60, true],
      [19, 15 * 60, true],
      [20, 30 * 60, true],
      [30, 60 * 60, true],
      [1000, 24 * 3600, true],
    ];
    for (const [failures, seconds, locked] of table) {
      assert.deepEqual(waitAfter(failures, CODE_POLICY), { seconds, locked }, `after ${failures} failures`);
    }
  });

  test('per address: more lenient before the first delay and the first lock', () => {
    assert.deepEqual(waitAfter(10, ADDRESS_POLICY), { seconds: 0, locked: false });
    assert.deepEqual(waitAfter(11, ADDRESS_POLICY), { seconds: 2, locked: false });
    assert.deepEqual(waitAfter(30, ADDRESS_POLICY), { seconds: 15 * 60, locked: true });
  });

  test('an attempt is refused until the wait is over', () => {
    const now = new Date('2026-11-26T09:00:00Z');
    let state: ThrottleState = FRESH;
    for (let i = 0; i < 4; i++) state = countAttempt(state, now, CODE_POLICY);
    const refused = admit(state, new Date(now.getTime() + 1000));
    assert.equal(refused.allowed, false);
    assert.deepEqual(admit(state, new Date(now.getTime() + 2000)), { allowed: true });
  });

  test('success resets a code, but only gives an address its own attempt back', () => {
    const now = new Date('2026-11-26T09:00:00Z');
    let state: ThrottleState = FRESH;
    for (let i = 0; i < 12; i++) state = countAttempt(state, now, ADDRESS_POLICY);
    assert.deepEqual(succeeded(state, 'code'), FRESH);
    assert.equal(succeeded(state, 'address').failures, 11);
  });
});
