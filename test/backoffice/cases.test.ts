import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { ADMIN, AMB_MANAGER, VIAB_MANAGER, StaffClient, caseOfOffice, createStaff, text } from './client.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';

const ENROL = {
  procedureCode: 'TE-01',
  subject: 'Trasporto eccezionale di <b>trave</b> sulla SP 4',
  applicantName: 'Rossi & Figli S.r.l.',
  receivedOn: '2026-11-24',
  protocolNumber: '2026/555',
  mobile: '333 123 4567',
  email: 'rossi@example.org',
  channels: ['sms', 'email'],
  privacy: 'yes',
  action: 'save',
};

describe('back office: dashboard, case list, enrolment, case detail', () => {
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

  test('the dashboard counts the office\'s open, overdue, due-soon and suspended cases and lists c.7 suspensions past 30 days', async () => {
    const page = await viab.get('/uffici');
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    assert.match(body, /Servizio Viabilità/);
    // the demo VIAB office: 11 cases, 4 closed
    assert.match(body, /9 Pratiche aperte/);
    assert.match(body, /2 Sospese/);
    assert.match(body, /Sospensioni art\. 2 c\.7 oltre 30 giorni/);
    // AC-01 "Regolarizzazione accesso agricolo", suspended (c.7) 40 days ago
    assert.match(body, /Azienda agricola Fabbri/);
    const all = text((await admin.get('/uffici')).body);
    assert.match(all, /tutti gli uffici/);
    const open = await testApp.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '!=', 'closed').executeTakeFirstOrThrow();
    assert.match(all, new RegExp(`${Number(open.n)} Pratiche aperte`));
  });

  test('the case list searches and filters, and pages with a cursor', async () => {
    const byName = text((await viab.get('/uffici/pratiche?q=gru')).body);
    assert.match(byName, /Sollevamenti Romagna/);
    assert.doesNotMatch(byName, /Trasporti Neri/);
    const suspended = text((await viab.get('/uffici/pratiche?state=suspended')).body);
    assert.match(suspended, /Trasporti Neri/);
    assert.doesNotMatch(suspended, /Sollevamenti Romagna/);
    const byProtocol = await admin.get('/uffici/pratiche?q=2026%2F10000');
    assert.match(text(byProtocol.body), /Edilcarpi/);
    const overdue = text((await admin.get('/uffici/pratiche?due=overdue&sort=deadline')).body);
    assert.match(overdue, /scaduta da/);
    const procedure = text((await admin.get('/uffici/pratiche?procedure=PE-01')).body);
    assert.match(procedure, /Giulia Bertozzi/);
    assert.doesNotMatch(procedure, /Edilcarpi/);
    // pagination: 22 demo cases, 25 a page → no next link; a broken cursor is a clear error
    assert.doesNotMatch((await admin.get('/uffici/pratiche')).body, /rel="next"/);
    const broken = await admin.get('/uffici/pratiche?cursor=xyz');
    assert.equal(broken.statusCode, 422);
    assert.match(text(broken.body), /cursore di paginazione non è valido/);
  });

  test('enrolment previews the deadline, refuses bad input with the data kept, and shows the credentials once', async () => {
    const form = await viab.get('/uffici/pratiche/nuova');
    assert.equal(form.statusCode, 200);
    assert.match((await admin.get('/uffici/pratiche/nuova')).body, /<option value="IN-01"[^>]*disabled/, 'a card without numeric term cannot be chosen');
    await viab.get('/uffici/pratiche/nuova');
    assert.match(text(form.body), /Informativa sul trattamento dei dati personali/);

    const preview = await viab.post('/uffici/pratiche/nuova', { ...ENROL, action: 'preview' });
    assert.equal(preview.statusCode, 200);
    // 24/11/2026 + 15 days = 09/12/2026
    assert.match(text(preview.body), /Scadenza calcolata: 09\/12\/2026/);

    const noPrivacy = await viab.post('/uffici/pratiche/nuova', { ...ENROL, privacy: undefined });
    assert.equal(noPrivacy.statusCode, 422);
    assert.match(text(noPrivacy.body), /Confermare di aver mostrato l'informativa privacy/);
    assert.match(noPrivacy.body, /value="Rossi &amp; Figli S.r.l."/);

    const badPhone = await viab.post('/uffici/pratiche/nuova', { ...ENROL, mobile: '0543 123456' });
    assert.equal(badPhone.statusCode, 422);
    assert.match(text(badPhone.body), /non è un cellulare/);
    assert.match(badPhone.body, /href="#mobile"/, 'the error links to its field');

    const future = await viab.post('/uffici/pratiche/nuova', { ...ENROL, receivedOn: '2026-12-01' });
    assert.equal(future.statusCode, 422);
    assert.match(text(future.body), /è futura/);
    const noProcedure = await viab.post('/uffici/pratiche/nuova', { ...ENROL, procedureCode: '' });
    assert.equal(noProcedure.statusCode, 422);
    assert.match(text(noProcedure.body), /Scegliere il procedimento\./);
    assert.doesNotMatch(text(noProcedure.body), /Procedimento "" non trovato/);
    const absurd = await viab.post('/uffici/pratiche/nuova', { ...ENROL, receivedOn: '1899-01-01' });
    assert.equal(absurd.statusCode, 422);
    assert.match(text(absurd.body), /La data di ricevimento \(01\/01\/1899\) è anteriore al 01\/01\/1990: controllare l'anno/);
    assert.match(absurd.body, /href="#receivedOn"/, 'the error links to its field');

    const noChannel = await viab.post('/uffici/pratiche/nuova', { ...ENROL, channels: [] });
    assert.equal(noChannel.statusCode, 422);
    assert.match(text(noChannel.body), /Scegliere almeno un canale/);

    const notNumeric = await admin.post('/uffici/pratiche/nuova', { ...ENROL, procedureCode: 'IN-01' });
    assert.equal(notNumeric.statusCode, 422);
    assert.match(text(notNumeric.body), /non ha un tempo di erogazione numerico/);

    const otherOffice = await viab.post('/uffici/pratiche/nuova', { ...ENROL, procedureCode: 'AS-01' });
    assert.equal(otherOffice.statusCode, 422);
    assert.match(text(otherOffice.body), /Procedimento "AS-01" non trovato/);

    const saved = await viab.post('/uffici/pratiche/nuova', ENROL);
    assert.equal(saved.statusCode, 201);
    const body = text(saved.body);
    const code = /Pratica iscritta al servizio\. (FC-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(body)?.[1];
    assert.ok(code, 'the new code is shown');
    assert.match(body, /Credenziali del cittadino \(mostrate una sola volta/);
    assert.match(body, /Password [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    assert.doesNotMatch(saved.body, /<b>trave<\/b>/, 'user text is escaped');
    assert.match(saved.body, /&lt;b>trave&lt;\/b>/);
    const again = text((await viab.get(`/uffici/pratiche/${code}`)).body);
    assert.doesNotMatch(again, /Credenziali del cittadino/, 'the password is shown only once');
    const audit = await testApp.database.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', code!).execute();
    assert.equal(audit[0]?.action, 'case.enrol');
    assert.match(audit[0]!.actor, /^staff:/);
  });

  test('events: only allowed actions are offered; start, suspend, resume and close with reasons, previews and warnings', async () => {
    const code = await caseOfOffice(testApp.database.db, 'VIAB', 'enrolled');
    const page = await viab.get(`/uffici/pratiche/${code}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="type" value="start"/);
    assert.doesNotMatch(page.body, /name="type" value="suspend"/, 'an enrolled case cannot be suspended');
    assert.match(page.body, new RegExp(`<title>Pratica ${code} - `), 'one case, in the singular');
    assert.match(text(page.body), /Storia della pratica Nessun evento registrato: il procedimento non è ancora stato avviato\./);
    const version = () => /name="version" value="(\d+)"/.exec(lastBody)?.[1];
    let lastBody = page.body;

    // an illegal event posted anyway is refused with a clear message
    const illegal = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'close', outcome: 'accepted', effectiveOn: '2026-11-26', version: version(), action: 'save' });
    assert.equal(illegal.statusCode, 409);
    assert.match(text(illegal.body), /Non è possibile registrare la chiusura: la pratica è registrata, in attesa di avvio/);

    const preview = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'start', effectiveOn: '2026-11-26', reason: 'Domanda completa', version: version(), action: 'preview' });
    assert.equal(preview.statusCode, 200);
    const previewText = text(preview.body);
    assert.match(previewText, /Anteprima di ciò che il cittadino riceverà/);
    assert.match(previewText, /E-mail → /);
    assert.match(previewText, /Domanda completa/);
    assert.match(previewText, /••••-••••-••••-••••/, 'the preview never shows the password');

    lastBody = (await viab.get(`/uffici/pratiche/${code}`)).body;
    const started = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'start', effectiveOn: '2026-11-24', reason: 'Domanda completa', version: version(), action: 'save' });
    assert.equal(started.statusCode, 303);
    lastBody = (await viab.follow(started)).body;
    assert.match(text(lastBody), /Evento registrato: avvio del procedimento\./);
    assert.match(text(lastBody), /in corso/);

    const impossible = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'suspend', kind: 'art2c7', effectiveOn: '2026-02-30', reason: 'x', version: version(), action: 'save' });
    assert.equal(impossible.statusCode, 422);
    assert.match(text(impossible.body), /La data "2026-02-30" non è valida: febbraio 2026 ha 28 giorni\./);

    const noReason = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'suspend', kind: 'art2c7', effectiveOn: '2026-11-26', reason: '', version: version(), action: 'save' });
    assert.equal(noReason.statusCode, 422);
    assert.match(text(noReason.body), /Indicare il motivo della sospensione/);
    assert.match(noReason.body, /<details[^>]*open[^>]*id="evento-suspend"/, 'the form with the error stays open');

    const suspended = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'suspend', kind: 'art2c7', effectiveOn: '2026-11-25', reason: 'Manca il <script>alert(1)</script> libretto', notes: 'Inviare via PEC', version: version(), action: 'save' });
    assert.equal(suspended.statusCode, 303);
    lastBody = (await viab.follow(suspended)).body;
    assert.match(text(lastBody), /La data dell'evento \(25\/11\/2026\) è nel passato/, 'a past date is accepted with a warning');
    assert.doesNotMatch(lastBody, /<script>alert/);
    assert.match(text(lastBody), /sospesa/);

    const second = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'resume', effectiveOn: '2026-11-26', reason: 'Documento ricevuto', version: version(), action: 'save' });
    lastBody = (await viab.follow(second)).body;
    assert.match(text(lastBody), /riattivata/);
    const again = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'suspend', kind: 'art2c7', effectiveOn: '2026-11-26', reason: 'Ancora', version: version(), action: 'save' });
    assert.equal(again.statusCode, 409);
    assert.match(text(again.body), /si può disporre una sola volta per pratica: è già stata disposta il /);

    // L. 241/1990: a rejection states its reasons (art. 3) and follows a notice of the reasons for refusal (art. 10-bis)
    const bareRejection = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'close', outcome: 'rejected', effectiveOn: '2026-11-26', reason: '', version: version(), action: 'save' });
    assert.equal(bareRejection.statusCode, 422);
    assert.match(text(bareRejection.body), /Indicare i motivi del rigetto: ogni provvedimento deve essere motivato \(art\. 3 L\. 241\/1990\)/);
    const unnotified = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'close', outcome: 'rejected', effectiveOn: '2026-11-26', reason: 'Requisiti assenti', version: version(), action: 'save' });
    assert.equal(unnotified.statusCode, 409);
    assert.match(text(unnotified.body), /non può essere chiusa come respinta: prima di un provvedimento negativo va comunicato il preavviso di rigetto \(art\. 10-bis L\. 241\/1990\)/);

    const closed = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'close', outcome: 'accepted', effectiveOn: '2026-11-26', reason: 'Autorizzazione rilasciata', version: version(), action: 'save' });
    lastBody = (await viab.follow(closed)).body;
    assert.match(text(lastBody), /chiusa/);
    assert.match(text(lastBody), /Nessun evento registrabile: la pratica è chiusa\./);
    const trail = text(lastBody);
    for (const action of ['Avvio del procedimento', 'Sospensione', 'Riattivazione', 'Chiusura']) assert.match(trail, new RegExp(action));
    // the messages were queued by the same use cases as the API
    assert.match(trail, /Messaggi inviati/);
    assert.match(trail, /Sospensione/);
  });

  test('the audit trail names actions and actors in words, in Italian and in English, and no text points outside the product', async () => {
    const code = await caseOfOffice(testApp.database.db, 'VIAB', 'in-progress');
    await testApp.database.db.insertInto('audit_log').values({ actor: `citizen:${code}`, action: 'case.opt-out', entity: 'case', entity_id: code, office_id: null, before: null, after: null }).execute();
    const italian = await viab.get(`/uffici/pratiche/${code}`);
    const audit = text(/id="h-audit"[\s\S]*?<\/table>/.exec(italian.body)![0]);
    assert.match(audit, /Dati dimostrativi/);
    assert.match(audit, /Pratica registrata nel servizio/);
    assert.match(audit, /Avvio del procedimento/);
    assert.match(audit, /Il richiedente, dalla pagina della pratica/);
    assert.match(audit, /Il richiedente ha lasciato il servizio/);
    assert.doesNotMatch(audit, /system:|citizen:|staff:|case\.(enrol|start|opt-out)/);
    const english = text(/id="h-audit"[\s\S]*?<\/table>/.exec((await viab.get(`/uffici/pratiche/${code}?lang=en`)).body)![0]);
    assert.match(english, /Demo data/);
    assert.match(english, /Case enrolled in the service/);
    assert.match(english, /The applicant, from the case page/);
    for (const page of [italian.body, (await viab.get('/uffici/modulo-adesione?lang=it')).body]) assert.doesNotMatch(text(page), /seed|sezione \d/i);
  });

  test('signing in with empty fields asks for them, instead of calling them wrong', async () => {
    const visitor = new StaffClient(testApp.app);
    await visitor.get('/uffici/accesso');
    for (const form of [{ email: '', password: '' }, { email: VIAB_MANAGER.email, password: '' }]) {
      const response = await visitor.post('/uffici/accesso', form);
      assert.equal(response.statusCode, 422);
      assert.match(text(response.body), /Inserire l'e-mail e la password per accedere\./);
      assert.doesNotMatch(text(response.body), /non corrette/);
    }
    const wrong = await visitor.post('/uffici/accesso', { email: VIAB_MANAGER.email, password: 'sbagliata' });
    assert.match(text(wrong.body), /E-mail o password non corrette/);
  });

  test('two officers on the same case: the second gets a clear conflict and nothing is overwritten', async () => {
    const code = await caseOfOffice(testApp.database.db, 'VIAB', 'enrolled');
    await createStaff(testApp.database.db, { email: 'incaricato@provincia-fc.example', role: 'case-officer', officeCode: 'VIAB', password: 'incaricato-pw-1', name: 'Luigi Bianchi' });
    const officer = new StaffClient(testApp.app);
    await officer.signIn({ email: 'incaricato@provincia-fc.example', password: 'incaricato-pw-1' });
    const seenByManager = /name="version" value="(\d+)"/.exec((await viab.get(`/uffici/pratiche/${code}`)).body)![1]!;
    const seenByOfficer = /name="version" value="(\d+)"/.exec((await officer.get(`/uffici/pratiche/${code}`)).body)![1]!;
    const first = await officer.post(`/uffici/pratiche/${code}/evento`, { type: 'start', effectiveOn: '2026-11-26', reason: 'Avvio di Luigi', version: seenByOfficer, action: 'save' });
    assert.equal(first.statusCode, 303);
    const second = await viab.post(`/uffici/pratiche/${code}/evento`, { type: 'start', effectiveOn: '2026-11-26', reason: 'Avvio di Paolo', version: seenByManager, action: 'save' });
    assert.equal(second.statusCode, 409);
    assert.match(text(second.body), /Modifica concorrente/);
    assert.match(text(second.body), /aggiornata da un'altra persona/);
    const events = await testApp.database.db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id').select(['case_events.reason', 'case_events.recorded_by']).where('cases.code', '=', code).execute();
    assert.deepEqual(events, [{ reason: 'Avvio di Luigi', recorded_by: 'Luigi Bianchi' }]);
  });

  test('resend credentials queues a message per chosen channel; contacts can be edited; an opt-out stops everything', async () => {
    const code = await caseOfOffice(testApp.database.db, 'VIAB', 'in-progress');
    await viab.get(`/uffici/pratiche/${code}`);
    const resent = await viab.post(`/uffici/pratiche/${code}/credenziali`, {});
    assert.equal(resent.statusCode, 303);
    const after = text((await viab.follow(resent)).body);
    assert.match(after, /Credenziali inviate di nuovo ai recapiti del richiedente/);
    assert.match(after, /Invio delle credenziali/);

    const form = await viab.get(`/uffici/pratiche/${code}/recapiti`);
    assert.equal(form.statusCode, 200);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;
    const bad = await viab.post(`/uffici/pratiche/${code}/recapiti`, { mobile: '', email: 'not-an-email', channels: ['email'], version });
    assert.equal(bad.statusCode, 422);
    assert.match(text(bad.body), /non è valido/);
    const saved = await viab.post(`/uffici/pratiche/${code}/recapiti`, { mobile: '', email: 'nuovo@example.org', channels: ['email'], version });
    assert.equal(saved.statusCode, 303);
    const page = text((await viab.follow(saved)).body);
    assert.match(page, /Recapiti aggiornati\./);
    assert.match(page, /nuovo@example\.org \(e-mail\)/);
    const stale = await viab.post(`/uffici/pratiche/${code}/recapiti`, { mobile: '', email: 'altro@example.org', channels: ['email'], version });
    assert.equal(stale.statusCode, 409);

    const unconfirmed = await viab.post(`/uffici/pratiche/${code}/rinuncia`, { note: 'telefonata' });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(text(unconfirmed.body), /Spuntare la conferma che il richiedente ha chiesto di lasciare il servizio\./);
    assert.match(unconfirmed.body, /id="optout-note"[^>]*value="telefonata"/);
    const current = /name="version" value="(\d+)"/.exec((await viab.get(`/uffici/pratiche/${code}`)).body)![1]!;
    const optOut = await viab.post(`/uffici/pratiche/${code}/rinuncia`, { note: 'Telefonata del 26/11', confirm: 'yes', version: current });
    assert.equal(optOut.statusCode, 303);
    const done = await viab.follow(optOut);
    assert.match(text(done.body), /Rinuncia al servizio registrata\./);
    assert.match(text(done.body), /Il richiedente ha lasciato il servizio/);
    assert.doesNotMatch(done.body, /\/credenziali"/, 'no resend after an opt-out');
    const row = await testApp.database.db.selectFrom('cases').select(['email', 'notify_email', 'opted_out_at']).where('code', '=', code).executeTakeFirstOrThrow();
    assert.equal(row.email, null);
    assert.equal(row.notify_email, false);
    assert.ok(row.opted_out_at);
  });

  test('office scoping: staff of one office can neither see nor change another office\'s cases', async () => {
    const ambCase = await caseOfOffice(testApp.database.db, 'AMB', 'in-progress');
    const amb = new StaffClient(testApp.app);
    await amb.signIn(AMB_MANAGER);
    assert.equal((await amb.get(`/uffici/pratiche/${ambCase}`)).statusCode, 200);

    const page = await viab.get(`/uffici/pratiche/${ambCase}`);
    assert.equal(page.statusCode, 404);
    assert.match(text(page.body), new RegExp(`Pratica ${ambCase} non trovata`));
    const list = text((await viab.get('/uffici/pratiche?q=Ceramiche')).body);
    assert.match(list, /Nessuna pratica corrisponde ai criteri/);
    await viab.get('/uffici/pratiche');
    const event = await viab.post(`/uffici/pratiche/${ambCase}/evento`, { type: 'close', outcome: 'accepted', effectiveOn: '2026-11-26', action: 'save' });
    assert.equal(event.statusCode, 404);
    assert.equal((await viab.post(`/uffici/pratiche/${ambCase}/credenziali`, {})).statusCode, 404);
    assert.equal((await viab.get(`/uffici/pratiche/${ambCase}/recapiti`)).statusCode, 404);
    assert.equal((await viab.post(`/uffici/pratiche/${ambCase}/rinuncia`, { confirm: 'yes' })).statusCode, 404);
    const state = await testApp.database.db.selectFrom('cases').select('state').where('code', '=', ambCase).executeTakeFirstOrThrow();
    assert.equal(state.state, 'in-progress');
    // and by API: a token of one office sees only its cases
    const { createApiToken } = await import('../../src/application/tokens.ts');
    const token = await createApiToken(testApp.database.db, { kind: 'cli', id: 't', name: 't', officeId: null }, 'viab-only', 'VIAB');
    const api = await testApp.app.inject({ url: `/api/v1/cases/${ambCase}`, headers: { authorization: `Bearer ${token.token}` } });
    assert.equal(api.statusCode, 404);
    const apiEvent = await testApp.app.inject({ method: 'POST', url: `/api/v1/cases/${ambCase}/close`, headers: { authorization: `Bearer ${token.token}` }, payload: { outcome: 'accepted' } });
    assert.equal(apiEvent.statusCode, 404);
  });

  test('the demo login password is not the case password', () => {
    assert.notEqual(DEMO_LOGINS.adminPassword, DEMO_LOGINS.casePassword);
  });
});
