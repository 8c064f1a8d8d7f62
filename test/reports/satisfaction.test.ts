import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { satisfactionReport } from '../../src/application/reports/satisfaction.ts';
import type { SatisfactionReport } from '../../src/application/reports/satisfaction.ts';
import { shownParts } from '../../src/domain/reports/disclosure.ts';
import { createTestDatabase } from '../support/database.ts';
import { officeId, seedCatalogue } from '../support/fixtures.ts';

describe('satisfaction groups nested in a shown group', () => {
  test('a part is shown from 5 answers, and never so as to leave a rest of 1-4 to be worked out by subtraction', () => {
    for (const [whole, parts, expected, why] of [
      [0, [], [], 'nothing at all'],
      [4, [4], [false], 'the group itself is too small'],
      [12, [6, 6], [true, true], 'nothing left over'],
      [11, [6, 5], [true, true], 'nothing left over, both at the limit'],
      [10, [6, 4], [false, false], 'the group minus the 6 would give the 4 away: the 6 is withheld too'],
      [13, [6, 5, 2], [true, false, false], 'rest 2: the smallest part shown (5) is withheld, the rest becomes 7'],
      [14, [5, 5, 2, 2], [false, true, false, false], 'rest 4: the first of the smallest parts shown is withheld'],
      [11, [6], [true], 'a rest of 5 in no part (answers without a procedure) is itself publishable'],
      [9, [6], [false], 'a rest of 3 in no part would be given away'],
      [8, [0, 8, 0], [false, true, false], 'parts with no answers are no rest'],
    ] as [number, number[], boolean[], string][]) {
      assert.deepEqual(shownParts(whole, parts), expected, why);
    }
  });
});

describe('satisfaction results per procedure, per office and in total', () => {
  let database: DatabaseHandle;
  let viab: string;
  let amb: string;
  const procedure: Record<string, string> = {};

  /** One answer: clarity 4, courtesy 5, timeliness and overall as given. */
  const answer = (month: string, office: string, procedureCode: string | null, overall: number, comment = '') => ({
    id: randomUUID(), month: `${month}-01`, office_id: office, procedure_id: procedureCode ? procedure[procedureCode]! : null,
    clarity: 4, timeliness: overall, courtesy: 5, overall, comment,
  });
  const report = (month: string, scopeOfficeId: string | null = null): Promise<SatisfactionReport> =>
    satisfactionReport(database.db, { fromMonth: month, toMonth: month, scopeOfficeId });
  const office = (r: SatisfactionReport, code: string) => r.offices.find((o) => o.officeCode === code)!;

  before(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db);
    const db = database.db;
    viab = await officeId(db, 'VIAB');
    amb = await officeId(db, 'AMB');
    for (const p of await db.selectFrom('procedures').select(['id', 'code']).execute()) procedure[p.code] = p.id;
    await db.insertInto('questionnaire_answers').values([
      // 2026-01: TE-01 6 answers, AC-01 2, 3 from before 0008 (no procedure); AMB AS-01 5
      ...[5, 4, 4, 3, 5, 2].map((overall, i) => answer('2026-01', viab, 'TE-01', overall, i === 0 ? 'Chiaro e veloce' : '')),
      answer('2026-01', viab, 'AC-01', 1, 'Solo due risposte per questo procedimento'), answer('2026-01', viab, 'AC-01', 2),
      answer('2026-01', viab, null, 3), answer('2026-01', viab, null, 3), answer('2026-01', viab, null, 3, 'Risposta di prima'),
      ...[4, 4, 4, 4, 4].map((overall) => answer('2026-01', amb, 'AS-01', overall)),
      // 2026-02: TE-01 6, AC-01 2, nothing else: the office minus TE-01 would give AC-01 away
      ...[5, 5, 5, 5, 5, 5].map((overall) => answer('2026-02', viab, 'TE-01', overall)),
      answer('2026-02', viab, 'AC-01', 1), answer('2026-02', viab, 'AC-01', 1),
      // 2026-03: VIAB 6 (TE-01), AMB 3: the total minus VIAB would give AMB away
      ...[3, 3, 3, 3, 3, 3].map((overall) => answer('2026-03', viab, 'TE-01', overall)),
      answer('2026-03', amb, 'AS-01', 1, 'Pochi in AMB'), answer('2026-03', amb, 'AS-01', 1), answer('2026-03', amb, 'AS-01', 1),
    ]).execute();
  });
  after(() => database.close());

  test('each procedure of an office has its distribution and averages; answers without a procedure count in the office and total only', async () => {
    const r = await report('2026-01');
    assert.equal(r.total.answers, 16);
    assert.ok(r.total.shown);
    const v = office(r, 'VIAB');
    assert.deepEqual([v.answers, v.shown], [11, true]);
    assert.deepEqual(v.procedures.map((p) => [p.procedureCode, p.answers, p.shown]), [['AC-01', 2, false], ['TE-01', 6, true]]);
    const te = v.procedures[1]!;
    assert.equal(te.officeCode, 'VIAB');
    assert.equal(te.procedureName, 'Autorizzazione al transito di trasporti eccezionali');
    // overall 5,4,4,3,5,2: one 2, one 3, two 4, two 5; mean 23/6
    assert.deepEqual(te.questions!.overall, { distribution: [0, 1, 1, 2, 2], average: 3.8 });
    assert.deepEqual(te.questions!.courtesy, { distribution: [0, 0, 0, 0, 6], average: 5 });
    // the office: TE-01, AC-01 and the three answers with no procedure
    assert.deepEqual(v.questions!.overall, { distribution: [1, 2, 4, 2, 2], average: 3.2 });
    assert.equal(v.procedures.reduce((sum, p) => sum + p.answers, 0), 8, 'the answers without a procedure are in no procedure');
    const a = office(r, 'AMB');
    assert.deepEqual(a.procedures.map((p) => [p.procedureCode, p.answers, p.shown]), [['AS-01', 5, true]]);
    assert.deepEqual(a.questions!.overall, a.procedures[0]!.questions!.overall);
    assert.deepEqual(office(r, 'CAPE').procedures, []);
  });

  test('a procedure with fewer than 5 answers shows nothing, and its comments appear only mixed in its office list', async () => {
    const v = office(await report('2026-01'), 'VIAB');
    const ac = v.procedures[0]!;
    assert.deepEqual([ac.procedureCode, ac.shown, ac.questions, ac.comments], ['AC-01', false, null, []]);
    for (const p of v.procedures) assert.deepEqual(p.comments, [], 'no procedure has comments of its own');
    assert.deepEqual([...v.comments].sort(), ['Chiaro e veloce', 'Risposta di prima', 'Solo due risposte per questo procedimento']);
  });

  test('a procedure of 5 or more is withheld when the office minus it would give a smaller one away', async () => {
    const v = office(await report('2026-02'), 'VIAB');
    assert.deepEqual([v.answers, v.shown], [8, true]);
    assert.deepEqual(v.procedures.map((p) => [p.procedureCode, p.answers, p.shown, p.questions]), [['AC-01', 2, false, null], ['TE-01', 6, false, null]]);
  });

  test('an office of 5 or more is withheld, with its procedures, when the total minus it would give a smaller office away', async () => {
    const r = await report('2026-03');
    assert.deepEqual([r.total.answers, r.total.shown], [9, true]);
    const v = office(r, 'VIAB');
    assert.deepEqual([v.answers, v.shown, v.questions], [6, false, null]);
    assert.deepEqual(v.procedures.map((p) => [p.procedureCode, p.shown]), [['TE-01', false]]);
    assert.deepEqual([office(r, 'AMB').answers, office(r, 'AMB').shown, office(r, 'AMB').comments], [3, false, []]);
    // the office's own manager sees no other office: nothing to subtract from
    const own = await report('2026-03', viab);
    assert.deepEqual(own.offices.map((o) => [o.officeCode, o.shown, o.procedures.map((p) => p.shown)]), [['VIAB', true, [true]]]);
    assert.deepEqual(own.total.answers, 6);
  });
});
