/**
 * Refreshes the portal screenshots in docs/screenshots/ (npm run screenshots): the demo data on an
 * in-memory database, on a fixed day so the pictures only change when the pages do, taken with
 * Debian chromium at desktop and mobile widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/adapters/db/database.ts';
import { migrate } from '../src/adapters/db/migrate.ts';
import { buildApp } from '../src/adapters/web/app.ts';
import { fixedClock } from '../src/application/clock.ts';
import { DEMO_LOGINS, seedDemoData } from '../src/application/demo.ts';
import { VIEWPORTS, launchBrowser } from '../test/support/browser.ts';
import { ephemeralServices } from '../src/application/services.ts';

const OUT = join(process.cwd(), 'docs', 'screenshots');
const DAY = '2026-11-26';
// a suspended case: the page shows a suspension, its reason and the deadline moved
const CASE_SUBJECT = '%acque meteoriche%';

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database.db);
  const clock = fixedClock(DAY);
  const services = ephemeralServices(clock);
  await seedDemoData({ ...services, db: database.db });
  const { code } = await database.db.selectFrom('cases').select('code').where('subject', 'like', CASE_SUBJECT).executeTakeFirstOrThrow();
  const app = await buildApp({ db: database.db, ...services, publicBaseUrl: 'http://localhost', production: false, sessionSecret: 'screenshots-secret-0123456789-0123456789' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const base = `http://127.0.0.1:${address.port}`;
  const browser = await launchBrowser();
  try {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ viewport, locale: 'it-IT', deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${base}/pratica`);
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: join(OUT, `portal-login-${name}.png`), fullPage: true });
      await page.getByLabel('Codice pratica').fill(code);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_LOGINS.casePassword);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL('**/pratica/dettaglio');
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: join(OUT, `portal-case-${name}.png`), fullPage: true });
      await context.close();
      console.log(`docs/screenshots/portal-login-${name}.png, portal-case-${name}.png`);
    }
  } finally {
    await browser.close();
    await app.close();
    await database.close();
  }
}

await main();
