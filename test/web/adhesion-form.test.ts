import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFCheckBox, PDFDocument, PDFTextField } from 'pdf-lib';
import { ADHESION_FIELDS } from '../../src/adapters/web/adhesion-pdf.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

describe('the adhesion form, public: a fillable PDF per procedure and the printable page', () => {
  let testApp: TestApp;
  let code: string;
  before(async () => {
    testApp = await createTestApp();
    code = (await testApp.database.db.selectFrom('procedures').select('code').where('term_amount', 'is not', null).where('active', '=', true).orderBy('code').executeTakeFirstOrThrow()).code;
  });
  after(() => testApp.close());

  test('the PDF has the procedure printed and fillable fields for the applicant, contacts, channels and consent', async () => {
    const response = await testApp.app.inject({ url: `/trasparenza/procedimenti/${code}/modulo-adesione.pdf` });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/pdf');
    const pdf = await PDFDocument.load(response.rawPayload);
    assert.match(pdf.getTitle() ?? '', new RegExp(`Modulo di adesione.*${code}`));
    const form = pdf.getForm();
    const fields = Object.fromEntries(form.getFields().map((field) => [field.getName(), field.constructor.name]));
    for (const name of [ADHESION_FIELDS.applicantName, ADHESION_FIELDS.subject, ADHESION_FIELDS.mobile, ADHESION_FIELDS.email, ADHESION_FIELDS.date]) {
      assert.ok(form.getField(name) instanceof PDFTextField, `${name} is a text field (${fields[name]})`);
    }
    for (const name of [ADHESION_FIELDS.channelSms, ADHESION_FIELDS.channelEmail, ADHESION_FIELDS.consent]) {
      assert.ok(form.getField(name) instanceof PDFCheckBox, `${name} is a check box`);
    }
    // filled in and read back, as the office would
    form.getTextField(ADHESION_FIELDS.applicantName).setText('Maria Rossi');
    form.getCheckBox(ADHESION_FIELDS.channelEmail).check();
    const again = (await PDFDocument.load(await pdf.save())).getForm();
    assert.equal(again.getTextField(ADHESION_FIELDS.applicantName).getText(), 'Maria Rossi');
    assert.equal(again.getCheckBox(ADHESION_FIELDS.channelEmail).isChecked(), true);
    assert.equal(again.getCheckBox(ADHESION_FIELDS.channelSms).isChecked(), false);
  });

  test('the card links the PDF and the printable page, which needs no sign-in; the sign-in page points to the cards', async () => {
    const card = (await testApp.app.inject({ url: `/trasparenza/procedimenti/${code}` })).body;
    assert.match(card, new RegExp(`href="/trasparenza/procedimenti/${code}/modulo-adesione.pdf" type="application/pdf">Modulo di adesione in PDF compilabile<`));
    assert.match(card, new RegExp(`href="/trasparenza/procedimenti/${code}/modulo-adesione">Modulo di adesione da stampare<`));
    const printable = await testApp.app.inject({ url: `/trasparenza/procedimenti/${code}/modulo-adesione` });
    assert.equal(printable.statusCode, 200);
    assert.match(printable.body, /<article class="adhesion-form">/);
    assert.match(printable.body, /Nome e cognome \/ ragione sociale del richiedente/);
    assert.match((await testApp.app.inject({ url: '/pratica' })).body, /href="\/trasparenza\/tempi-procedimentali">Scegli il procedimento</);
  });

  test('an unknown procedure: the site\'s not-found page, no PDF', async () => {
    const response = await testApp.app.inject({ url: '/trasparenza/procedimenti/NON-ESISTE/modulo-adesione.pdf' });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^text\/html/);
  });
});
