import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkIndemnityPayment,
  createHolidayCalendar,
  delayDays,
  euroText,
  halfTerm,
  indemnity,
  lastSubstituteRequestDay,
  parseEuroCents,
  parseTerm,
  silenceAcceptance,
  substituteDeadline,
  substituteOutcome,
  substituteRequestAdmissible,
} from '../../src/domain/deadline/index.ts';
import { decide } from '../../src/domain/case/decide.ts';
import { addRemedyCase, emptyRemedyFigures } from '../../src/domain/reports/remedies.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { caseRemedies, eventsOffered } from '../../src/domain/case/remedies.ts';

const calendar = createHolidayCalendar([{ month: 2, day: 4, name: 'Madonna del Fuoco (Forlì)' }]);

// 2026: 1 Jan Thu; Easter Sunday 5 Apr, Easter Monday 6 Apr; 25 Dec Fri, 26 Dec Sat (Santo Stefano), 27 Dec Sun.
describe('half term (art. 2 c.9-ter L. 241/1990)', () => {
  const rows: [name: string, from: string, term: string, expected: string][] = [
    ['30 calendar days → 15', '2026-03-03', '30d', '15d'],
    ['odd 15 days round up → 8', '2026-03-03', '15d', '8d'],
    ['1 day → 1', '2026-03-03', '1d', '1d'],
    ['10 working days → 5 working days', '2026-03-03', '10 giorni lavorativi', '5wd'],
    ['odd 7 working days → 4 working days', '2026-03-03', '7wd', '4wd'],
    ['3 months from 10 Jan: 90 days to 10 Apr → 45 calendar days', '2026-01-10', '3 mesi', '45d'],
    ['1 month from 10 Jan: 31 days → 16 (odd rounds up)', '2026-01-10', '1m', '16d'],
    ['1 month from 10 Feb: 28 days → 14', '2026-02-10', '1m', '14d'],
    ['1 month from 31 Jan: to 28 Feb, 28 days → 14', '2026-01-31', '1m', '14d'],
    ['1 month in a leap year from 10 Feb 2028: 29 days → 15', '2028-02-10', '1m', '15d'],
  ];
  for (const [name, from, term, expected] of rows) {
    test(name, () => assert.deepEqual(halfTerm(from, parseTerm(term)), parseTerm(expected)));
  }
});

describe('substitute deadline: from the request, same counting rules', () => {
  const rows: [name: string, from: string, term: string, deadline: string, request: string, expected: string, options?: { saturdayMovesDeadline?: boolean }][] = [
    ['15 days from Fri 3 Apr → Sat 18 Apr (Saturday does not move)', '2026-03-03', '30d', '2026-04-02', '2026-04-03', '2026-04-18'],
    ['Saturday moves when the card says so → Mon 20 Apr', '2026-03-03', '30d', '2026-04-02', '2026-04-03', '2026-04-20', { saturdayMovesDeadline: true }],
    ['last day on Christmas: 25, 26 (Santo Stefano), 27 (Sunday) → Mon 28 Dec', '2026-10-01', '30d', '2026-10-31', '2026-12-10', '2026-12-28'],
    ['request on a holiday (Epiphany): the start day is not counted → Fri 16 Jan', '2025-11-01', '20d', '2025-11-21', '2026-01-06', '2026-01-16'],
    ['5 working days from Fri 6 Mar → Fri 13 Mar', '2026-02-03', '10wd', '2026-02-17', '2026-03-06', '2026-03-13'],
    ['2 working days from Thu 24 Dec skip 25, 26, 27 → Tue 29 Dec', '2026-11-02', '4wd', '2026-11-06', '2026-12-24', '2026-12-29'],
    ['3 months: 45 calendar days from 20 Apr → 4 Jun', '2026-01-10', '3m', '2026-04-10', '2026-04-20', '2026-06-04'],
    ['3 months: 45 days from 18 Apr land on 2 Jun (Festa della Repubblica) → 3 Jun', '2026-01-10', '3m', '2026-04-10', '2026-04-18', '2026-06-03'],
  ];
  for (const [name, from, term, deadline, request, expected, options] of rows) {
    test(name, () => {
      const result = substituteDeadline({ from, term: parseTerm(term), deadline, request, calendar, ...options });
      assert.equal(result.date, expected);
    });
  }

  const refusals: [name: string, deadline: string | null, request: string, code: string, message: RegExp][] = [
    ['on the deadline day: the term has not passed yet', '2026-04-02', '2026-04-02', 'substitute-request-too-early', /dal giorno successivo, 03\/04\/2026/],
    ['before the deadline', '2026-04-02', '2026-03-20', 'substitute-request-too-early', /il termine scade il 02\/04\/2026/],
    ['deadline not known (open suspension)', null, '2026-04-20', 'deadline-unknown', /non è ancora determinabile/],
  ];
  for (const [name, deadline, request, code, message] of refusals) {
    test(`refused: ${name}`, () => {
      assert.throws(
        () => substituteDeadline({ from: '2026-03-03', term: parseTerm('30d'), deadline, request, calendar }),
        (error: unknown) => error instanceof DomainError && error.code === code && message.test(error.message),
      );
    });
  }
});

describe('delay in calendar days', () => {
  const rows: [name: string, deadline: string | null, decision: string | undefined, today: string | undefined, expected: number][] = [
    ['decided on the deadline', '2026-04-02', '2026-04-02', '2026-05-01', 0],
    ['decided the day after', '2026-04-02', '2026-04-03', '2026-05-01', 1],
    ['decided early', '2026-04-02', '2026-03-20', undefined, 0],
    ['open, today 10 days later', '2026-04-02', undefined, '2026-04-12', 10],
    ['open, today before the deadline', '2026-04-02', undefined, '2026-03-30', 0],
    ['no today and no decision', '2026-04-02', undefined, undefined, 0],
    ['deadline unknown', null, undefined, '2026-04-12', 0],
  ];
  for (const [name, deadline, decision, today, expected] of rows) {
    test(name, () => assert.equal(delayDays(deadline, decision, today), expected));
  }
});

describe('indemnity (art. 2-bis c.1-bis L. 241/1990; art. 28 D.L. 69/2013)', () => {
  // deadline Thu 2 Apr 2026: the 20 days end on Wed 22 Apr
  const base = { business: true, silenzioAssenso: false, deadline: '2026-04-02' as string | null, calendar };
  const rows: [name: string, input: Partial<Parameters<typeof indemnity>[0]>, euro: number, eligible: boolean, code: string][] = [
    ['10 days late, request in time: 300 euro', { substituteRequest: '2026-04-10', delayDays: 10 }, 300, true, 'due'],
    ['66 days: 1,980 euro, under the cap', { substituteRequest: '2026-04-10', delayDays: 66 }, 1980, true, 'due'],
    ['67 days: capped at 2,000 euro', { substituteRequest: '2026-04-10', delayDays: 67 }, 2000, true, 'due'],
    ['400 days: still 2,000 euro', { substituteRequest: '2026-04-10', delayDays: 400 }, 2000, true, 'due'],
    ['request on the 20th day (22 Apr): due', { substituteRequest: '2026-04-22', delayDays: 30 }, 900, true, 'due'],
    ['request on the 21st day (23 Apr): lost', { substituteRequest: '2026-04-23', delayDays: 30 }, 0, false, 'substitute-request-late'],
    ['no request yet: not yet due', { delayDays: 5 }, 0, false, 'no-substitute-request'],
    ['not a business activity', { business: false, substituteRequest: '2026-04-10', delayDays: 10 }, 0, false, 'not-business'],
    ['silenzio-assenso is excluded', { silenzioAssenso: true, substituteRequest: '2026-04-10', delayDays: 10 }, 0, false, 'silenzio-assenso'],
    ['not late', { delayDays: 0 }, 0, false, 'not-late'],
    ['deadline unknown', { deadline: null, delayDays: 0 }, 0, false, 'deadline-unknown'],
    // deadline Mon 16 Mar: +20 = Sun 5 Apr (Easter), Mon 6 Apr (Easter Monday) → the window ends Tue 7 Apr
    ['window ending on Easter moves to Tue 7 Apr: request on 7 Apr keeps the right', { deadline: '2026-03-16', substituteRequest: '2026-04-07', delayDays: 30 }, 900, true, 'due'],
    ['window ending on Easter: request on 8 Apr loses it', { deadline: '2026-03-16', substituteRequest: '2026-04-08', delayDays: 30 }, 0, false, 'substitute-request-late'],
  ];
  for (const [name, input, euro, eligible, code] of rows) {
    test(name, () => {
      const result = indemnity({ ...base, delayDays: 0, ...input });
      assert.equal(result.euro, euro);
      assert.equal(result.eligible, eligible);
      assert.equal(result.code, code);
      assert.ok(result.reason.length > 20, 'the reason is spelled out');
    });
  }

  test('the reason names the article and, when not yet due, the last day to claim', () => {
    assert.match(indemnity({ ...base, substituteRequest: '2026-04-10', delayDays: 10 }).reason, /30 euro per 10 giorni .* = 300 euro .*art\. 28 c\.1 D\.L\. 69\/2013/);
    assert.match(indemnity({ ...base, substituteRequest: '2026-04-10', delayDays: 67 }).reason, /nel limite di 2000 euro = 2000 euro/);
    const pending = indemnity({ ...base, delayDays: 5 });
    assert.equal(pending.requestBy, '2026-04-22');
    assert.match(pending.reason, /entro il 22\/04\/2026 .*art\. 28 c\.2/);
  });

  test('the last day to turn to the substitute', () => {
    assert.equal(lastSubstituteRequestDay('2026-04-02', { calendar }), '2026-04-22');
    assert.equal(lastSubstituteRequestDay('2026-03-16', { calendar }), '2026-04-07');
  });
});

describe('silenzio-assenso (art. 20 L. 241/1990)', () => {
  const rows: [name: string, input: Parameters<typeof silenceAcceptance>[0], accepted: boolean, from: string | null][] = [
    ['term passed, no decision: accepted from the day after', { silenzioAssenso: true, deadline: '2026-04-02', today: '2026-04-03' }, true, '2026-04-03'],
    ['on the deadline day: not yet', { silenzioAssenso: true, deadline: '2026-04-02', today: '2026-04-02' }, false, null],
    ['decided in time', { silenzioAssenso: true, deadline: '2026-04-02', decision: '2026-04-01', today: '2026-05-01' }, false, null],
    ['decided late: the silence had already formed', { silenzioAssenso: true, deadline: '2026-04-02', decision: '2026-04-20', today: '2026-05-01' }, true, '2026-04-03'],
    ['not a silenzio-assenso procedure', { silenzioAssenso: false, deadline: '2026-04-02', today: '2026-05-01' }, false, null],
    ['deadline unknown', { silenzioAssenso: true, deadline: null, today: '2026-05-01' }, false, null],
    ['no today, no decision', { silenzioAssenso: true, deadline: '2026-04-02' }, false, null],
  ];
  for (const [name, input, accepted, from] of rows) {
    test(name, () => assert.deepEqual(silenceAcceptance(input), { accepted, acceptedFrom: from }));
  }
});

describe('the remedies of one case, and the events offered to the office', () => {
  const terms = { term: parseTerm('30d'), saturdayWorking: false, saturdayMovesDeadline: false };
  const started = { type: 'start' as const, effectiveOn: '2026-03-03' };
  // 30 days from 3 Mar: Thu 2 Apr 2026
  const deadline = { deadline: '2026-04-02', provisional: false, baseDeadline: '2026-04-02', termStart: '2026-03-03', suspendedDays: 0, suspensions: [], steps: [], warnings: [] };
  const remediesOf = (events: { type: 'start' | 'close' | 'substitute-request'; effectiveOn: string }[], today: string, flags = { businessActivity: true, silenzioAssenso: false }) =>
    caseRemedies({ receivedOn: '2026-03-03', events, deadline, terms, calendar, today, ...flags });

  test('not late: nothing to claim, and no request to the substitute offered', () => {
    const r = remediesOf([started], '2026-04-02');
    assert.equal(r.late, false);
    assert.deepEqual(eventsOffered('in-progress', ['suspend', 'close', 'substitute-request'], r), ['suspend', 'close']);
  });
  test('late with a timely request: the substitute deadline and the indemnity to date', () => {
    const r = remediesOf([started, { type: 'substitute-request', effectiveOn: '2026-04-10' }], '2026-04-12');
    assert.deepEqual([r.late, r.substituteFrom, r.substituteRequestBy, r.substituteDeadline, r.delayDays, r.indemnity.euro], [true, '2026-04-03', '2026-04-22', '2026-04-27', 10, 300]);
    assert.deepEqual(eventsOffered('in-progress', ['suspend', 'close', 'substitute-request'], r), ['suspend', 'close']);
  });
  test('late without a request: offered; closed late: the delay stops at the decision', () => {
    assert.ok(eventsOffered('in-progress', ['close', 'substitute-request'], remediesOf([started], '2026-04-12')).includes('substitute-request'));
    const closed = remediesOf([started, { type: 'substitute-request', effectiveOn: '2026-04-05' }, { type: 'close', effectiveOn: '2026-04-07' }], '2026-06-01');
    assert.deepEqual([closed.delayDays, closed.indemnity.euro], [5, 150]);
  });
  test('silenzio-assenso: accepted from the day after the deadline, no indemnity', () => {
    const r = remediesOf([started], '2026-04-12', { businessActivity: true, silenzioAssenso: true });
    assert.deepEqual(r.silence, { accepted: true, acceptedFrom: '2026-04-03' });
    assert.equal(r.indemnityApplies, false);
  });
});

describe('the boundary of "passed in vain": one rule for the calculator, the events, the case figures and the office', () => {
  // 30 days from Tue 3 Mar 2026: deadline Thu 2 Apr. Every path gives the same answer for the same day.
  const terms = { term: parseTerm('30d'), saturdayWorking: false, saturdayMovesDeadline: false };
  const started = { type: 'start' as const, effectiveOn: '2026-03-03', reason: '', notes: '' };
  const deadline = { deadline: '2026-04-02', provisional: false, baseDeadline: '2026-04-02', termStart: '2026-03-03', suspendedDays: 0, suspensions: [], steps: [], warnings: [] };
  const rows: [name: string, request: string, admissible: boolean][] = [
    ['the day before the deadline (1 Apr): refused', '2026-04-01', false],
    ['the deadline day itself (2 Apr): refused, the term has not yet passed', '2026-04-02', false],
    ['the day after the deadline (3 Apr): admitted', '2026-04-03', true],
  ];
  for (const [name, request, admissible] of rows) {
    test(name, () => {
      assert.equal(substituteRequestAdmissible('2026-04-02', request), admissible, 'the rule');
      // the calculator (pratica deadline, /calcola-scadenza)
      const computed = () => substituteDeadline({ from: '2026-03-03', term: parseTerm('30d'), deadline: '2026-04-02', request, calendar });
      if (admissible) assert.equal(computed().date, '2026-04-18');
      else assert.throws(computed, (e: unknown) => e instanceof DomainError && e.code === 'substitute-request-too-early');
      // the event (API and back office form), recorded on that very day
      const record = () => decide({ state: 'in-progress', receivedOn: '2026-03-03', events: [started] }, { type: 'substitute-request', effectiveOn: request }, { today: request, terms, calendar });
      if (admissible) assert.equal(record().state, 'in-progress');
      else assert.throws(record, (e: unknown) => e instanceof DomainError && e.code === 'substitute-request-too-early');
      // the case figures and the forms offered to the office on that day
      const r = caseRemedies({ receivedOn: '2026-03-03', events: [started, { type: 'substitute-request', effectiveOn: request }], deadline, terms, calendar, today: request, businessActivity: true, silenzioAssenso: false });
      assert.equal(r.substituteDeadline, admissible ? '2026-04-18' : null);
      const offered = eventsOffered('in-progress', ['close', 'substitute-request'], caseRemedies({ receivedOn: '2026-03-03', events: [started], deadline, terms, calendar, today: request, businessActivity: true, silenzioAssenso: false }));
      assert.equal(offered.includes('substitute-request'), admissible);
    });
  }
  test('no deadline known: never admissible', () => assert.equal(substituteRequestAdmissible(null, '2026-12-31'), false));

  // art. 28 c.2: the 20 days from Thu 2 Apr end on Wed 22 Apr
  const window: [name: string, request: string, eligible: boolean][] = [
    ['request on the 19th day (21 Apr): indemnity kept', '2026-04-21', true],
    ['request on the 20th day (22 Apr): indemnity kept', '2026-04-22', true],
    ['request on the 21st day (23 Apr): indemnity lost', '2026-04-23', false],
  ];
  for (const [name, request, eligible] of window) {
    test(name, () => {
      const r = caseRemedies({ receivedOn: '2026-03-03', events: [started, { type: 'substitute-request', effectiveOn: request }], deadline, terms, calendar, today: '2026-05-02', businessActivity: true, silenzioAssenso: false });
      assert.deepEqual([r.indemnity.eligible, r.indemnity.euro, r.substituteRequestInTime], [eligible, eligible ? 900 : 0, eligible]);
    });
  }
});

describe("the substitute's outcome (art. 2 c.9-ter)", () => {
  const rows: [name: string, decision: string | undefined, today: string, expected: string][] = [
    ['decided on the substitute deadline: in time', '2026-04-18', '2026-05-01', 'in-time'],
    ['decided the day after: late', '2026-04-19', '2026-05-01', 'late'],
    ['open, today is the substitute deadline: pending', undefined, '2026-04-18', 'pending'],
    ['open, the day after: late', undefined, '2026-04-19', 'late'],
  ];
  for (const [name, decision, today, expected] of rows) test(name, () => assert.equal(substituteOutcome('2026-04-18', decision, today), expected));
});

describe('a payment of the indemnity (art. 28 c.1 D.L. 69/2013: at most 2,000 euro, never beyond what accrued)', () => {
  const due = indemnity({ business: true, silenzioAssenso: false, deadline: '2026-04-02', substituteRequest: '2026-04-10', delayDays: 10, calendar });
  const capped = indemnity({ business: true, silenzioAssenso: false, deadline: '2026-04-02', substituteRequest: '2026-04-10', delayDays: 400, calendar });
  const notDue = indemnity({ business: false, silenzioAssenso: false, deadline: '2026-04-02', substituteRequest: '2026-04-10', delayDays: 10, calendar });
  const rows: [name: string, due: ReturnType<typeof indemnity>, paid: number, amount: number, refused: [code: string, message: RegExp] | null][] = [
    ['all of 300 euro at once', due, 0, 30000, null],
    ['the rest after a first part', due, 10000, 20000, null],
    ['one cent beyond what accrued', due, 10000, 20001, ['invalid-input', /restano 200,00 euro/]],
    ['the cap: 2,000 euro after 400 days', capped, 0, 200000, null],
    ['the cap: not a cent more', capped, 0, 200001, ['invalid-input', /al massimo 2000 euro, art\. 28 c\.1/]],
    ['zero', due, 0, 0, ['invalid-input', /maggiore di zero/]],
    ['a case where it is not due', notDue, 0, 100, ['indemnity-not-due', /non riguarda l'avvio o l'esercizio di un'attività d'impresa/]],
  ];
  for (const [name, indemnityDue, paid, amount, refused] of rows) {
    test(name, () => {
      if (refused === null) return checkIndemnityPayment(indemnityDue, paid, amount);
      assert.throws(() => checkIndemnityPayment(indemnityDue, paid, amount), (e: unknown) => e instanceof DomainError && e.code === refused[0] && refused[1].test(e.message));
    });
  }

  const amounts: [text: string, cents: number | null][] = [
    ['300', 30000], ['300,5', 30050], ['300,50', 30050], ['1.234,56', 123456], [' 20 euro', 2000], ['15 €', 1500],
    ['300.50', null], ['-5', null], ['1,234', null], ['', null], ['dieci', null],
  ];
  for (const [text, cents] of amounts) test(`"${text}" typed as euro → ${cents}`, () => assert.equal(parseEuroCents(text), cents));
  test('euro as Italians write them', () => assert.deepEqual([euroText(30050), euroText(200000), euroText(5)], ['300,50 euro', '2.000,00 euro', '0,05 euro']));
});

describe('the remedies in the times report: requests, outcomes, indemnities accrued and paid', () => {
  test('each case adds its request, its outcome, and its indemnity only where due', () => {
    const f = emptyRemedyFigures();
    addRemedyCase(f, { outcome: 'in-time', indemnityDue: true, indemnityEuro: 300, paidCents: 30000 });
    addRemedyCase(f, { outcome: 'late', indemnityDue: false, indemnityEuro: 0, paidCents: 0 });
    addRemedyCase(f, { outcome: 'pending', indemnityDue: true, indemnityEuro: 2000, paidCents: 50050 });
    assert.deepEqual(f, {
      substituteRequests: 3, substituteOutcomes: { 'in-time': 1, late: 1, pending: 1 }, indemnityCases: 2, indemnityAccruedEuro: 2300, indemnityPaidCents: 80050,
    });
  });
});
