import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { ADMIN, VIAB_MANAGER } from './client.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

async function signIn(page: Page, base: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/uffici/accesso`);
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.waitForURL(`${base}/uffici`);
}

async function recordEvent(page: Page, label: string, fill: (page: Page) => Promise<void>): Promise<void> {
  await page.locator('summary', { hasText: label }).click();
  await fill(page);
  await page.getByRole('button', { name: `Registra: ${label}` }).click();
  await page.getByText(`Evento registrato: ${label}.`).waitFor();
}

describe('back office in a real browser', { skip }, () => {
  let testApp: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    testApp = await createTestApp();
    base = await listen(testApp);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await testApp.close();
  });

  test('enrol, start, suspend, resume, resend credentials, close: the citizen\'s page follows; every page passes axe', async () => {
    const staff = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await staff.goto(`${base}/uffici/accesso`);
    await assertAccessible(staff, 'sign-in');
    await signIn(staff, base, VIAB_MANAGER);
    await assertAccessible(staff, 'dashboard');

    await staff.getByRole('link', { name: 'Nuova pratica' }).click();
    await assertAccessible(staff, 'enrolment form');
    await staff.locator('#procedureCode').selectOption('TE-01');
    await staff.locator('#subject').fill('Trasporto eccezionale di escavatore');
    await staff.locator('#applicantName').fill('Movimento Terra Zani');
    await staff.locator('#receivedOn').fill('2026-11-25');
    await staff.locator('#protocolNumber').fill('2026/777');
    await staff.locator('#email').fill('zani@example.org');
    await staff.locator('label[for="channel-email"]').click();
    await staff.locator('label[for="privacy"]').click();
    await staff.getByRole('button', { name: /Anteprima/ }).click();
    await staff.getByText('Scadenza calcolata: 10/12/2026').waitFor();
    await assertAccessible(staff, 'enrolment preview');
    await staff.getByRole('button', { name: 'Iscrivi la pratica' }).click();
    const credentials = staff.locator('dl.credentials dd');
    const code = (await credentials.nth(0).textContent())!.trim();
    const password = (await credentials.nth(1).textContent())!.trim();
    assert.match(code, /^FC-/);
    await assertAccessible(staff, 'case detail with credentials');

    await recordEvent(staff, 'avvio del procedimento', async (p) => {
      await p.locator('#start-reason').fill('Domanda completa e ricevibile');
    });
    await recordEvent(staff, 'sospensione', async (p) => {
      await p.locator('#suspend-kind').selectOption('art2c7');
      await p.locator('#suspend-reason').fill('Manca il libretto di circolazione');
      await p.locator('#suspend-notes').fill('Inviarlo via PEC');
    });
    await assertAccessible(staff, 'case detail, suspended');

    // the citizen signs in with the credentials shown at enrolment and sees the suspension
    const citizen = await (await browser.newContext({ viewport: VIEWPORTS.mobile, locale: 'it-IT' })).newPage();
    await citizen.goto(`${base}/pratica`);
    await citizen.locator('input[name="code"]').fill(code);
    await citizen.locator('input[name="password"]').fill(password);
    await citizen.locator('form button[type="submit"]').first().click();
    await citizen.waitForURL(`${base}/pratica/dettaglio`);
    assert.match((await citizen.locator('main').textContent())!, /sospesa/i);
    assert.match((await citizen.locator('main').textContent())!, /Manca il libretto di circolazione/);

    await recordEvent(staff, 'riattivazione', async (p) => {
      await p.locator('#resume-reason').fill('Libretto ricevuto');
    });
    await staff.getByRole('button', { name: 'Invio EMAIL/SMS' }).click();
    await staff.getByText('Credenziali inviate di nuovo ai recapiti del richiedente').waitFor();

    // preview of the closing message before recording it
    await staff.locator('summary', { hasText: 'chiusura' }).click();
    await staff.locator('#close-outcome').selectOption('accepted');
    await staff.locator('#close-reason').fill('Autorizzazione rilasciata');
    await staff.getByRole('button', { name: 'Anteprima del messaggio' }).click();
    await staff.getByText('Anteprima di ciò che il cittadino riceverà').waitFor();
    await assertAccessible(staff, 'message preview');
    await staff.getByRole('button', { name: 'Registra: chiusura' }).click();
    await staff.getByText('Evento registrato: chiusura.').waitFor();

    await citizen.reload();
    assert.match((await citizen.locator('main').textContent())!, /chiusa/i);
    assert.match((await citizen.locator('main').textContent())!, /Autorizzazione rilasciata/);

    await staff.getByRole('link', { name: 'Modifica recapiti' }).click();
    await assertAccessible(staff, 'contacts form');
  });

  test('case list, admin pages and the sign-in error pass axe; the menu works with the keyboard alone', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/uffici/accesso`);
    await page.locator('#email').fill(ADMIN.email);
    await page.locator('#password').fill('wrong');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.getByText('E-mail o password non corrette.').waitFor();
    await assertAccessible(page, 'sign-in error');
    await signIn(page, base, ADMIN);
    // keyboard: skip link, then the menu
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Vai al contenuto principale');
    for (const path of ['/uffici/pratiche?state=open&sort=deadline', '/uffici/pratiche?q=nessuna-corrispondenza', ...EXTRA_PAGES]) {
      await page.goto(`${base}${path}`);
      assert.equal((await page.title()).includes('Errore'), false, path);
      await assertAccessible(page, path);
    }
    // one's own password: a refused change shows its errors next to empty fields
    await page.goto(`${base}/uffici/password?lang=it`);
    await page.locator('#currentPassword').fill(ADMIN.password);
    await page.locator('#newPassword').fill('troppo-corta');
    await page.locator('#confirmPassword').fill('diversa');
    await page.getByRole('button', { name: 'Cambia la password' }).click();
    await page.getByText('La conferma non coincide con la nuova password.').first().waitFor();
    assert.equal(await page.locator('#newPassword').inputValue(), '');
    await assertAccessible(page, 'password change with errors');
    // a CSV dry run with errors, through the real file input (in Italian: the list above ends in English)
    await page.goto(`${base}/uffici/importa?lang=it`);
    await page.locator('#file').setInputFiles({
      name: 'pratiche.csv', mimeType: 'text/csv',
      buffer: Buffer.from('procedimento;oggetto;richiedente;data_ricevimento;canali\nTE-01;Trasporto;Rossi;31/02/2026;sms\n'),
    });
    await page.getByRole('button', { name: 'Prova (nessuna scrittura)' }).click();
    await page.getByText('1 righe su 1 hanno errori').waitFor();
    await assertAccessible(page, 'import report');
    const mobile = await (await browser.newContext({ viewport: VIEWPORTS.mobile, locale: 'it-IT' })).newPage();
    await signIn(mobile, base, ADMIN);
    await assertAccessible(mobile, 'dashboard on a phone');
  });
});

/** Catalogue, import, adhesion form and own-password pages, checked like the others (some in English). */
const EXTRA_PAGES: string[] = [
  '/uffici/catalogo', '/uffici/catalogo/uffici/nuovo', '/uffici/catalogo/uffici/VIAB', '/uffici/catalogo/personale/nuovo',
  '/uffici/catalogo/procedimenti/nuovo', '/uffici/catalogo/procedimenti/TE-01', '/uffici/catalogo/calendario',
  '/uffici/catalogo/modelli', '/uffici/catalogo/modelli/start/email', '/uffici/catalogo/modelli/suspend/sms',
  '/uffici/importa', '/uffici/modulo-adesione', '/uffici/modulo-adesione/TE-01', '/uffici/password',
  '/uffici/catalogo?lang=en', '/uffici/catalogo/procedimenti/TE-01?lang=en', '/uffici/importa?lang=en', '/uffici/modulo-adesione/TE-01?lang=en',
  '/uffici/password?lang=en', '/uffici/pratiche/nuova?lang=en',
];
