import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { StaffClient, VIAB_MANAGER, text } from '../backoffice/client.ts';
import { DEFAULT_TEMPLATES } from '../../src/domain/notification/defaults.ts';
import { renderEmail } from '../../src/domain/notification/render.ts';
import type { MessageContext } from '../../src/domain/notification/messages.ts';

// Today is 26/11/2026 (test/support/fixtures.ts). TE-01 has 15 days: received Thu 1 Oct → deadline Fri 16 Oct 2026.
let t: TestApp;
const admin = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
const json = (body: string) => JSON.parse(body) as Record<string, any>;

before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function enrol(receivedOn: string): Promise<string> {
  const response = await t.app.inject({
    method: 'POST', url: '/api/v1/cases', headers: admin,
    payload: { procedureCode: 'TE-01', subject: 'Trasporto eccezionale', applicantName: 'Rossi S.r.l.', receivedOn, email: 'rossi@example.org', channels: ['email'] },
  });
  assert.equal(response.statusCode, 201, response.body);
  const code = json(response.body).case.code as string;
  const started = await post(code, 'start', { effectiveOn: receivedOn });
  assert.equal(started.statusCode, 201, started.body);
  return code;
}

const post = (code: string, action: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/${action}`, headers: admin, payload });
const read = async (code: string) => json((await t.app.inject({ url: `/api/v1/cases/${code}`, headers: admin })).body);
const eventCount = async () => Number((await t.database.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('the business-activity flag: on the card, copied onto the case at enrolment', () => {
  test('a case keeps the flag its card had when it was enrolled', async () => {
    await t.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    const code = await enrol('2026-10-01');
    const procedure = json((await t.app.inject({ url: '/api/v1/procedures', headers: admin })).body).items.find((p: any) => p.code === 'TE-01');
    assert.equal(procedure.businessActivity, true);
    await t.database.db.updateTable('procedures').set({ business_activity: false }).where('code', '=', 'TE-01').execute();
    const body = await read(code);
    assert.equal(body.procedure.businessActivity, true);
    const later = await enrol('2026-10-01');
    assert.equal((await read(later)).procedure.businessActivity, false);
  });
});

describe('substitute-request: the day the citizen turned to the substitute (art. 2 c.9-bis)', () => {
  let code: string;
  before(async () => {
    await t.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    code = await enrol('2026-10-01');
  });

  test('overdue: the event is offered, the indemnity waits for the request and says by when', async () => {
    const body = await read(code);
    assert.equal(body.deadline.date, '2026-10-16');
    assert.ok(body.allowedEvents.includes('substitute-request'));
    assert.equal(body.remedies.substituteFrom, '2026-10-17');
    assert.equal(body.remedies.substituteRequestBy, '2026-11-05');
    assert.equal(body.remedies.delayDays, 41);
    assert.deepEqual([body.remedies.indemnity.euro, body.remedies.indemnity.eligible], [0, false]);
  });

  test('on the deadline day it is refused (409), nothing written', async () => {
    const before = await eventCount();
    const response = await post(code, 'substitute-request', { effectiveOn: '2026-10-16' });
    assert.equal(response.statusCode, 409);
    assert.equal(json(response.body).code, 'substitute-request-too-early');
    assert.match(json(response.body).detail, /dal giorno successivo, 17\/10\/2026/);
    assert.equal(await eventCount(), before);
  });

  test('recorded after the deadline: the substitute has half the term, the indemnity accrues', async () => {
    const response = await post(code, 'substitute-request', { effectiveOn: '2026-10-20', notes: 'PEC al Segretario generale' });
    assert.equal(response.statusCode, 201, response.body);
    const body = json(response.body);
    assert.equal(body.state, 'in-progress');
    assert.equal(body.remedies.substituteRequest, '2026-10-20');
    // 15 days → 8, from Tue 20 Oct: Wed 28 Oct
    assert.equal(body.remedies.substituteDeadline, '2026-10-28');
    assert.deepEqual([body.remedies.indemnity.euro, body.remedies.indemnity.eligible], [41 * 30, true]);
    assert.ok(!body.allowedEvents.includes('substitute-request'));
    assert.equal(body.history.at(-1).type, 'substitute-request');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', code).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(audit.action, 'case.substitute-request');
  });

  test('a second request is refused', async () => {
    const response = await post(code, 'substitute-request', { effectiveOn: '2026-10-22' });
    assert.equal(response.statusCode, 409);
    assert.match(json(response.body).detail, /già stata registrata il 20\/10\/2026/);
  });

  test('no message leaves for it', async () => {
    const caseRow = await t.database.db.selectFrom('cases').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    const seq = (await t.database.db.selectFrom('case_events').select('seq').where('case_id', '=', caseRow.id).where('type', '=', 'substitute-request').executeTakeFirstOrThrow()).seq;
    const messages = await t.database.db.selectFrom('notifications').select('id').where('case_id', '=', caseRow.id).where('event_seq', '=', seq).execute();
    assert.equal(messages.length, 0);
  });

  test('a case not yet overdue does not offer it, and the API refuses it', async () => {
    const fresh = await enrol('2026-11-20');
    const body = await read(fresh);
    assert.ok(!body.allowedEvents.includes('substitute-request'));
    const response = await post(fresh, 'substitute-request', { effectiveOn: '2026-11-26' });
    assert.equal(response.statusCode, 409);
    assert.equal(json(response.body).code, 'substitute-request-too-early');
  });

  test('the back office records it through the case form', async () => {
    const other = await enrol('2026-10-01');
    const viab = new StaffClient(t.app);
    await viab.signIn(VIAB_MANAGER);
    const page = await viab.get(`/uffici/pratiche/${other}`);
    assert.match(text(page.body), /richiesta al titolare del potere sostitutivo/);
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const early = await viab.post(`/uffici/pratiche/${other}/evento`, { type: 'substitute-request', effectiveOn: '2026-10-10', version, action: 'save' });
    assert.equal(early.statusCode, 409);
    assert.match(text(early.body), /il termine scade il 16\/10\/2026/);
    const onTheDay = await viab.post(`/uffici/pratiche/${other}/evento`, { type: 'substitute-request', effectiveOn: '2026-10-16', version, action: 'save' });
    assert.equal(onTheDay.statusCode, 409);
    assert.match(text(onTheDay.body), /del 16\/10\/2026 non è ammessa: il termine scade il 16\/10\/2026 e ci si può rivolgere al sostituto dal giorno successivo, 17\/10\/2026/);
    const saved = await viab.follow(await viab.post(`/uffici/pratiche/${other}/evento`, { type: 'substitute-request', effectiveOn: '2026-10-21', version, action: 'save' }));
    assert.equal(saved.statusCode, 200);
    assert.equal((await read(other)).remedies.substituteRequest, '2026-10-21');
    // the dashboard lists the pending request with the substitute's deadline: 8 days from Wed 21 Oct, Thu 29 Oct
    const dashboard = text((await viab.get('/uffici')).body);
    assert.match(dashboard, /Richieste al potere sostitutivo in attesa/);
    assert.match(dashboard, new RegExp(`${other} — Rossi S\\.r\\.l\\.: richiesta del 21/10/2026, il sostituto deve concludere entro il 29/10/2026`));
  });
});

describe('a payment of the indemnity for delay (art. 28 D.L. 69/2013): recorded, capped, refused where not due', () => {
  // TE-01, 15 days: received 1 Oct → deadline 16 Oct; request 20 Oct (within the 20 days); today 26 Nov: 41 days late, 1,230 euro
  let code: string;
  const pay = (c: string, payload: Record<string, unknown>) => post(c, 'indemnity-payment', payload);
  const payments = async () => Number((await t.database.db.selectFrom('indemnity_payments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  before(async () => {
    await t.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    code = await enrol('2026-10-01');
    assert.equal((await post(code, 'substitute-request', { effectiveOn: '2026-10-20' })).statusCode, 201);
  });
  after(() => t.database.db.updateTable('procedures').set({ business_activity: false }).where('code', '=', 'TE-01').execute());

  test('recorded: the case shows what was paid, the audit log has it', async () => {
    const response = await pay(code, { amountCents: 30000, paidOn: '2026-11-20' });
    assert.equal(response.statusCode, 201, response.body);
    const body = json(response.body);
    assert.deepEqual([body.remedies.indemnity.euro, body.remedies.indemnityPaidCents], [1230, 30000]);
    assert.equal((await read(code)).remedies.indemnityPaidCents, 30000);
    const row = await t.database.db.selectFrom('indemnity_payments').selectAll().orderBy('recorded_at', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([row.amount_cents, row.paid_on], [30000, '2026-11-20']);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', code).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(audit.action, 'case.indemnity-payment');
  });

  const refusals: [name: string, payload: Record<string, unknown>, code: string, detail: RegExp][] = [
    ['beyond what is left of what accrued', { amountCents: 93001 }, 'invalid-input', /maturato 1\.230,00 euro .*già pagati 300,00 euro, restano 930,00 euro/],
    ['zero', { amountCents: 0 }, 'invalid-input', /maggiore di zero/],
    ['paid tomorrow', { amountCents: 100, paidOn: '2026-11-27' }, 'date-in-future', /non può essere successiva a oggi/],
  ];
  for (const [name, payload, problemCode, detail] of refusals) {
    test(`refused (422 problem+json, nothing written): ${name}`, async () => {
      const before = await payments();
      const response = await pay(code, payload);
      assert.equal(response.statusCode, 422, response.body);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.equal(json(response.body).code, problemCode);
      assert.match(json(response.body).detail, detail);
      assert.equal(await payments(), before);
    });
  }

  test('sent twice with the same Idempotency-Key: paid once, the first answer repeated', async () => {
    const before = await payments();
    const send = () => t.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/indemnity-payment`, headers: { ...admin, 'idempotency-key': 'pagamento-1' }, payload: { amountCents: 5000 } });
    const first = await send();
    const again = await send();
    assert.deepEqual([first.statusCode, again.statusCode, again.headers['idempotent-replayed']], [201, 201, 'true']);
    assert.equal(await payments(), before + 1);
    assert.equal(json(again.body).remedies.indemnityPaidCents, 35000);
  });

  test('the rest, to the cent, is accepted; then nothing more', async () => {
    assert.equal((await pay(code, { amountCents: 88000 })).statusCode, 201);
    const more = await pay(code, { amountCents: 1 });
    assert.equal(more.statusCode, 422);
    assert.match(json(more.body).detail, /restano 0,00 euro/);
  });

  test('refused where the indemnity is not due: no request to the substitute yet, not a business activity', async () => {
    const waiting = await enrol('2026-10-01');
    const response = await pay(waiting, { amountCents: 100 });
    assert.equal(response.statusCode, 422);
    assert.equal(json(response.body).code, 'indemnity-not-due');
    assert.match(json(response.body).detail, /Il pagamento non può essere registrato\. Indennizzo non ancora dovuto: spetta se ci si rivolge al titolare del potere sostitutivo entro il 05\/11\/2026/);
    await t.database.db.updateTable('procedures').set({ business_activity: false }).where('code', '=', 'TE-01').execute();
    const other = await enrol('2026-10-01');
    await t.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    assert.equal((await post(other, 'substitute-request', { effectiveOn: '2026-10-20' })).statusCode, 201);
    const refused = await pay(other, { amountCents: 100 });
    assert.equal(refused.statusCode, 422);
    assert.match(json(refused.body).detail, /non riguarda l'avvio o l'esercizio di un'attività d'impresa/);
    assert.equal((await pay('FC-ZZZZ-ZZZZ', { amountCents: 100 })).statusCode, 404);
  });

  test('the back office: the case page shows the indemnity and records a payment typed in euro', async () => {
    const other = await enrol('2026-10-01');
    assert.equal((await post(other, 'substitute-request', { effectiveOn: '2026-10-21' })).statusCode, 201);
    const viab = new StaffClient(t.app);
    await viab.signIn(VIAB_MANAGER);
    const page = text((await viab.get(`/uffici/pratiche/${other}`)).body);
    assert.match(page, /Indennizzo da ritardo \(art\. 28 D\.L\. 69\/2013\) Maturato: 1\.230,00 euro/);
    assert.match(page, /Pagato: 0,00 euro; resta da pagare: 1\.230,00 euro/);
    const saved = await viab.follow(await viab.post(`/uffici/pratiche/${other}/indennizzo`, { amount: '230,50', paidOn: '2026-11-25' }));
    assert.equal(saved.statusCode, 200);
    assert.match(text(saved.body), /Pagamento dell'indennizzo registrato: 230,50 euro\./);
    assert.match(text(saved.body), /Pagato: 230,50 euro; resta da pagare: 999,50 euro/);
    const over = await viab.post(`/uffici/pratiche/${other}/indennizzo`, { amount: '1000', paidOn: '2026-11-25' });
    assert.equal(over.statusCode, 422);
    assert.match(text(over.body), /L'importo di 1\.000,00 euro supera quanto resta da pagare/);
    assert.match(over.body, /href="#indemnity-amount"/);
    const typo = await viab.post(`/uffici/pratiche/${other}/indennizzo`, { amount: '12.5', paidOn: '2026-11-25' });
    assert.equal(typo.statusCode, 422);
    assert.match(text(typo.body), /L'importo "12\.5" non è valido/);
    assert.equal((await read(other)).remedies.indemnityPaidCents, 23050);
  });
});

describe('the art. 28 mentions: the start message and the public procedure card', () => {
  test('the start e-mail of a business-activity case tells of the indemnity, how and by when; others do not', async () => {
    await t.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    // received 20 Nov: deadline Sat 5 Dec; the 20 days end Fri 25 Dec (Christmas), 26 (Santo Stefano), 27 (Sunday) → Mon 28 Dec
    const code = await enrol('2026-11-20');
    const rendered = await startEmailOf(code);
    assert.match(rendered, /in caso di ritardo le spetta un indennizzo di 30 euro per ogni giorno di ritardo dalla scadenza, fino a 2\.000 euro \(art\. 2-bis c\.1-bis L\. 241\/1990; art\. 28 D\.L\. 69\/2013\)/);
    assert.match(rendered, /entro 20 giorni dalla scadenza del termine, cioè entro il 28\/12\/2026: il titolare ha 8 giorni per concludere/);
    await t.database.db.updateTable('procedures').set({ business_activity: false }).where('code', '=', 'TE-01').execute();
    assert.doesNotMatch(await startEmailOf(await enrol('2026-11-20')), /indennizzo/);
  });

  test('the public card of a business-activity procedure names the right, the 20 days and the substitute\'s term', async () => {
    await t.database.db.updateTable('procedures').set({ business_activity: true }).where('code', '=', 'TE-01').execute();
    const page = text((await t.app.inject({ url: '/trasparenza/procedimenti/TE-01' })).body);
    assert.match(page, /Indennizzo da ritardo \(art\. 28 D\.L\. 69\/2013\)/);
    assert.match(page, /30 euro per ogni giorno di ritardo, fino a 2\.000 euro .* entro 20 giorni dalla scadenza del termine; il titolare conclude il procedimento entro 8 giorni/);
    const other = text((await t.app.inject({ url: '/trasparenza/procedimenti/AC-01' })).body);
    assert.doesNotMatch(other, /Indennizzo da ritardo/);
  });
});

async function startEmailOf(code: string): Promise<string> {
  const caseRow = await t.database.db.selectFrom('cases').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  const row = await t.database.db.selectFrom('notifications').select(['context', 'kind']).where('case_id', '=', caseRow.id).where('channel', '=', 'email').where('kind', '=', 'start').executeTakeFirstOrThrow();
  const context = (typeof row.context === 'string' ? JSON.parse(row.context) : row.context) as MessageContext;
  return renderEmail(DEFAULT_TEMPLATES.start.email, { ...context, caseLink: 'http://x/pratica', signInLink: '', password: 'X' }).text;
}
