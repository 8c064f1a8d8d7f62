/**
 * Screenshots of the report pages for docs/screenshots/: `node --import tsx scripts/screenshots-reports.ts`.
 * An in-memory database with the demo catalogue, 2,000 generated cases and some questionnaire answers.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateCases } from '../src/application/generator.ts';
import { createTestApp, listen } from '../test/support/app.ts';
import { TODAY, officeId } from '../test/support/fixtures.ts';
import { VIEWPORTS, launchBrowser } from '../test/support/browser.ts';
import { VIAB_MANAGER } from '../test/backoffice/client.ts';

const out = join(process.cwd(), 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const testApp = await createTestApp();
const db = testApp.database.db;
await generateCases(db, { count: 2000, today: TODAY, seed: 2026 });
const viab = await officeId(db, 'VIAB');
const procedures = new Map((await db.selectFrom('procedures').select(['id', 'code']).where('code', 'in', ['TE-01', 'AC-01']).execute()).map((p) => [p.code, p.id]));
const comments = ['Informazioni chiare e puntuali.', 'Avrei preferito ricevere anche un SMS.', '', 'Personale gentile.', '', 'Tempi un po\' lunghi.', '', '', 'Ho seguito la pratica dal telefono.', '', '', '', ''];
await db.insertInto('questionnaire_answers').values(comments.map((comment, i) => ({
  id: randomUUID(), month: '2026-10-01', office_id: viab, procedure_id: procedures.get(i < 7 ? 'TE-01' : 'AC-01')!,
  clarity: 3 + (i % 3), timeliness: 2 + (i % 4), courtesy: 4 + (i % 2), overall: 3 + (i % 3), comment,
}))).execute();
const base = await listen(testApp);
const browser = await launchBrowser();
try {
  const shot = async (name: string, url: string, viewport: { width: number; height: number } = VIEWPORTS.desktop, signIn = false) => {
    const page = await (await browser.newContext({ viewport, locale: 'it-IT' })).newPage();
    await page.goto(`${base}${url}`);
    if (signIn) {
      await page.locator('#email').fill(VIAB_MANAGER.email);
      await page.locator('#password').fill(VIAB_MANAGER.password);
      await page.getByRole('button', { name: 'Accedi' }).click();
      await page.waitForURL(`${base}${url}`);
    }
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    await page.close();
    process.stdout.write(`docs/screenshots/${name}.png\n`);
  };
  await shot('reports-transparency', '/trasparenza/tempi-procedimentali');
  await shot('reports-transparency-mobile', '/trasparenza/tempi-procedimentali', VIEWPORTS.mobile);
  await shot('reports-procedure-card', '/trasparenza/procedimenti/PE-01');
  await shot('reports-backoffice', '/uffici/report?dal=2026-01-01&al=2026-11-26', VIEWPORTS.desktop, true);
  await shot('reports-drilldown', '/uffici/report/pratiche?dal=2026-01-01&al=2026-11-26&ufficio=VIAB&procedimento=TE-01&dato=closed-late', VIEWPORTS.desktop, true);
  await shot('reports-satisfaction', '/uffici/report/soddisfazione?dal=2026-01&al=2026-11', VIEWPORTS.desktop, true);
} finally {
  await browser.close();
  await testApp.close();
}
