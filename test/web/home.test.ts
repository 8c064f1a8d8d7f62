import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';

describe('home page', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  test('speaks Italian by default, English on request, with a strict CSP', async () => {
    const it = await testApp.app.inject({ url: '/' });
    assert.equal(it.statusCode, 200);
    assert.match(it.body, /<html lang="it">/);
    assert.match(it.body, /sullo stato della propria pratica/);
    assert.match(String(it.headers['content-security-policy']), /script-src 'self'/);
    const en = await testApp.app.inject({ url: '/?lang=en' });
    assert.match(en.body, /<html lang="en">/);
    assert.match(String(en.headers['set-cookie']), /lang=en/);
  });

  test('is a landing page for the citizens, the staff and the public, with the administration\'s name', async () => {
    const page = (await testApp.app.inject({ url: '/' })).body;
    assert.match(page, /<a class="btn btn-primary" href="\/pratica">Accedi alla tua pratica<\/a>/);
    assert.match(page, /<a class="btn btn-primary" href="\/uffici">Area riservata agli uffici<\/a>/);
    assert.match(page, /<a class="btn btn-primary" href="\/trasparenza\/tempi-procedimentali">Tempi dei procedimenti<\/a>/);
    assert.match(page, /<p class="mb-0 fw-semibold">Provincia di Forlì-Cesena/);
    assert.doesNotMatch(page, /class="breadcrumb-container"/, 'the home has no breadcrumb');
  });

  test('serves Bootstrap Italia from its own files', async () => {
    const css = await testApp.app.inject({ url: '/static/bootstrap-italia/css/bootstrap-italia.min.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /text\/css/);
  });

  test('every page names its icon, and /favicon.ico answers with the same one for the pages that name none', async () => {
    const page = (await testApp.app.inject({ url: '/pratica' })).body;
    const href = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)"/.exec(page)?.[1];
    assert.ok(href, 'the page names its icon');
    const named = await testApp.app.inject({ url: href });
    const fallback = await testApp.app.inject({ url: '/favicon.ico' });
    for (const icon of [named, fallback]) {
      assert.equal(icon.statusCode, 200);
      assert.match(String(icon.headers['content-type']), /^image\/svg\+xml/);
      assert.match(icon.body, /^<svg /);
    }
    assert.equal(fallback.body, named.body);
  });

  test('an unknown page gets an Italian not-found page', async () => {
    const response = await testApp.app.inject({ url: '/nessuna-pagina' });
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /Risorsa non trovata/);
  });

  test('passes WCAG 2.1 AA in a real browser', { skip: chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)' }, async () => {
    const url = await listen(testApp);
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      assert.equal(await page.locator('h1').textContent(), 'Pratica Online');
      await assertAccessible(page, 'home');
    } finally {
      await browser.close();
    }
  });
});
