import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NATIONAL_HOLIDAYS,
  addDays,
  addMonths,
  createHolidayCalendar,
  daysBetween,
  easterSunday,
  formatItalianDate,
  fromDayNumber,
  italianWeekday,
  nationalHolidaysOfYear,
  parseIsoDate,
  toDayNumber,
} from '../../src/domain/deadline/index.ts';
import { DomainError } from '../../src/domain/errors.ts';

const calendar = createHolidayCalendar([
  { month: 2, day: 4, name: 'Madonna del Fuoco (Forlì)' },
  { month: 6, day: 24, name: 'San Giovanni Battista (Cesena)' },
]);

describe('nationalHolidaysOfYear', () => {
  test('2026: 4 October is back (L. 151/2025), on a Sunday', () => {
    assert.deepEqual(nationalHolidaysOfYear(2026), [
      { date: '2026-01-01', name: 'Capodanno' },
      { date: '2026-01-06', name: 'Epifania' },
      { date: '2026-04-05', name: 'Pasqua' },
      { date: '2026-04-06', name: "Lunedì dell'Angelo" },
      { date: '2026-04-25', name: 'Festa della Liberazione' },
      { date: '2026-05-01', name: 'Festa del Lavoro' },
      { date: '2026-06-02', name: 'Festa della Repubblica' },
      { date: '2026-08-15', name: 'Assunzione (Ferragosto)' },
      { date: '2026-10-04', name: "San Francesco d'Assisi" },
      { date: '2026-11-01', name: 'Ognissanti' },
      { date: '2026-12-08', name: 'Immacolata Concezione' },
      { date: '2026-12-25', name: 'Natale' },
      { date: '2026-12-26', name: 'Santo Stefano' },
    ]);
  });

  test('2027', () => {
    assert.deepEqual(
      nationalHolidaysOfYear(2027).map((h) => h.date),
      [
        '2027-01-01', '2027-01-06', '2027-03-28', '2027-03-29', '2027-04-25', '2027-05-01', '2027-06-02',
        '2027-08-15', '2027-10-04', '2027-11-01', '2027-12-08', '2027-12-25', '2027-12-26',
      ],
    );
  });

  test('2025 has no 4 October; 2011 had 17 March (D.L. 5/2011) and two holidays on 25 April', () => {
    assert.ok(!nationalHolidaysOfYear(2025).some((h) => h.date === '2025-10-04'));
    assert.equal(nationalHolidaysOfYear(2025).length, 12);
    const y2011 = nationalHolidaysOfYear(2011);
    assert.ok(y2011.some((h) => h.date === '2011-03-17'));
    assert.equal(y2011.filter((h) => h.date === '2011-04-25').length, 2);
    assert.ok(!nationalHolidaysOfYear(2012).some((h) => h.date === '2012-03-17'));
  });

  test('every rule of the data table cites its legal source', () => {
    for (const rule of NATIONAL_HOLIDAYS) assert.match(rule.source, /^(L\.|D\.L\.|D\.P\.R\.)/, rule.name);
  });
});

describe('easterSunday (Gregorian computus)', () => {
  const rows: [number, string, string][] = [
    [2024, '2024-03-31', '2024-04-01'],
    [2025, '2025-04-20', '2025-04-21'],
    [2026, '2026-04-05', '2026-04-06'],
    [2027, '2027-03-28', '2027-03-29'],
    [2028, '2028-04-16', '2028-04-17'],
    [2029, '2029-04-01', '2029-04-02'],
    [2030, '2030-04-21', '2030-04-22'],
    [2011, '2011-04-24', '2011-04-25'],
    [2038, '2038-04-25', '2038-04-26'], // latest possible Easter
    [2285, '2285-03-22', '2285-03-23'], // earliest possible Easter
  ];
  for (const [year, easter, monday] of rows) {
    test(String(year), () => {
      assert.equal(easterSunday(year), easter);
      assert.match(calendar.nationalHolidayName(monday) ?? '', /Lunedì dell'Angelo/); // 2011: also 25 April
    });
  }
});

describe('HolidayCalendar', () => {
  // [date, isNationalHoliday, nationalHolidayName, localDayName]
  const rows: [string, boolean, string | undefined, string | undefined][] = [
    ['2026-03-08', true, 'domenica', undefined],
    ['2026-03-07', false, undefined, undefined], // Saturday: not a holiday (Cons. Stato V 3152/2011)
    ['2026-03-09', false, undefined, undefined],
    ['2026-01-01', true, 'Capodanno', undefined],
    ['2026-01-06', true, 'Epifania', undefined],
    ['2026-04-05', true, 'Pasqua', undefined],
    ['2026-04-06', true, "Lunedì dell'Angelo", undefined],
    ['2026-04-25', true, 'Festa della Liberazione', undefined],
    ['2026-05-01', true, 'Festa del Lavoro', undefined],
    ['2026-06-02', true, 'Festa della Repubblica', undefined],
    ['2026-08-15', true, 'Assunzione (Ferragosto)', undefined],
    ['2026-10-04', true, "San Francesco d'Assisi", undefined],
    ['2027-10-04', true, "San Francesco d'Assisi", undefined],
    ['2025-10-04', false, undefined, undefined], // before L. 151/2025 took effect (a Saturday)
    ['2024-10-04', false, undefined, undefined],
    ['2026-11-01', true, 'Ognissanti', undefined],
    ['2026-12-08', true, 'Immacolata Concezione', undefined],
    ['2026-12-25', true, 'Natale', undefined],
    ['2026-12-26', true, 'Santo Stefano', undefined],
    ['2026-12-24', false, undefined, undefined],
    ['2026-12-31', false, undefined, undefined],
    ['2026-02-04', false, undefined, 'Madonna del Fuoco (Forlì)'], // local: office closed, no national holiday
    ['2026-06-24', false, undefined, 'San Giovanni Battista (Cesena)'],
    ['2027-02-04', false, undefined, 'Madonna del Fuoco (Forlì)'],
    ['2011-04-25', true, "Lunedì dell'Angelo e Festa della Liberazione", undefined],
  ];
  for (const [date, holiday, name, local] of rows) {
    test(date, () => {
      assert.equal(calendar.isNationalHoliday(date), holiday);
      assert.equal(calendar.nationalHolidayName(date), name);
      assert.equal(calendar.localDayName(date), local);
    });
  }

  test('a calendar without local days', () => {
    assert.equal(createHolidayCalendar([]).localDayName('2026-02-04'), undefined);
  });

  test('invalid local days are refused', () => {
    for (const bad of [
      { month: 13, day: 1, name: 'x' },
      { month: 4, day: 31, name: 'x' },
      { month: 2, day: 4, name: ' ' },
    ]) {
      assert.throws(() => createHolidayCalendar([bad]), (e: unknown) => e instanceof DomainError && e.code === 'invalid-input');
    }
  });
});

describe('dates', () => {
  const valid = ['2026-03-03', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01'];
  for (const d of valid) test(`parseIsoDate accepts ${d}`, () => assert.equal(parseIsoDate(d), d));

  const invalid = ['2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '26-01-01', '2026-01-01T00:00', '', '03/03/2026'];
  for (const d of invalid) {
    test(`parseIsoDate refuses ${JSON.stringify(d)}`, () => {
      assert.throws(() => parseIsoDate(d), (e: unknown) => e instanceof DomainError && e.code === 'invalid-date' && e.details['value'] === d);
    });
  }

  test('messages', () => {
    assert.throws(() => parseIsoDate('2026-13-01'), { message: 'data non valida (atteso AAAA-MM-GG)' });
    assert.throws(() => parseIsoDate('2026-02-29'), { message: 'data non valida: febbraio 2026 ha 28 giorni' });
  });

  test('day numbers agree with Date.UTC over 1900–2100', () => {
    const start = Date.UTC(1900, 0, 1) / 86_400_000;
    const end = Date.UTC(2100, 11, 31) / 86_400_000;
    for (let n = start; n <= end; n++) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      if (fromDayNumber(n) !== iso || toDayNumber(iso) !== n) assert.fail(`day ${n}: ${fromDayNumber(n)} vs ${iso}`);
    }
  });

  const arithmetic: [string, number, string][] = [
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-03', 30, '2026-04-02'],
    ['2026-01-01', -1, '2025-12-31'],
  ];
  for (const [d, n, expected] of arithmetic) {
    test(`addDays(${d}, ${n})`, () => {
      assert.equal(addDays(d, n), expected);
      assert.equal(daysBetween(d, expected), n);
    });
  }

  const months: [string, number, string][] = [
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-12-15', 1, '2027-01-15'],
  ];
  for (const [d, n, expected] of months) test(`addMonths(${d}, ${n})`, () => assert.equal(addMonths(d, n), expected));

  test('Italian format and weekdays', () => {
    assert.equal(formatItalianDate('2026-04-07'), '07/04/2026');
    assert.equal(italianWeekday('2026-10-04'), 'domenica');
    assert.equal(italianWeekday('2027-10-04'), 'lunedì');
    assert.equal(italianWeekday('2026-03-03'), 'martedì');
    assert.equal(italianWeekday('2026-02-28'), 'sabato');
  });
});
