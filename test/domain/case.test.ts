import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EARLIEST_RECEIPT_DATE, checkReceiptDate, closingFigures, decide } from '../../src/domain/case/decide.ts';
import type { CaseCommand, CaseEvent, CaseSnapshot, DecisionContext } from '../../src/domain/case/decide.ts';
import { TRANSITIONS, allowedEvents } from '../../src/domain/case/states.ts';
import type { CaseState, EventType } from '../../src/domain/case/states.ts';
import { createHolidayCalendar } from '../../src/domain/deadline/index.ts';
import { DomainError } from '../../src/domain/errors.ts';

const context: DecisionContext = {
  today: '2026-06-30',
  terms: { term: { amount: 30, unit: 'calendar-days' }, saturdayWorking: false, saturdayMovesDeadline: false },
  calendar: createHolidayCalendar([]),
};

const started: CaseEvent = { type: 'start', effectiveOn: '2026-03-03', reason: '', notes: '' };
const snapshot = (state: CaseState, events: CaseEvent[] = [started], receivedOn = '2026-03-02'): CaseSnapshot => ({ state, receivedOn, events });

const commandOf = (type: EventType, effectiveOn = '2026-03-10'): CaseCommand => {
  switch (type) {
    case 'suspend':
      return { type, effectiveOn, kind: 'art2c7', reason: 'Manca la planimetria' };
    case 'close':
      return { type, effectiveOn, outcome: 'accepted' };
    default:
      return { type, effectiveOn };
  }
};

describe('the transition table', () => {
  const states: CaseState[] = ['enrolled', 'in-progress', 'suspended', 'resumed', 'closed'];
  const events: EventType[] = ['start', 'suspend', 'resume', 'observations', 'close', 'substitute-request'];
  const expected: Record<CaseState, Partial<Record<EventType, CaseState>>> = {
    enrolled: { start: 'in-progress' },
    'in-progress': { suspend: 'suspended', close: 'closed', 'substitute-request': 'in-progress' },
    suspended: { resume: 'resumed', close: 'closed', observations: 'suspended', 'substitute-request': 'suspended' },
    resumed: { suspend: 'suspended', close: 'closed', 'substitute-request': 'resumed' },
    closed: {},
  };
  for (const state of states) {
    for (const event of events) {
      const to = expected[state][event];
      test(`${state} + ${event} → ${to ?? 'refused'}`, () => {
        assert.equal(TRANSITIONS[state][event], to);
        assert.equal(allowedEvents(state).includes(event), to !== undefined);
      });
    }
  }
});

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('decide refuses, with a typed error and an Italian message (the c.7 and 10-bis ones word for word as the deadline engine)', () => {
  const tenBisOpen: CaseEvent[] = [started, { type: 'suspend', effectiveOn: '2026-03-10', reason: 'x', notes: '', suspensionKind: 'art10bis' }];
  const c7Done: CaseEvent[] = [
    started,
    { type: 'suspend', effectiveOn: '2026-03-10', reason: 'x', notes: '', suspensionKind: 'art2c7' },
    { type: 'resume', effectiveOn: '2026-03-20', reason: '', notes: '' },
  ];
  const cases: [string, CaseSnapshot, CaseCommand, string, RegExp][] = [
    ['start on a started case', snapshot('in-progress'), commandOf('start'), 'illegal-transition', /avvio.*in corso/],
    ['anything on a closed case', snapshot('closed'), commandOf('suspend'), 'illegal-transition', /chiusa/],
    ['resume when not suspended', snapshot('in-progress'), commandOf('resume'), 'illegal-transition', /riattivazione/],
    ['close before start', snapshot('enrolled', []), commandOf('close'), 'illegal-transition', /in attesa di avvio/],
    ['a date in the future', snapshot('in-progress'), commandOf('suspend', '2026-07-01'), 'date-in-future', /futura/],
    ['a date before the previous event', snapshot('in-progress'), commandOf('suspend', '2026-03-02'), 'date-before-previous-event', /03\/03\/2026/],
    ['a date before the application', snapshot('enrolled', []), commandOf('start', '2026-03-01'), 'date-before-received', /02\/03\/2026/],
    ['a second art. 2 c.7 suspension', snapshot('resumed', c7Done), commandOf('suspend', '2026-03-25'), 'second-art2c7-suspension', /^La sospensione per integrazioni \(art\. 2 c\.7 L\. 241\/1990\) si può disporre una sola volta per pratica: è già stata disposta il 10\/03\/2026\.$/],
    ['a suspension without reason', snapshot('in-progress'), { type: 'suspend', effectiveOn: '2026-03-10', kind: 'art2c7', reason: '  ' }, 'invalid-input', /motivo/],
    ['a special-law suspension without its legal basis', snapshot('in-progress'), { type: 'suspend', effectiveOn: '2026-03-10', kind: 'other', reason: 'Parere' }, 'invalid-input', /norma/],
    ['an interruption without its legal basis', snapshot('in-progress'), { type: 'suspend', effectiveOn: '2026-03-10', kind: 'interruption', reason: 'x' }, 'invalid-input', /norma/],
    ['observations outside a 10-bis suspension', snapshot('suspended', [...c7Done.slice(0, 2)]), commandOf('observations', '2026-03-12'), 'observations-without-10bis', /^Osservazioni del 12\/03\/2026 senza un preavviso di rigetto \(art\. 10-bis L\. 241\/1990\) in corso/],
    ['a rejection without reasons', snapshot('suspended', tenBisOpen), { type: 'close', effectiveOn: '2026-03-25', outcome: 'rejected', reason: ' ' }, 'invalid-input', /motivi del rigetto.*art\. 3 L\. 241\/1990/],
    ['a rejection never preceded by a 10-bis notice', snapshot('resumed', c7Done), { type: 'close', effectiveOn: '2026-03-25', outcome: 'rejected', reason: 'Requisiti assenti' }, 'rejection-without-10bis', /preavviso di rigetto \(art\. 10-bis L\. 241\/1990\)/],
    ['a rejection on a case just started', snapshot('in-progress'), { type: 'close', effectiveOn: '2026-03-25', outcome: 'rejected', reason: 'Requisiti assenti' }, 'rejection-without-10bis', /10-bis/],
    // received 2 Mar, 30 days: deadline Wed 1 Apr 2026
    ['a request to the substitute on the deadline day', snapshot('in-progress'), commandOf('substitute-request', '2026-04-01'), 'substitute-request-too-early', /scade il 01\/04\/2026.*dal giorno successivo, 02\/04\/2026/],
    ['a request to the substitute before the deadline', snapshot('in-progress'), commandOf('substitute-request', '2026-03-20'), 'substitute-request-too-early', /art\. 2 c\.9-bis/],
    ['a request to the substitute while the deadline is unknown', snapshot('suspended', [started, { type: 'suspend', effectiveOn: '2026-03-10', reason: 'x', notes: '', suspensionKind: 'other', legalBasis: 'L. x' }]), commandOf('substitute-request', '2026-05-01'), 'deadline-unknown', /non è ancora determinabile/],
    ['a second request to the substitute', snapshot('in-progress', [started, { type: 'substitute-request', effectiveOn: '2026-04-02', reason: '', notes: '' }]), commandOf('substitute-request', '2026-04-05'), 'illegal-transition', /già stata registrata il 02\/04\/2026/],
  ];
  for (const [name, state, command, code, message] of cases) {
    test(name, () => {
      const error = refusal(() => decide(state, command, context));
      assert.equal(error.code, code);
      assert.match(error.message, message);
    });
  }
  const closings: [string, CaseSnapshot, CaseCommand][] = [
    ['a rejection with reasons after the 10-bis notice', snapshot('suspended', tenBisOpen), { type: 'close', effectiveOn: '2026-03-25', outcome: 'rejected', reason: 'Nessuna osservazione' }],
    ['a rejection after the 10-bis notice and a resumption', snapshot('resumed', [...tenBisOpen, { type: 'resume', effectiveOn: '2026-03-20', reason: '', notes: '' }]), { type: 'close', effectiveOn: '2026-03-25', outcome: 'rejected', reason: 'Osservazioni non accolte' }],
    ['an acceptance needs neither', snapshot('in-progress'), { type: 'close', effectiveOn: '2026-03-25', outcome: 'accepted' }],
    ['a withdrawal needs neither', snapshot('in-progress'), { type: 'close', effectiveOn: '2026-03-25', outcome: 'withdrawn' }],
  ];
  test('accepted: a request to the substitute the day after the deadline leaves the state as it was', () => {
    assert.equal(decide(snapshot('in-progress'), commandOf('substitute-request', '2026-04-02'), context).state, 'in-progress');
    const suspendedLate = snapshot('resumed', [started, { type: 'suspend', effectiveOn: '2026-03-10', reason: 'x', notes: '', suspensionKind: 'art2c7' }, { type: 'resume', effectiveOn: '2026-03-20', reason: '', notes: '' }]);
    // 10 days of c.7 suspension: deadline 11 Apr (Sat)
    assert.equal(refusal(() => decide(suspendedLate, commandOf('substitute-request', '2026-04-11'), context)).code, 'substitute-request-too-early');
    assert.equal(decide(suspendedLate, commandOf('substitute-request', '2026-04-12'), context).state, 'resumed');
  });
  for (const [name, state, command] of closings) {
    test(`accepted: ${name}`, () => assert.equal(decide(state, command, context).state, 'closed'));
  }
  test('observations during a 10-bis suspension are accepted', () => {
    const decision = decide(snapshot('suspended', tenBisOpen), commandOf('observations', '2026-03-15'), context);
    assert.equal(decision.state, 'suspended');
  });
});

describe('the receipt date lies between the earliest accepted and today', () => {
  const rows: [string, string, string | undefined][] = [
    ['the first day accepted', EARLIEST_RECEIPT_DATE, undefined],
    ['today', '2026-06-30', undefined],
    ['the day before the earliest', '1989-12-31', 'invalid-date'],
    ['a year typed as 1899', '1899-01-01', 'invalid-date'],
    ['tomorrow', '2026-07-01', 'date-in-future'],
  ];
  for (const [name, date, code] of rows) {
    test(`${name} (${date}): ${code ?? 'accepted'}`, () => {
      if (!code) return checkReceiptDate(date, '2026-06-30');
      const error = refusal(() => checkReceiptDate(date, '2026-06-30'));
      assert.equal(error.code, code);
      assert.equal(error.details.field, 'receivedOn');
    });
  }
});

describe('decide computes the new state and deadline', () => {
  test('start keeps the term running from the protocol date', () => {
    const decision = decide(snapshot('enrolled', []), commandOf('start', '2026-03-03'), context);
    assert.equal(decision.state, 'in-progress');
    assert.equal(decision.deadline.deadline, '2026-04-01'); // 2 Mar + 30 days
  });
  test('a resumed c.7 suspension moves the deadline by the days stopped', () => {
    const events: CaseEvent[] = [started, { type: 'suspend', effectiveOn: '2026-03-10', reason: 'x', notes: '', suspensionKind: 'art2c7' }];
    const decision = decide(snapshot('suspended', events), commandOf('resume', '2026-03-20'), context);
    assert.equal(decision.state, 'resumed');
    assert.equal(decision.deadline.deadline, '2026-04-11'); // 1 Apr + 10 days
  });
  test('closing while suspended ends the suspension on the closing day', () => {
    const events: CaseEvent[] = [started, { type: 'suspend', effectiveOn: '2026-03-10', reason: 'x', notes: '', suspensionKind: 'other', legalBasis: 'L. x' }];
    const decision = decide(snapshot('suspended', events), commandOf('close', '2026-03-20'), context);
    assert.equal(decision.state, 'closed');
    assert.equal(decision.deadline.deadline, '2026-04-11');
    assert.equal(decision.event.outcome, 'accepted');
  });
  test('a suspension records its default legal basis', () => {
    const decision = decide(snapshot('in-progress'), commandOf('suspend'), context);
    assert.equal(decision.event.legalBasis, 'L. 241/1990, art. 2 comma 7');
  });
});

describe('closing figures (art. 2 c.9-quinquies)', () => {
  const base = {
    provisional: false, baseDeadline: '2026-04-01', termStart: '2026-03-02', suspensions: [], steps: [], warnings: [],
  };
  const rows: [string, string, string | null, number, { grossDays: number; netDays: number; late: boolean; daysLate: number }][] = [
    ['on time', '2026-03-30', '2026-04-01', 0, { grossDays: 28, netDays: 28, late: false, daysLate: 0 }],
    ['on the last day', '2026-04-01', '2026-04-01', 0, { grossDays: 30, netDays: 30, late: false, daysLate: 0 }],
    ['late by 9 days', '2026-04-10', '2026-04-01', 0, { grossDays: 39, netDays: 39, late: true, daysLate: 9 }],
    ['net of 10 suspended days', '2026-04-10', '2026-04-11', 10, { grossDays: 39, netDays: 29, late: false, daysLate: 0 }],
  ];
  for (const [name, closedOn, deadline, suspendedDays, expected] of rows) {
    test(name, () => {
      const figures = closingFigures('2026-03-02', closedOn, { ...base, deadline, suspendedDays });
      assert.deepEqual({ grossDays: figures.grossDays, netDays: figures.netDays, late: figures.late, daysLate: figures.daysLate }, expected);
    });
  }
});
