import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateContacts } from '../../src/domain/case/contacts.ts';
import { Checks, DomainError, problemsOf } from '../../src/domain/errors.ts';

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('every refused field of a form is reported at once', () => {
  const rows: [string, Parameters<typeof validateContacts>[0], string, (string | undefined)[]][] = [
    ['a bad mobile and a bad e-mail', { mobile: '12', email: 'mario@', channels: ['sms', 'email'] }, 'invalid-phone', ['mobile', 'email']],
    ['a bad e-mail, no channel', { email: 'mario@', channels: [] }, 'invalid-email', ['email', 'channels']],
    ['both channels, no contact', { channels: ['sms', 'email'] }, 'no-contact', ['mobile', 'email']],
    ['one problem only', { mobile: '3331234567', channels: ['email'] }, 'no-contact', ['email']],
  ];
  for (const [name, input, code, fields] of rows) {
    test(name, () => {
      const error = refusal(() => validateContacts(input));
      assert.equal(error.code, code, 'the first refusal gives the code');
      assert.deepEqual(problemsOf(error).map((p) => p.field), fields);
    });
  }

  test('a single refusal is thrown as it was; refusals already several are kept one by one', () => {
    const alone = new DomainError('invalid-input', 'Uno.', { field: 'a', extra: 1 });
    const checks = new Checks();
    assert.equal(checks.run(() => { throw alone; }, 'fallback'), 'fallback');
    assert.equal(refusal(() => checks.done()), alone);
    const more = new Checks();
    more.run(() => validateContacts({ channels: ['sms', 'email'] }), null);
    more.add(new DomainError('invalid-input', 'Tre.', { field: 'c' }));
    const all = refusal(() => more.done());
    assert.equal(all.code, 'no-contact');
    assert.deepEqual(problemsOf(all).map((p) => p.field), ['mobile', 'email', 'c']);
    assert.equal(all.message, problemsOf(all)[0]!.text);
  });

  test('nothing refused, nothing thrown; other errors pass through', () => {
    const checks = new Checks();
    assert.equal(checks.run(() => 42, 0), 42);
    assert.doesNotThrow(() => checks.done());
    assert.throws(() => checks.run(() => { throw new TypeError('bug'); }, 0), TypeError);
  });
});
