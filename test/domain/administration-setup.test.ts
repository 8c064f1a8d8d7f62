import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOGO_MAX_BYTES, checkLogo, checkUrl, isPublicBodyFiscalCode, readAdministrationSetup, substituteFor } from '../../src/domain/administration/setup.ts';

const REQUIRED = { name: 'Provincia di Forlì-Cesena', supportEmail: 'praticaonline@provincia.fc.it', website: 'https://www.provincia.fc.it' };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const svg = (text: string) => new TextEncoder().encode(text);

describe('the fiscal code of a public body: 11 digits with the partita IVA check digit', () => {
  for (const good of ['80001510405', '00750430407', '00000000000']) test(`accepts ${good}`, () => assert.equal(isPublicBodyFiscalCode(good), true));
  for (const bad of ['80001510404' /* wrong check digit */, '8000151040', '800015104050', '8000151040A', 'RSSMRA80A01H501U' /* a person */, ''])
    test(`refuses "${bad}"`, () => assert.equal(isPublicBodyFiscalCode(bad), false));
});

describe('web addresses: http or https with a host', () => {
  const rows: [string, string | null][] = [
    ['https://www.provincia.fc.it', 'https://www.provincia.fc.it/'],
    ['http://www.provincia.fc.it/privacy', 'http://www.provincia.fc.it/privacy'],
    ['javascript:alert(1)', null],
    ['ftp://files.provincia.fc.it', null],
    ['www.provincia.fc.it', null],
    ['https://localhost', null],
    ['https://user:pw@provincia.fc.it', null],
  ];
  for (const [input, expected] of rows) test(input, () => {
    const checked = checkUrl(input);
    assert.equal(typeof checked === 'string' ? checked : null, expected);
  });
});

describe('the logo is told by its content', () => {
  const rows: [string, Uint8Array, string][] = [
    ['a PNG', PNG, 'image/png'],
    ['an SVG', svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'), 'image/svg+xml'],
    ['an SVG with declaration and comment', svg('<?xml version="1.0"?>\n<!-- stemma -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'image/svg+xml'],
    ['a JPEG', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'non è un PNG né un SVG'],
    ['an HTML page', svg('<html><body><svg></svg></body></html>'), 'non è un PNG né un SVG'],
    ['an SVG with a script', svg('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'script'],
    ['an SVG with an event handler', svg('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), 'script'],
    ['an empty file', new Uint8Array(), 'vuoto'],
    ['a file too large', new Uint8Array(LOGO_MAX_BYTES + 1).fill(0x20), 'troppo grande'],
  ];
  for (const [name, bytes, expected] of rows) test(name, () => {
    const logo = checkLogo(bytes);
    if ('problem' in logo) assert.match(logo.problem, new RegExp(expected));
    else assert.equal(logo.type, expected);
  });
});

describe('reading the set-up', () => {
  test('the required keys alone create an administration; the rest stays untouched', () => {
    const result = readAdministrationSetup(REQUIRED, { creating: true });
    assert.deepEqual(result, { ok: true, change: { ...REQUIRED, website: 'https://www.provincia.fc.it/' } });
  });

  test('creating without the required keys names each missing key', () => {
    const result = readAdministrationSetup({ name: 'Provincia' }, { creating: true });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems.map((p) => p.key), ['supportEmail', 'website']);
  });

  test('an update may leave out the required keys but may not blank them', () => {
    assert.equal(readAdministrationSetup({ pec: 'p@cert.provincia.fc.it' }, { creating: false }).ok, true);
    const blanked = readAdministrationSetup({ name: ' ' }, { creating: false });
    assert.deepEqual(!blanked.ok && blanked.problems.map((p) => p.message), ['name: manca il nome, obbligatorio']);
  });

  test('every bad key gets its own Italian line', () => {
    const result = readAdministrationSetup({
      ...REQUIRED, supportEmail: 'non-una-mail', pec: 'pec@', website: 'www.x.it', fiscalCode: '80001510404', ipaCode: 'p fc',
      privacyNoticeUrl: 'javascript:alert(1)', code: 'fc', colour: 'blu', logoFile: 'stemma.png',
      substitutePower: { holder: 'Segretario generale', email: 'nope', phone: '12' },
    }, { creating: true, logo: 'unreadable' });
    assert.equal(result.ok, false);
    const lines = !result.ok ? result.problems.map((p) => p.message) : [];
    assert.deepEqual(lines.map((line) => line.split(':')[0]), [
      'colour', 'code', 'ipaCode', 'fiscalCode', 'pec', 'supportEmail', 'website', 'privacyNoticeUrl', 'substitutePower.email', 'substitutePower.phone', 'logoFile',
    ]);
    assert.match(lines.find((l) => l.startsWith('fiscalCode'))!, /non è il codice fiscale di un ente/);
    assert.match(lines.find((l) => l.startsWith('logoFile'))!, /"stemma.png" non si può leggere/);
    assert.match(lines.find((l) => l.startsWith('substitutePower.email'))!, /"nope" non è un indirizzo e-mail valido/);
    assert.match(lines.find((l) => l.startsWith('substitutePower.phone'))!, /"12" non è un numero di telefono valido/);
  });

  test('optional values are trimmed, blank ones clear the stored value', () => {
    const result = readAdministrationSetup({
      ipaCode: ' P_FC ', fiscalCode: '80001510405', legalNotesUrl: '', logoFile: null,
      startCommunicationBasis: 'art. 10 c.3 lett. a) del Regolamento provinciale sul procedimento amministrativo',
      substitutePower: { holder: 'Segretario generale', pec: 'segreteria@cert.provincia.fc.it', phone: '0543 714200' },
    }, { creating: false });
    assert.deepEqual(result, { ok: true, change: {
      ipaCode: 'p_fc', fiscalCode: '80001510405', legalNotesUrl: null, logo: null,
      startCommunicationBasis: 'art. 10 c.3 lett. a) del Regolamento provinciale sul procedimento amministrativo',
      substitutePower: { holder: 'Segretario generale', office: null, email: null, pec: 'segreteria@cert.provincia.fc.it', phone: '0543 714200' },
    } });
  });

  test('a readable logo is kept with its type', () => {
    const result = readAdministrationSetup({ logoFile: 'stemma.png' }, { creating: false, logo: PNG });
    assert.equal(result.ok && result.change.logo?.type, 'image/png');
  });

  test('a file that is not an object is refused with one line', () => {
    const result = readAdministrationSetup(['name'], { creating: true });
    assert.equal(!result.ok && result.problems.length, 1);
  });
});

describe('the substitute power a citizen is told of', () => {
  const power = { holder: 'Segretario generale', office: 'Segreteria generale', email: null, pec: 'segreteria@cert.provincia.fc.it', phone: '+39 0543 714200' };
  const rows: [string, { name: string; contact: string }, typeof power | null, { name: string; contact: string }][] = [
    ['the card\'s own, when it names one', { name: 'Dirigente del Settore', contact: 'dirigente@provincia.fc.it' }, power, { name: 'Dirigente del Settore', contact: 'dirigente@provincia.fc.it' }],
    ['the administration\'s, when the card names none', { name: '', contact: '' }, power, { name: 'Segretario generale, Segreteria generale', contact: 'PEC segreteria@cert.provincia.fc.it, tel. +39 0543 714200' }],
    ['none when neither names one', { name: '', contact: '' }, null, { name: '', contact: '' }],
  ];
  for (const [name, card, administration, expected] of rows) test(name, () => assert.deepEqual(substituteFor(card, administration), expected));
});
