import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { createRelyingParty } from '../../src/adapters/oidc/relying-party.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { createTestDatabase } from '../support/database.ts';
import { TODAY, seedCatalogue } from '../support/fixtures.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { CLIENT_ID, CLIENT_SECRET, startProvider } from '../support/oidc-provider.ts';
import type { TestProvider } from '../support/oidc-provider.ts';
import { caseOfOffice } from '../backoffice/client.ts';
import { testServices } from '../support/services.ts';

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

const MARIO = 'RSSMRA85T10A562S';
const LAURA = 'BNCLRA90A41H199W';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SPID/CIE sign-in through a real OpenID Connect provider', { skip }, () => {
  let database: DatabaseHandle;
  let app: App;
  let provider: TestProvider;
  let browser: Browser;
  let base: string;
  let marioCases: string[];

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    database = await createTestDatabase();
    const clock = fixedClock(TODAY);
    await seedCatalogue(database.db, clock);
    // two of Mario's cases in two offices, one of someone else's
    marioCases = [await caseOfOffice(database.db, 'VIAB'), await caseOfOffice(database.db, 'AMB')];
    await database.db.updateTable('cases').set({ applicant_fiscal_code: MARIO }).where('code', 'in', marioCases).execute();
    await database.db.updateTable('cases').set({ applicant_fiscal_code: 'VRDGPP80A01F205X' }).where('code', '=', await caseOfOffice(database.db, 'CAPE')).execute();
    provider = await startProvider({
      redirectUri: `${base}/pratica/oidc/callback`,
      postLogoutRedirectUri: `${base}/pratica?esito=uscita`,
      accounts: { mario: { fiscal_number: `TINIT-${MARIO}`, name: 'Mario' }, laura: { fiscal_number: LAURA }, anonimo: { name: 'Nessun codice' } },
    });
    const oidc = createRelyingParty({
      config: {
        issuer: provider.issuer, clientId: CLIENT_ID, clientAuth: { method: 'client_secret_basic', secret: CLIENT_SECRET },
        scopes: 'openid profile', acrValues: undefined, fiscalCodeClaim: 'fiscal_number', providerLabel: 'Entra con SPID o CIE',
      },
      redirectUri: `${base}/pratica/oidc/callback`,
      allowInsecure: true,
      fetch: provider.fetch,
    });
    app = await buildApp({ db: database.db, listen: database.listen, ...testServices(clock), publicBaseUrl: base, production: false, sessionSecret: TEST_SESSION_SECRET, oidc });
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await provider?.close();
    await database?.close();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'it-IT' });
    // nothing leaves the machine (the provider's page imports a web font)
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    return { context, page: await context.newPage() };
  }

  /** From the portal's button to the provider's login and consent pages; back on the portal afterwards. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.goto(`${base}/pratica`);
    await page.click('#spid-access');
    await page.waitForURL(`${provider.issuer}/**`);
    await loginAtProvider(page, login);
  }

  async function loginAtProvider(page: Page, login: string): Promise<void> {
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'qualsiasi');
    await page.click('button[type="submit"]');
    const consent = page.locator('button:has-text("Continue")');
    await Promise.race([consent.waitFor({ timeout: 5000 }).then(() => consent.click()).catch(() => {}), page.waitForURL(`${base}/**`, { timeout: 5000 }).catch(() => {})]);
    await page.waitForURL(`${base}/**`);
  }

  const audits = (action: string) => database.db.selectFrom('audit_log').select(['entity_id', 'actor']).where('action', '=', action as 'portal.citizen-sign-in').execute();

  test('signs in, sees exactly their cases in two offices, opens one, signs out', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/pratica`);
    await assertAccessible(page, 'sign-in page with the SPID/CIE button');
    assert.equal((await page.textContent('#spid-access'))?.trim(), 'Entra con SPID o CIE');
    // the code and password form is still there, beside it
    assert.equal(await page.locator('form[action="/pratica/accesso"]').count(), 1);

    await signInAtProvider(page, 'mario');
    assert.equal(new URL(page.url()).pathname, '/pratica/mie-pratiche');
    assert.equal(await page.textContent('h1'), 'Le mie pratiche');
    const codes = await page.locator('#my-cases tbody tr td:last-child a').allTextContents();
    assert.deepEqual(codes.map((c) => c.trim()).sort(), [...marioCases].sort());
    const headers = (await page.locator('#my-cases thead th').allTextContents()).map((h) => h.trim());
    assert.deepEqual(headers.slice(0, 5), ['Procedimento', 'Protocollo', 'Data di ricevimento', 'Stato', 'Scadenza']);
    await assertAccessible(page, 'Le mie pratiche');
    assert.deepEqual((await audits('portal.citizen-sign-in')).map((a) => a.entity_id), [MARIO]);

    await page.click(`a[href="/pratica/mie-pratiche/${marioCases[1]}"]`);
    await page.waitForURL(`${base}/pratica/dettaglio`);
    assert.match(await page.textContent('h1') ?? '', new RegExp(marioCases[1]!));
    assert.equal(await page.locator('#back-to-my-cases').count(), 1);
    await assertAccessible(page, 'case page reached from Le mie pratiche');
    const cookies = await context.cookies();

    // someone else's case is not opened, even by its address
    const other = await page.goto(`${base}/pratica/mie-pratiche/${await caseOfOffice(database.db, 'CAPE')}`);
    assert.equal(other?.status(), 404);

    await page.goto(`${base}/pratica/dettaglio`);
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL(`${base}/pratica/esci`);
    assert.equal(await page.textContent('h1'), 'Sei uscito dal servizio');
    await assertAccessible(page, 'signed out, with the way out of SPID/CIE');
    // RP-initiated logout: the provider asks, then sends the citizen back
    await page.getByRole('link', { name: 'Esci anche da SPID o CIE' }).click();
    await page.waitForURL(`${provider.issuer}/**`);
    await page.click('button[name="logout"]');
    await page.waitForURL((url) => url.href === `${base}/pratica?esito=uscita`);
    assert.equal((await audits('portal.citizen-sign-out')).length, 1);

    // a copy of the cookies from before the sign-out no longer opens anything, on any process
    const copy = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const list = await app.inject({ url: '/pratica/mie-pratiche', headers: { cookie: copy } });
    assert.equal(list.statusCode, 303);
    assert.equal(list.headers.location, '/pratica');
    await context.close();
  });

  test('a citizen with no case sees the empty state with the offices', async () => {
    const { context, page } = await newPage();
    await signInAtProvider(page, 'laura');
    assert.equal(new URL(page.url()).pathname, '/pratica/mie-pratiche');
    assert.match(await page.textContent('#my-cases-empty') ?? '', /Non risultano pratiche a tuo nome/);
    assert.match(await page.textContent('main') ?? '', /Servizio Viabilità/);
    await assertAccessible(page, 'Le mie pratiche, empty');
    await context.close();
  });

  async function refusal(page: Page, title: string): Promise<void> {
    assert.equal(await page.textContent('h1'), title);
    await assertAccessible(page, title);
  }

  test('a callback whose state is not the one this browser was given is refused', async () => {
    const { context, page } = await newPage();
    // a sign-in started, then another one in a second tab: the first one's answer carries a state no longer kept
    await page.goto(`${base}/pratica/oidc/accesso`);
    await page.waitForURL(`${provider.issuer}/**`);
    const second = await context.newPage();
    await second.goto(`${base}/pratica/oidc/accesso`);
    await second.close();
    await loginAtProvider(page, 'mario');
    await refusal(page, 'Accesso non valido');
    assert.equal((await context.cookies()).some((c) => c.name === 'po_cittadino'), false);
    await context.close();
  });

  test('a tampered state is refused, and nothing is signed in', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/pratica/oidc/accesso`);
    await page.waitForURL(`${provider.issuer}/**`);
    const cookie = (await context.cookies()).filter((c) => c.name === 'po_oidc').map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await app.inject({ url: '/pratica/oidc/callback?code=abc&state=tampered-state-0123456789abcdef0123456789', headers: { cookie } });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Accesso non valido/);
    assert.equal(response.cookies.some((c) => c.name === 'po_cittadino' && c.value !== ''), false);
    await context.close();
  });

  // ID tokens validly signed by the provider's key, each with one claim this relying party must refuse
  const forgeries: [string, Record<string, string>][] = [
    ['an ID token with another nonce', { nonce: 'a-nonce-this-relying-party-never-sent-0123456789' }],
    ['an ID token for another audience', { aud: 'un-altro-servizio' }],
  ];
  for (const [what, forged] of forgeries) {
    test(`${what} is refused`, async () => {
      provider.forgeIdToken = (claims) => ({ ...claims, ...forged });
      try {
        const { context, page } = await newPage();
        await signInAtProvider(page, 'mario');
        await refusal(page, 'Accesso non valido');
        await context.close();
      } finally {
        provider.forgeIdToken = undefined;
      }
    });
  }

  test('an expired code is refused', async () => {
    provider.codeTtlSeconds = 1;
    provider.tokenDelayMs = 2100;
    try {
      const { context, page } = await newPage();
      await signInAtProvider(page, 'mario');
      await refusal(page, 'Accesso scaduto');
      await context.close();
    } finally {
      provider.codeTtlSeconds = 60;
      provider.tokenDelayMs = 0;
    }
  });

  test('an identity without a fiscal code is refused', async () => {
    const { context, page } = await newPage();
    await signInAtProvider(page, 'anonimo');
    await refusal(page, 'Codice fiscale non ricevuto');
    await context.close();
  });

  test('the citizen cancelling at the provider ends on the "annullato" page', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/pratica`);
    await page.click('#spid-access');
    await page.waitForURL(`${provider.issuer}/**`);
    await page.click('text=[ Cancel ]');
    await page.waitForURL(`${base}/**`);
    await refusal(page, 'Accesso annullato');
    await context.close();
  });

  test('a callback with no sign-in under way, or forged by hand, is a page, not a 500', async () => {
    for (const query of ['', '?code=abc&state=def', '?error=access_denied', '?state=x&code=' + 'A'.repeat(3000)]) {
      const response = await app.inject({ url: `/pratica/oidc/callback${query}` });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${query.slice(0, 40)}: ${response.statusCode}`);
      assert.match(String(response.headers['content-type']), /text\/html/);
    }
  });
});
