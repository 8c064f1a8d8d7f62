import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fiscalCodeFromClaim, fiscalCodeProblem, maskFiscalCode, normalizeFiscalCode, normalizeVatNumber, validateFiscalIdentifiers,
} from '../../src/domain/case/fiscal-code.ts';
import { DomainError } from '../../src/domain/errors.ts';

const refusal = (fn: () => unknown): { code: string; field: unknown; message: string } | 'accepted' => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return { code: error.code, field: error.details.field, message: error.message };
  }
  return 'accepted';
};

describe('codice fiscale', () => {
  const good: [string, string, string][] = [
    ['a man', 'RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
    ['a woman (day + 40)', 'BNCLRA90A41H199W', 'BNCLRA90A41H199W'],
    ['written in small letters with spaces', 'rss mra 85t10 a562s', 'RSSMRA85T10A562S'],
    ['omocodia: the last digit of the place a letter', 'RSSMRA85T10A56NH', 'RSSMRA85T10A56NH'],
    ['omocodia: every digit a letter', 'RSSMRAURTMLARUNN', 'RSSMRAURTMLARUNN'],
  ];
  for (const [name, input, stored] of good) test(`accepts ${name}`, () => assert.equal(normalizeFiscalCode(input), stored));

  const bad: [string, string, ReturnType<typeof fiscalCodeProblem>, RegExp][] = [
    ['too short', 'RSSMRA85T10A562', 'length', /16 caratteri/],
    ['too long', 'RSSMRA85T10A562SX', 'length', /16 caratteri/],
    ['a digit among the surname letters', 'RSSMR485T10A562S', 'characters', /forma/],
    ['a month letter that is no month (F)', 'RSSMRA85F10A562S', 'characters', /forma/],
    ['day 32', 'RSSMRA85T32A562S', 'date', /data di nascita/],
    ['day 00', 'RSSMRA85T00A562S', 'date', /data di nascita/],
    ['a wrong check character', 'RSSMRA85T10A562T', 'check', /carattere di controllo/],
    ['two characters swapped', 'RSSMRA85T01A562S', 'check', /carattere di controllo/],
    ['a letter outside the omocodia set', 'RSSMRA85T10A56AS', 'characters', /forma/],
  ];
  for (const [name, input, problem, message] of bad) {
    test(`refuses ${name}`, () => {
      assert.equal(fiscalCodeProblem(input), problem);
      const result = refusal(() => normalizeFiscalCode(input));
      assert.notEqual(result, 'accepted');
      if (result === 'accepted') return;
      assert.equal(result.code, 'invalid-input');
      assert.equal(result.field, 'applicantFiscalCode');
      assert.match(result.message, /^Codice fiscale del richiedente/);
      assert.match(result.message, message);
    });
  }
});

describe('partita IVA', () => {
  const good: [string, string][] = [['12345678903', '12345678903'], ['IT 12345678903', '12345678903'], ['00709440390', '00709440390']];
  for (const [input, stored] of good) test(`accepts ${input}`, () => assert.equal(normalizeVatNumber(input), stored));
  const bad: [string, RegExp][] = [
    ['1234567890', /11 cifre/], ['123456789031', /11 cifre/], ['1234567890A', /11 cifre/],
    ['12345678901', /cifra di controllo/], ['00000000000', /matricola/],
  ];
  for (const [input, message] of bad) {
    test(`refuses ${input}`, () => {
      const result = refusal(() => normalizeVatNumber(input));
      assert.notEqual(result, 'accepted');
      if (result === 'accepted') return;
      assert.equal(result.field, 'applicantVatNumber');
      assert.match(result.message, /^Partita IVA/);
      assert.match(result.message, message);
    });
  }
});

describe('the three identifiers together', () => {
  test('all empty: none stored', () => {
    assert.deepEqual(validateFiscalIdentifiers({ applicantFiscalCode: ' ', applicantVatNumber: null }), {
      applicantFiscalCode: null, applicantVatNumber: null, legalRepresentativeFiscalCode: null,
    });
  });
  test('a firm with its legal representative', () => {
    assert.deepEqual(validateFiscalIdentifiers({ applicantVatNumber: '12345678903', legalRepresentativeFiscalCode: 'bnclra90a41h199w' }), {
      applicantFiscalCode: null, applicantVatNumber: '12345678903', legalRepresentativeFiscalCode: 'BNCLRA90A41H199W',
    });
  });
  test("a wrong representative's code names that field", () => {
    const result = refusal(() => validateFiscalIdentifiers({ legalRepresentativeFiscalCode: 'RSSMRA85T10A562T' }));
    assert.notEqual(result, 'accepted');
    if (result === 'accepted') return;
    assert.equal(result.field, 'legalRepresentativeFiscalCode');
    assert.match(result.message, /^Codice fiscale del legale rappresentante/);
  });
});

describe('what the citizen page and the identity provider show', () => {
  test('masked: the first and last three characters only', () => assert.equal(maskFiscalCode('RSSMRA85T10A562S'), 'RSS**********62S'));
  const claims: [unknown, string | undefined][] = [
    ['TINIT-RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
    ['RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
    ['tinit-rssmra85t10a562s', 'RSSMRA85T10A562S'],
    ['TINIT-RSSMRA85T10A562T', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
  ];
  for (const [claim, expected] of claims) test(`claim ${JSON.stringify(claim)}`, () => assert.equal(fiscalCodeFromClaim(claim), expected));
});
