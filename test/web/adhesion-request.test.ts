import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPortalApp, csrfOf, visibleText, Visitor } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

const GOOD = { applicantName: 'Maria Rossi', protocolNumber: 'PG/2026/4411', protocolDate: '2026-11-20', mobile: '333 123 4567', email: 'maria.rossi@example.org', channels: 'sms', privacy: 'yes' };

describe('the online adhesion request on the public card', () => {
  let testApp: PortalTestApp;
  let code: string;
  let page: string;
  before(async () => {
    testApp = await createPortalApp();
    code = (await testApp.database.db.selectFrom('procedures').select('code').where('term_amount', 'is not', null).where('active', '=', true).orderBy('code').executeTakeFirstOrThrow()).code;
    page = `/trasparenza/procedimenti/${code}/adesione`;
  });
  after(() => testApp.close());
  const requests = () => testApp.database.db.selectFrom('adhesion_requests').selectAll().execute();

  test('the card links the form; a good request is stored and the citizen is told what happens next', async () => {
    assert.match((await testApp.app.inject({ url: `/trasparenza/procedimenti/${code}` })).body, new RegExp(`href="${page}">Richiedi l&#39;adesione online<`));
    const visitor = new Visitor(testApp, '198.51.100.20');
    const form = await visitor.get(page);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="protocolNumber"/);
    // App IO is offered only where the office has it: here no office does
    assert.doesNotMatch(form.body, /value="io"/);
    const sent = await visitor.post(page, { _csrf: csrfOf(form.body), ...GOOD, email: '' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${page}/inviata`);
    const confirmation = visibleText((await visitor.get(String(sent.headers.location))).body);
    assert.match(confirmation, /controlla il numero di protocollo/);
    assert.match(confirmation, /primo messaggio, con il codice della pratica e la password/);
    const [stored] = (await requests()).filter((r) => r.protocol_number === 'PG/2026/4411');
    assert.ok(stored);
    assert.equal(stored.status, 'pending');
    assert.equal(stored.mobile, '+393331234567');
    assert.equal(stored.notify_sms, true);
    assert.ok(stored.consent_at instanceof Date);
  });

  test('every fault at once, each on its field, 422, nothing stored', async () => {
    const visitor = new Visitor(testApp, '198.51.100.21');
    const before = (await requests()).length;
    const form = await visitor.get(page);
    const refused = await visitor.post(page, {
      _csrf: csrfOf(form.body), applicantName: '', protocolNumber: 'x'.repeat(61), protocolDate: '2026-02-30', applicantFiscalCode: 'RSSMRA',
      mobile: '12', email: 'non-una-mail', channels: 'io',
    });
    assert.equal(refused.statusCode, 422);
    for (const field of ['applicantName', 'protocolNumber', 'protocolDate', 'applicantFiscalCode', 'mobile', 'email', 'channels', 'privacy']) {
      assert.match(refused.body, new RegExp(`id="${field}-error"`), `${field} has its message`);
      assert.match(refused.body, new RegExp(`href="#${field}"`), `the summary links ${field}`);
    }
    assert.match(refused.body, /febbraio 2026 ha 28 giorni/);
    assert.match(refused.body, /App IO non è attivo/);
    assert.match(refused.body, /value="non-una-mail"/, 'the form comes back as typed');
    assert.equal((await requests()).length, before);
  });

  test('hostile input: scripts are shown as text, control characters and over-long values get an Italian answer, never a 500', async () => {
    const visitor = new Visitor(testApp, '198.51.100.22');
    const csrf = csrfOf((await visitor.get(page)).body);
    const script = await visitor.post(page, { _csrf: csrf, ...GOOD, applicantName: '<script>alert(1)</script>', email: '"><img src=x onerror=alert(1)>', channels: 'email' });
    assert.equal(script.statusCode, 422);
    assert.doesNotMatch(script.body, /<script>alert|<img src=x/);
    const control = await visitor.post(page, { _csrf: csrf, ...GOOD, applicantName: 'Maria\u0000Rossi' });
    assert.equal(control.statusCode, 400);
    assert.match(control.body, /carattere non ammesso/);
    const long = await visitor.post(page, { _csrf: csrf, ...GOOD, applicantName: 'M'.repeat(5_000) });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /supera i 200 caratteri/);
    const huge = await visitor.post(page, { _csrf: csrf, ...GOOD, applicantName: 'M'.repeat(2_000_000) });
    assert.equal(huge.statusCode, 413);
    assert.match(huge.body, /lang="it"/);
  });

  test('without the form\'s CSRF token the request is refused and nothing stored', async () => {
    const visitor = new Visitor(testApp, '198.51.100.23');
    await visitor.get(page);
    const before = (await requests()).length;
    const refused = await visitor.post(page, { ...GOOD });
    assert.equal(refused.statusCode, 403);
    assert.equal((await requests()).length, before);
  });

  test('per-address throttle: after a burst the address waits, told how long; another address is not held', async () => {
    const visitor = new Visitor(testApp, '198.51.100.24');
    const csrf = csrfOf((await visitor.get(page)).body);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await visitor.post(page, { _csrf: csrf, ...GOOD, protocolNumber: `T-${i}` })).statusCode);
    assert.deepEqual(statuses, [...Array(10).fill(303), 429]);
    const held = await visitor.post(page, { _csrf: csrf, ...GOOD, protocolNumber: 'T-held' });
    assert.equal(held.statusCode, 429);
    assert.ok(Number(held.headers['retry-after']) >= 1);
    assert.match(held.body, /Troppe richieste da questo indirizzo: riprovare tra \d+ secondi/);
    const other = new Visitor(testApp, '198.51.100.25');
    assert.equal((await other.post(page, { _csrf: csrfOf((await other.get(page)).body), ...GOOD, protocolNumber: 'T-other' })).statusCode, 303);
  });

  test('no enumeration: a protocol number of an existing case gets the very same answer as an unknown one', async () => {
    const existing = await testApp.database.db.selectFrom('cases').innerJoin('procedures', 'procedures.id', 'cases.procedure_id')
      .select(['cases.protocol_number']).where('procedures.code', '=', code).where('cases.protocol_number', '!=', '').executeTakeFirst();
    const known = existing?.protocol_number ?? 'PG/2026/0001';
    const answers = [];
    for (const [i, protocolNumber] of [known, 'NESSUNO/9999'].entries()) {
      const visitor = new Visitor(testApp, `198.51.100.${30 + i}`);
      const sent = await visitor.post(page, { _csrf: csrfOf((await visitor.get(page)).body), ...GOOD, protocolNumber });
      const shown = await visitor.get(String(sent.headers.location));
      answers.push({ status: sent.statusCode, location: sent.headers.location, body: shown.body.replace(/name="_csrf" value="[^"]+"/g, '') });
    }
    assert.deepEqual(answers[0], answers[1]);
  });

  test('an unknown procedure has no form', async () => {
    assert.equal((await testApp.app.inject({ url: '/trasparenza/procedimenti/NON-ESISTE/adesione' })).statusCode, 404);
  });
});

describe('the online adhesion request where the office has App IO and the administration a privacy notice', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp({ io: { everyOffice: true, offices: new Set() } });
    await testApp.database.db.updateTable('administrations').set({ privacy_notice_url: 'https://www.provincia-fc.example/privacy' }).execute();
  });
  after(() => testApp.close());

  test('App IO is offered, with the fiscal code it needs, and the consent links the notice', async () => {
    const body = (await testApp.app.inject({ url: '/trasparenza/procedimenti/TE-01/adesione' })).body;
    assert.match(body, /id="channel-io" value="io"/);
    assert.match(body, /<a href="https:\/\/www.provincia-fc.example\/privacy">Leggi l&#39;informativa completa<\/a>/);
  });
});
