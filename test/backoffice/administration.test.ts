import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { setUpAdministration } from '../../src/application/administration.ts';
import { systemActor } from '../support/fixtures.ts';
import { ADMIN, StaffClient, createStaff, text } from './client.ts';

describe('the "Amministrazione" page of the back office', () => {
  let testApp: TestApp;
  let admin: StaffClient;
  before(async () => {
    testApp = await createTestApp({ seed: false });
    await createStaff(testApp.database.db, { email: 'capo@comune.example.it', role: 'admin', password: 'la password del capo' });
    admin = new StaffClient(testApp.app);
    await admin.signIn({ email: 'capo@comune.example.it', password: 'la password del capo' });
  });
  after(() => testApp.close());

  const form = {
    name: 'Comune di Bertinoro', code: 'BE', ipaCode: 'c_a809', fiscalCode: '80001510405', address: 'Piazza della Libertà 1, Bertinoro',
    pec: 'protocollo@cert.comune.bertinoro.fc.it', supportEmail: 'urp@comune.bertinoro.fc.it', website: 'https://www.comune.bertinoro.fc.it',
    privacyNoticeUrl: '', accessibilityStatementUrl: '', legalNotesUrl: '', startCommunicationBasis: 'art. 7 del Regolamento comunale',
    'substitute.holder': 'Segretario comunale', 'substitute.office': '', 'substitute.email': '', 'substitute.pec': '', 'substitute.phone': '',
  };

  test('without an administration, creating an office is refused with a message, not a server error', async () => {
    await admin.get('/uffici/catalogo/uffici/nuovo');
    const office = await admin.post('/uffici/catalogo/uffici/nuovo', { code: 'URP', name: 'URP', address: 'Piazza della Libertà 1' });
    assert.equal(office.statusCode, 422);
    assert.match(text(office.body), /Prima di creare un ufficio va configurata l'amministrazione/);
  });

  test('bad values are told next to their field and nothing is saved', async () => {
    await admin.get('/uffici/amministrazione');
    const refused = await admin.post('/uffici/amministrazione', { ...form, supportEmail: 'urp', fiscalCode: '123', 'substitute.phone': '12' });
    assert.equal(refused.statusCode, 422);
    const body = text(refused.body);
    assert.match(body, /supportEmail: "urp" non è un indirizzo e-mail valido/);
    assert.match(body, /fiscalCode: "123" non è il codice fiscale di un ente/);
    assert.match(body, /substitutePower\.phone: "12" non è un numero di telefono valido/);
    assert.match(refused.body, /href="#substitute-phone"/);
    assert.equal(await testApp.database.db.selectFrom('administrations').select('id').executeTakeFirst(), undefined);
  });

  test('an administrator sets the administration up, then a second save changes nothing; it is audited', async () => {
    const saved = await admin.follow(await admin.post('/uffici/amministrazione', form));
    assert.match(text(saved.body), /Dati dell'amministrazione salvati/);
    assert.match(saved.body, /value="Segretario comunale"/);
    assert.match(saved.body, /<a class="navbar-brand" href="https:\/\/www\.comune\.bertinoro\.fc\.it\/">Comune di Bertinoro<\/a>/);
    const again = await admin.follow(await admin.post('/uffici/amministrazione', form));
    assert.match(text(again.body), /Nessuna modifica/);
    const audits = await testApp.database.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'administration').execute();
    assert.equal(audits.length, 1);
    assert.match(audits[0]!.actor, /^staff:/);
    await admin.get('/uffici/catalogo/uffici/nuovo');
    const office = await admin.post('/uffici/catalogo/uffici/nuovo', { code: 'URP', name: 'URP', address: 'Piazza della Libertà 1' });
    assert.equal(office.statusCode, 303);
  });

  test('the coat of arms is uploaded, shown in every header, refused when it is not an image, and removed', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
    await admin.get('/uffici/amministrazione');
    const none = await admin.postMultipart('/uffici/amministrazione/stemma', {});
    assert.equal(none.statusCode, 422);
    assert.match(text(none.body), /il file non è stato scelto/);
    const fake = await admin.postMultipart('/uffici/amministrazione/stemma', { logo: [new Blob(['<html>non sono uno stemma</html>'], { type: 'image/png' }), 'stemma.png'] });
    assert.equal(fake.statusCode, 422);
    assert.match(fake.body, /id="logo-error"[^>]*>logoFile: /);
    assert.equal((await testApp.database.db.selectFrom('administrations').select('logo_type').executeTakeFirstOrThrow()).logo_type, null);
    const saved = await admin.follow(await admin.postMultipart('/uffici/amministrazione/stemma', { logo: [new Blob([png], { type: 'image/png' }), 'stemma.png'] }));
    assert.match(text(saved.body), /Dati dell'amministrazione salvati/);
    const src = /<img src="(\/amministrazione\/logo\?v=[^"]+)" alt="Stemma attuale"/.exec(saved.body)?.[1];
    assert.ok(src, 'the current coat of arms is shown on the page');
    const served = await testApp.app.inject({ url: src! });
    assert.equal(served.headers['content-type'], 'image/png');
    assert.deepEqual(new Uint8Array(served.rawPayload), png);
    assert.match((await testApp.app.inject({ url: '/pratica' })).body, new RegExp(src!.replace(/[?.]/g, '\\$&')));
    const removed = await admin.follow(await admin.postMultipart('/uffici/amministrazione/stemma', { remove: 'yes' }));
    assert.doesNotMatch(removed.body, /Stemma attuale/);
    assert.equal((await testApp.app.inject({ url: '/amministrazione/logo' })).statusCode, 404);
    const audits = await testApp.database.db.selectFrom('audit_log').select('after').where('entity', '=', 'administration').execute();
    assert.equal(audits.length, 3, 'the set-up, the upload and the removal');
  });

  test('other roles cannot open it', async () => {
    await createStaff(testApp.database.db, { email: 'resp@comune.example.it', role: 'office-manager', officeCode: 'URP', password: 'la password del responsabile' });
    const manager = new StaffClient(testApp.app);
    await manager.signIn({ email: 'resp@comune.example.it', password: 'la password del responsabile' });
    assert.equal((await manager.get('/uffici/amministrazione')).statusCode, 403);
    assert.doesNotMatch((await manager.get('/uffici')).body, /href="\/uffici\/amministrazione"/);
  });
});

describe('the printed adhesion form', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await createTestApp();
  });
  after(() => testApp.close());

  test('points to the full privacy notice once the administration has one', async () => {
    const admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    assert.doesNotMatch(text((await admin.get('/uffici/modulo-adesione/TE-01')).body), /Informativa completa/);
    await setUpAdministration(testApp.database.db, systemActor, { privacyNoticeUrl: 'https://www.provincia.fc.it/privacy' });
    assert.match(text((await admin.get('/uffici/modulo-adesione/TE-01')).body), /Informativa completa: https:\/\/www.provincia.fc.it\/privacy/);
  });
});
