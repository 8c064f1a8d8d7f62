import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { createPortalApp } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

describe('the online adhesion request in a real browser: the public form, then the office\'s list', { skip }, () => {
  let testApp: PortalTestApp;
  let base: string;
  let browser: Browser;
  before(async () => {
    testApp = await createPortalApp();
    base = await listen(testApp as unknown as TestApp);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await testApp.close();
  });

  test('a refused request tells every fault, then is sent; the office sees it with "Iscrivi"; axe passes on each page', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.mobile, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/trasparenza/procedimenti/TE-01`);
    await page.getByRole('link', { name: 'Richiedi l\'adesione online' }).click();
    await page.getByRole('heading', { name: 'Richiedi l\'adesione online' }).waitFor();
    await assertAccessible(page, 'adhesion request form');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.getByRole('heading', { name: /La richiesta non è stata inviata/ }).waitFor();
    assert.equal(await page.locator('.error-summary li').count(), 5, 'name, protocol number and date, channels, consent');
    await assertAccessible(page, 'adhesion request form with errors');
    await page.getByLabel('Nome e cognome o ragione sociale del richiedente').fill('Giulia Verdi');
    await page.getByLabel('Numero di protocollo della domanda').fill('PG/2026/777');
    await page.getByLabel('Data di protocollo').fill('2026-11-20');
    await page.getByLabel('Indirizzo e-mail').fill('giulia@example.org');
    await page.locator('label[for="channel-email"]').click();
    await page.locator('label[for="privacy"]').click();
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.getByRole('heading', { name: 'Richiesta di adesione ricevuta' }).waitFor();
    await assertAccessible(page, 'adhesion request sent');
    await page.context().close();

    const office = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await office.goto(`${base}/uffici/accesso`);
    await office.getByLabel('E-mail').fill('paolo.garavini@provincia-fc.example');
    await office.getByLabel('Password').fill(DEMO_LOGINS.adminPassword);
    await office.getByRole('button', { name: 'Accedi' }).click();
    await office.getByRole('link', { name: 'Richieste online' }).click();
    await office.getByRole('heading', { name: 'Giulia Verdi' }).waitFor();
    assert.match((await office.locator('#pending-count').textContent()) ?? '', /In attesa: 1/);
    await assertAccessible(office, 'back-office adhesion requests');
    await office.getByRole('link', { name: 'Iscrivi' }).click();
    await office.getByRole('heading', { name: 'Nuova pratica' }).waitFor();
    assert.equal(await office.locator('#applicantName').inputValue(), 'Giulia Verdi');
    assert.equal(await office.locator('#protocolNumber').inputValue(), 'PG/2026/777');
    await office.context().close();
  });
});
