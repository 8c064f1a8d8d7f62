import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { createPortalApp } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';
const api = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };

describe('the remedies pages in a real browser (today 26/11/2026)', { skip }, () => {
  let testApp: PortalTestApp;
  let base: string;
  let browser: Browser;
  before(async () => {
    testApp = await createPortalApp();
    await testApp.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    base = await listen(testApp as unknown as TestApp);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await testApp.close();
  });

  async function enrol(procedureCode: string, receivedOn: string): Promise<{ code: string; password: string }> {
    const response = await testApp.app.inject({
      method: 'POST', url: '/api/v1/cases', headers: api,
      payload: { procedureCode, subject: 'Domanda di prova', applicantName: 'Verdi S.n.c.', receivedOn, email: 'verdi@example.org', channels: ['email'] },
    });
    const { credentials } = JSON.parse(response.body) as { credentials: { code: string; password: string } };
    await testApp.app.inject({ method: 'POST', url: `/api/v1/cases/${credentials.code}/start`, headers: api, payload: { effectiveOn: receivedOn } });
    return credentials;
  }

  async function signedIn(c: { code: string; password: string }, viewport: (typeof VIEWPORTS)[keyof typeof VIEWPORTS]): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/pratica`);
    await page.getByLabel('Codice pratica').fill(c.code);
    await page.getByLabel('Password', { exact: true }).fill(c.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.getByRole('heading', { name: `Pratica ${c.code}` }).waitFor();
    return page;
  }

  test('an overdue case: what the citizen can do now, and the request as PDF; axe passes on desktop and mobile', async () => {
    const c = await enrol('TE-01', '2026-10-25');
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.mobile]) {
      const page = await signedIn(c, viewport);
      await page.getByRole('heading', { name: 'Cosa puoi fare ora' }).waitFor();
      assert.match((await page.locator('#remedies-title').locator('..').textContent()) ?? '', /entro il 30\/11\/2026/);
      assert.equal(await page.getByRole('link', { name: /Scrivi al titolare del potere sostitutivo/ }).count(), 1);
      await assertAccessible(page, 'overdue case page');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Scarica la richiesta precompilata (PDF)' }).click()]);
      assert.match(download.suggestedFilename(), /^richiesta-potere-sostitutivo-.*\.pdf$/);
      await page.context().close();
    }
  });

  test('a silenzio-assenso case past its term: accepted since the day after, the attestation on request; axe passes', async () => {
    const c = await enrol('PE-01', '2026-10-01');
    const page = await signedIn(c, VIEWPORTS.desktop);
    await page.getByText('Domanda accolta per silenzio-assenso').waitFor();
    assert.match((await page.locator('main').textContent()) ?? '', /per legge la domanda è accolta dal 01\/11\/2026/);
    await assertAccessible(page, 'silenzio-assenso case page');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ottieni l\'attestazione (PDF)' }).click()]);
    assert.match(download.suggestedFilename(), /^attestazione-silenzio-assenso-.*\.pdf$/);
    await page.context().close();
  });

  test('the calculator: fill, calculate, read the result; axe passes with the result and with errors', async () => {
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.mobile]) {
      const page = await (await browser.newContext({ viewport, locale: 'it-IT' })).newPage();
      await page.goto(`${base}/calcola-scadenza`);
      await assertAccessible(page, 'calculator');
      await page.getByLabel('Data di ricevimento della domanda').fill('2026-12-20');
      await page.getByLabel('Termine del procedimento').fill('5 giorni');
      await page.getByRole('button', { name: 'Calcola' }).click();
      await page.getByRole('heading', { name: 'Risultato' }).waitFor();
      assert.match((await page.locator('#result-title').locator('..').textContent()) ?? '', /lunedì 28\/12\/2026/);
      await assertAccessible(page, 'calculator result');
      await page.getByLabel('Termine del procedimento').fill('immediato');
      await page.getByRole('button', { name: 'Calcola' }).click();
      await page.getByRole('alert').waitFor();
      await assertAccessible(page, 'calculator errors');
      await page.context().close();
    }
  });
});
