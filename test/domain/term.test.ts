import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTerm, parseTerm, termCode, type Term } from '../../src/domain/deadline/index.ts';
import { DomainError } from '../../src/domain/errors.ts';

const cd = (amount: number): Term => ({ amount, unit: 'calendar-days' });
const wd = (amount: number): Term => ({ amount, unit: 'working-days' });
const m = (amount: number): Term => ({ amount, unit: 'months' });

describe('parseTerm: accepted texts', () => {
  const rows: [string, Term][] = [
    ['30d', cd(30)],
    ['10wd', wd(10)],
    ['3m', m(3)],
    ['20 gg. da ricevimento domanda', cd(20)],
    ['30 giorni', cd(30)],
    ['60 giorni naturali e consecutivi', cd(60)],
    ['10 giorni lavorativi', wd(10)],
    ['3 mesi', m(3)],
    ['un mese', m(1)],
    ['1 mese', m(1)],
    ['90 gg', cd(90)],
    ['30 giorni dalla data di ricevimento', cd(30)],
    ['  30   Giorni  ', cd(30)],
    ['Trenta giorni', cd(30)],
    ['sei mesi', m(6)],
    ['15 gg lavorativi', wd(15)],
    ['5 gg. lav.', wd(5)],
    ['10 giorni (lavorativi)', wd(10)],
    ['Entro 30 giorni dalla presentazione', cd(30)],
    ['180', cd(180)], // a bare number: calendar days, the default unit (L. 241/1990 art. 2)
    ['2 settimane', cd(14)], // weeks become days
    ['1 anno', m(12)], // years become months
    ['Art. 2 L. 241/1990 - 30 giorni', cd(30)], // "1990 - 30" is not a range
    ['3650d', cd(3650)],
    ['120 mesi', m(120)],
  ];
  for (const [text, expected] of rows) {
    test(JSON.stringify(text), () => assert.deepEqual(parseTerm(text), expected));
  }
});

describe('parseTerm: refusals', () => {
  const rows: [string, 'term-not-numeric' | 'invalid-term'][] = [
    ['immediato', 'term-not-numeric'],
    ['a vista', 'term-not-numeric'],
    ['', 'term-not-numeric'],
    ['   ', 'term-not-numeric'],
    ['variabile', 'term-not-numeric'],
    ['entro il 31 dicembre', 'term-not-numeric'], // a date, not a term
    ['secondo il regolamento comunale', 'term-not-numeric'],
    ['0 giorni', 'invalid-term'],
    ['0d', 'invalid-term'],
    ['-5d', 'invalid-term'],
    ['-5 giorni', 'invalid-term'],
    ['3651 giorni', 'invalid-term'],
    ['121 mesi', 'invalid-term'],
    ['11 anni', 'invalid-term'], // 132 months
    ['2,5 mesi', 'invalid-term'],
    ['da 30 a 60 giorni', 'invalid-term'], // a range has no single deadline
    ['48 ore', 'invalid-term'],
  ];
  for (const [text, code] of rows) {
    test(`${JSON.stringify(text)} → ${code}`, () => {
      assert.throws(
        () => parseTerm(text),
        (error: unknown) => error instanceof DomainError && error.code === code && error.details['value'] === text.trim(),
      );
    });
  }

  test('the Italian message names the text', () => {
    assert.throws(() => parseTerm('a vista'), /Il termine "a vista" non indica un tempo numerico/);
  });
});

describe('formatTerm and termCode', () => {
  const rows: [Term, string, string][] = [
    [cd(30), '30 giorni', '30d'],
    [cd(1), '1 giorno', '1d'],
    [wd(10), '10 giorni lavorativi', '10wd'],
    [wd(1), '1 giorno lavorativo', '1wd'],
    [m(3), '3 mesi', '3m'],
    [m(1), '1 mese', '1m'],
  ];
  for (const [term, text, code] of rows) {
    test(text, () => {
      assert.equal(formatTerm(term), text);
      assert.equal(termCode(term), code);
      assert.deepEqual(parseTerm(text), term); // round trip
    });
  }
});
