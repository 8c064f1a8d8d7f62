import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { createTestApp, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { VIAB_MANAGER } from './client.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

// Today is 26 Nov 2026. TE-01, 15 days: received 1 Oct → deadline 16 Oct; request 20 Oct; 41 days late: 1,230 euro.
describe('the indemnity for delay on the back office case page, in a real browser', { skip }, () => {
  let testApp: TestApp;
  let browser: Browser;
  let base: string;
  let code: string;
  before(async () => {
    testApp = await createTestApp();
    base = await listen(testApp);
    browser = await launchBrowser();
    const headers = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
    await testApp.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    const enrolled = await testApp.app.inject({
      method: 'POST', url: '/api/v1/cases', headers,
      payload: { procedureCode: 'TE-01', subject: 'Trasporto eccezionale', applicantName: 'Rossi S.r.l.', receivedOn: '2026-10-01', email: 'rossi@example.org', channels: ['email'] },
    });
    code = enrolled.json().case.code;
    for (const [action, effectiveOn] of [['start', '2026-10-01'], ['substitute-request', '2026-10-20']]) {
      assert.equal((await testApp.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/${action}`, headers, payload: { effectiveOn } })).statusCode, 201);
    }
  });
  after(async () => {
    await browser?.close();
    await testApp.close();
  });

  test('a refused amount is named next to its field, a right one is recorded; both pages pass axe', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/uffici/accesso`);
    await page.locator('#email').fill(VIAB_MANAGER.email);
    await page.locator('#password').fill(VIAB_MANAGER.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/uffici`);
    await page.goto(`${base}/uffici/pratiche/${code}`);
    await page.getByText('Maturato: 1.230,00 euro').waitFor();
    await page.getByLabel('Importo pagato (euro)').fill('1500');
    await page.getByRole('button', { name: 'Registra il pagamento' }).click();
    await page.getByText('supera quanto resta da pagare').first().waitFor();
    assert.equal(await page.locator('#indemnity-amount').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'indemnity payment refused');
    await page.getByLabel('Importo pagato (euro)').fill('230,50');
    await page.getByRole('button', { name: 'Registra il pagamento' }).click();
    await page.getByText("Pagamento dell'indennizzo registrato: 230,50 euro.").waitFor();
    await page.getByText('Pagato: 230,50 euro; resta da pagare: 999,50 euro').waitFor();
    await assertAccessible(page, 'indemnity payment recorded');
  });
});
