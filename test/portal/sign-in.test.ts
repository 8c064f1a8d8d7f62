import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, Visitor, createPortalApp, eventually, demoCase, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';
import { buildApp } from '../../src/adapters/web/app.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { testServices } from '../support/services.ts';

describe('portal sign-in with case code and password', () => {
  let testApp: PortalTestApp;
  let code: string;
  before(async () => {
    testApp = await createPortalApp();
    code = (await demoCase(testApp, 'acque meteoriche')).code;
  });
  after(() => testApp.close());

  test('the sign-in page is Italian, labelled, protected by CSRF and strict headers, never cached', async () => {
    const page = await new Visitor(testApp).get('/pratica');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="it">/);
    assert.match(page.body, /<label for="code"[^>]*>Codice pratica<\/label>/);
    assert.match(page.body, /<label for="password"[^>]*>Password<\/label>/);
    assert.match(page.body, /name="_csrf" value="[^"]+"/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(visibleText(page.body), /Hai smarrito il codice o la password\?/);
    const english = await new Visitor(testApp).get('/pratica?lang=en');
    assert.match(english.body, /<html lang="en">/);
    assert.match(visibleText(english.body), /Sign in to your case/);
  });

  test('the right code and password open the case page, with a signed httpOnly SameSite cookie', async () => {
    const visitor = new Visitor(testApp, '198.51.100.10');
    const response = await visitor.signIn(code);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/pratica/dettaglio');
    const cookie = response.cookies.find((c) => c.name === 'po_pratica');
    assert.ok(cookie, 'a session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.ok(cookie.maxAge && cookie.maxAge <= 1800, 'the session expires');
    const page = await visitor.get('/pratica/dettaglio');
    assert.equal(page.statusCode, 200);
    assert.match(visibleText(page.body), new RegExp(`Pratica ${code}`));
    // signed in, the sign-in page leads straight to the case
    assert.equal((await visitor.get('/pratica')).headers.location, '/pratica/dettaglio');
  });

  test('codes typed in lower case and with spaces, passwords without dashes, are accepted', async () => {
    const visitor = new Visitor(testApp, '198.51.100.11');
    const response = await visitor.signIn(` ${code.toLowerCase().replace(/-/g, ' - ')} `, PASSWORD.toLowerCase().replace(/-/g, ''));
    assert.equal(response.statusCode, 303);
  });

  test('a wrong password and an unknown code get the same generic answer', async () => {
    const wrongPassword = await new Visitor(testApp, '198.51.100.12').signIn(code, 'AAAA-BBBB-CCCC-DDDD');
    const unknownCode = await new Visitor(testApp, '198.51.100.13').signIn('FC-2222-3333', PASSWORD);
    const badFormat = await new Visitor(testApp, '198.51.100.14').signIn('not a code', PASSWORD);
    for (const response of [wrongPassword, unknownCode, badFormat]) {
      assert.equal(response.statusCode, 401);
      assert.match(visibleText(response.body), /Codice pratica o password non corretti/);
      assert.equal(response.cookies.find((c) => c.name === 'po_pratica'), undefined);
    }
    // the code typed is kept in the field, the password never is
    assert.match(wrongPassword.body, new RegExp(`value="${code}"`));
    assert.doesNotMatch(wrongPassword.body, /AAAA-BBBB/);
  });

  test('empty fields are asked for, very long values and scripts come back harmless', async () => {
    const empty = await new Visitor(testApp, '198.51.100.15').signIn('', '');
    assert.equal(empty.statusCode, 422);
    // each empty field is named in the summary and tied to its field
    assert.match(visibleText(empty.body), /Inserisci il codice pratica\./);
    assert.match(visibleText(empty.body), /Inserisci la password\./);
    assert.match(empty.body, /<a href="#code"[^>]*>Inserisci il codice pratica\.<\/a>/);
    assert.match(empty.body, /id="password"[^>]*aria-describedby="password-hint password-error"[^>]*aria-invalid="true"/);
    const long = await new Visitor(testApp, '198.51.100.16').signIn('X'.repeat(20_000), 'Y'.repeat(20_000));
    assert.equal(long.statusCode, 401);
    assert.match(visibleText(long.body), /Codice pratica o password non corretti/);
    const huge = await new Visitor(testApp, '198.51.100.16').signIn('X'.repeat(100_000), 'Y'.repeat(100_000));
    assert.equal(huge.statusCode, 413);
    assert.match(visibleText(huge.body), /Richiesta non valida/);
    const script = await new Visitor(testApp, '198.51.100.17').signIn('"><script>alert(1)</script>', 'x');
    assert.equal(script.statusCode, 401);
    // the quote is escaped, so the text stays inside the field's value
    assert.doesNotMatch(script.body, /"><script>alert/);
    assert.match(script.body, /value="&#34;>/);
    assert.match(script.body, /href="\/pratica\?lang=en"/, 'the language switch reloads the sign-in page, not the form address');
  });

  test('a control character in the sign-in form is refused with a page naming the field, and counts no attempt', async () => {
    const visitor = new Visitor(testApp, '198.51.100.117');
    const response = await visitor.signIn(`${code}\u0000`);
    assert.equal(response.statusCode, 400);
    assert.match(visibleText(response.body), /Il campo "code" contiene un carattere non ammesso \(U\+0000\)/);
    const throttled = await testApp.database.db.selectFrom('portal_throttle').select('key').where('key', 'like', '%198.51.100.117%').execute();
    assert.deepEqual(throttled, [], 'the refused form reached no sign-in');
  });

  test('a form without its CSRF token is refused', async () => {
    const visitor = new Visitor(testApp, '198.51.100.18');
    await visitor.get('/pratica');
    const response = await visitor.post('/pratica/accesso', { code, password: PASSWORD });
    assert.equal(response.statusCode, 403);
    assert.match(visibleText(response.body), /Modulo scaduto/);
    assert.equal(response.cookies.find((c) => c.name === 'po_pratica'), undefined);
  });

  test('the case page needs a session; a forged or ended session is refused', async () => {
    const anonymous = await new Visitor(testApp, '198.51.100.19').get('/pratica/dettaglio');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/pratica');

    const forger = new Visitor(testApp, '198.51.100.20');
    forger.cookies.set('po_pratica', Buffer.from(JSON.stringify({ cid: 'x', fp: 'y', exp: Date.now() + 1e6 })).toString('base64url') + '.forged');
    const forged = await forger.get('/pratica/dettaglio');
    assert.equal(forged.statusCode, 401);
    assert.match(visibleText(forged.body), /Sessione scaduta/);
  });

  test('signing out ends the session', async () => {
    const visitor = new Visitor(testApp, '198.51.100.21');
    await visitor.signIn(code);
    const out = await visitor.submit('/pratica/dettaglio', '/pratica/esci', {});
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/pratica?esito=uscita');
    assert.match(visibleText((await visitor.get('/pratica?esito=uscita')).body), /Sei uscito dalla pratica/);
    assert.equal((await visitor.get('/pratica/dettaglio')).statusCode, 303);
  });

  test("a session ends 30 minutes after the last page seen, by the application's clock", async () => {
    const visitor = new Visitor(testApp, '198.51.100.22');
    await visitor.signIn(code);
    const minutes = (n: number) => testApp.clock.advance(n * 60);
    minutes(25);
    assert.equal((await visitor.get('/pratica/dettaglio')).statusCode, 200);
    // 54 minutes after signing in, 29 after the last page: still open
    minutes(29);
    assert.equal((await visitor.get('/pratica/dettaglio')).statusCode, 200);
    minutes(31);
    const late = await visitor.get('/pratica/dettaglio');
    assert.notEqual(late.statusCode, 200);
    assert.doesNotMatch(visibleText(late.body), new RegExp(`Pratica ${code}`));
  });

  test('after signing out, a copy of the old cookie no longer opens the case, on this process or another', async () => {
    const other = await buildApp({
      db: testApp.database.db, listen: testApp.database.listen, ...testServices(testApp.clock), publicBaseUrl: 'http://localhost:3000',
      production: false, sessionSecret: TEST_SESSION_SECRET,
    });
    try {
      const visitor = new Visitor(testApp, '198.51.100.23');
      await visitor.signIn(code);
      const copied = visitor.cookies.get('po_pratica')!;
      const replay = (app: typeof other) => app.inject({ url: '/pratica/dettaglio', cookies: { po_pratica: copied }, remoteAddress: '192.0.2.99' });
      // read twice on each process, so that both keep the page in memory
      for (const app of [testApp.app, other, testApp.app, other]) assert.equal((await replay(app)).statusCode, 200);
      const out = await visitor.submit('/pratica/dettaglio', '/pratica/esci', {});
      assert.equal(out.statusCode, 303);
      const here = await replay(testApp.app);
      assert.notEqual(here.statusCode, 200, 'the process that signed out refuses the copy at once');
      assert.doesNotMatch(visibleText(here.body), new RegExp(`Pratica ${code}`));
      const there = await eventually(() => replay(other), (page) => page.statusCode !== 200);
      assert.equal(there.statusCode, 401, 'another process refuses it as soon as the database tells of the sign-out');
      assert.match(visibleText(there.body), /Sessione scaduta/);
      // signing in again works as before
      assert.equal((await new Visitor(testApp, '198.51.100.23').signIn(code)).statusCode, 303);
    } finally {
      await other.close();
    }
  });

  test('when the office issues a new password, sessions opened with the old one end', async () => {
    const other = await demoCase(testApp, 'gru semovente');
    const visitor = new Visitor(testApp, '198.51.100.22');
    await visitor.signIn(other.code);
    assert.equal((await visitor.get('/pratica/dettaglio')).statusCode, 200);
    await testApp.database.db.updateTable('cases').set({ password_hash: 'reissued' }).where('id', '=', other.id).execute();
    const after = await eventually(() => visitor.get('/pratica/dettaglio'), (page) => page.statusCode !== 200);
    assert.equal(after.statusCode, 401);
  });

  test('the lost-login page lists the offices to contact and the support address', async () => {
    const page = await new Visitor(testApp).get('/pratica/credenziali-smarrite');
    assert.equal(page.statusCode, 200);
    const textOf = visibleText(page.body);
    assert.match(textOf, /Codice o password smarriti/);
    assert.match(textOf, /Servizio Ambiente - Autorizzazioni agli scarichi/);
    assert.match(textOf, /\+39 0543 714300/);
    assert.match(textOf, /praticaonline@provincia-fc\.example/);
  });

  test('unknown portal pages get an Italian not-found page', async () => {
    const page = await new Visitor(testApp).get('/pratica/nessuna-pagina');
    assert.equal(page.statusCode, 404);
    assert.match(visibleText(page.body), /Pagina non trovata/);
  });
});

describe('portal sign-in in production', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp({ production: true });
  });
  after(() => testApp.close());

  test('the session cookie is Secure and bound to the origin', async () => {
    const code = (await demoCase(testApp, 'gru semovente')).code;
    const response = await new Visitor(testApp, '198.51.100.30').signIn(code);
    assert.equal(response.statusCode, 303);
    const cookie = response.cookies.find((c) => c.name === '__Host-po_pratica');
    assert.ok(cookie);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.path, '/');
    assert.match(String(response.headers['strict-transport-security']), /max-age/);
  });
});
