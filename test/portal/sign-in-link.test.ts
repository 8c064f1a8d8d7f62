import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSignInLink } from '../../src/application/portal/sign-in-link.ts';
import { TEST_SESSION_SECRET } from '../support/app.ts';
import { Visitor, createPortalApp, csrfOf, demoCase, visibleText } from './support.ts';
import type { PortalTestApp } from './support.ts';

describe('one-click sign-in link', () => {
  let testApp: PortalTestApp;
  let caseId: string;
  let code: string;
  const link = (options: { secret?: string; validForSeconds?: number } = {}): string =>
    createSignInLink({
      secret: options.secret ?? TEST_SESSION_SECRET,
      baseUrl: 'http://localhost:3000/',
      caseId,
      now: testApp.clock.now(),
      ...(options.validForSeconds ? { validForSeconds: options.validForSeconds } : {}),
    }).replace('http://localhost:3000', '');
  before(async () => {
    testApp = await createPortalApp();
    ({ id: caseId, code } = await demoCase(testApp, 'acque meteoriche'));
  });
  after(() => testApp.close());

  test('is short, opens a page that asks for one click, then the case', async () => {
    const path = link();
    assert.match(path, /^\/pratica\/link\/[A-Za-z0-9_-]{50,70}$/);
    const visitor = new Visitor(testApp, '192.0.2.1');
    const confirm = await visitor.get(path);
    assert.equal(confirm.statusCode, 200);
    assert.match(visibleText(confirm.body), new RegExp(`Stai per accedere alla pratica ${code}`));
    // opening the page (as a mail scanner would) does not spend the link
    assert.equal((await new Visitor(testApp, '192.0.2.2').get(path)).statusCode, 200);
    const signedIn = await visitor.post(path, { _csrf: csrfOf(confirm.body) });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(signedIn.headers.location, '/pratica/dettaglio');
    assert.match(visibleText((await visitor.get('/pratica/dettaglio')).body), new RegExp(`Pratica ${code}`));
  });

  test('works once: a reused link is refused', async () => {
    const path = link();
    const first = new Visitor(testApp, '192.0.2.3');
    assert.equal((await first.submit(path, path, {})).statusCode, 303);
    const second = new Visitor(testApp, '192.0.2.4');
    const again = await second.get(path);
    assert.equal(again.statusCode, 410);
    assert.match(visibleText(again.body), /Collegamento già usato/);
    const page = await new Visitor(testApp, '192.0.2.5').get('/pratica');
    const replay = await second.post(path, { _csrf: csrfOf(page.body) });
    assert.ok(replay.statusCode === 410 || replay.statusCode === 403, `replay refused (${replay.statusCode})`);
    assert.equal(replay.cookies.find((c) => c.name === 'po_pratica'), undefined);
  });

  test('expires', async () => {
    const path = link({ validForSeconds: 3600 });
    testApp.clock.advance(3601);
    try {
      const visitor = new Visitor(testApp, '192.0.2.6');
      const page = await visitor.get(path);
      assert.equal(page.statusCode, 410);
      assert.match(visibleText(page.body), /Collegamento scaduto/);
    } finally {
      testApp.clock.advance(-3601);
    }
  });

  test('a link altered or signed with another secret is refused', async () => {
    const path = link();
    const token = path.split('/').pop()!;
    const altered = `/pratica/link/${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    for (const bad of [altered, link({ secret: 'another-secret' }), '/pratica/link/short', `/pratica/link/${'x'.repeat(90)}`]) {
      const page = await new Visitor(testApp, '192.0.2.7').get(bad);
      assert.equal(page.statusCode, 400, bad);
      assert.match(visibleText(page.body), /Collegamento non valido/);
    }
    const tooLong = await new Visitor(testApp, '192.0.2.7').get(`/pratica/link/${'x'.repeat(500)}`);
    assert.equal(tooLong.statusCode, 400);
    assert.match(visibleText(tooLong.body), /Collegamento non valido/);
  });
});
