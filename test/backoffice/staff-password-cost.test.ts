import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STAFF_PASSWORD_COST, hashStaffPassword, setStaffPasswordCost, verifyStaffPassword } from '../../src/application/credentials.ts';

// The suite hashes staff passwords at a cheaper cost (test/support/preload.ts): the production cost is checked here.
describe('staff password hashing cost', () => {
  test('the production cost is argon2id at m=19 MiB, t=2, p=1, and its hashes verify', async () => {
    assert.deepEqual({ ...STAFF_PASSWORD_COST }, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const cheap = { memoryCost: 256, timeCost: 1, parallelism: 1 };
    setStaffPasswordCost(STAFF_PASSWORD_COST);
    try {
      const hash = await hashStaffPassword('una password scelta da una persona');
      assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.equal(await verifyStaffPassword(hash, 'una password scelta da una persona'), true);
      assert.equal(await verifyStaffPassword(hash, 'Una password scelta da una persona'), false);
      // a hash of the cheaper cost still verifies: the cost is read from the hash
      setStaffPasswordCost(cheap);
      const cheaper = await hashStaffPassword('altra');
      assert.match(cheaper, /^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
      assert.equal(await verifyStaffPassword(cheaper, 'altra'), true);
    } finally {
      setStaffPasswordCost(cheap);
    }
  });

  test('a production process refuses a cost below the production one, and nonsense costs are refused anywhere', () => {
    assert.throws(() => setStaffPasswordCost({ memoryCost: 256, timeCost: 1, parallelism: 1 }, 'production'), RangeError);
    assert.throws(() => setStaffPasswordCost({ memoryCost: 19_456, timeCost: 1, parallelism: 1 }, 'production'), RangeError);
    assert.throws(() => setStaffPasswordCost({ memoryCost: 0, timeCost: 1, parallelism: 1 }, 'test'), RangeError);
    assert.throws(() => setStaffPasswordCost({ memoryCost: 256, timeCost: 1.5, parallelism: 1 }, 'test'), RangeError);
    setStaffPasswordCost({ ...STAFF_PASSWORD_COST, timeCost: 3 }, 'production');
    setStaffPasswordCost({ memoryCost: 256, timeCost: 1, parallelism: 1 }, 'test');
  });
});
