import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { generateCases } from '../../src/application/generator.ts';
import { createTestApp, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY } from '../support/fixtures.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { VIAB_MANAGER } from '../backoffice/client.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

describe('report pages in a real browser', { skip }, () => {
  let testApp: TestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    testApp = await createTestApp();
    await generateCases(testApp.database.db, { count: 300, today: TODAY, seed: 3 });
    base = await listen(testApp);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await testApp.close();
  });

  test('public transparency page and a procedure card pass axe on desktop and mobile', async () => {
    for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.mobile]) {
      const page = await (await browser.newContext({ viewport, locale: 'it-IT' })).newPage();
      await page.goto(`${base}/trasparenza/tempi-procedimentali`);
      await assertAccessible(page, 'transparency page');
      await page.getByRole('link', { name: 'Licenza di pesca nelle acque interne' }).click();
      await page.getByRole('heading', { name: 'Licenza di pesca nelle acque interne' }).waitFor();
      await assertAccessible(page, 'procedure card');
      await page.close();
    }
  });

  test('an office manager opens the report, follows a figure to its cases and the satisfaction page: all pass axe', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/uffici/report?dal=2025-01-01&al=2025-12-31`);
    await page.locator('#email').fill(VIAB_MANAGER.email);
    await page.locator('#password').fill(VIAB_MANAGER.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.getByRole('heading', { name: 'Monitoraggio dei tempi' }).waitFor();
    await assertAccessible(page, 'report');
    // the charts are images named by their title and description
    assert.equal(await page.getByRole('img', { name: /Quota di pratiche concluse entro il termine/ }).count(), 1);
    await page.getByRole('row', { name: /Totale ufficio VIAB/ }).first().getByRole('link').nth(1).click();
    await page.getByRole('heading', { name: /Pratiche del dato: concluse nel periodo/ }).waitFor();
    await assertAccessible(page, 'drill-down');
    // answers for two procedures of the office: one shown, one under 5 (its row says why)
    const db = testApp.database.db;
    const procedure = (code: string) => db.selectFrom('procedures').select(['id', 'office_id']).where('code', '=', code).executeTakeFirstOrThrow();
    const [te, ac] = [await procedure('TE-01'), await procedure('AC-01')];
    await db.insertInto('questionnaire_answers').values([te, te, te, te, te, te, ac, ac].map((p, i) => ({
      id: randomUUID(), month: `${TODAY.slice(0, 7)}-01`, office_id: p.office_id, procedure_id: p.id,
      clarity: 4, timeliness: 3, courtesy: 5, overall: 4, comment: i === 0 ? 'Commento' : '',
    }))).execute();
    await page.goto(`${base}/uffici/report/soddisfazione`);
    await page.getByRole('heading', { name: 'Per procedimento' }).waitFor();
    await assertAccessible(page, 'satisfaction');
  });
});
