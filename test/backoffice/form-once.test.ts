import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, StaffClient, VIAB_MANAGER, text } from './client.ts';

const ENROL = {
  procedureCode: 'TE-01',
  subject: 'Trasporto eccezionale di una gru, modulo inviato due volte',
  applicantName: 'Gru Romagna S.r.l.',
  receivedOn: '2026-11-24',
  mobile: '333 123 4567',
  channels: ['sms'],
  privacy: 'yes',
  action: 'save',
};

describe('a back-office form sent twice writes once', () => {
  let testApp: TestApp;
  let viab: StaffClient;
  before(async () => {
    testApp = await createTestApp();
    viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
  });
  after(() => testApp.close());

  const casesEnrolled = async () =>
    (await testApp.database.db.selectFrom('cases').select('code').where('subject', '=', ENROL.subject).execute()).map((c) => c.code);

  test('the same enrolment form (same one-time token) sent again creates one case, and the second answer leads to it', async () => {
    const form = await viab.get('/uffici/pratiche/nuova');
    const formToken = /name="formToken" value="([^"]+)"/.exec(form.body)?.[1];
    assert.ok(formToken, 'the form carries a one-time token');
    const first = await viab.post('/uffici/pratiche/nuova', { ...ENROL, formToken });
    assert.equal(first.statusCode, 201);
    assert.match(text(first.body), /Password/);
    const [code] = await casesEnrolled();

    const again = await viab.post('/uffici/pratiche/nuova', { ...ENROL, formToken });
    assert.equal(again.statusCode, 303, 'a reload of the result: no second case');
    assert.equal(again.headers.location, `/uffici/pratiche/${code}`);
    assert.match(text((await viab.follow(again)).body), new RegExp(`La pratica ${code} era già stata registrata con questo modulo`));
    assert.deepEqual(await casesEnrolled(), [code]);

    // a new form is a new token: the same data may be a second application on purpose
    const fresh = /name="formToken" value="([^"]+)"/.exec((await viab.get('/uffici/pratiche/nuova')).body)![1]!;
    assert.notEqual(fresh, formToken);
    assert.equal((await viab.post('/uffici/pratiche/nuova', { ...ENROL, formToken: fresh })).statusCode, 201);
    assert.equal((await casesEnrolled()).length, 2);
  });

  test('a form refused and corrected keeps its token, so the corrected one is the one that counts', async () => {
    const formToken = /name="formToken" value="([^"]+)"/.exec((await viab.get('/uffici/pratiche/nuova')).body)![1]!;
    const refused = await viab.post('/uffici/pratiche/nuova', { ...ENROL, subject: 'Gru, prima senza informativa', privacy: undefined, formToken });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, new RegExp(`name="formToken" value="${formToken}"`));
  });

  test('the same CSV upload sent again (a reload of the report) imports once', async () => {
    const admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    const page = await admin.get('/uffici/importa');
    const formToken = /name="formToken" value="([^"]+)"/.exec(page.body)![1]!;
    const csv = ['procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio', 'TE-01;Gru importata due volte;Gru Bianchi S.r.l.;24/11/2026;2026/991;333 1234567;;sms;'].join('\r\n');
    const send = async () => {
      const form = new FormData();
      form.append('_csrf', admin.csrf);
      form.append('formToken', formToken);
      form.append('mode', 'import');
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'pratiche.csv');
      const request = new Request('http://x/', { method: 'POST', body: form });
      const cookie = ['po_staff', '_csrf_secret'].map((n) => `${n}=${admin.cookie(n)}`).join('; ');
      return testApp.app.inject({ method: 'POST', url: '/uffici/importa', payload: Buffer.from(await request.arrayBuffer()), headers: { cookie, 'content-type': request.headers.get('content-type')! } });
    };
    assert.equal((await send()).statusCode, 201);
    const again = await send();
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, '/uffici/importa');
    assert.match(String(again.headers['set-cookie']), /po_flash=/, 'with a notice that the file was imported already');
    const imported = await testApp.database.db.selectFrom('cases').select('id').where('subject', '=', 'Gru importata due volte').execute();
    assert.equal(imported.length, 1);
  });
});
