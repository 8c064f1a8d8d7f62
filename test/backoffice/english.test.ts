import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, StaffClient, text } from './client.ts';

/** Each page in English: what must be there, and Italian labels that must be gone. */
const PAGES: { path: string; english: (string | RegExp)[]; italian: string[] }[] = [
  {
    path: '/uffici/catalogo',
    english: ['Catalogue', 'New office', 'New procedure', 'New user', 'Name', 'Term'],
    italian: ['Nuovo ufficio', 'Nuovo procedimento', 'Nuovo utente', 'Termine'],
  },
  {
    path: '/uffici/catalogo/uffici/nuovo',
    english: ['New office', 'Address', 'Phone', 'PEC (certified e-mail address)', 'Opening hours', 'Capital letters, digits and hyphens'],
    italian: ['Nuovo ufficio', 'Indirizzo', 'Telefono', 'domicilio digitale', 'Orari di apertura', 'Lettere maiuscole'],
  },
  { path: '/uffici/catalogo/uffici/VIAB', english: ['Office VIAB', 'Address'], italian: ['Ufficio VIAB', 'Indirizzo'] },
  {
    path: '/uffici/catalogo/personale/nuovo',
    english: ['New user', 'First and last name', 'Role', 'administrator', 'office manager', 'case officer', 'Active user', 'The initial password is shown only once'],
    italian: ['Nuovo utente', 'Nome e cognome', 'Ruolo', 'amministratore', 'responsabile d\'ufficio', 'incaricato', 'Utente attivo', 'La password iniziale'],
  },
  {
    path: '/uffici/catalogo/procedimenti/nuovo',
    english: ['New procedure', 'Name of the procedure', 'Competent office', 'Person responsible for the procedure', 'Term (as written on the procedure card)',
      'Saturday is a working day', 'Silence means consent', 'Legal references', 'Holder of the substitute power', 'Active procedure', 'Deadline preview', 'Enter the term.', 'Update the preview'],
    italian: ['Nuovo procedimento', 'Nome del procedimento', 'Ufficio competente', 'Responsabile del procedimento', 'Tempo di erogazione', 'Il sabato è lavorativo',
      'Silenzio-assenso', 'Riferimenti normativi', 'Titolare del potere sostitutivo', 'Procedimento attivo', 'Anteprima della scadenza', 'Indicare il tempo', 'Aggiorna l\'anteprima'],
  },
  {
    path: '/uffici/catalogo/procedimenti/TE-01',
    english: ['Procedure TE-01', /For an application received today \(26\/11\/2026\) the deadline is \d\d\/\d\d\/\d{4}\./],
    italian: ['Procedimento TE-01', 'Per una domanda ricevuta oggi'],
  },
  {
    path: '/uffici/catalogo/calendario?anno=2027',
    english: ['Holiday calendar 2027', 'National holidays (computed)', 'They move a deadline', 'Local closing days', 'Patron saints', 'Add a day', 'Day', 'Month', 'Delete', 'Add'],
    italian: ['Festività nazionali', 'Spostano la scadenza', 'Giorni di chiusura locali', 'I santi patroni', 'Aggiungi', 'Giorno', 'Mese', 'Elimina'],
  },
  { path: '/uffici/catalogo/modelli', english: ['Message texts', '(default text)'], italian: ['testo predefinito', 'personalizzato da'] },
  {
    path: '/uffici/catalogo/modelli/start/email',
    english: ['Subject', 'Text', 'Preview', 'Save', 'Restore the default text', 'Preview with sample data', 'Available variables'],
    // the message text itself is the citizen's, in Italian: only the page's own labels are checked
    italian: ['Salva', 'Ripristina il testo predefinito', 'Anteprima con dati di esempio', 'Variabili disponibili'],
  },
  {
    path: '/uffici/importa',
    english: ['Import cases from a CSV file', 'One row per case', 'Dates DD/MM/YYYY', 'Download the CSV template', 'CSV file', 'Dry run (nothing written)', 'Import'],
    italian: ['Importa pratiche', 'Una riga per pratica', 'Date GG/MM/AAAA', 'Scarica il modello CSV', 'File CSV', 'Prova (nessuna scrittura)', 'Importa'],
  },
  {
    path: '/uffici/modulo-adesione',
    english: ['Adhesion form', 'The form with which a citizen joins'],
    italian: ['Modulo di adesione', 'Il modulo con cui il cittadino'],
  },
  {
    path: '/uffici/modulo-adesione/TE-01',
    english: ['Form to join the «La tua pratica on line» service', 'To print it use', 'Procedure', 'Time to conclude', 'Competent office', 'Person responsible for the procedure',
      'The undersigned asks', 'SMS to the mobile number', 'E-MAIL to the address', 'Applicant\'s full name', 'Subject of the application', 'Mobile number', 'E-mail address',
      'Privacy notice', 'Every message will carry', 'Date', 'Signature', 'For office use', 'Received on (protocol date)', 'Protocol number', 'Case code assigned'],
    italian: ['Modulo di adesione', 'Per stamparlo', 'Tempo di conclusione', 'Ufficio competente', 'Il/la sottoscritto/a', 'SMS al numero', 'all\'indirizzo',
      'ragione sociale', 'Oggetto della domanda', 'Numero di cellulare', 'Indirizzo e-mail', 'Informativa', 'Ad ogni messaggio', 'Firma', 'Riservato all\'ufficio',
      'Data di ricevimento', 'Numero di protocollo', 'Codice pratica assegnato'],
  },
];

/** Posts a CSV through the real multipart form, to a URL that may carry ?lang=. */
async function upload(client: StaffClient, testApp: TestApp, url: string, csv: string) {
  await client.get(url);
  const form = new FormData();
  form.append('_csrf', client.csrf);
  form.append('mode', 'dry-run');
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'pratiche.csv');
  const request = new Request('http://x/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  const cookie = ['po_staff', '_csrf_secret'].map((n) => `${n}=${client.cookie(n)}`).join('; ');
  return testApp.app.inject({ method: 'POST', url, payload, headers: { cookie, 'content-type': request.headers.get('content-type')! } });
}

const HEADER = 'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio';

describe('back office in English: catalogue, import and adhesion form', () => {
  let testApp: TestApp;
  let admin: StaffClient;
  before(async () => {
    testApp = await createTestApp();
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
  });
  after(() => testApp.close());

  for (const page of PAGES) {
    test(`${page.path} speaks English with ?lang=en`, async () => {
      const url = `${page.path}${page.path.includes('?') ? '&' : '?'}lang=en`;
      const response = await admin.get(url);
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /<html lang="en"/);
      // the page itself, without the shared frame (header, menu, footer) that other files translate
      const main = text(/<main[\s\S]*<\/main>/.exec(response.body)![0]);
      for (const expected of page.english) {
        if (typeof expected === 'string') assert.ok(main.includes(expected), `${url}: "${expected}" expected in: ${main}`);
        else assert.match(main, expected, url);
      }
      for (const leftover of page.italian) {
        assert.equal(new RegExp(`(^|[^\\p{L}])${leftover.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\p{L}]|$)`, 'u').test(main), false, `${url}: Italian "${leftover}" left in: ${main}`);
      }
    });
  }

  test('the same pages stay in Italian by default', async () => {
    const catalogue = text((await admin.get('/uffici/catalogo?lang=it')).body);
    assert.match(catalogue, /Nuovo ufficio/);
    assert.match(catalogue, /Nuovo procedimento/);
    const form = text((await admin.get('/uffici/modulo-adesione/TE-01')).body);
    assert.match(form, /Modulo di adesione al servizio «La tua pratica on line»/);
    assert.match(form, /Riservato all'ufficio/);
    const importPage = text((await admin.get('/uffici/importa')).body);
    assert.match(importPage, /Prova \(nessuna scrittura\)/);
  });

  test('the import report and the notices after a save are in English too', async () => {
    const good = await upload(admin, testApp, '/uffici/importa?lang=en', `${HEADER}\nTE-01;Trasporto;Gialli;20/11/2026;;;g@example.org;email;\n`);
    assert.equal(good.statusCode, 200);
    const report = text(good.body);
    assert.match(report, /Dry run passed: 1 cases ready to import\. Nothing was written\./);
    assert.match(report, /Row Applicant Procedure Deadline Result/);
    assert.match(report, /valid/);
    assert.doesNotMatch(report, /Prova riuscita|Esito|corretta/);
    const bad = await upload(admin, testApp, '/uffici/importa?lang=en', `${HEADER}\nTE-01;Trasporto;Rossi;31/02/2026;;333 1234567;;sms;\n`);
    assert.equal(bad.statusCode, 422);
    assert.match(text(bad.body), /1 of 1 rows have errors: no case was imported\./);

    await admin.get('/uffici/catalogo/calendario?lang=en');
    const added = await admin.post('/uffici/catalogo/calendario?lang=en', { day: '6', month: '7', name: 'Local test day' });
    const calendar = await admin.follow(added);
    assert.match(text(calendar.body), /Day added to the calendar\./);
    assert.match(calendar.body, /aria-label="Delete Local test day"/);
  });
});
