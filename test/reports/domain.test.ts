import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BOM, OFFICE_CSV, OPEN_DATA_CSV, formatCsv } from '../../src/domain/reports/csv.ts';
import {
  durationBucket, mean, median, medianOfCounts, monthsOf, openBucket, percent, periodByMonths, present, emptyFigures, publishable,
} from '../../src/domain/reports/statistics.ts';

describe('report statistics', () => {
  test('median as percentile_cont(0.5): middle value, or the mean of the two middle ones', () => {
    for (const [values, expected] of [[[], null], [[7], 7], [[3, 1, 2], 2], [[4, 1, 3, 2], 2.5], [[10, 10, 11, 40], 10.5]] as [number[], number | null][]) {
      assert.equal(median(values), expected, JSON.stringify(values));
    }
  });

  test('median of a histogram: the same as the median of the values written out', () => {
    const cases: number[][] = [[], [7], [3, 1, 2], [4, 1, 3, 2], [10, 10, 11, 40], [5, 5, 5, 5, 9], [-3, 0, 0, 12, 12, 12], [1, 1, 2, 2]];
    for (const values of cases) {
      const histogram = new Map<number, number>();
      for (const value of values) histogram.set(value, (histogram.get(value) ?? 0) + 1);
      histogram.set(1000, 0); // a counter fallen to zero is no value
      assert.equal(medianOfCounts(histogram), median(values), JSON.stringify(values));
    }
  });

  test('a period split into whole months and the days at its ends', () => {
    const table: [string, string, ReturnType<typeof periodByMonths>][] = [
      ['2025-01-01', '2025-12-31', { wholeMonths: { first: '2025-01-01', last: '2025-12-01' }, partial: [] }],
      ['2026-01-01', '2026-11-26', { wholeMonths: { first: '2026-01-01', last: '2026-10-01' }, partial: [{ from: '2026-11-01', to: '2026-11-26' }] }],
      ['2025-11-15', '2026-02-28', { wholeMonths: { first: '2025-12-01', last: '2026-02-01' }, partial: [{ from: '2025-11-15', to: '2025-11-30' }] }],
      ['2024-02-10', '2024-04-05', { wholeMonths: { first: '2024-03-01', last: '2024-03-01' }, partial: [{ from: '2024-02-10', to: '2024-02-29' }, { from: '2024-04-01', to: '2024-04-05' }] }],
      ['2026-03-05', '2026-03-20', { wholeMonths: null, partial: [{ from: '2026-03-05', to: '2026-03-20' }] }],
      ['2026-03-05', '2026-04-20', { wholeMonths: null, partial: [{ from: '2026-03-05', to: '2026-04-20' }] }],
      ['2026-03-01', '2026-03-31', { wholeMonths: { first: '2026-03-01', last: '2026-03-01' }, partial: [] }],
      ['2026-03-31', '2026-03-31', { wholeMonths: null, partial: [{ from: '2026-03-31', to: '2026-03-31' }] }],
    ];
    for (const [from, to, expected] of table) assert.deepEqual(periodByMonths(from, to), expected, `${from}..${to}`);
  });

  test('means and shares to one decimal, none for an empty group', () => {
    assert.equal(mean(0, 0), null);
    assert.equal(mean(10, 3), 3.3);
    assert.equal(mean(5, 2), 2.5);
    assert.equal(percent(2, 3), 66.7);
    assert.equal(percent(1, 8), 12.5);
    assert.equal(percent(0, 0), null);
    const f = { ...emptyFigures(), closed: 4, closedOnTime: 3, grossDaysSum: 50, netDaysSum: 41 };
    assert.deepEqual([present(f).meanGrossDays, present(f).meanNetDays, present(f).onTimeShare], [12.5, 10.3, 75]);
  });

  test('no figure from fewer than 5', () => {
    assert.deepEqual([0, 4, 5, 6].map(publishable), [false, false, true, true]);
  });

  test('duration and open-case buckets', () => {
    assert.deepEqual([0, 15, 16, 30, 31, 60, 90, 91, 180, 181, 900].map(durationBucket), [0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 5]);
    assert.deepEqual([null, -31, -30, -1, 0, 7, 8, 30, 31].map(openBucket), ['unknown', 'overdue-over-30', 'overdue', 'overdue', 'due-7', 'due-7', 'due-30', 'due-30', 'later']);
  });

  test('the months of a period, across a year end', () => {
    assert.deepEqual(monthsOf('2025-11-15', '2026-02-01'), ['2025-11', '2025-12', '2026-01', '2026-02']);
    assert.deepEqual(monthsOf('2026-03-01', '2026-03-31'), ['2026-03']);
  });
});

describe('CSV for spreadsheets', () => {
  test('office dialect: BOM, semicolons, decimal comma, CRLF, quoting and no formula injection', () => {
    const csv = formatCsv(['nome', 'valore'], [['Rossi; Bianchi', 12.5], ['=SOMMA(A1)', null], ['detto "così"', -3]], OFFICE_CSV);
    assert.ok(csv.startsWith(BOM));
    assert.equal(csv.slice(1), 'nome;valore\r\n"Rossi; Bianchi";12,5\r\n\'=SOMMA(A1);\r\n"detto ""così""";-3\r\n');
  });

  test('open-data dialect: commas and a decimal point', () => {
    assert.equal(formatCsv(['a', 'b', 'c'], [['Forlì, Cesena', 57.1, true]], OPEN_DATA_CSV).slice(1), 'a,b,c\r\n"Forlì, Cesena",57.1,true\r\n');
  });
});
