import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CASE_STATES, EVENT_TYPES, STATE_AFTER, TRANSITIONS } from '../../src/domain/case/states.ts';
import { OUTCOMES } from '../../src/domain/case/decide.ts';
import { SUSPENSION_KINDS } from '../../src/domain/deadline/index.ts';
import { CloseBody, SuspendBody } from '../../src/adapters/web/schemas.ts';

describe('each list of the vocabulary is declared once and the rest derives from it', () => {
  test('every event leads to one state, whichever state it is recorded in (what the messages announce)', () => {
    for (const state of CASE_STATES) {
      for (const [event, to] of Object.entries(TRANSITIONS[state])) assert.equal(STATE_AFTER[event as keyof typeof STATE_AFTER], to, `${state} + ${event}`);
    }
    assert.deepEqual(Object.keys(STATE_AFTER).sort(), [...EVENT_TYPES].sort());
  });

  const literals = (schema: unknown) => ((schema as { anyOf: { const: string }[] }).anyOf).map((s) => s.const);
  for (const [name, schema, list] of [
    ['suspension kinds', SuspendBody.properties.kind, SUSPENSION_KINDS],
    ['outcomes', CloseBody.properties.outcome, OUTCOMES],
  ] as const) {
    test(`the API accepts the domain's ${name}, no more`, () => assert.deepEqual(literals(schema), [...list]));
  }
});
