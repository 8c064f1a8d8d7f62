import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { parseCsv } from '../../src/application/backoffice/csv.ts';
import { loadCalendar } from '../../src/application/calendar.ts';
import { termsOfCase } from '../../src/application/case-terms.ts';
import { caseDeadline } from '../../src/domain/case/decide.ts';
import { caseRemedies } from '../../src/domain/case/remedies.ts';
import { substituteOutcome } from '../../src/domain/deadline/index.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY } from '../support/fixtures.ts';
import { ADMIN, StaffClient, text } from '../backoffice/client.ts';

// Today is Thu 26 Nov 2026. TE-01 (office VIAB) has 15 calendar days; the substitute has 8.
let t: TestApp;
let admin: StaffClient;
const api = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: api, payload });

async function lateCase(receivedOn: string, business: boolean, request: string, extra: { close?: string; paidCents?: number } = {}): Promise<string> {
  await t.database.db.updateTable('procedures').set({ business_activity: business }).where('code', '=', 'TE-01').execute();
  const enrolled = await post('/cases', { procedureCode: 'TE-01', subject: 'Trasporto', applicantName: 'Rossi S.r.l.', receivedOn, email: 'r@example.org', channels: ['email'] });
  const code = JSON.parse(enrolled.body).case.code as string;
  for (const [action, payload] of [['start', { effectiveOn: receivedOn }], ['substitute-request', { effectiveOn: request }]] as const) {
    const response = await post(`/cases/${code}/${action}`, payload);
    assert.equal(response.statusCode, 201, response.body);
  }
  if (extra.paidCents) assert.equal((await post(`/cases/${code}/indemnity-payment`, { amountCents: extra.paidCents })).statusCode, 201);
  if (extra.close) assert.equal((await post(`/cases/${code}/close`, { effectiveOn: extra.close, outcome: 'accepted' })).statusCode, 201);
  return code;
}

/** The same figures worked out from the events and the payments alone, case by case, with the domain's rules. */
async function fromTheEvents(from: string, to: string) {
  const db = t.database.db;
  const calendar = await loadCalendar(db);
  const figures = { substituteRequests: 0, substituteOutcomes: { 'in-time': 0, late: 0, pending: 0 }, indemnityCases: 0, indemnityAccruedEuro: 0, indemnityPaidCents: 0 };
  for (const c of await db.selectFrom('cases').selectAll().execute()) {
    const events = (await db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).orderBy('seq').execute())
      .map((e) => ({ type: e.type, effectiveOn: e.effective_on, reason: e.reason, notes: e.notes, suspensionKind: e.suspension_kind ?? undefined }));
    const request = events.find((e) => e.type === 'substitute-request');
    if (!request || request.effectiveOn < from || request.effectiveOn > to) continue;
    const deadline = caseDeadline(c.received_on, events, termsOfCase(c), calendar, TODAY);
    const r = caseRemedies({ receivedOn: c.received_on, events, deadline, terms: termsOfCase(c), businessActivity: c.business_activity, silenzioAssenso: c.silenzio_assenso, calendar, today: TODAY });
    figures.substituteRequests++;
    figures.substituteOutcomes[substituteOutcome(r.substituteDeadline!, events.find((e) => e.type === 'close')?.effectiveOn, TODAY)]++;
    if (r.indemnity.eligible) {
      figures.indemnityCases++;
      figures.indemnityAccruedEuro += r.indemnity.euro;
    }
    for (const p of await db.selectFrom('indemnity_payments').select('amount_cents').where('case_id', '=', c.id).execute()) figures.indemnityPaidCents += p.amount_cents;
  }
  return figures;
}

before(async () => {
  t = await createTestApp();
  // received 1 Oct → deadline Fri 16 Oct; request Tue 20 Oct → the substitute by Wed 28 Oct; decided 27 Oct: in time, 11 days late, 330 euro
  await lateCase('2026-10-01', true, '2026-10-20', { close: '2026-10-27', paidCents: 10000 });
  // received 1 Sep → deadline Wed 16 Sep; the 20 days end Tue 6 Oct: a request on 20 Oct loses the indemnity; still open after 28 Oct: late
  await lateCase('2026-09-01', true, '2026-10-20');
  // received 1 Nov → deadline Mon 16 Nov; request Fri 20 Nov → the substitute by Sat 28 Nov: pending; 10 days late today, 300 euro, all paid
  await lateCase('2026-11-01', true, '2026-11-20', { paidCents: 30000 });
  // not a business activity: no indemnity; the substitute's term is over: late
  await lateCase('2026-10-01', false, '2026-10-20');
  admin = new StaffClient(t.app);
  await admin.signIn(ADMIN);
});
after(() => t.close());

describe('the times report: requests to the substitute and their outcome, indemnities accrued and paid', () => {
  const expected = { substituteRequests: 4, substituteOutcomes: { 'in-time': 1, late: 2, pending: 1 }, indemnityCases: 2, indemnityAccruedEuro: 630, indemnityPaidCents: 40000 };

  test('the JSON export: the figures of the events, for the procedure, its office and in total', async () => {
    const report = JSON.parse((await admin.get('/uffici/report/export.json?dal=2026-01-01&al=2026-11-26')).body);
    assert.deepEqual(await fromTheEvents('2026-01-01', '2026-11-26'), expected);
    assert.deepEqual(report.procedures.find((p: { procedureCode: string }) => p.procedureCode === 'TE-01').remedies, expected);
    assert.deepEqual(report.offices.find((o: { officeCode: string }) => o.officeCode === 'VIAB').remedies, expected);
    assert.deepEqual(report.totalRemedies, expected);
    assert.equal(report.procedures.find((p: { procedureCode: string }) => p.procedureCode === 'AC-01').remedies.substituteRequests, 0);
  });

  test('the period selects the requests made in it', async () => {
    const november = JSON.parse((await admin.get('/uffici/report/export.json?dal=2026-11-01&al=2026-11-26')).body).totalRemedies;
    assert.deepEqual(november, await fromTheEvents('2026-11-01', '2026-11-26'));
    assert.deepEqual(november, { substituteRequests: 1, substituteOutcomes: { 'in-time': 0, late: 0, pending: 1 }, indemnityCases: 1, indemnityAccruedEuro: 300, indemnityPaidCents: 30000 });
  });

  test('the page and the CSV show the same figures', async () => {
    const page = await admin.get('/uffici/report?dal=2026-01-01&al=2026-11-26&ufficio=VIAB');
    assert.equal(page.statusCode, 200);
    const table = /<table[^>]*id="remedies-table".*?<\/table>/s.exec(page.body)?.[0] ?? '';
    assert.match(text(table), /Richieste al sostituto concluse entro il termine del sostituto oltre il termine del sostituto in attesa, entro il termine con indennizzo dovuto Indennizzi maturati \(euro\) Indennizzi pagati \(euro\)/);
    assert.match(text(table), /TE-01 - [^0-9]+ 4 1 2 1 2 630 400,00/);
    const rows = parseCsv((await admin.get('/uffici/report/export.csv?dal=2026-01-01&al=2026-11-26&ufficio=VIAB')).body, ';').map((r) => r.fields);
    const header = rows[0]!;
    const line = rows.find((r) => r[2] === 'TE-01')!;
    const cells = ['richieste_sostituto', 'sostituto_in_time', 'sostituto_late', 'sostituto_pending', 'indennizzi_dovuti', 'indennizzi_maturati_euro', 'indennizzi_pagati_euro'].map((name) => line[header.indexOf(name)]);
    assert.deepEqual(cells, ['4', '1', '2', '1', '2', '630', '400']);
  });
});
