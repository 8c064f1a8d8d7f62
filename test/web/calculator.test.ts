import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { visibleText } from '../portal/support.ts';

describe('the public deadline calculator /calcola-scadenza', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());
  const get = async (query: string) => {
    const response = await t.app.inject({ url: `/calcola-scadenza${query}` });
    return { status: response.statusCode, text: visibleText(response.body) };
  };

  test('the empty form, without sign-in, in Italian and English', async () => {
    const page = await get('');
    assert.equal(page.status, 200);
    assert.match(page.text, /Calcola la scadenza di un procedimento/);
    assert.doesNotMatch(page.text, /Risultato/);
    assert.match((await get('?lang=en')).text, /Work out the deadline of a procedure/);
  });

  test('a term with a suspension: the same result and explanation as the engine', async () => {
    const page = await get('?from=2026-03-03&term=30+giorni&s1from=2026-03-10&s1to=2026-03-20&s1kind=art2c7&today=2026-03-25');
    assert.equal(page.status, 200);
    assert.match(page.text, /Scadenza: lunedì 13\/04\/2026 — 30 giorni/);
    assert.match(page.text, /Sospensione art\. 2 c\.7 L\. 241\/1990 dal 10\/03\/2026 al 20\/03\/2026 \(10 giorni\)/);
    assert.match(page.text, /Il 12\/04\/2026 è domenica: scadenza spostata al primo giorno non festivo, 13\/04\/2026/);
  });

  test('the remedies: delay, the substitute\'s deadline, the indemnity', async () => {
    const page = await get('?from=2026-03-03&term=30d&today=2026-04-12&substituteRequest=2026-04-10&business=yes');
    assert.match(page.text, /Ritardo: 10 giorni dalla scadenza del 02\/04\/2026/);
    assert.match(page.text, /cioè entro il 27\/04\/2026/);
    assert.match(page.text, /= 300 euro/);
  });

  test('bad input: 400, each problem named by its field, no 500', async () => {
    const page = await get('?from=2026-02-30&term=immediato&s1from=2026-03-10&s1to=2026-03-01');
    assert.equal(page.status, 400);
    assert.match(page.text, /La data di ricevimento della domanda non è valida: febbraio 2026 ha 28 giorni/);
    assert.match(page.text, /non indica un tempo numerico/);
    assert.match(page.text, /La sospensione 1 finisce prima di iniziare/);
    const early = await get('?from=2026-03-03&term=30d&substituteRequest=2026-03-20');
    assert.equal(early.status, 400);
    assert.match(early.text, /il termine scade il 02\/04\/2026/);
    const onTheDay = await get('?from=2026-03-03&term=30d&substituteRequest=2026-04-02');
    assert.equal(onTheDay.status, 400);
    assert.match(onTheDay.text, /ci si può rivolgere al sostituto dal giorno successivo, 03\/04\/2026/);
    const hostile = await t.app.inject({ url: '/calcola-scadenza?from=%3Cscript%3E&term=%00&s1kind=x&s1from=2026-03-04' });
    assert.ok(hostile.statusCode < 500);
    assert.doesNotMatch(hostile.body, /<script>/);
  });
});
