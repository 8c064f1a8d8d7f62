import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUpAdministration } from '../../src/application/administration.ts';
import type { Actor } from '../../src/application/audit.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

const ACTOR: Actor = { kind: 'cli', id: 'test', name: 'test', officeId: null };
const PAGES = ['/', '/pratica', '/pratica/credenziali-smarrite', '/uffici/accesso', '/trasparenza/tempi-procedimentali'];
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>');

/**
 * A set-up written straight to the database, as another process would: pages keep the frame until PostgreSQL
 * tells of the change, a moment after the commit, so wait until the sign-in page's frame is no longer the old one.
 */
async function setUp(testApp: TestApp, ...args: Parameters<typeof setUpAdministration> extends [unknown, ...infer R] ? R : never): Promise<void> {
  const frame = async () => (await testApp.app.inject({ url: '/pratica/credenziali-smarrite' })).body;
  const before = await frame();
  await setUpAdministration(testApp.database.db, ...args);
  for (let i = 0; i < 100 && (await frame()) === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('the page frame shows the administration as set up, and leaves out what is not', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp({ seed: false });
  });
  after(() => testApp.close());

  test('before the set-up no page says "scrivere a" with nothing after it, nor links nowhere', async () => {
    for (const url of PAGES) {
      const page = await testApp.app.inject({ url });
      assert.equal(page.statusCode, 200, url);
      assert.doesNotMatch(page.body, /scrivere a/, url);
      assert.doesNotMatch(page.body, /Informativa privacy|Dichiarazione di accessibilità|\/amministrazione\/logo/, url);
    }
    assert.equal((await testApp.app.inject({ url: '/amministrazione/logo' })).statusCode, 404);
    assert.doesNotMatch((await testApp.app.inject({ url: '/pratica' })).body, /Provincia/, 'the sign-in page names no demo administration');
  });

  test('after the set-up every frame names the administration, its support e-mail, its pages and its logo', async () => {
    await setUp(testApp, ACTOR, {
      name: 'Comune di Bertinoro', supportEmail: 'urp@comune.bertinoro.fc.it', website: 'https://www.comune.bertinoro.fc.it',
      privacyNoticeUrl: 'https://www.comune.bertinoro.fc.it/privacy', accessibilityStatementUrl: 'https://form.agid.gov.it/view/bertinoro',
      logoFile: 'stemma.png',
    }, PNG);
    for (const url of PAGES) {
      const page = await testApp.app.inject({ url });
      assert.match(page.body, /Comune di Bertinoro/, url);
      assert.match(page.body, /scrivere a<\/span> <a class="text-white" href="mailto:urp@comune.bertinoro.fc.it">urp@comune.bertinoro.fc.it<\/a>\./, url);
      assert.match(page.body, /href="https:\/\/www.comune.bertinoro.fc.it\/privacy">Informativa privacy</, url);
      assert.match(page.body, /href="https:\/\/form.agid.gov.it\/view\/bertinoro">Dichiarazione di accessibilità</, url);
      assert.doesNotMatch(page.body, /Note legali/, url);
      assert.match(page.body, /<img class="icon" src="\/amministrazione\/logo\?v=[0-9a-z]+" alt=""/, url);
    }
  });

  test('the footer gives the contacts and PEC, the legal pages and "Segnala un disservizio"; every page below the home has a breadcrumb', async () => {
    await setUp(testApp, ACTOR, {
      address: 'Piazza Ugo Fanti 3, 47032 Bertinoro', pec: 'comune.bertinoro@cert.provincia.fc.it', legalNotesUrl: 'https://www.comune.bertinoro.fc.it/note-legali',
    });
    const page = (await testApp.app.inject({ url: '/pratica/credenziali-smarrite' })).body;
    assert.match(page, /Indirizzo: <\/dt><dd class="d-inline mb-0"><span>Piazza Ugo Fanti 3, 47032 Bertinoro<\/span>/);
    assert.match(page, /href="mailto:comune.bertinoro@cert.provincia.fc.it">comune.bertinoro@cert.provincia.fc.it</);
    assert.match(page, /href="https:\/\/www.comune.bertinoro.fc.it\/note-legali">Note legali</);
    assert.match(page, /href="mailto:urp@comune.bertinoro.fc.it">Segnala un disservizio</);
    const crumbs = /<ol class="breadcrumb[^"]*">(.*?)<\/ol>/s.exec(page)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    assert.equal(crumbs, 'Home / La tua pratica on line / Codice o password smarriti');
    const office = (await testApp.app.inject({ url: '/uffici/accesso' })).body;
    assert.match(office, /<ol class="breadcrumb[^"]*">.*href="\/uffici">Pratica Online - Uffici<.*aria-current="page">Accesso/s);
  });

  test('the logo is served with its own content type; an SVG only as an image, under a sandboxing policy', async () => {
    const png = await testApp.app.inject({ url: '/amministrazione/logo' });
    assert.equal(png.statusCode, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal(png.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(new Uint8Array(png.rawPayload), PNG);

    await setUpAdministration(testApp.database.db, ACTOR, { logoFile: 'stemma.svg' }, SVG);
    const svg = await testApp.app.inject({ url: '/amministrazione/logo' });
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.match(String(svg.headers['content-security-policy']), /^default-src 'none'; style-src 'unsafe-inline'; sandbox$/);
    assert.equal(svg.body, new TextDecoder().decode(SVG));
  });
});
