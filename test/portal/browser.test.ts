import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSignInLink } from '../../src/application/portal/sign-in-link.ts';
import { TEST_SESSION_SECRET, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { PASSWORD, createPortalApp, demoCase } from './support.ts';
import type { PortalTestApp } from './support.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

describe('the portal in a real browser', { skip }, () => {
  let testApp: PortalTestApp;
  let base: string;
  before(async () => {
    testApp = await createPortalApp();
    base = await listen(testApp as unknown as TestApp);
  });
  after(() => testApp.close());

  const cases = { desktop: 'acque meteoriche', mobile: 'Variante all' } as const;

  for (const [name, viewport] of Object.entries(VIEWPORTS) as [keyof typeof VIEWPORTS, (typeof VIEWPORTS)[keyof typeof VIEWPORTS]][]) {
    test(`${name}: sign in, read the case, answer the questionnaire, leave the service; every page passes WCAG 2.1 AA`, async () => {
      const { code } = await demoCase(testApp, cases[name]);
      const browser = await launchBrowser();
      try {
        const context = await browser.newContext({ viewport, locale: 'it-IT' });
        const page = await context.newPage();
        await page.goto(`${base}/pratica`);
        assert.equal(await page.locator('h1').textContent(), 'Accedi alla tua pratica');
        await assertAccessible(page, `${name} sign-in`);

        // a wrong password: a generic message, still accessible
        await page.getByLabel('Codice pratica').fill(code);
        await page.getByLabel('Password', { exact: true }).fill('AAAA-BBBB-CCCC-DDDD');
        await page.getByRole('button', { name: 'Accedi' }).click();
        assert.match((await page.getByRole('alert').textContent()) ?? '', /Codice pratica o password non corretti/);
        await assertAccessible(page, `${name} sign-in error`);

        await page.getByRole('link', { name: 'Hai smarrito il codice o la password?' }).click();
        assert.equal(await page.locator('h1').textContent(), 'Codice o password smarriti');
        await assertAccessible(page, `${name} lost login`);
        await page.getByRole('link', { name: 'Torna all\'accesso' }).click();

        await page.getByLabel('Codice pratica').fill(code.toLowerCase());
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Accedi' }).click();
        await page.waitForURL('**/pratica/dettaglio');
        assert.equal(await page.locator('h1').textContent(), `Pratica ${code}`);
        assert.ok(await page.getByRole('heading', { name: 'Ufficio competente e responsabile' }).isVisible());
        await assertAccessible(page, `${name} case page`);

        if (name === 'desktop') {
          // the channels (their labels take the clicks, as the theme draws the boxes): none chosen is refused at the field, then e-mail alone is saved
          const channels = page.getByRole('group', { name: 'Ricevi i messaggi con' });
          await channels.locator('label', { hasText: 'Cellulare' }).click();
          await channels.locator('label', { hasText: 'E-mail' }).click();
          await page.getByRole('button', { name: 'Salva i canali' }).click();
          assert.match((await page.getByRole('alert').textContent()) ?? '', /Scegli almeno un canale per ricevere i messaggi/);
          await assertAccessible(page, `${name} channels refused`);
          await channels.locator('label', { hasText: 'E-mail' }).click();
          await page.getByRole('button', { name: 'Salva i canali' }).click();
          assert.match((await page.getByRole('status').textContent()) ?? '', /Canali aggiornati/);
          assert.equal(await channels.getByRole('checkbox', { name: /Cellulare/ }).isChecked(), false);
        }

        // the questionnaire, answered with the keyboard-reachable radio buttons
        for (const question of ['Le informazioni sulla pratica sono chiare?', 'Le comunicazioni sono arrivate in tempo utile?', 'Il personale dell\'ufficio è stato cortese e disponibile?', 'Quanto sei soddisfatto del servizio nel complesso?']) {
          await page.getByRole('group', { name: new RegExp(question.replace(/[?()]/g, '\\$&')) }).locator('label', { hasText: '4' }).click();
        }
        await page.getByLabel('Commento (facoltativo)').fill('Servizio utile');
        await page.getByRole('button', { name: 'Invia il questionario' }).click();
        assert.match((await page.getByRole('status').textContent()) ?? '', /il questionario per questa pratica è stato compilato/);
        await assertAccessible(page, `${name} case page after the questionnaire`);

        // leaving the service
        await page.getByRole('link', { name: 'Non voglio più ricevere messaggi' }).click();
        assert.equal(await page.locator('h1').textContent(), 'Lasciare il servizio');
        await assertAccessible(page, `${name} leave the service`);
        await page.getByRole('button', { name: /Conferma/ }).click();
        assert.match((await page.getByRole('status').textContent()) ?? '', /La richiesta è registrata/);
        // what leaving means is said once, in the messages section, and nothing on the page says otherwise
        const after = (await page.locator('main').textContent()) ?? '';
        assert.match(after, /hai lasciato il servizio: non ricevi più messaggi su questa pratica/);
        assert.doesNotMatch(after, /Riceverai un messaggio/);

        // English
        await page.getByRole('link', { name: 'English' }).click();
        assert.equal(await page.locator('h1').textContent(), `Case ${code}`);
        await assertAccessible(page, `${name} case page in English`);
        await page.getByRole('link', { name: 'Italiano' }).click();

        // signing out; error pages
        await page.getByRole('button', { name: 'Esci' }).click();
        await page.waitForURL('**/pratica?esito=uscita');
        await page.goto(`${base}/pratica/nessuna-pagina`);
        assert.equal(await page.locator('h1').textContent(), 'Pagina non trovata');
        await assertAccessible(page, `${name} not found`);
        await context.close();
      } finally {
        await browser.close();
      }
    });
  }

  test('the sign-in link asks for one click, then opens the case; used again, it is refused', async () => {
    const { id, code } = await demoCase(testApp, 'gru semovente');
    const url = createSignInLink({ secret: TEST_SESSION_SECRET, baseUrl: base, caseId: id, now: testApp.clock.now() });
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: VIEWPORTS.mobile, locale: 'it-IT' })).newPage();
      await page.goto(url);
      await assertAccessible(page, 'sign-in link');
      await page.getByRole('button', { name: 'Accedi alla pratica' }).click();
      await page.waitForURL('**/pratica/dettaglio');
      assert.equal(await page.locator('h1').textContent(), `Pratica ${code}`);
      const again = await (await browser.newContext({ locale: 'it-IT' })).newPage();
      const response = await again.goto(url);
      assert.equal(response?.status(), 410);
      assert.equal(await again.locator('h1').textContent(), 'Collegamento già usato');
      await assertAccessible(again, 'used sign-in link');
    } finally {
      await browser.close();
    }
  });
});
