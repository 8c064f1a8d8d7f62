import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { listen } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { VIAB_MANAGER } from '../backoffice/client.ts';
import { PASSWORD, createPortalApp, demoCase } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

interface SummaryItem {
  text: string;
  /** the field the item links to */
  target: string | null;
  /** the message tied to that field by aria-describedby, read the way a screen reader finds it */
  described: string[];
  invalid: boolean;
}

/**
 * The error summary as a user meets it: where the focus is, and for each item the field it links to, that field's
 * aria-invalid (on itself or, for a group, on its choices) and the texts its aria-describedby points to.
 */
async function readSummary(page: Page, id: string): Promise<{ focused: string; items: SummaryItem[] }> {
  // a string, not a function: the test's compiler names inner functions with a helper the page does not have
  return page.evaluate(`(() => {
    const describedTexts = (el) =>
      (el?.getAttribute('aria-describedby') ?? '').split(/\\s+/).filter(Boolean).map((ref) => document.getElementById(ref)?.textContent?.trim() ?? 'missing #' + ref);
    const items = [...document.querySelectorAll('#${id} li')].map((li) => {
      const href = li.querySelector('a')?.getAttribute('href') ?? null;
      const field = href ? document.getElementById(href.slice(1)) : null;
      const controls = field?.tagName === 'FIELDSET' ? [...field.querySelectorAll('input')] : field ? [field] : [];
      return {
        text: li.textContent?.trim() ?? '',
        target: field ? field.id : href,
        described: describedTexts(field),
        invalid: controls.length > 0 && controls.every((c) => c.getAttribute('aria-invalid') === 'true' && describedTexts(c).length > 0),
      };
    });
    return { focused: document.activeElement?.id ?? '', items };
  })()`);
}

function assertTied(items: SummaryItem[], fields: string[]): void {
  assert.deepEqual(items.map((i) => i.target), fields, 'every wrong field is listed, in the order of the form');
  for (const item of items) {
    assert.ok(item.invalid, `${item.target}: aria-invalid and aria-describedby on the field`);
    assert.ok(!item.described.some((text) => text.startsWith('missing')), `${item.target}: aria-describedby names elements that exist`);
  }
}

describe('a form sent with several wrong fields lists them all, focused, each tied to its field', { skip }, () => {
  let testApp: PortalTestApp;
  let browser: Browser;
  let base: string;
  before(async () => {
    testApp = await createPortalApp();
    base = await listen(testApp);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await testApp?.close();
  });

  test('the enrolment form: every refused field at once, the same message next to each field', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/uffici/accesso`);
    await page.locator('#email').fill(VIAB_MANAGER.email);
    await page.locator('#password').fill(VIAB_MANAGER.password);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/uffici`);
    await page.goto(`${base}/uffici/pratiche/nuova`);
    // no procedure, no subject, no applicant, a year before the law, a landline for SMS, a broken e-mail, no privacy notice
    await page.locator('#receivedOn').fill('1899-01-01');
    await page.locator('#mobile').fill('0543 714111');
    await page.locator('#email').fill('mario.rossi@');
    await page.locator('label[for="channel-sms"]').click();
    await page.locator('label[for="channel-email"]').click();
    await page.getByRole('button', { name: 'Iscrivi la pratica' }).click();
    await page.locator('#form-errors').waitFor();
    const { focused, items } = await readSummary(page, 'form-errors');
    assert.equal(focused, 'form-errors', 'the focus lands on the summary');
    assertTied(items, ['procedureCode', 'subject', 'applicantName', 'receivedOn', 'mobile', 'email', 'privacy']);
    for (const item of items) assert.ok(item.described.includes(item.text), `${item.target}: "${item.text}" is read with the field (${item.described.join(' | ')})`);
    await assertAccessible(page, 'enrolment form with every error');
    // a link of the summary takes the user to its field
    await page.locator('#form-errors a[href="#email"]').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
    assert.equal(await testApp.database.db.selectFrom('cases').select('id').where('applicant_name', '=', '').executeTakeFirst(), undefined, 'nothing written');
  });

  test('the citizen\'s sign-in and questionnaire: each empty field and unanswered question named, focused', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.mobile, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/pratica`);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.locator('#form-errors').waitFor();
    let summary = await readSummary(page, 'form-errors');
    assert.equal(summary.focused, 'form-errors');
    assertTied(summary.items, ['code', 'password']);
    for (const item of summary.items) assert.ok(item.described.includes(item.text), `${item.target}: its message is read with it`);
    await assertAccessible(page, 'sign-in with both fields empty');

    const c = await demoCase(testApp, 'gru semovente');
    await page.locator('#code').fill(c.code);
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.waitForURL(`${base}/pratica/dettaglio`);
    await page.locator('label[for="clarity-4"]').click();
    await page.getByRole('button', { name: 'Invia il questionario' }).click();
    await page.locator('#survey-errors').waitFor();
    summary = await readSummary(page, 'survey-errors');
    assert.equal(summary.focused, 'survey-errors');
    assertTied(summary.items, ['timeliness', 'courtesy', 'overall']);
    await assertAccessible(page, 'questionnaire with three questions unanswered');
  });
});
