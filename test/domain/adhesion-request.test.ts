import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAdhesionRequest } from '../../src/domain/adhesion-request.ts';
import type { AdhesionRequestInput } from '../../src/domain/adhesion-request.ts';
import { DomainError, problemsOf } from '../../src/domain/errors.ts';

const GOOD: AdhesionRequestInput = {
  applicantName: ' Maria Rossi ', protocolNumber: 'PG/2026/1', protocolDate: '2026-11-20', fiscalCode: '', mobile: '', email: 'maria@example.org', channels: ['email'], consent: true,
};
const TODAY = '2026-11-26';

function fieldsRefused(input: Partial<AdhesionRequestInput>, ioOffered = false): string[] {
  try {
    checkAdhesionRequest({ ...GOOD, ...input }, { today: TODAY, ioOffered });
    return [];
  } catch (error) {
    assert.ok(error instanceof DomainError);
    return problemsOf(error).map((p) => p.field ?? '');
  }
}

describe('an online adhesion request: every field checked, all faults at once', () => {
  test('a good request comes back trimmed and normalised', () => {
    const checked = checkAdhesionRequest({ ...GOOD, mobile: '333 123 4567', channels: ['email', 'sms'] }, { today: TODAY, ioOffered: false });
    assert.equal(checked.applicantName, 'Maria Rossi');
    assert.equal(checked.contacts.mobile, '+393331234567');
    assert.deepEqual([checked.contacts.notifyEmail, checked.contacts.notifySms, checked.contacts.notifyIo], [true, true, false]);
  });

  const cases: [string, Partial<AdhesionRequestInput>, boolean, string[]][] = [
    ['nothing given', { applicantName: '', protocolNumber: '', protocolDate: '', email: '', channels: [], consent: false }, false, ['applicantName', 'protocolNumber', 'protocolDate', 'channels', 'privacy']],
    ['over-long name and protocol number', { applicantName: 'x'.repeat(201), protocolNumber: 'x'.repeat(61) }, false, ['applicantName', 'protocolNumber']],
    ['a protocol date in the future', { protocolDate: '2026-11-27' }, false, ['protocolDate']],
    ['a protocol date that does not exist', { protocolDate: '2026-02-30' }, false, ['protocolDate']],
    ['today is a good protocol date', { protocolDate: TODAY }, false, []],
    ['SMS without a mobile', { channels: ['sms'] }, false, ['mobile']],
    ['a bad e-mail and mobile', { email: 'x@', mobile: '12' }, false, ['mobile', 'email']],
    ['App IO where the office has none', { channels: ['io'], fiscalCode: 'RSSMRA80A01H501U' }, false, ['channels']],
    ['App IO without a fiscal code', { channels: ['io'] }, true, ['applicantFiscalCode']],
    ['App IO with a fiscal code where the office has it', { channels: ['io'], fiscalCode: 'RSSMRA80A01H501U' }, true, []],
    ['a malformed fiscal code', { fiscalCode: 'RSSMRA' }, false, ['applicantFiscalCode']],
    ['no consent', { consent: false }, false, ['privacy']],
  ];
  for (const [name, input, io, fields] of cases) {
    test(name, () => assert.deepEqual(fieldsRefused(input, io).sort(), [...fields].sort()));
  }
});
