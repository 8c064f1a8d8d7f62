import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { importCases } from '../../src/application/backoffice/import.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { systemActor } from '../support/fixtures.ts';
import { ADMIN, StaffClient, text } from '../backoffice/client.ts';
import { Visitor, visibleText } from '../portal/support.ts';
import type { PortalTestApp } from '../portal/support.ts';

let t: TestApp;
const bearer = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
const CF = 'RSSMRA85T10A562S';

before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const body = (extra: Record<string, unknown>) => ({
  procedureCode: 'TE-01', subject: 'Trasporto eccezionale di una gru', applicantName: 'Mario Rossi', receivedOn: '2026-11-20',
  mobile: '333 765 4321', channels: ['sms'], ...extra,
});
const countCases = async () => Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const stored = (code: string) => t.database.db.selectFrom('cases')
  .select(['applicant_fiscal_code', 'applicant_vat_number', 'legal_representative_fiscal_code', 'id']).where('code', '=', code).executeTakeFirstOrThrow();

describe('the API takes the identifiers at enrolment', () => {
  test('stored in capitals without spaces, returned to staff', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: bearer, payload: body({ applicantFiscalCode: 'rss mra 85t10 a562s' }) });
    assert.equal(response.statusCode, 201, response.body);
    const json = response.json();
    assert.equal(json.case.applicantFiscalCode, CF);
    assert.equal(json.case.applicantVatNumber, null);
    assert.equal((await stored(json.case.code)).applicant_fiscal_code, CF);
  });

  test('a firm: partita IVA and legal representative', async () => {
    const response = await t.app.inject({
      method: 'POST', url: '/api/v1/cases', headers: bearer,
      payload: body({ applicantName: 'Gru Rossi S.r.l.', applicantVatNumber: 'IT12345678903', legalRepresentativeFiscalCode: 'BNCLRA90A41H199W' }),
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().case.applicantVatNumber, '12345678903');
    assert.equal(response.json().case.legalRepresentativeFiscalCode, 'BNCLRA90A41H199W');
  });

  const refusals: [string, Record<string, unknown>, string, RegExp][] = [
    ['a wrong check character', { applicantFiscalCode: 'RSSMRA85T10A562T' }, 'applicantFiscalCode', /carattere di controllo/],
    ['a short code', { applicantFiscalCode: 'RSSMRA85T10' }, 'applicantFiscalCode', /16 caratteri/],
    ['a wrong partita IVA', { applicantVatNumber: '12345678901' }, 'applicantVatNumber', /cifra di controllo/],
    ["a wrong representative's code", { legalRepresentativeFiscalCode: 'BNCLRA90A41H199X' }, 'legalRepresentativeFiscalCode', /legale rappresentante/],
  ];
  for (const [name, extra, field, message] of refusals) {
    test(`${name}: 422 naming the field, nothing written`, async () => {
      const before = await countCases();
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: bearer, payload: body(extra) });
      assert.equal(response.statusCode, 422, response.body);
      const problem = response.json();
      assert.equal(problem.code, 'invalid-input');
      assert.match(problem.detail, message);
      assert.ok(JSON.stringify(problem).includes(field), `names ${field}: ${response.body}`);
      assert.equal(await countCases(), before);
    });
  }

  test('the OpenAPI document describes the fields', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    const text = JSON.stringify(doc);
    for (const name of ['applicantFiscalCode', 'applicantVatNumber', 'legalRepresentativeFiscalCode', 'setCaseFiscalIdentifiers']) assert.ok(text.includes(name), name);
  });

  test('PUT adds the code to an existing case, audited; a bad one is refused', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: bearer, payload: body({}) })).json();
    const code = created.case.code as string;
    const bad = await t.app.inject({ method: 'PUT', url: `/api/v1/cases/${code}/fiscal-identifiers`, headers: bearer, payload: { applicantFiscalCode: 'XXXXXX85T10A562S' } });
    assert.equal(bad.statusCode, 422);
    assert.equal((await stored(code)).applicant_fiscal_code, null);
    const good = await t.app.inject({ method: 'PUT', url: `/api/v1/cases/${code}/fiscal-identifiers`, headers: bearer, payload: { applicantFiscalCode: CF } });
    assert.equal(good.statusCode, 200, good.body);
    assert.equal(good.json().applicantFiscalCode, CF);
    const audit = await t.database.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'case.fiscal-identifiers').where('entity_id', '=', code).execute();
    assert.equal(audit.length, 1);
    assert.deepEqual((audit[0]!.after as Record<string, unknown>).applicant_fiscal_code, CF);
    assert.deepEqual((audit[0]!.before as Record<string, unknown>).applicant_fiscal_code, null);
  });
});

describe('the back office', () => {
  test('the enrolment form refuses a wrong code in Italian and keeps what was typed', async () => {
    const staff = new StaffClient(t.app);
    await staff.signIn(ADMIN);
    await staff.get('/uffici/pratiche/nuova');
    const before = await countCases();
    const form = {
      action: 'save', procedureCode: 'TE-01', subject: 'Gru', applicantName: 'Mario Rossi', receivedOn: '2026-11-20',
      mobile: '333 765 4321', channels: 'sms', privacy: 'yes', applicantFiscalCode: 'RSSMRA85T10A562T',
    };
    const refused = await staff.post('/uffici/pratiche/nuova', form);
    assert.equal(refused.statusCode, 422);
    assert.match(text(refused.body), /Codice fiscale del richiedente "RSSMRA85T10A562T": ha il carattere di controllo/);
    assert.match(refused.body, /id="applicantFiscalCode"[^>]*value="RSSMRA85T10A562T"|value="RSSMRA85T10A562T"[^>]*id="applicantFiscalCode"/);
    assert.equal(await countCases(), before);

    const enrolled = await staff.post('/uffici/pratiche/nuova', { ...form, applicantFiscalCode: CF });
    assert.equal(enrolled.statusCode, 201, text(enrolled.body).slice(0, 500));
    assert.match(text(enrolled.body), new RegExp(`Codice fiscale del richiedente: ${CF}`));
  });

  test('staff add the code to an existing case on its own page, audited', async () => {
    const staff = new StaffClient(t.app);
    await staff.signIn(ADMIN);
    const code = (await t.database.db.selectFrom('cases').select('code').where('applicant_fiscal_code', 'is', null).where('demo', '=', true).executeTakeFirstOrThrow()).code;
    const detail = await staff.get(`/uffici/pratiche/${code}`);
    assert.match(detail.body, new RegExp(`href="/uffici/pratiche/${code}/codice-fiscale"`));
    const page = await staff.get(`/uffici/pratiche/${code}/codice-fiscale`);
    assert.equal(page.statusCode, 200);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const bad = await staff.post(`/uffici/pratiche/${code}/codice-fiscale`, { version, applicantVatNumber: '1234' });
    assert.equal(bad.statusCode, 422);
    assert.match(text(bad.body), /Partita IVA "1234": deve avere 11 cifre/);
    const saved = await staff.follow(await staff.post(`/uffici/pratiche/${code}/codice-fiscale`, { version, applicantFiscalCode: 'bnclra90a41h199w' }));
    assert.match(text(saved.body), /Codice fiscale e partita IVA aggiornati/);
    assert.match(text(saved.body), /BNCLRA90A41H199W/);
    assert.match(text(saved.body), /Codice fiscale o partita IVA del richiedente modificati/);
  });

  test('the CSV import checks the columns and stores them', async () => {
    const header = 'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio;codice_fiscale;partita_iva;codice_fiscale_legale_rappresentante';
    const bad = await importCases({ ...t.services, db: t.database.db }, systemActor, `${header}\r\nTE-01;Gru;Rossi;24/11/2026;2026/9;333 1234567;;sms;;RSSMRA85T10A562T;;\r\n`, { dryRun: false });
    assert.equal(bad.imported, false);
    assert.match(bad.rows[0]!.errors.join(' '), /Codice fiscale del richiedente "RSSMRA85T10A562T"/);
    const good = await importCases({ ...t.services, db: t.database.db }, systemActor, `${header}\r\nTE-01;Gru;Gru Rossi S.r.l.;24/11/2026;2026/9;333 1234567;;sms;;;12345678903;${CF}\r\n`, { dryRun: false });
    assert.equal(good.imported, true, JSON.stringify(good));
    const row = await stored(good.rows[0]!.code!);
    assert.deepEqual([row.applicant_fiscal_code, row.applicant_vat_number, row.legal_representative_fiscal_code], [null, '12345678903', CF]);
  });
});

describe('the citizen', () => {
  test('sees the code masked on the case page, and no SMS carries it', async () => {
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: bearer, payload: body({ applicantFiscalCode: CF }) })).json();
    const { code, password } = created.credentials as { code: string; password: string };
    await recordEvent({ ...t.services, db: t.database.db }, systemActor, code, { type: 'start', effectiveOn: '2026-11-21' });
    const visitor = new Visitor(t as PortalTestApp);
    const signedIn = await visitor.signIn(code, password);
    const page = await visitor.get(String(signedIn.headers.location));
    const seen = visibleText(page.body);
    assert.match(seen, /Codice fiscale del richiedente RSS\*{10}62S/);
    assert.ok(!page.body.includes(CF), 'the whole code is not on the page');
    const messages = await t.database.db.selectFrom('notifications').select(['channel', 'body', 'context']).where('case_id', '=', (await stored(code)).id).execute();
    assert.ok(messages.some((m) => m.channel === 'sms'), 'an SMS was queued');
    for (const m of messages.filter((x) => x.channel === 'sms')) assert.ok(!`${m.body} ${JSON.stringify(m.context)}`.includes(CF), 'no fiscal code in the SMS');
  });
});
