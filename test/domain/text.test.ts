import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenCharacter, isIsoTimestamp, isUuid, textKindOf, textProblem } from '../../src/domain/text.ts';
import type { TextKind } from '../../src/domain/text.ts';

describe('the characters a person can type', () => {
  const rows: [string, string, TextKind, string | undefined][] = [
    ['plain Italian', 'Pratica n. 12/2026 – «via Roma», perché sì', 'line', undefined],
    ['emoji (a surrogate pair)', 'grazie 👍', 'line', undefined],
    ['accents and the euro', 'àèéìòù €', 'line', undefined],
    ['NUL', 'a\u0000b', 'line', 'U+0000'],
    ['NUL in free text', 'a\u0000b', 'paragraph', 'U+0000'],
    ['a tab on one line', 'a\tb', 'line', 'U+0009'],
    ['a tab in free text', 'a\tb', 'paragraph', undefined],
    ['a line break on one line', 'a\nb', 'line', 'U+000A'],
    ['CR LF in free text', 'riga 1\r\nriga 2', 'paragraph', undefined],
    ['vertical tab in free text', 'a\u000Bb', 'paragraph', 'U+000B'],
    ['form feed in free text', 'a\u000Cb', 'paragraph', 'U+000C'],
    ['escape', '\u001B[31m', 'paragraph', 'U+001B'],
    ['unit separator', 'a\u001F', 'line', 'U+001F'],
    ['DEL', 'a\u007F', 'paragraph', 'U+007F'],
    ['U+FFFE', '\uFFFE', 'paragraph', 'U+FFFE'],
    ['U+FFFF', 'x\uFFFF', 'line', 'U+FFFF'],
    ['a lone high surrogate', 'a\uD83D', 'paragraph', 'U+D83D'],
    ['a lone low surrogate', '\uDC4Db', 'line', 'U+DC4D'],
    ['the space and the no-break space', 'a b\u00A0c', 'line', undefined],
    ['empty', '', 'line', undefined],
  ];
  for (const [label, text, kind, expected] of rows) {
    test(`${label} (${kind}): ${expected ?? 'accepted'}`, () => assert.equal(forbiddenCharacter(text, kind), expected));
  }
});

describe('which fields are free text', () => {
  for (const field of ['notes', 'reason', 'comment', 'description', 'body', 'file']) test(field, () => assert.equal(textKindOf(field), 'paragraph'));
  for (const field of ['email', 'code', 'q', 'name', 'applicantName', 'cursor']) test(field, () => assert.equal(textKindOf(field), 'line'));
  test('the message says what is wrong, in Italian', () => {
    assert.equal(textProblem('email', 'a@b.it'), undefined);
    assert.match(textProblem('email', 'a\u0000@b.it')!, /contiene un carattere non ammesso \(U\+0000\)/);
  });
});

describe('identifiers', () => {
  const uuids: [string, boolean][] = [
    ['6f1c2b7e-2f4a-4c1e-9a7d-3b2f1e0d9c8b', true],
    ['6F1C2B7E-2F4A-4C1E-9A7D-3B2F1E0D9C8B', true],
    ['not-a-uuid', false],
    ['------------------------------------', false],
    ['6f1c2b7e2f4a4c1e9a7d3b2f1e0d9c8b', false],
    ['6f1c2b7e-2f4a-4c1e-9a7d-3b2f1e0d9c8bx', false],
  ];
  for (const [text, expected] of uuids) test(`uuid ${text}: ${expected}`, () => assert.equal(isUuid(text), expected));
  const stamps: [string, boolean][] = [
    ['2026-01-01T00:00:00Z', true],
    ['2026-01-01T00:00:00.123Z', true],
    ['2026-01-01T10:00:00+01:00', true],
    ['2026-01-01', false],
    ['-271821-04-20T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['1', false],
  ];
  for (const [text, expected] of stamps) test(`timestamp ${text}: ${expected}`, () => assert.equal(isIsoTimestamp(text), expected));
});
