import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { setUpAdministration } from '../../src/application/administration.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

/** The site's frame: Bootstrap Italia, our fonts, the header and the footer. */
function assertSitePage(response: LightMyRequestResponse, status: number, title: RegExp): void {
  assert.equal(response.statusCode, status, response.body.slice(0, 200));
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.body, /<html lang="it">/);
  assert.match(response.body, /href="\/static\/bootstrap-italia\/css\/bootstrap-italia.min.css"/);
  assert.match(response.body, /href="\/static\/app\/fonts.css"/);
  assert.match(response.body, /class="it-header-wrapper"/);
  assert.match(response.body, /class="it-footer"/);
  assert.match(response.body, title);
}

describe('HTML errors are pages of the site, in Italian; the API keeps problem+json', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
    await setUpAdministration(testApp.database.db, { kind: 'cli', id: 'test', name: 'test', officeId: null }, { name: 'Comune di Bertinoro' });
  });
  // the last test stops the database: the app's own close then fails to stop listening on it
  after(() => testApp.app.close().catch(() => undefined));

  test('a bad year on the transparency page, an unknown procedure card, an unknown address', async () => {
    const year = await testApp.app.inject({ url: '/trasparenza/tempi-procedimentali?anno=abc' });
    assertSitePage(year, 422, /<h1>Dati non validi<\/h1>/);
    assert.match(year.body, /Anno non valido/);
    assert.match(year.body, /Comune di Bertinoro/, 'the administration is named');
    assertSitePage(await testApp.app.inject({ url: '/trasparenza/procedimenti/NON-ESISTE' }), 404, /<h1>Risorsa non trovata<\/h1>/);
    const unknown = await testApp.app.inject({ url: '/nessuna-pagina?lang=en' });
    assertSitePage(unknown, 404, /<h1>Risorsa non trovata<\/h1>/);
    assert.doesNotMatch(unknown.body, /nessuna-pagina/, 'the address is not repeated');
    const api = await testApp.app.inject({ url: '/api/v1/nessuna-risorsa' });
    assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
    assert.equal(JSON.parse(api.body).code, 'not-found');
  });

  test('a URL the router refuses before any route runs', async () => {
    assertSitePage(await testApp.app.inject({ url: '/trasparenza/%zz' }), 400, /<h1>Indirizzo non valido<\/h1>/);
  });

  test('with the database down the page still renders, in the plain frame', async () => {
    await testApp.database.close();
    const page = await testApp.app.inject({ url: '/trasparenza/tempi-procedimentali' });
    assertSitePage(page, 500, /<h1>Errore interno<\/h1>/);
    assert.match(page.body, /errore imprevisto/);
    assert.doesNotMatch(page.body, /Comune di Bertinoro/, 'the frame without the data the database holds');
  });
});
