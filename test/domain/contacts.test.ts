import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { channelOptions, checkIoChoice, ioOffered, normalizeEmail, normalizeMobile, validateContacts } from '../../src/domain/case/contacts.ts';
import type { IoCoverage } from '../../src/domain/case/contacts.ts';
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

describe('App IO is offered where the office has a key', () => {
  const both: IoCoverage = { everyOffice: true, offices: new Set(['VIAB']) };
  const viabOnly: IoCoverage = { everyOffice: false, offices: new Set(['VIAB']) };
  const rows: [string, IoCoverage | undefined, string, boolean][] = [
    ['no key at all', undefined, 'VIAB', false],
    ['IO_API_KEY serves every office', { everyOffice: true, offices: new Set() }, 'AMB', true],
    ['IO_API_KEYS: the office named', viabOnly, 'VIAB', true],
    ['IO_API_KEYS: an office not named', viabOnly, 'AMB', false],
    ['both: an office not named has the default key', both, 'AMB', true],
  ];
  for (const [name, coverage, office, offered] of rows) test(name, () => assert.equal(ioOffered(coverage, office), offered));

  const choices: [string, boolean, { offered: boolean; chosenBefore: boolean }, string][] = [
    ['chosen where offered', true, { offered: true, chosenBefore: false }, 'accepted'],
    ['chosen anew where not offered: refused', true, { offered: false, chosenBefore: false }, 'channel-unavailable'],
    ['kept after the office lost its key', true, { offered: false, chosenBefore: true }, 'accepted'],
    ['removed after the office lost its key', false, { offered: false, chosenBefore: true }, 'accepted'],
    ['not chosen, not offered', false, { offered: false, chosenBefore: false }, 'accepted'],
  ];
  for (const [name, notifyIo, io, expected] of choices) test(name, () => assert.equal(code(() => checkIoChoice({ notifyIo }, io)), expected));

  test('the refusal is tied to the channels and says what to do', () => {
    assert.throws(() => checkIoChoice({ notifyIo: true }, { offered: false, chosenBefore: false }), (error: DomainError) =>
      error.details.field === 'channels' && /App IO non è attivo per l'ufficio che segue la pratica: scegliere SMS o e-mail/.test(error.message));
  });
});

describe('the channels a citizen can choose on their case page', () => {
  const contacts = { mobile: '+393331234567', email: 'a@example.org', fiscalCode: 'RSSMRA85T10A562S', notifySms: true, notifyEmail: false, notifyIo: false };
  const rows: [string, Partial<typeof contacts>, boolean, string[]][] = [
    ['every contact, IO offered', {}, true, ['email:no:active', 'sms:yes:active', 'io:no:active']],
    ['IO not offered and not chosen: not listed', {}, false, ['email:no:active', 'sms:yes:active']],
    ['IO chosen before the office lost its key: listed, inactive', { notifyIo: true }, false, ['email:no:active', 'sms:yes:active', 'io:yes:inactive']],
    ['no fiscal code: no IO', { fiscalCode: null as unknown as string }, true, ['email:no:active', 'sms:yes:active']],
    ['no e-mail on the case: no e-mail', { email: null as unknown as string }, true, ['sms:yes:active', 'io:no:active']],
  ];
  for (const [name, change, offered, expected] of rows) {
    test(name, () => assert.deepEqual(
      channelOptions({ ...contacts, ...change }, offered).map((o) => `${o.channel}:${o.chosen ? 'yes' : 'no'}:${o.active ? 'active' : 'inactive'}`),
      expected,
    ));
  }
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
