import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { runIdempotent } from '../../src/application/idempotency.ts';
import { createApiToken } from '../../src/application/tokens.ts';
import { TRANSACTION_ATTEMPTS, inTransaction } from '../../src/application/transaction.ts';
import type { Db } from '../../src/adapters/db/database.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { createTestDatabase, usingPostgres } from '../support/database.ts';
import { systemActor } from '../support/fixtures.ts';

/** A row written by the use case, to see what each attempt left behind (questionnaire_markers: one text column). */
const mark = (trx: Db, marker: string) => sql`INSERT INTO questionnaire_markers (marker) VALUES (${marker}) ON CONFLICT DO NOTHING`.execute(trx);
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('one transaction per use case, run again after a deadlock', () => {
  let database: DatabaseHandle;
  const markers = async () => (await database.db.selectFrom('questionnaire_markers').select('marker').orderBy('marker').execute()).map((r) => r.marker);

  before(async () => {
    database = await createTestDatabase();
  });
  beforeEach(() => database.db.deleteFrom('questionnaire_markers').execute());
  after(() => database.close());

  test('a use case that meets a deadlock runs again, and what the failed attempt wrote is gone', async () => {
    let attempts = 0;
    const result = await inTransaction(database.db, async (trx) => {
      attempts++;
      await mark(trx, `attempt-${attempts}`);
      if (attempts === 1) throw deadlock();
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(attempts, 2);
    assert.deepEqual(await markers(), ['attempt-2']);
  });

  test('an API write with an Idempotency-Key that meets a deadlock runs again, key and write together, and is recorded once', async () => {
    const token = await createApiToken(database.db, systemActor, 'deadlock');
    let attempts = 0;
    const write = () => runIdempotent(database.db, token.id, 'retry-me', 'fingerprint', async (trx) => {
      attempts++;
      await mark(trx, `attempt-${attempts}`);
      if (attempts === 1) throw deadlock();
      return { status: 201, body: { attempt: attempts } };
    });
    assert.deepEqual(await write(), { status: 201, body: { attempt: 2 }, replayed: false });
    assert.deepEqual(await write(), { status: 201, body: { attempt: 2 }, replayed: true });
    assert.equal(attempts, 2);
    assert.deepEqual(await markers(), ['attempt-2']);
    const keys = await database.db.selectFrom('idempotency_keys').select('response_body').where('key', '=', 'retry-me').execute();
    assert.deepEqual(keys, [{ response_body: { attempt: 2 } }]);
  });

  test('any other error ends the use case at once, with nothing written', async () => {
    let attempts = 0;
    await assert.rejects(
      inTransaction(database.db, async (trx) => {
        attempts++;
        await mark(trx, 'x');
        throw new DomainError('invalid-input', 'Dato non valido.');
      }),
      DomainError,
    );
    assert.equal(attempts, 1);
    assert.deepEqual(await markers(), []);
  });

  test(`after ${TRANSACTION_ATTEMPTS} deadlocks in a row the error reaches the caller`, async () => {
    let attempts = 0;
    await assert.rejects(
      inTransaction(database.db, async () => {
        attempts++;
        throw deadlock();
      }),
      { code: '40P01' },
    );
    assert.equal(attempts, TRANSACTION_ATTEMPTS);
  });

  test('two use cases that lock the same rows in opposite order both commit', { skip: usingPostgres() ? false : 'PGlite has one connection: two transactions cannot deadlock' }, async () => {
    let firstWrites = 0;
    let bothWrote!: () => void;
    const barrier = new Promise<void>((resolve) => (bothWrote = resolve));
    const useCase = (first: string, second: string) => {
      let attempts = 0;
      const done = inTransaction(database.db, async (trx) => {
        attempts++;
        await mark(trx, first);
        if (attempts === 1) {
          if (++firstWrites === 2) bothWrote();
          await barrier;
        }
        await mark(trx, second); // waits for the other transaction's uncommitted row: one of the two is a deadlock
      });
      return done.then(() => attempts);
    };
    const attempts = await Promise.all([useCase('a', 'b'), useCase('b', 'a')]);
    assert.deepEqual(await markers(), ['a', 'b']);
    assert.deepEqual([...attempts].sort(), [1, 2], 'PostgreSQL chose one transaction to roll back, and it ran again');
  });
});

/**
 * Where a transaction may be opened other than through inTransaction: the helper itself, a read-only snapshot,
 * the demo seed and the bulk generator (tools, run alone), the worker's own bookkeeping and the migrator.
 */
const OWN_TRANSACTIONS = new Set([
  'application/transaction.ts', 'application/reports/counters.ts', 'application/demo.ts', 'application/generator.ts',
  'worker/queue.ts', 'adapters/db/migrate.ts',
]);

test('every use case opens its transaction through inTransaction, so that each is run again after a deadlock', () => {
  const root = join(import.meta.dirname, '../../src');
  const offenders = (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => /\.tsx?$/.test(file) && !OWN_TRANSACTIONS.has(file))
    .filter((file) => /\.transaction\(\)/.test(readFileSync(join(root, file), 'utf8')));
  assert.deepEqual(offenders, []);
});
