import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { databaseFingerprint } from '../support/fingerprint.ts';
import { ADMIN, VIAB_MANAGER, StaffClient, caseOfOffice } from './client.ts';
import { errorSummary } from './form-reader.ts';
import { Visitor, createPortalApp, demoCase } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';

/** A CSV upload through the real multipart form. */
async function upload(client: StaffClient, csv: string): Promise<LightMyRequestResponse> {
  await client.get('/uffici/importa');
  return client.postMultipart('/uffici/importa', { mode: 'dry-run', file: [new Blob([csv], { type: 'text/csv' }), 'pratiche.csv'] });
}

interface Row {
  form: string;
  /** sends the form with several wrong fields at once */
  send(clients: { admin: StaffClient; viab: StaffClient; anonymous: StaffClient }, testApp: TestApp): Promise<LightMyRequestResponse>;
  /** the summary's links, in the form's order */
  fields: string[];
  /** what the summary says, item by item */
  texts?: RegExp[];
  /** the values typed, still in the form */
  kept?: RegExp[];
}

const ROWS: Row[] = [
  {
    form: 'opt-out on the case page: a note too long and the confirmation left unticked',
    send: async ({ viab }, testApp) => {
      const code = await caseOfOffice(testApp.database.db, 'VIAB', 'in-progress');
      const page = await viab.get(`/uffici/pratiche/${code}`);
      const version = /name="version" value="(\d+)"/.exec(page.body)![1];
      return viab.post(`/uffici/pratiche/${code}/rinuncia`, { version, note: `Chiesto allo sportello ${'x'.repeat(500)}` });
    },
    fields: ['optout-note', 'optout-confirm'],
    texts: [/500 caratteri/, /Spuntare la conferma/],
    kept: [/value="Chiesto allo sportello x{10}/],
  },
  {
    form: 'administration set-up: required values missing, bad codes and each substitute-power field refused on its own',
    send: ({ admin }) => admin.post('/uffici/amministrazione', {
      name: '', code: 'BE', ipaCode: '', fiscalCode: '123', address: '', pec: '', supportEmail: 'urp', website: '',
      privacyNoticeUrl: '', accessibilityStatementUrl: '', legalNotesUrl: '', startCommunicationBasis: '',
      'substitute.holder': 'Segretario generale', 'substitute.office': '', 'substitute.email': 'segretario@', 'substitute.pec': '', 'substitute.phone': '12',
    }),
    fields: ['name', 'fiscalCode', 'supportEmail', 'website', 'substitute-email', 'substitute-phone'],
    texts: [/manca il nome/, /codice fiscale di un ente/, /"urp" non è un indirizzo e-mail/, /manca il sito/, /"segretario@" non è un indirizzo e-mail/, /"12" non è un numero di telefono/],
    kept: [/id="fiscalCode"[^>]*value="123"/, /id="substitute-email"[^>]*value="segretario@"/, /id="substitute-holder"[^>]*value="Segretario generale"/],
  },
  {
    form: 'coat of arms: a file that is no image',
    send: async ({ admin }) => {
      await admin.get('/uffici/amministrazione');
      return admin.postMultipart('/uffici/amministrazione/stemma', { logo: [new Blob(['<html>non sono uno stemma</html>'], { type: 'image/png' }), 'stemma.png'] });
    },
    fields: ['logo'],
    texts: [/non è un PNG né un SVG/],
  },
  {
    form: 'CSV import: a column missing and an unknown one, told together on the file field',
    send: ({ admin }) => upload(admin, 'procedimento;richiedente;data_ricevimento;colore\r\nTE-01;Gru Rossi S.r.l.;24/11/2026;blu'),
    fields: ['file'],
    texts: [/Mancano le colonne: oggetto.*Colonne sconosciute: colore/],
  },
  {
    form: 'API keys: a name with a slash and an unknown office',
    send: async ({ admin }) => {
      await admin.get('/uffici/amministrazione/chiavi-api');
      return admin.post('/uffici/amministrazione/chiavi-api', { name: 'protocollo/viabilita', office: 'NOPE' });
    },
    fields: ['name', 'office'],
    texts: [/da 1 a 80 caratteri/, /"NOPE" non trovato/],
    kept: [/id="name"[^>]*value="protocollo\/viabilita"/],
  },
  {
    form: 'staff password change: current missing, new one too short, confirmation different',
    send: async ({ admin }) => {
      await admin.get('/uffici/password');
      return admin.post('/uffici/password', { currentPassword: '', newPassword: 'corta', confirmPassword: 'altra' });
    },
    fields: ['currentPassword', 'newPassword', 'confirmPassword'],
  },
  {
    form: 'password reset request: the e-mail left empty',
    send: async ({ anonymous }) => {
      await anonymous.get('/uffici/password-dimenticata');
      return anonymous.post('/uffici/password-dimenticata', { email: '' });
    },
    fields: ['email'],
  },
  {
    form: 'staff account: no name, a broken e-mail and an office manager without office',
    send: async ({ admin }) => {
      await admin.get('/uffici/catalogo/personale/nuovo');
      return admin.post('/uffici/catalogo/personale/nuovo', { name: '', email: 'mario@', phone: '', role: 'office-manager', officeCode: '', active: 'yes', action: 'save' });
    },
    fields: ['name', 'email', 'officeCode'],
    kept: [/id="email"[^>]*value="mario@"/],
  },
  {
    form: 'procedure card: bad code, no name, an unknown office and responsible, no term',
    send: async ({ admin }) => {
      await admin.get('/uffici/catalogo/procedimenti/nuovo');
      return admin.post('/uffici/catalogo/procedimenti/nuovo', {
        code: 'x y', name: '', officeCode: 'NOPE', responsibleEmail: 'nessuno@provincia-fc.example', termText: '', action: 'save',
      });
    },
    fields: ['code', 'name', 'officeCode', 'responsibleEmail', 'termText'],
  },
  {
    form: 'holiday calendar: no day, a month 13 and no name',
    send: async ({ admin }) => {
      await admin.get('/uffici/catalogo/calendario');
      return admin.post('/uffici/catalogo/calendario', { day: '', month: '13', name: '' });
    },
    fields: ['day', 'month', 'name'],
    texts: [/giorno con un numero da 1 a 31/, /mese con un numero da 1 a 12/, /indicare il nome/],
    kept: [/id="month"[^>]*value="13"/],
  },
  {
    form: 'message template: the subject emptied and an unknown variable in the text',
    send: async ({ admin }) => {
      await admin.get('/uffici/catalogo/modelli/start/email');
      return admin.post('/uffici/catalogo/modelli/start/email', { subject: '', body: 'Gentile {{nome}}, la pratica è avviata.', action: 'save' });
    },
    fields: ['subject', 'body'],
    texts: [/L'oggetto dell'e-mail è obbligatorio/, /Variabile sconosciuta \{\{nome\}\}/],
    kept: [/Gentile \{\{nome\}\}, la pratica è avviata\./],
  },
  {
    form: 'message template for App IO: the subject emptied, on a field of its own',
    send: async ({ admin }) => {
      await admin.get('/uffici/catalogo/modelli/start/io');
      return admin.post('/uffici/catalogo/modelli/start/io', { subject: '', body: 'La pratica {{caseCode}} è avviata.', action: 'save' });
    },
    fields: ['subject', 'body'],
    texts: [/L'oggetto del messaggio App IO è obbligatorio/, /art\. 8 c\.2/],
  },
];

describe('administration and account forms list every wrong field at once, each tied to its field', () => {
  let testApp: TestApp;
  const clients = {} as { admin: StaffClient; viab: StaffClient; anonymous: StaffClient };
  before(async () => {
    testApp = await createTestApp();
    clients.admin = new StaffClient(testApp.app);
    await clients.admin.signIn(ADMIN);
    clients.viab = new StaffClient(testApp.app);
    await clients.viab.signIn(VIAB_MANAGER);
    clients.anonymous = new StaffClient(testApp.app);
  });
  after(() => testApp.close());

  for (const row of ROWS) {
    test(row.form, async () => {
      const before = await databaseFingerprint(testApp.database.db);
      const refused = await row.send(clients, testApp);
      assert.equal(refused.statusCode, 422);
      const summary = errorSummary(refused.body);
      assert.ok(summary.focused, 'the summary takes the focus');
      assert.deepEqual(summary.items.map((i) => i.field), row.fields);
      for (const item of summary.items) assert.ok(item.tied, `${item.field} is described by its message "${item.text}"`);
      (row.texts ?? []).forEach((text, i) => assert.match(summary.items[i]!.text, text));
      for (const value of row.kept ?? []) assert.match(refused.body, value);
      assert.deepEqual(await databaseFingerprint(testApp.database.db), before, 'nothing written');
    });
  }

  test('CSV import: every bad row in the summary at once, linked to its line of the report', async () => {
    const refused = await upload(clients.admin, [
      'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio',
      'TE-01;Trasporto di gru;Gru Rossi S.r.l.;24/11/2026;2026/901;333 1234567;;sms;',
      'XX-99;;Anna Verdi;31/02/2026;2026/902;;anna@;email;',
      'TE-01;Trasporto;;24/11/2026;2026/903;12;;sms;',
    ].join('\r\n'));
    assert.equal(refused.statusCode, 422);
    const summary = errorSummary(refused.body);
    assert.ok(summary.focused);
    assert.deepEqual(summary.items.map((i) => i.field), ['riga-3', 'riga-4']);
    assert.match(summary.items[0]!.text, /^Riga 3: .*Manca "oggetto".*Procedimento "XX-99" non trovato.*"31\/02\/2026" non valida/);
    assert.match(summary.items[1]!.text, /^Riga 4: .*Manca "richiedente"/);
    for (const item of summary.items) assert.match(refused.body, new RegExp(`<th scope="row" id="${item.field}"`));
  });
});

describe('the citizens\' portal forms answer the same way', () => {
  let testApp: PortalTestApp;
  before(async () => {
    testApp = await createPortalApp();
  });
  after(() => testApp.close());

  const rows: { form: string; send(): Promise<LightMyRequestResponse>; summary?: string; fields: string[]; kept?: RegExp[] }[] = [
    {
      form: 'sign-in: both fields empty',
      send: () => new Visitor(testApp, '198.51.100.201').signIn('', ''),
      fields: ['code', 'password'],
    },
    {
      form: 'questionnaire: three ratings missing and a comment too long',
      send: async () => {
        const c = await demoCase(testApp, 'gru semovente');
        const visitor = new Visitor(testApp, '198.51.100.202');
        await visitor.signIn(c.code);
        return visitor.submit('/pratica/dettaglio', '/pratica/questionario', { clarity: '5', comment: `Lungo ${'x'.repeat(1000)}` });
      },
      summary: 'survey-errors',
      fields: ['timeliness', 'courtesy', 'overall', 'comment'],
      kept: [/<textarea[^>]*id="comment"[^>]*>\s*Lungo x{20}/, /id="clarity-5" value="5" checked/],
    },
  ];
  for (const row of rows) {
    test(row.form, async () => {
      const before = await databaseFingerprint(testApp.database.db);
      const refused = await row.send();
      assert.equal(refused.statusCode, 422);
      const summary = errorSummary(refused.body, row.summary);
      assert.ok(summary.focused, 'the summary takes the focus');
      assert.deepEqual(summary.items.map((i) => i.field), row.fields);
      // the summary may name the question the field's own message sits under
      for (const item of summary.items) assert.ok(item.described, `${item.field} is described by its message`);
      for (const value of row.kept ?? []) assert.match(refused.body, value);
      assert.deepEqual(await databaseFingerprint(testApp.database.db), before, 'nothing written');
    });
  }
});
