import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { STAFF_PASSWORD_COST, StaffPasswords } from '../../src/application/credentials.ts';

// The suite hashes staff passwords at a cheaper cost (test/support/services.ts): the production cost is checked here.
describe('staff password hashing cost', () => {
  test('the production cost is argon2id at m=19 MiB, t=2, p=1, and its hashes verify', async () => {
    assert.deepEqual({ ...STAFF_PASSWORD_COST }, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const production = new StaffPasswords(STAFF_PASSWORD_COST, 'production');
    const hash = await production.hash('una password scelta da una persona');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await production.verify(hash, 'una password scelta da una persona'), true);
    assert.equal(await production.verify(hash, 'Una password scelta da una persona'), false);
    // a hash of the cheaper cost still verifies in a production process: the cost is read from the hash
    const cheaper = await new StaffPasswords({ memoryCost: 256, timeCost: 1, parallelism: 1 }, 'test').hash('altra');
    assert.match(cheaper, /^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
    assert.equal(await production.verify(cheaper, 'altra'), true);
    // the stand-in for an unknown e-mail is made once, at the process's cost
    assert.equal(await production.dummyHash(), await production.dummyHash());
    assert.match(await production.dummyHash(), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('a production process refuses a cost below the production one, and nonsense costs are refused anywhere', () => {
    assert.throws(() => new StaffPasswords({ memoryCost: 256, timeCost: 1, parallelism: 1 }, 'production'), RangeError);
    assert.throws(() => new StaffPasswords({ memoryCost: 19_456, timeCost: 1, parallelism: 1 }, 'production'), RangeError);
    assert.throws(() => new StaffPasswords({ memoryCost: 0, timeCost: 1, parallelism: 1 }, 'test'), RangeError);
    assert.throws(() => new StaffPasswords({ memoryCost: 256, timeCost: 1.5, parallelism: 1 }, 'test'), RangeError);
    assert.deepEqual({ ...new StaffPasswords({ ...STAFF_PASSWORD_COST, timeCost: 3 }, 'production').cost }, { ...STAFF_PASSWORD_COST, timeCost: 3 });
    assert.deepEqual({ ...new StaffPasswords({ memoryCost: 256, timeCost: 1, parallelism: 1 }, 'test').cost }, { memoryCost: 256, timeCost: 1, parallelism: 1 });
  });
});
