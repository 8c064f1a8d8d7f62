import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeEmail, normalizeMobile, validateContacts } from '../../src/domain/case/contacts.ts';
import { READABLE_ALPHABET, formatCaseCode, formatPassword, normalizeCaseCode, normalizePassword } from '../../src/domain/case/codes.ts';
import { DomainError } from '../../src/domain/errors.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return error.code;
  }
  return 'accepted';
};

describe('mobile numbers are stored in E.164', () => {
  const rows: [string, string][] = [
    ['333 123 4567', '+393331234567'],
    ['+39 347 765 4321', '+393477654321'],
    ['0039 320 1234567', '+393201234567'],
    ['+44 7911 123456', '+447911123456'],
  ];
  for (const [input, expected] of rows) test(input, () => assert.equal(normalizeMobile(input), expected));
  for (const bad of ['0543 714111' /* landline */, '12345', 'abc', '+39 333', '333 123 4567 89 12']) {
    test(`refuses "${bad}"`, () => assert.equal(code(() => normalizeMobile(bad)), 'invalid-phone'));
  }
});

describe('e-mail addresses', () => {
  for (const good of ['mario.rossi@example.org', 'a+b@sub.example.it', 'x@posta-cert.it']) test(good, () => assert.equal(normalizeEmail(` ${good} `), good));
  for (const bad of ['mario', 'mario@', '@example.org', 'a@b', 'a..b@example.org', 'a b@example.org', `${'x'.repeat(65)}@example.org`, '<script>@x.it']) {
    test(`refuses "${bad}"`, () => assert.equal(code(() => normalizeEmail(bad)), 'invalid-email'));
  }
});

describe('channels need their contact', () => {
  const rows: [string, Parameters<typeof validateContacts>[0], string][] = [
    ['sms with a mobile', { mobile: '3331234567', channels: ['sms'] }, 'accepted'],
    ['both channels', { mobile: '3331234567', email: 'a@example.org', channels: ['sms', 'email'] }, 'accepted'],
    ['sms without mobile', { email: 'a@example.org', channels: ['sms'] }, 'no-contact'],
    ['e-mail without address', { mobile: '3331234567', channels: ['email'] }, 'no-contact'],
    ['no channel', { mobile: '3331234567', channels: [] }, 'no-contact'],
  ];
  for (const [name, input, expected] of rows) test(name, () => assert.equal(code(() => validateContacts(input)), expected));
});

describe('case codes and passwords are readable and random', () => {
  test('the alphabet has no 0/O or 1/I and 32 symbols', () => {
    assert.equal(READABLE_ALPHABET.length, 32);
    assert.doesNotMatch(READABLE_ALPHABET, /[01OI]/);
  });
  test('a case code looks like FC-7KM3-9QX2', () => {
    const bytes = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(formatCaseCode('FC', bytes), 'FC-2345-6789');
    assert.match(formatCaseCode('FC', crypto.getRandomValues(new Uint8Array(8))), /^FC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });
  test('a password carries 80 bits in four groups', () => {
    assert.match(formatPassword(crypto.getRandomValues(new Uint8Array(16))), /^([2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}$/);
  });
  test('what citizens type is normalised', () => {
    assert.equal(normalizeCaseCode(' fc-7km3-9qx2 '), 'FC-7KM3-9QX2');
    assert.equal(normalizeCaseCode('FC-7KM3-9QX0'), undefined);
    assert.equal(normalizePassword('k7m3 9qx2abcd-efgh'), 'K7M3-9QX2-ABCD-EFGH');
  });
});
