import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { StaffClient, VIAB_MANAGER, text } from './client.ts';

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
});
