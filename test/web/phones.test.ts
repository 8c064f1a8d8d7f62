/**
 * Every page on a phone (320 and 390 px wide): none scrolls sideways, every page is in the site's fonts with
 * no CSP complaint in the console. The pages are found by following the links from the first pages of the
 * public, the citizen and the staff, as each would see them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { ADMIN } from '../backoffice/client.ts';
import { PASSWORD, createPortalApp, demoCase } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';
const WIDTHS = [320, 390] as const;
/** pages that are files, or would change the data, or end the session */
const NOT_PAGES = /^\/(api|static|amministrazione\/logo)\b|\.(csv|json|pdf)$|\/esci$/;

/** A page's shape: pages that differ only by a code or an id are the same page drawn with other data. */
function shape(url: URL): string {
  return url.pathname.split('/').map((part) => (/\d|^[A-Z]+(-[A-Z0-9]+)+$/.test(part) ? '*' : part)).join('/');
}

interface Visit {
  path: string;
  errors: string[];
}

/** Visits the pages reachable from `start` (same origin, GET links), one of each shape, at most `limit`. */
async function crawl(page: Page, base: string, start: string[], limit = 30): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [...start];
  const visited: string[] = [];
  while (queue.length && visited.length < limit) {
    const path = queue.shift()!;
    const url = new URL(path, base);
    if (seen.has(shape(url))) continue;
    seen.add(shape(url));
    await page.goto(url.href);
    visited.push(`${url.pathname}${url.search}`);
    const links = await page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    for (const link of links) {
      const next = new URL(link);
      if (next.origin !== new URL(base).origin || NOT_PAGES.test(next.pathname)) continue;
      if (next.searchParams.has('lang')) continue;
      queue.push(`${next.pathname}${next.search}`);
    }
  }
  return visited;
}

async function consoleErrors(context: BrowserContext): Promise<string[]> {
  const errors: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  context.on('weberror', (error) => errors.push(error.error().message));
  return errors;
}

describe('every page on a phone', { skip }, () => {
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

  async function walk(width: number, signIn: (page: Page) => Promise<void>, start: string[]): Promise<Visit[]> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'it-IT' });
    const errors = await consoleErrors(context);
    const page = await context.newPage();
    await signIn(page);
    const paths = await crawl(page, base, start);
    const wide: Visit[] = [];
    for (const path of paths) {
      errors.length = 0;
      await page.goto(`${base}${path}`);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth) wide.push({ path, errors: [`${scrollWidth} px wide`] });
      // nor hidden in a box that scrolls on its own (a menu's tabs, a table's last column): only the staff's wide tables may
      const cut = await page.evaluate(`[...document.querySelectorAll('a, button, input, select, textarea, th, td')]
        // the star rating's radio buttons are moved off-screen on purpose: their labels are the stars
        .filter((el) => !el.closest('.table-responsive:not(:has(.table-stack)), .visually-hidden, .visually-hidden-focusable, .rating > input'))
        .filter((el) => { const box = el.getBoundingClientRect(); return box.width > 0 && (box.right > innerWidth + 1 || box.left < -1); })
        .map((el) => el.tagName + ' ' + (el.textContent || el.getAttribute('name') || '').trim().slice(0, 30))`) as string[];
      if (cut.length) wide.push({ path, errors: cut.map((what) => `out of sight: ${what}`) });
      // a 404 shows in the console as a failed load: only the policy's complaints count here
      const csp = errors.filter((e) => /Content Security Policy/i.test(e));
      if (csp.length) wide.push({ path, errors: csp });
    }
    await context.close();
    assert.ok(paths.length >= start.length, `crawled: ${paths.join(', ')}`);
    return wide;
  }

  const visitors: [string, (page: Page) => Promise<void>, string[]][] = [
    ['the public', async () => undefined, ['/', '/trasparenza/tempi-procedimentali', '/pratica', '/pratica/nessuna-pagina', '/nessuna-pagina', '/trasparenza/tempi-procedimentali?anno=abc']],
    [
      'a citizen',
      async (page) => {
        const { code } = await demoCase(testApp, 'acque meteoriche');
        await page.goto(`${base}/pratica`);
        await page.getByLabel('Codice pratica').fill(code);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Accedi' }).click();
        await page.waitForURL('**/pratica/dettaglio');
      },
      ['/pratica/dettaglio', '/pratica/recesso'],
    ],
    [
      'the staff',
      async (page) => {
        await page.goto(`${base}/uffici/accesso`);
        await page.locator('#email').fill(ADMIN.email);
        await page.locator('#password').fill(ADMIN.password);
        await page.getByRole('button', { name: 'Accedi' }).click();
        await page.waitForURL(`${base}/uffici`);
      },
      ['/uffici', '/uffici/pratiche', '/uffici/report'],
    ],
  ];

  for (const [who, signIn, start] of visitors) {
    test(`${who}: no page is wider than 320 or 390 px, none has a CSP error`, async () => {
      const problems: Visit[] = [];
      for (const width of WIDTHS) problems.push(...(await walk(width, signIn, start)).map((v) => ({ ...v, path: `${width} px ${v.path}` })));
      assert.deepEqual(problems, []);
    });
  }

  test('the pages are drawn in Titillium Web and Lora from our own files, with no console error', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const errors = await consoleErrors(context);
    const page = await context.newPage();
    await page.goto(`${base}/trasparenza/tempi-procedimentali`);
    // a string, not a function: the test's compiler would add helpers the page does not have
    const fonts = (await page.evaluate(`(async () => {
      await document.fonts.ready;
      const loaded = (family) => [...document.fonts].some((face) => face.family.replace(/"/g, '') === family && face.status === 'loaded');
      // check() is also true for a family no stylesheet declares: the faces themselves must be there, and loaded
      const titillium = { check: document.fonts.check('16px "Titillium Web"'), loaded: loaded('Titillium Web') };
      // no text on this page is in Lora: asking for it loads it, as a serif heading would
      const lora = (await document.fonts.load('16px "Lora"')).length > 0 && loaded('Lora');
      return { titillium, lora, body: getComputedStyle(document.body).fontFamily };
    })()`)) as { titillium: { check: boolean; loaded: boolean }; lora: boolean; body: string };
    assert.deepEqual(fonts.titillium, { check: true, loaded: true });
    assert.equal(fonts.lora, true);
    assert.match(fonts.body, /^"Titillium Web"/);
    assert.deepEqual(errors, []);
    await assertAccessible(page, 'transparency page on a phone');
    await context.close();
  });
});
