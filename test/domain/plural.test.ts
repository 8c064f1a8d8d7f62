import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { counted } from '../../src/domain/plural.ts';
import { createHolidayCalendar, isoDateProblem } from '../../src/domain/deadline/index.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { daysText, waitText } from '../../src/adapters/web/portal/present.ts';

describe('counting things: one is singular, in Italian and in English', () => {
  const rows: [number, Parameters<typeof counted>[1], 'it' | 'en', string][] = [
    [1, 'day', 'it', '1 giorno'], [2, 'day', 'it', '2 giorni'], [0, 'day', 'it', '0 giorni'], [-1, 'day', 'it', '-1 giorno'],
    [1, 'second', 'it', '1 secondo'], [59, 'second', 'it', '59 secondi'], [1, 'minute', 'it', '1 minuto'], [3, 'minute', 'it', '3 minuti'],
    [1, 'working-day', 'it', '1 giorno lavorativo'], [1, 'month', 'it', '1 mese'], [2, 'month', 'it', '2 mesi'],
    [1, 'day', 'en', '1 day'], [2, 'day', 'en', '2 days'], [1, 'second', 'en', '1 second'],
  ];
  for (const [n, unit, lang, expected] of rows) test(`${n} ${unit} (${lang}) → ${expected}`, () => assert.equal(counted(n, unit, lang), expected));

  test('the portal says "Riprova tra 1 secondo" and "scaduto da 1 giorno", never "1 secondi" or "1 giorni"', () => {
    assert.equal(waitText('it', 1), '1 secondo');
    assert.equal(waitText('en', 1), '1 second');
    assert.equal(waitText('it', 150), '3 minuti');
    assert.equal(daysText('it', -1), 'scaduto da 1 giorno');
    assert.equal(daysText('it', -2), 'scaduto da 2 giorni');
    assert.equal(daysText('en', 2), '2 days left');
  });
});

describe('date problems say what is wrong', () => {
  const rows: [string, string | undefined][] = [
    ['2026-02-28', undefined],
    ['2026-02-30', 'febbraio 2026 ha 28 giorni'],
    ['2028-02-30', 'febbraio 2028 ha 29 giorni'],
    ['2026-13-01', 'il mese 13 non esiste (da 01 a 12)'],
    ['2026-04-00', 'il giorno va da 01 in su'],
    ['30/02/2026', 'usare il formato AAAA-MM-GG'],
    ['', 'usare il formato AAAA-MM-GG'],
  ];
  for (const [text, problem] of rows) test(`${JSON.stringify(text)}: ${problem ?? 'valid'}`, () => assert.equal(isoDateProblem(text), problem));

  test('a local closing day typed wrong never reads "NaN/NaN"', () => {
    const cases: [{ day: number; month: number; name: string }, string, RegExp][] = [
      [{ day: Number.NaN, month: Number.NaN, name: 'Patrono' }, 'month', /mese con un numero da 1 a 12/],
      [{ day: Number.NaN, month: 10, name: 'Patrono' }, 'day', /giorno con un numero da 1 a 31 \(ottobre\)/],
      [{ day: 30, month: 2, name: 'Patrono' }, 'day', /da 1 a 29 \(febbraio\)/],
      [{ day: 4, month: 10, name: ' ' }, 'name', /indicare il nome/],
    ];
    for (const [local, field, message] of cases) {
      assert.throws(() => createHolidayCalendar([local]), (e: unknown) => e instanceof DomainError && e.details.field === field && message.test(e.message) && !/NaN/.test(e.message));
    }
  });
});
