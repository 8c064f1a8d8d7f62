import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, VIAB_MANAGER, StaffClient, createStaff, text } from './client.ts';

/** Posts a CSV through the real multipart form. */
async function upload(client: StaffClient, testApp: TestApp, csv: string, mode: 'dry-run' | 'import') {
  await client.get('/uffici/importa');
  const form = new FormData();
  form.append('_csrf', client.csrf);
  form.append('mode', mode);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'pratiche.csv');
  const request = new Request('http://x/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  const cookie = ['po_staff', '_csrf_secret'].map((n) => `${n}=${client.cookie(n)}`).join('; ');
  return testApp.app.inject({ method: 'POST', url: '/uffici/importa', payload, headers: { cookie, 'content-type': request.headers.get('content-type')! } });
}

const GOOD = [
  'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio',
  'TE-01;"Trasporto di gru; periodico";Gru Rossi S.r.l.;24/11/2026;2026/901;333 1234567;;sms;25/11/2026',
  'AC-01;Accesso carraio;"Anna ""Nina"" Verdi";2026-11-20;2026/902;;anna@example.org;email;',
].join('\r\n');

describe('back office: catalogue, CSV import, adhesion form', () => {
  let testApp: TestApp;
  let admin: StaffClient;
  let viab: StaffClient;
  before(async () => {
    testApp = await createTestApp();
    admin = new StaffClient(testApp.app);
    await admin.signIn(ADMIN);
    viab = new StaffClient(testApp.app);
    await viab.signIn(VIAB_MANAGER);
  });
  after(() => testApp.close());

  test('procedures: the term is validated, a deadline is previewed, a card without numeric term is kept but not enrollable', async () => {
    const form = await viab.get('/uffici/catalogo/procedimenti/nuovo');
    assert.equal(form.statusCode, 200);
    const base = { code: 'TE-02', name: 'Nulla osta al transito', officeCode: 'VIAB', responsibleEmail: VIAB_MANAGER.email, active: 'yes' };
    const preview = await viab.post('/uffici/catalogo/procedimenti/nuovo', { ...base, termText: '20 gg. da ricevimento domanda', action: 'preview' });
    // 26/11/2026 + 20 days = 16/12/2026
    assert.match(text(preview.body), /la scadenza è il 16\/12\/2026/);
    const bad = await viab.post('/uffici/catalogo/procedimenti/nuovo', { ...base, termText: '0 giorni', action: 'save' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /href="#termText"/);
    const saved = await viab.post('/uffici/catalogo/procedimenti/nuovo', { ...base, termText: '20 gg. da ricevimento domanda', action: 'save' });
    assert.equal(saved.statusCode, 303);
    assert.match(text((await viab.follow(saved)).body), /Procedimento TE-02 salvato\./);
    const noTerm = await viab.post('/uffici/catalogo/procedimenti/nuovo', { ...base, code: 'TE-03', termText: 'a vista', action: 'save' });
    assert.equal(noTerm.statusCode, 303);
    const list = text((await viab.get('/uffici/catalogo')).body);
    assert.match(list, /TE-02 Nulla osta al transito 20 giorni/);
    assert.match(list, /"a vista" — senza termine numerico: non aderisce/);
    // an office manager manages only their own office's procedures
    const other = await viab.post('/uffici/catalogo/procedimenti/nuovo', { ...base, code: 'AS-09', officeCode: 'AMB', termText: '30 giorni', action: 'save' });
    assert.equal(other.statusCode, 403);
    assert.equal((await viab.get('/uffici/catalogo/procedimenti/AS-01')).statusCode, 404);
    const audit = await testApp.database.db.selectFrom('audit_log').select('action').where('entity', '=', 'procedure').execute();
    assert.equal(audit.length, 2);
  });

  test('offices and staff: administrators create offices; managers add officers to their own office only', async () => {
    assert.equal((await viab.get('/uffici/catalogo/uffici/nuovo')).statusCode, 403);
    await admin.get('/uffici/catalogo/uffici/nuovo');
    const office = await admin.post('/uffici/catalogo/uffici/nuovo', { code: 'PROT', name: 'Ufficio Protocollo', address: 'Piazza Morgagni 9, Forlì', pec: 'protocollo@cert.example' });
    assert.equal(office.statusCode, 303);
    const badPec = await admin.post('/uffici/catalogo/uffici/PROT', { name: 'Ufficio Protocollo', address: 'Piazza Morgagni 9', pec: 'not a pec' });
    assert.equal(badPec.statusCode, 422);

    await viab.get('/uffici/catalogo/personale/nuovo');
    const officer = await viab.post('/uffici/catalogo/personale/nuovo', { name: 'Maria Neri', email: 'maria.neri@provincia-fc.example', role: 'case-officer', officeCode: 'VIAB', active: 'yes' });
    assert.equal(officer.statusCode, 303);
    const created = text((await viab.follow(officer)).body);
    const password = /Password iniziale, da comunicare di persona: (\S+)/.exec(created)?.[1];
    assert.ok(password);
    const maria = new StaffClient(testApp.app);
    await maria.signIn({ email: 'maria.neri@provincia-fc.example', password: password! });
    // the one-time password is replaced first: until then every page leads to the change
    assert.equal((await maria.get('/uffici/catalogo')).headers.location, '/uffici/password');
    await maria.get('/uffici/password');
    assert.equal((await maria.post('/uffici/password', { currentPassword: password!, newPassword: 'la password di maria neri', confirmPassword: 'la password di maria neri' })).statusCode, 303);
    assert.equal((await maria.get('/uffici/catalogo')).statusCode, 403, 'a case officer does not manage the catalogue');
    assert.equal((await maria.get('/uffici/importa')).statusCode, 403);

    const elsewhere = await viab.post('/uffici/catalogo/personale/nuovo', { name: 'X', email: 'x@provincia-fc.example', role: 'case-officer', officeCode: 'AMB', active: 'yes' });
    assert.equal(elsewhere.statusCode, 403);
    assert.match(text(elsewhere.body), /Operazione non consentita al proprio ruolo/);
    const promote = await viab.post('/uffici/catalogo/personale/nuovo', { name: 'Y', email: 'y@provincia-fc.example', role: 'admin', active: 'yes' });
    assert.equal(promote.statusCode, 403, 'a manager cannot create administrators');
  });

  test('holiday calendar: national days computed, local days added and removed by administrators', async () => {
    const page = text((await admin.get('/uffici/catalogo/calendario?anno=2027')).body);
    assert.match(page, /29\/03\/2027 — Lunedì dell'Angelo/);
    assert.match(page, /04\/10\/2027 — San Francesco d'Assisi/);
    assert.match(page, /04\/02 — Madonna del Fuoco/);
    const added = await admin.post('/uffici/catalogo/calendario', { day: '5', month: '7', name: 'Festa locale di prova' });
    assert.match(text((await admin.follow(added)).body), /05\/07 — Festa locale di prova/);
    const invalid = await admin.post('/uffici/catalogo/calendario', { day: '31', month: '2', name: 'Impossibile' });
    assert.equal(invalid.statusCode, 422);
    assert.match(text(invalid.body), /non valido: indicare il giorno con un numero da 1 a 29 \(febbraio\)/);
    assert.equal((await viab.get('/uffici/catalogo/calendario')).statusCode, 403);
  });

  test('message templates: the notifications module\'s texts, previewed and saved by administrators', async () => {
    const list = await admin.get('/uffici/catalogo/modelli');
    assert.equal(list.statusCode, 200);
    assert.match(text(list.body), /Sospensione — SMS/);
    const page = await admin.get('/uffici/catalogo/modelli/suspend/sms');
    assert.equal(page.statusCode, 200);
    assert.match(text(page.body), /Anteprima con dati di esempio/);
    assert.equal((await viab.get('/uffici/catalogo/modelli')).statusCode, 403);
  });

  test('CSV import: a dry run reports every row\'s errors and writes nothing; a good file is imported in one go', async () => {
    const before = await testApp.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const broken = [
      'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio',
      'TE-01;Trasporto;Rossi;31/02/2026;;333 1234567;;sms;',
      'IN-01;Informazioni;Bianchi;20/11/2026;;;b@example.org;email;',
      'TE-01;Trasporto;Verdi;20/11/2026;;0543 111111;;sms;',
      'XX-99;Altro;Neri;20/11/2026;;;n@example.org;piccione;',
      'TE-01;Trasporto corretto;Gialli;20/11/2026;;;g@example.org;email;',
    ].join('\n');
    const dry = await upload(admin, testApp, broken, 'dry-run');
    assert.equal(dry.statusCode, 422);
    const report = text(dry.body);
    assert.match(report, /4 righe su 5 hanno errori: nessuna pratica è stata importata/);
    assert.match(report, /Data di ricevimento "31\/02\/2026" non valida/);
    assert.match(report, /non ha un tempo di erogazione numerico/);
    assert.match(report, /non è un cellulare/);
    assert.match(report, /Procedimento "XX-99" non trovato/);
    assert.match(report, /Canali "piccione" non validi/);
    const forced = await upload(admin, testApp, broken, 'import');
    assert.equal(forced.statusCode, 422, 'a file with errors is never imported');
    const unreadable = await upload(admin, testApp, 'procedimento;oggetto\n"TE-01;x\n', 'dry-run');
    assert.match(text(unreadable.body), /File non leggibile: riga 2: virgolette non chiuse/);
    const wrongColumns = await upload(admin, testApp, 'nome;cognome\nA;B\n', 'dry-run');
    assert.match(text(wrongColumns.body), /Mancano le colonne: procedimento/);
    const middle = await testApp.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(middle.n), Number(before.n));

    const goodDry = await upload(admin, testApp, GOOD, 'dry-run');
    assert.equal(goodDry.statusCode, 200);
    assert.match(text(goodDry.body), /Prova riuscita: 2 pratiche pronte per l'importazione\. Nulla è stato scritto\./);
    // TE-01: 24/11/2026 + 15 days; AC-01: 20/11/2026 + 60 days = 19/01/2027
    assert.match(text(goodDry.body), /Gru Rossi S\.r\.l\. TE-01 09\/12\/2026/);
    assert.match(text(goodDry.body), /Anna "Nina" Verdi AC-01 19\/01\/2027/);
    const done = await upload(admin, testApp, GOOD, 'import');
    assert.equal(done.statusCode, 201);
    assert.match(text(done.body), /2 pratiche importate\./);
    const imported = await testApp.database.db.selectFrom('cases').select(['applicant_name', 'state', 'subject']).where('applicant_name', 'in', ['Gru Rossi S.r.l.', 'Anna "Nina" Verdi']).orderBy('applicant_name').execute();
    assert.deepEqual(imported, [
      { applicant_name: 'Anna "Nina" Verdi', state: 'enrolled', subject: 'Accesso carraio' },
      { applicant_name: 'Gru Rossi S.r.l.', state: 'in-progress', subject: 'Trasporto di gru; periodico' },
    ]);
  });

  test('CSV import by an office manager is limited to their office\'s procedures', async () => {
    const response = await upload(viab, testApp, GOOD.replace('AC-01', 'AS-01'), 'dry-run');
    assert.match(text(response.body), /Procedimento "AS-01" non trovato/);
  });

  test('the printable adhesion form carries the procedure, the office and the privacy notice', async () => {
    const list = text((await viab.get('/uffici/modulo-adesione')).body);
    assert.match(list, /TE-01 — Autorizzazione al transito di trasporti eccezionali/);
    const form = await viab.get('/uffici/modulo-adesione/TE-01');
    assert.equal(form.statusCode, 200);
    const body = text(form.body);
    assert.match(body, /Modulo di adesione al servizio «La tua pratica on line»/);
    assert.match(body, /15 giorni/);
    assert.match(body, /viabilita@cert\.provincia-fc\.example/);
    assert.match(body, /Ing\. Paolo Garavini/);
    assert.match(body, /Informativa sul trattamento dei dati personali/);
    assert.match(form.body, /<link rel="stylesheet" href="\/static\/app\/app.css"/, 'the print stylesheet is linked');
    await createStaff(testApp.database.db, { email: 'amb.officer@provincia-fc.example', role: 'case-officer', officeCode: 'AMB', password: 'amb-officer-pw' });
    const amb = new StaffClient(testApp.app);
    await amb.signIn({ email: 'amb.officer@provincia-fc.example', password: 'amb-officer-pw' });
    assert.equal((await amb.get('/uffici/modulo-adesione/TE-01')).statusCode, 404);
    assert.equal((await amb.get('/uffici/modulo-adesione/IN-01')).statusCode, 422);
  });
});
