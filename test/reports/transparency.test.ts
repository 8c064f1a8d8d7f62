import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import type { Actor } from '../../src/application/audit.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { seedDemoData } from '../../src/application/demo.ts';
import { generateCases } from '../../src/application/generator.ts';
import { newPublicTimesCache, publicTimes } from '../../src/application/reports/transparency.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY } from '../support/fixtures.ts';
import { testServices } from '../support/services.ts';

const officer: Actor = { kind: 'system', id: 'test', name: 'test', officeId: null };

describe('public transparency figures: kept in memory until the next event', () => {
  let database: DatabaseHandle;
  const publicTimesCache = newPublicTimesCache();
  const deps = () => ({ ...testServices(fixedClock(TODAY)), db: database.db, publicTimesCache });
  const year = Number(TODAY.slice(0, 4));

  before(async () => {
    database = await createTestDatabase();
    await seedDemoData(deps());
    await generateCases(database.db, { count: 400, today: TODAY, seed: 11 });
  });
  after(() => database.close());

  test('requests arriving together share one computation, and later ones get it from memory', async () => {
    const together = await Promise.all([1, 2, 3, 4, 5].map(() => publicTimes(deps(), year)));
    for (const figures of together) assert.equal(figures, together[0]);
    assert.equal(await publicTimes(deps(), year), together[0]);
    assert.ok(together[0]!.procedures.some((p) => p.sufficient && p.concluded! >= 5));
  });

  test('a case closed today shows at once in its procedure\'s figures', async () => {
    const before = await publicTimes(deps(), year);
    const open = await database.db
      .selectFrom('cases').innerJoin('procedures', 'procedures.id', 'cases.procedure_id')
      .select(['cases.code', 'procedures.code as procedure'])
      .where('cases.state', 'in', ['in-progress', 'resumed']).orderBy('cases.code').executeTakeFirstOrThrow();
    const concluded = (figures: typeof before) => figures.procedures.find((p) => p.procedureCode === open.procedure)!.concluded;
    assert.ok(concluded(before)! >= 5, 'the procedure has enough cases to show figures');
    await recordEvent(deps(), officer, open.code, { type: 'close', effectiveOn: TODAY, outcome: 'accepted', reason: 'Provvedimento adottato' });
    const afterClosing = await publicTimes(deps(), year);
    assert.notEqual(afterClosing, before);
    assert.equal(concluded(afterClosing), concluded(before)! + 1);
  });
});
