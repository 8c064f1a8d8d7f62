import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_STATES, EVENT_TYPES, STATE_AFTER, TRANSITIONS } from '../../src/domain/case/states.ts';
import { OUTCOMES } from '../../src/domain/case/decide.ts';
import { SUSPENSION_KINDS } from '../../src/domain/deadline/index.ts';
import { CloseBody, SuspendBody } from '../../src/adapters/web/schemas.ts';

describe('each list of the vocabulary is declared once and the rest derives from it', () => {
  test('every event leads to one state, whichever state it is recorded in (what the messages announce), or keeps the state it finds', () => {
    for (const state of CASE_STATES) {
      for (const [event, to] of Object.entries(TRANSITIONS[state])) {
        const after = STATE_AFTER[event as keyof typeof STATE_AFTER];
        if (after === undefined) assert.equal(to, state, `${state} + ${event} keeps the state`);
        else assert.equal(after, to, `${state} + ${event}`);
      }
    }
    // only the substitute request, which records a date and moves nothing, keeps the state it finds
    assert.deepEqual(EVENT_TYPES.filter((event) => STATE_AFTER[event] === undefined), ['substitute-request']);
  });

  const literals = (schema: unknown) => ((schema as { anyOf: { const: string }[] }).anyOf).map((s) => s.const);
  for (const [name, schema, list] of [
    ['suspension kinds', SuspendBody.properties.kind, SUSPENSION_KINDS],
    ['outcomes', CloseBody.properties.outcome, OUTCOMES],
  ] as const) {
    test(`the API accepts the domain's ${name}, no more`, () => assert.deepEqual(literals(schema), [...list]));
  }

  test('no module outside the domain writes one of these lists out again (the SQL checks of the migrations aside)', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file) && !file.startsWith('domain/'))
      .map((file) => join('src', file));
    const written = (list: readonly string[]) => new RegExp(list.map((item) => `['"]${item}['"]`).join('\\s*,\\s*'));
    const copies = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [CASE_STATES, SUSPENSION_KINDS, OUTCOMES].filter((list) => written(list).test(text)).map((list) => `${file}: ${list.join(', ')}`);
    });
    assert.deepEqual(copies, []);
  });
});
