/**
 * Back-office screenshots for docs/screenshots/ (npx tsx scripts/screenshots-backoffice.ts): the demo data
 * on an in-memory database, on a fixed day, with Debian chromium at desktop and mobile widths.
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

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database.db);
  const clock = fixedClock(DAY);
  const services = ephemeralServices(clock);
  await seedDemoData({ ...services, db: database.db });
  const { code } = await database.db.selectFrom('cases').select('code').where('subject', 'like', '%acque meteoriche%').executeTakeFirstOrThrow();
  const app = await buildApp({ db: database.db, ...services, publicBaseUrl: 'http://localhost', production: false, sessionSecret: 'screenshots-secret-0123456789-0123456789' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  const base = `http://127.0.0.1:${address.port}`;
  const browser = await launchBrowser();
  try {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const page = await (await browser.newContext({ viewport, locale: 'it-IT', deviceScaleFactor: 1 })).newPage();
      const shot = async (file: string) => {
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: join(OUT, `backoffice-${file}-${name}.png`), fullPage: true });
      };
      await page.goto(`${base}/uffici/accesso`);
      await shot('sign-in');
      await page.locator('#email').fill('paolo.garavini@provincia-fc.example');
      await page.locator('#password').fill(DEMO_LOGINS.adminPassword);
      await page.locator('main button[type="submit"]').click();
      await page.waitForURL(`${base}/uffici`);
      await shot('dashboard');
      await page.goto(`${base}/uffici/pratiche?state=open&sort=deadline`);
      await shot('case-list');
      await page.goto(`${base}/uffici/pratiche/nuova?procedimento=TE-01`);
      await shot('enrol');
      if (name === 'desktop') {
        // the other office's case is out of scope for this manager: use the admin for the case page
        await page.goto(`${base}/uffici/catalogo/procedimenti/TE-01`);
        await shot('procedure');
        await page.goto(`${base}/uffici/modulo-adesione/TE-01`);
        await shot('adhesion-form');
        await page.goto(`${base}/uffici/importa`);
        await shot('import');
      }
      const admin = await (await browser.newContext({ viewport, locale: 'it-IT', deviceScaleFactor: 1 })).newPage();
      await admin.goto(`${base}/uffici/accesso`);
      await admin.locator('#email').fill(DEMO_LOGINS.adminEmail);
      await admin.locator('#password').fill(DEMO_LOGINS.adminPassword);
      await admin.locator('main button[type="submit"]').click();
      await admin.waitForURL(`${base}/uffici`);
      await admin.goto(`${base}/uffici/pratiche/${code}`);
      await admin.locator('summary', { hasText: 'riattivazione' }).click();
      await admin.locator('#resume-reason').fill('Planimetria ricevuta via PEC');
      await admin.getByRole('button', { name: 'Anteprima del messaggio' }).click();
      await admin.getByText('Anteprima di ciò che il cittadino riceverà').waitFor();
      await admin.evaluate(() => document.fonts.ready);
      await admin.screenshot({ path: join(OUT, `backoffice-case-${name}.png`), fullPage: true });
    }
  } finally {
    await browser.close();
    await app.close();
    await database.close();
  }
}

await main();
