import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import {
  computeDeadline,
  createHolidayCalendar,
  parseTerm,
  type ClockEvent,
  type DeadlineInput,
  type DeadlineWarningCode,
  type SuspensionKind,
} from '../../src/domain/deadline/index.ts';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.ts';

// Local days of the two offices: patron saints of Forlì (4 Feb) and Cesena (24 Jun).
const calendar = createHolidayCalendar([
  { month: 2, day: 4, name: 'Madonna del Fuoco (Forlì)' },
  { month: 6, day: 24, name: 'San Giovanni Battista (Cesena)' },
]);

const s = (date: string, kind: SuspensionKind): ClockEvent => ({ type: 'suspend', date, kind });
const r = (date: string): ClockEvent => ({ type: 'resume', date });
const o = (date: string): ClockEvent => ({ type: 'observations', date });
const i = (date: string): ClockEvent => ({ type: 'suspend', date, kind: 'interruption' });

interface Row {
  name: string;
  from: string;
  term: string;
  events?: ClockEvent[];
  saturdayWorking?: boolean;
  saturdayMoves?: boolean;
  today?: string;
  deadline: string | null;
  provisional?: boolean;
  suspendedDays?: number;
  termStart?: string;
  baseDeadline?: string;
  warnings?: DeadlineWarningCode[];
}

const run = (row: Row) =>
  computeDeadline({
    from: row.from,
    term: parseTerm(row.term),
    events: row.events ?? [],
    calendar,
    ...(row.saturdayWorking ? { saturdayWorking: true } : {}),
    ...(row.saturdayMoves ? { saturdayMovesDeadline: true } : {}),
    ...(row.today ? { today: row.today } : {}),
  });

// Weekday anchors used in the reasoning: 1 Jan 2024 Mon, 2025 Wed, 2026 Thu, 2027 Fri, 2028 Sat.
// 2026 months start: Jan Thu, Feb Sun, Mar Sun, Apr Wed, May Fri, Jun Mon, Jul Wed, Aug Sat, Sep Tue, Oct Thu, Nov Sun, Dec Tue.
const rows: Row[] = [
  // --- calendar days (rules 1–4) ---
  { name: '30 days, plain Thursday', from: '2026-03-03', term: '30 giorni', deadline: '2026-04-02' }, // 3 Mar + 28 = 31 Mar, +2
  { name: 'card phrase, last day Sunday', from: '2026-01-12', term: '20 gg. da ricevimento domanda', deadline: '2026-02-02' }, // 1 Feb Sun → Mon
  { name: 'year end: 1 Jan 2027 (Fri) → Sat 2 Jan, Saturday does not move', from: '2026-12-02', term: '30d', deadline: '2027-01-02', warnings: ['saturday-deadline'] },
  { name: 'year end with saturdayMoves: 1 Jan, Sat 2, Sun 3 → Mon 4', from: '2026-12-02', term: '30d', saturdayMoves: true, deadline: '2027-01-04' },
  { name: 'year end: 1 Jan 2026 (Thu) → Fri 2', from: '2025-12-02', term: '30d', deadline: '2026-01-02' },
  { name: 'Epiphany 2027 (Wed) → Thu 7', from: '2026-12-07', term: '30d', deadline: '2027-01-07' },
  { name: 'Easter Sunday 2026 then Easter Monday → Tue 7 Apr', from: '2026-03-06', term: '30d', deadline: '2026-04-07' }, // 6 Mar + 25 = 31 Mar, +5 = 5 Apr
  { name: 'Easter Monday 2026', from: '2026-03-07', term: '30d', deadline: '2026-04-07' },
  { name: 'Easter Monday 2027 (29 Mar)', from: '2027-02-27', term: '30d', deadline: '2027-03-30' }, // Feb 2027 has 28 days: 27 Feb + 30 = 29 Mar
  { name: 'Easter Monday 2025 (21 Apr)', from: '2025-03-22', term: '30d', deadline: '2025-04-22' }, // 22 Mar + 9 = 31 Mar, +21
  { name: '25 April 2026 is a Saturday and a holiday → Sun 26 → Mon 27', from: '2026-03-26', term: '30d', deadline: '2026-04-27' },
  { name: '25 April 2025 (Fri) → Sat 26 stays', from: '2025-03-26', term: '30d', deadline: '2025-04-26', warnings: ['saturday-deadline'] },
  { name: '2 June 2026 (Tue) → Wed 3', from: '2026-05-03', term: '30d', deadline: '2026-06-03' }, // 3 May + 28 = 31 May, +2
  { name: '15 August 2026 (Sat, holiday) → Sun 16 → Mon 17', from: '2026-07-16', term: '30d', deadline: '2026-08-17' },
  { name: '15 August 2027 (Sun) → Mon 16', from: '2027-07-16', term: '30d', deadline: '2027-08-16' },
  { name: '4 October 2026 is a Sunday → Mon 5', from: '2026-09-04', term: '30d', deadline: '2026-10-05' }, // 4 Sep + 26 = 30 Sep, +4
  { name: '4 October 2027 is a Monday holiday (L. 151/2025) → Tue 5', from: '2027-09-04', term: '30d', deadline: '2027-10-05' },
  { name: '4 October 2024 (Fri) was not a holiday yet', from: '2024-09-04', term: '30d', deadline: '2024-10-04' },
  { name: '1 November 2026 (Sun) → Mon 2', from: '2026-10-02', term: '30d', deadline: '2026-11-02' }, // 2 Oct + 29 = 31 Oct, +1
  { name: '8 December 2026 (Tue) → Wed 9', from: '2026-11-08', term: '30d', deadline: '2026-12-09' }, // 8 Nov + 22 = 30 Nov, +8
  { name: '25 Dec 2026 Fri, 26 Sat, 27 Sun → Mon 28', from: '2026-11-25', term: '30d', deadline: '2026-12-28' }, // 25 Nov + 5 = 30 Nov, +25
  { name: '25 Dec 2025 Thu, 26 Fri → Sat 27 stays', from: '2025-11-25', term: '30d', deadline: '2025-12-27', warnings: ['saturday-deadline'] },
  { name: '25 Dec 2025 with saturdayMoves: 25, 26, Sat 27, Sun 28 → Mon 29', from: '2025-11-25', term: '30d', saturdayMoves: true, deadline: '2025-12-29' },
  { name: '25 Dec 2024 Wed, 26 Thu → Fri 27', from: '2024-11-25', term: '30d', deadline: '2024-12-27' },
  { name: '25 Dec 2027 Sat (Natale), 26 Sun → Mon 27', from: '2027-11-25', term: '30d', deadline: '2027-12-27' },
  { name: 'plain Sunday → Monday', from: '2026-03-08', term: '7 giorni', deadline: '2026-03-16' },
  { name: 'Saturday does not move (rule 4)', from: '2026-03-07', term: '7 giorni', deadline: '2026-03-14', warnings: ['saturday-deadline'] },
  { name: 'Saturday moves when the card says so', from: '2026-03-07', term: '7 giorni', saturdayMoves: true, deadline: '2026-03-16' },
  { name: 'holidays inside the term count (25, 26 Dec)', from: '2026-12-20', term: '10 giorni', deadline: '2026-12-30' },
  { name: '60 giorni naturali e consecutivi', from: '2026-01-15', term: '60 giorni naturali e consecutivi', deadline: '2026-03-16' }, // 16 + 28 + 16
  { name: '90 gg from 1 Jan (start day not counted)', from: '2026-01-01', term: '90 gg', deadline: '2026-04-01' }, // 30 + 28 + 31 + 1
  { name: '1 May 2026 (Fri) → Sat 2 stays', from: '2026-04-01', term: '30d', deadline: '2026-05-02', warnings: ['saturday-deadline'] },
  { name: '2 weeks = 14 days', from: '2026-03-03', term: '2 settimane', deadline: '2026-03-17' },
  { name: 'overdue when today is past the deadline', from: '2026-03-03', term: '30d', today: '2026-04-10', deadline: '2026-04-02', warnings: ['overdue'] },
  { name: 'not overdue on the deadline day itself', from: '2026-03-03', term: '30d', today: '2026-04-02', deadline: '2026-04-02' },

  // --- working days ---
  { name: '10 working days', from: '2026-03-03', term: '10wd', deadline: '2026-03-17' }, // 4,5,6,9,10,11,12,13,16,17
  { name: 'working days across Easter 2026', from: '2026-03-31', term: '10 giorni lavorativi', deadline: '2026-04-15' }, // 1,2,3,[4–6],7,8,9,10,13,14,15
  { name: 'working days across Easter with saturdayWorking', from: '2026-03-31', term: '10wd', saturdayWorking: true, deadline: '2026-04-13' }, // 1,2,3,Sat 4,[5,6],7,8,9,10,Sat 11,[12],13
  { name: 'working days across Christmas 2026', from: '2026-12-22', term: '5wd', deadline: '2026-12-30' }, // 23,24,[25–27],28,29,30
  { name: 'working days across the year end and Epiphany', from: '2026-12-22', term: '10wd', deadline: '2027-01-08' }, // 23,24,28,29,30,31,[1–3],4,5,[6],7,8
  { name: 'a patron day counts as a working day, with a warning (Forlì, 4 Feb 2026 Wed)', from: '2026-01-30', term: '3wd', deadline: '2026-02-04', warnings: ['local-closure'] },
  { name: 'working days skip 2 June', from: '2026-05-29', term: '3wd', deadline: '2026-06-04' }, // Mon 1, [Tue 2], 3, 4
  { name: 'saturdayWorking, but 15 Aug 2026 is a holiday Saturday', from: '2026-08-13', term: '2wd', saturdayWorking: true, deadline: '2026-08-17' }, // Fri 14, [15, 16], Mon 17
  { name: '1 working day from Friday → Monday', from: '2026-03-06', term: '1wd', deadline: '2026-03-09' },
  { name: '1 working day from Friday with saturdayWorking → Saturday', from: '2026-03-06', term: '1wd', saturdayWorking: true, deadline: '2026-03-07', warnings: ['saturday-deadline'] },

  // --- months (rule 5) ---
  { name: '31 Jan + 1 month = 28 Feb 2026 (Sat, stays)', from: '2026-01-31', term: '1 mese', deadline: '2026-02-28', warnings: ['saturday-deadline'] },
  { name: '31 Jan 2028 + 1 month = 29 Feb (leap year)', from: '2028-01-31', term: 'un mese', deadline: '2028-02-29' },
  { name: '29 Feb 2028 + 12 months = 28 Feb 2029', from: '2028-02-29', term: '12 mesi', deadline: '2029-02-28' },
  { name: '30 Nov + 3 months = 28 Feb 2027 (Sun) → Mon 1 Mar', from: '2026-11-30', term: '3 mesi', deadline: '2027-03-01' },
  { name: '3m plain', from: '2026-03-03', term: '3m', deadline: '2026-06-03' },
  { name: '25 Nov + 1 month = Christmas → Mon 28 Dec', from: '2026-11-25', term: '1 mese', deadline: '2026-12-28' },
  { name: '31 Dec + 1 month = 31 Jan 2027 (Sun) → Mon 1 Feb', from: '2026-12-31', term: '1 mese', deadline: '2027-02-01' },
  { name: '31 Oct + 2 months = 31 Dec', from: '2026-10-31', term: '2 mesi', deadline: '2026-12-31' },

  // --- local closure days (Cass. lav. 17079/2007: warn, do not move) ---
  { name: 'Forlì patron day 4 Feb 2026', from: '2026-01-05', term: '30d', deadline: '2026-02-04', warnings: ['local-closure'] }, // 5 Jan + 26 = 31 Jan, +4
  { name: 'Cesena patron day 24 Jun 2026', from: '2026-05-25', term: '30d', deadline: '2026-06-24', warnings: ['local-closure'] }, // 25 May + 6 = 31 May, +24
  { name: 'a suspension moves the deadline onto a patron day', from: '2026-05-15', term: '30d', events: [s('2026-05-20', 'other'), r('2026-05-30')], deadline: '2026-06-24', suspendedDays: 10, warnings: ['local-closure'] }, // raw 14 Jun + 10

  // --- suspensions ---
  { name: 'other suspension of 10 days', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'other'), r('2026-03-20')], deadline: '2026-04-13', suspendedDays: 10, baseDeadline: '2026-04-02' }, // 2 Apr + 10 = Sun 12 → 13
  { name: 'several suspensions add up', from: '2026-03-03', term: '30d', events: [s('2026-03-05', 'other'), r('2026-03-09'), s('2026-03-16', 'art2c7'), r('2026-03-26')], deadline: '2026-04-16', suspendedDays: 14 }, // 2 Apr + 4 + 10
  { name: 'the shift applies to the raw last day, not the holiday-shifted one', from: '2026-03-06', term: '30d', events: [s('2026-03-10', 'other'), r('2026-03-12')], deadline: '2026-04-07', suspendedDays: 2 }, // raw 5 Apr + 2 = 7 Apr (not 7 + 2)
  { name: 'c.7 of exactly 30 days', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art2c7'), r('2026-04-09')], deadline: '2026-05-02', suspendedDays: 30, warnings: ['saturday-deadline'] },
  { name: 'c.7 resumed after 41 days counts 30 (capped by law)', from: '2026-03-06', term: '30d', events: [s('2026-03-10', 'art2c7'), r('2026-04-20')], deadline: '2026-05-05', suspendedDays: 30 }, // raw 5 Apr + 30
  { name: 'c.7 open, today before the cap: provisional', from: '2026-03-04', term: '30d', events: [s('2026-03-10', 'art2c7')], today: '2026-03-25', deadline: '2026-05-04', provisional: true, suspendedDays: 30 }, // raw 3 Apr + 30 = Sun 3 May → 4
  { name: 'c.7 open, today on the cap day: still provisional', from: '2026-03-04', term: '30d', events: [s('2026-03-10', 'art2c7')], today: '2026-04-09', deadline: '2026-05-04', provisional: true, suspendedDays: 30 },
  { name: 'c.7 open past 30 days: the clock runs again by law', from: '2026-03-04', term: '30d', events: [s('2026-03-10', 'art2c7')], today: '2026-04-20', deadline: '2026-05-04', provisional: false, suspendedDays: 30, warnings: ['c7-over-30-days'] },
  { name: 'c.7 open, no today: provisional with the 30-day cap', from: '2026-03-04', term: '30d', events: [s('2026-03-10', 'art2c7')], deadline: '2026-05-04', provisional: true, suspendedDays: 30 },
  { name: '10-bis without observations: restarts 10 days after the notice', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), r('2026-03-25')], deadline: '2026-04-13', suspendedDays: 10 }, // legal end 20 Mar; 2 Apr + 10 = Sun 12
  { name: '10-bis with observations: restarts 10 days after them', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), o('2026-03-15'), r('2026-03-25')], deadline: '2026-04-17', suspendedDays: 15 },
  { name: '10-bis resumed before the legal end: restarts at the resume', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), o('2026-03-12'), r('2026-03-16')], deadline: '2026-04-08', suspendedDays: 6 },
  { name: '10-bis late observations do not extend', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), o('2026-03-23'), r('2026-03-30')], deadline: '2026-04-13', suspendedDays: 10, warnings: ['late-observations'] },
  { name: '10-bis observations on the 10th day are in time', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), o('2026-03-20'), r('2026-03-30')], deadline: '2026-04-22', suspendedDays: 20 }, // 2 Apr + 20
  { name: '10-bis open, no observations: provisional, legal end notice + 10', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis')], deadline: '2026-04-13', provisional: true, suspendedDays: 10 },
  { name: '10-bis open with observations, today before the legal end', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), o('2026-03-18')], today: '2026-03-20', deadline: '2026-04-20', provisional: true, suspendedDays: 18 }, // legal end 28 Mar
  { name: '10-bis open with observations, today past the legal end', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'art10bis'), o('2026-03-18')], today: '2026-04-01', deadline: '2026-04-20', provisional: false, suspendedDays: 18, warnings: ['art10bis-over-legal-end'] },
  { name: 'interruption: the whole term restarts from the resume; earlier suspensions no longer matter', from: '2026-03-03', term: '30d', events: [s('2026-03-05', 'other'), r('2026-03-08'), i('2026-03-10'), r('2026-03-20')], deadline: '2026-04-20', termStart: '2026-03-20', suspendedDays: 0, baseDeadline: '2026-04-20' }, // 20 Mar + 30 = Sun 19 Apr
  { name: 'interruption then a suspension', from: '2026-03-03', term: '30d', events: [i('2026-03-10'), r('2026-03-12'), s('2026-03-20', 'other'), r('2026-03-25')], deadline: '2026-04-16', termStart: '2026-03-12', suspendedDays: 5, baseDeadline: '2026-04-11' }, // raw 11 Apr (Sat) + 5
  { name: 'open interruption: deadline unknown', from: '2026-03-03', term: '30d', events: [i('2026-03-10')], deadline: null, termStart: '2026-03-03', baseDeadline: '2026-04-02' },
  { name: 'open other suspension: deadline unknown, days so far', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'other')], today: '2026-03-15', deadline: null, suspendedDays: 5, baseDeadline: '2026-04-02' },
  { name: 'a suspension after the deadline has no effect', from: '2026-03-03', term: '30d', events: [s('2026-04-10', 'other'), r('2026-04-15')], deadline: '2026-04-02', suspendedDays: 0, warnings: ['suspension-after-deadline'] },
  { name: 'a suspension on the last (holiday-shifted) day: the deadline becomes the resume day', from: '2026-03-06', term: '30d', events: [s('2026-04-07', 'other'), r('2026-04-14')], deadline: '2026-04-14', suspendedDays: 7 },
  { name: 'working days: a suspension over a weekend stops only its working days', from: '2026-03-02', term: '10wd', events: [s('2026-03-05', 'other'), r('2026-03-09')], deadline: '2026-03-18', suspendedDays: 4 }, // 7 working days left after Thu 5: 10,11,12,13,16,17,18
  { name: 'working days with a 10-bis', from: '2026-03-03', term: '10 giorni lavorativi', events: [s('2026-03-05', 'art10bis'), o('2026-03-12'), r('2026-03-22')], deadline: '2026-04-01', suspendedDays: 17 }, // 8 left after 5 Mar, from Sun 22: 23–27, 30, 31, 1
  { name: 'months with a suspension: calendar days added to the raw end', from: '2026-01-31', term: '1 mese', events: [s('2026-02-10', 'other'), r('2026-02-15')], deadline: '2026-03-05', suspendedDays: 5 }, // 28 Feb + 5
  { name: 'suspend and resume on the same day: 0 days', from: '2026-03-03', term: '30d', events: [s('2026-03-10', 'other'), r('2026-03-10')], deadline: '2026-04-02', suspendedDays: 0 },
];

describe('computeDeadline: table', () => {
  for (const row of rows) {
    test(row.name, () => {
      const result = run(row);
      assert.equal(result.deadline, row.deadline);
      assert.equal(result.provisional, row.provisional ?? false);
      assert.deepEqual(result.warnings.map((w) => w.code), row.warnings ?? []);
      if (row.suspendedDays !== undefined) assert.equal(result.suspendedDays, row.suspendedDays);
      assert.equal(result.termStart, row.termStart ?? row.from);
      if (row.baseDeadline !== undefined) assert.equal(result.baseDeadline, row.baseDeadline);
      // every result carries at least the base step, and texts are dd/mm/yyyy, never ISO
      assert.equal(result.steps[0]?.kind, 'base');
      for (const step of result.steps) assert.doesNotMatch(step.text, /\d{4}-\d{2}-\d{2}/);
    });
  }
  test('at least 45 rows', () => assert.ok(rows.length >= 45));
});

describe('computeDeadline: explanation and periods', () => {
  test('Easter 2026: every skipped day is named', () => {
    const result = computeDeadline({ from: '2026-03-06', term: parseTerm('30d'), events: [], calendar });
    assert.deepEqual(result.steps, [
      { kind: 'base', date: '2026-04-05', text: 'Domanda ricevuta il 06/03/2026; termine di 30 giorni: scadenza base 05/04/2026' },
      {
        kind: 'holiday-shift',
        date: '2026-04-07',
        text: "Il 05/04/2026 è domenica (Pasqua) e il 06/04/2026 è festivo (Lunedì dell'Angelo): scadenza spostata al primo giorno non festivo, 07/04/2026",
      },
    ]);
    assert.equal(result.baseDeadline, '2026-04-07');
  });

  test('4 October 2026: a Sunday and a holiday', () => {
    const result = computeDeadline({ from: '2026-09-04', term: parseTerm('30d'), events: [], calendar });
    assert.equal(
      result.steps[1]?.text,
      "Il 04/10/2026 è domenica (San Francesco d'Assisi): scadenza spostata al primo giorno non festivo, 05/10/2026",
    );
  });

  test('c.7 suspension text', () => {
    const result = computeDeadline({ from: '2026-03-03', term: parseTerm('30 giorni'), events: [s('2026-03-10', 'art2c7'), r('2026-03-20')], calendar });
    assert.deepEqual(
      result.steps.map((step) => [step.kind, step.text]),
      [
        ['base', 'Domanda ricevuta il 03/03/2026; termine di 30 giorni: scadenza base 02/04/2026'],
        ['suspension', 'Sospensione art. 2 c.7 L. 241/1990 dal 10/03/2026 al 20/03/2026 (10 giorni): scadenza spostata al 12/04/2026'],
        ['holiday-shift', 'Il 12/04/2026 è domenica: scadenza spostata al primo giorno non festivo, 13/04/2026'],
      ],
    );
  });

  test('c.7 capped: the period records the legal end', () => {
    const result = computeDeadline({ from: '2026-03-06', term: parseTerm('30d'), events: [s('2026-03-10', 'art2c7'), r('2026-04-20')], calendar });
    assert.deepEqual(result.suspensions, [
      { kind: 'art2c7', from: '2026-03-10', to: '2026-04-09', legalEnd: '2026-04-09', days: 30, cappedByLaw: true, open: false },
    ]);
    assert.equal(result.steps[1]?.kind, 'c7-cap');
    assert.match(result.steps[1]?.text ?? '', /il termine ha ripreso a decorrere per legge il 09\/04\/2026/);
  });

  test('open c.7 past 30 days: warning dated on the legal end', () => {
    const result = computeDeadline({ from: '2026-03-04', term: parseTerm('30d'), events: [s('2026-03-10', 'art2c7')], today: '2026-04-20', calendar });
    assert.deepEqual(result.warnings.map((w) => [w.code, w.date]), [['c7-over-30-days', '2026-04-09']]);
    assert.deepEqual(result.suspensions[0], {
      kind: 'art2c7', from: '2026-03-10', to: '2026-04-09', legalEnd: '2026-04-09', days: 30, cappedByLaw: true, open: true,
    });
  });

  test('10-bis open: legal end known', () => {
    const result = computeDeadline({ from: '2026-03-03', term: parseTerm('30d'), events: [s('2026-03-10', 'art10bis'), o('2026-03-12')], calendar });
    assert.deepEqual(result.suspensions, [{ kind: 'art10bis', from: '2026-03-10', to: '2026-03-22', legalEnd: '2026-03-22', days: 12, open: true }]);
    assert.equal(result.steps[1]?.kind, 'art10bis');
    assert.match(result.steps[1]?.text ?? '', /osservazioni presentate il 12\/03\/2026: il termine riprende 10 giorni dopo, il 22\/03\/2026/);
  });

  test('open other suspension without today: to is null, 0 days so far', () => {
    const result = computeDeadline({ from: '2026-03-03', term: parseTerm('30d'), events: [s('2026-03-10', 'other')], calendar });
    assert.deepEqual(result.suspensions, [{ kind: 'other', from: '2026-03-10', to: null, days: 0, open: true }]);
    assert.equal(result.deadline, null);
  });

  test('interruption marks the earlier periods', () => {
    const result = computeDeadline({
      from: '2026-03-03',
      term: parseTerm('30d'),
      events: [s('2026-03-05', 'other'), r('2026-03-08'), i('2026-03-10'), r('2026-03-20')],
      calendar,
    });
    assert.deepEqual(result.suspensions.map((p) => [p.kind, p.noEffect]), [['other', 'before-interruption'], ['interruption', undefined]]);
    assert.equal(result.steps[2]?.kind, 'interruption');
    assert.match(result.steps[2]?.text ?? '', /ricomincia a decorrere per intero dal 20\/03\/2026: nuova scadenza base 19\/04\/2026/);
  });

  test('consecutive holidays are all named', () => {
    const result = computeDeadline({ from: '2026-11-25', term: parseTerm('30d'), events: [], calendar });
    assert.equal(
      result.steps[1]?.text,
      'Il 25/12/2026 è festivo (Natale), il 26/12/2026 è festivo (Santo Stefano) e il 27/12/2026 è domenica: ' +
        'scadenza spostata al primo giorno non festivo, 28/12/2026',
    );
  });

  test('local closure warning names the day', () => {
    const result = computeDeadline({ from: '2026-01-05', term: parseTerm('30d'), events: [], calendar });
    assert.match(result.warnings[0]?.text ?? '', /04\/02\/2026 .*Madonna del Fuoco \(Forlì\).*non si sposta/);
  });
});

describe('computeDeadline: refusals', () => {
  const base: Omit<DeadlineInput, 'events'> = { from: '2026-03-03', term: { amount: 30, unit: 'calendar-days' }, calendar };
  const rows: [string, Partial<DeadlineInput>, DomainErrorCode, number | undefined][] = [
    ['second c.7', { events: [s('2026-03-05', 'art2c7'), r('2026-03-10'), s('2026-03-15', 'art2c7')] }, 'second-art2c7-suspension', 2],
    ['second c.7 even after an interruption (once per case)', { events: [s('2026-03-05', 'art2c7'), r('2026-03-10'), i('2026-03-11'), r('2026-03-12'), s('2026-03-15', 'art2c7')] }, 'second-art2c7-suspension', 4],
    ['resume without suspension', { events: [r('2026-03-05')] }, 'resume-without-suspension', 0],
    ['resume twice', { events: [s('2026-03-05', 'other'), r('2026-03-06'), r('2026-03-07')] }, 'resume-without-suspension', 2],
    ['suspend while suspended', { events: [s('2026-03-05', 'other'), s('2026-03-06', 'art10bis')] }, 'invalid-input', 1],
    ['observations without a suspension', { events: [o('2026-03-05')] }, 'observations-without-10bis', 0],
    ['observations during a c.7 suspension', { events: [s('2026-03-05', 'art2c7'), o('2026-03-06')] }, 'observations-without-10bis', 1],
    ['observations after the 10-bis was resumed', { events: [s('2026-03-05', 'art10bis'), r('2026-03-06'), o('2026-03-07')] }, 'observations-without-10bis', 2],
    ['event before the receipt date', { events: [s('2026-03-01', 'other')] }, 'date-before-previous-event', 0],
    ['events out of order', { events: [s('2026-03-10', 'other'), r('2026-03-08')] }, 'date-before-previous-event', 1],
    ['invalid event date', { events: [s('2026-02-30', 'other')] }, 'invalid-date', 0],
    ['unknown suspension kind', { events: [{ type: 'suspend', date: '2026-03-05', kind: 'whatever' as SuspensionKind }] }, 'invalid-input', 0],
    ['invalid from', { from: '2026-3-3', events: [] }, 'invalid-date', undefined],
    ['invalid today', { today: '2026-04-31', events: [] }, 'invalid-date', undefined],
    ['zero term', { term: { amount: 0, unit: 'calendar-days' }, events: [] }, 'invalid-term', undefined],
    ['fractional term', { term: { amount: 1.5, unit: 'months' }, events: [] }, 'invalid-term', undefined],
    ['absurd term', { term: { amount: 121, unit: 'months' }, events: [] }, 'invalid-term', undefined],
  ];
  for (const [name, patch, code, eventIndex] of rows) {
    test(`${name} → ${code}`, () => {
      assert.throws(
        () => computeDeadline({ ...base, events: [], ...patch } as DeadlineInput),
        (error: unknown) => error instanceof DomainError && error.code === code && error.details['eventIndex'] === eventIndex,
      );
    });
  }

  test('the second c.7 message is Italian and names the first one', () => {
    assert.throws(
      () => computeDeadline({ ...base, events: [s('2026-03-05', 'art2c7'), r('2026-03-10'), s('2026-03-15', 'art2c7')] }),
      /una sola volta per pratica: è già stata disposta il 05\/03\/2026/,
    );
  });
});

describe('the deadline domain is pure', () => {
  const dir = new URL('../../src/domain/deadline/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    test(file, () => {
      const source = readFileSync(new URL(file, dir), 'utf8');
      assert.doesNotMatch(source, /from ['"]node:/);
      assert.doesNotMatch(source, /Date\.now\(|new Date\(\)/);
      for (const match of source.matchAll(/from ['"]([^'"]+)['"]/g)) assert.match(match[1] ?? '', /^\.\.?\//, `import ${match[1]}`);
    });
  }
});
