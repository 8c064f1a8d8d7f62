import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { recordEvent } from '../../src/application/cases.ts';
import { createApiToken } from '../../src/application/tokens.ts';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { TODAY, systemActor } from '../support/fixtures.ts';
import { eventually } from '../portal/support.ts';

let t: TestApp;
let viabToken: string;
const admin = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };

before(async () => {
  t = await createTestApp();
  viabToken = (await createApiToken(t.database.db, systemActor, 'protocollo viabilità', 'VIAB')).token;
});
after(() => t.close());

const json = (body: string) => JSON.parse(body) as Record<string, any>;

async function counts() {
  const db = t.database.db;
  const [cases, events, audit] = await Promise.all([
    db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { cases: Number(cases.n), events: Number(events.n), audit: Number(audit.n) };
}

const newCase = {
  procedureCode: 'TE-01',
  subject: 'Trasporto eccezionale di un escavatore',
  applicantName: 'Movimento Terra Rossi S.r.l.',
  receivedOn: '2026-11-20',
  protocolNumber: '2026/55555',
  mobile: '333 765 4321',
  email: 'ufficio@movimentoterra.example',
  channels: ['sms', 'email'],
};

async function createCase(body: Record<string, unknown> = newCase, headers: Record<string, string> = admin) {
  return t.app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: body });
}

async function post(code: string, action: string, payload: Record<string, unknown>, headers: Record<string, string> = admin) {
  return t.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/${action}`, headers, payload });
}

describe('authentication', () => {
  test('no token: 401 problem+json with a WWW-Authenticate challenge', async () => {
    const response = await t.app.inject({ url: '/api/v1/cases' });
    assert.equal(response.statusCode, 401);
    assert.match(String(response.headers['content-type']), /application\/problem\+json/);
    assert.match(String(response.headers['www-authenticate']), /Bearer/);
    assert.equal(json(response.body).code, 'unauthorized');
  });
  test('an unknown token is refused', async () => {
    const response = await t.app.inject({ url: '/api/v1/offices', headers: { authorization: 'Bearer po_nope' } });
    assert.equal(response.statusCode, 401);
    assert.match(json(response.body).detail, /non valido/);
  });
  test('tokens are stored hashed', async () => {
    const rows = await t.database.db.selectFrom('api_tokens').select('token_hash').execute();
    assert.ok(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash)));
    assert.ok(!rows.some((r) => r.token_hash === viabToken));
  });
});

describe('catalogue', () => {
  test('offices and procedures, with the card term parsed', async () => {
    const offices = json((await t.app.inject({ url: '/api/v1/offices', headers: admin })).body);
    assert.deepEqual(offices.items.map((o: any) => o.code).sort(), ['AMB', 'CAPE', 'VIAB']);
    const procedures = json((await t.app.inject({ url: '/api/v1/procedures', headers: admin })).body);
    const te = procedures.items.find((p: any) => p.code === 'TE-01');
    assert.deepEqual(te.term, { text: '15 gg. da ricevimento domanda', amount: 15, unit: 'calendar-days', description: '15 giorni' });
    assert.equal(procedures.items.find((p: any) => p.code === 'IN-01').enrollable, false);
  });
  test('an office token sees its own office only', async () => {
    const offices = json((await t.app.inject({ url: '/api/v1/offices', headers: { authorization: `Bearer ${viabToken}` } })).body);
    assert.deepEqual(offices.items.map((o: any) => o.code), ['VIAB']);
    const other = await t.app.inject({ url: '/api/v1/procedures/AS-01', headers: { authorization: `Bearer ${viabToken}` } });
    assert.equal(other.statusCode, 404);
  });
});

describe('enrolling a case', () => {
  test('creates it with its deadline, returns the credentials once and audits it', async () => {
    const before = await counts();
    const response = await createCase();
    assert.equal(response.statusCode, 201);
    const body = json(response.body);
    assert.match(body.credentials.code, /^FC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    assert.match(body.credentials.password, /^([2-9A-HJ-NP-Z]{4}-){3}[2-9A-HJ-NP-Z]{4}$/);
    assert.equal(response.headers.location, `/api/v1/cases/${body.credentials.code}`);
    assert.equal(body.case.state, 'enrolled');
    assert.equal(body.case.contacts.mobile, '+393337654321');
    // in the order of the channels' list, whatever the order they were sent in
    assert.deepEqual(body.case.contacts.channels, ['email', 'sms']);
    assert.equal(body.case.deadline.date, '2026-12-05'); // 20 Nov + 15 days, a Saturday: it does not move
    assert.equal(body.case.deadline.daysRemaining, 9);
    const row = await t.database.db.selectFrom('cases').select('password_hash').where('code', '=', body.credentials.code).executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^hmac-sha256\$[0-9a-f]{8}\$[\w-]{43}$/);
    const after = await counts();
    assert.deepEqual(after, { ...before, cases: before.cases + 1, audit: before.audit + 1 });
  });

  const bad: [string, Record<string, unknown>, number, string, RegExp][] = [
    ['a missing subject', { ...newCase, subject: undefined }, 400, 'validation', /subject/],
    ['an empty applicant', { ...newCase, applicantName: '   ' }, 422, 'invalid-input', /Richiedente/],
    ['a malformed date', { ...newCase, receivedOn: '20/11/2026' }, 400, 'validation', /receivedOn/],
    ['an impossible date', { ...newCase, receivedOn: '2026-02-30' }, 422, 'invalid-date', /data/i],
    ['a future date', { ...newCase, receivedOn: '2026-12-01' }, 422, 'date-in-future', /futura/],
    ['an absurd past date', { ...newCase, receivedOn: '1899-01-01' }, 422, 'invalid-date', /01\/01\/1899\) è anteriore al 01\/01\/1990: controllare l'anno/],
    ['a landline for SMS', { ...newCase, mobile: '0543 714111' }, 422, 'invalid-phone', /cellulare/],
    ['a broken e-mail', { ...newCase, email: 'ufficio@' }, 422, 'invalid-email', /e-mail/],
    ['SMS without a mobile', { ...newCase, mobile: null, channels: ['sms'] }, 422, 'no-contact', /cellulare/],
    ['no channel', { ...newCase, channels: [] }, 400, 'validation', /channels/],
    ['an unknown channel', { ...newCase, channels: ['fax'] }, 400, 'validation', /channels/],
    ['an unknown procedure', { ...newCase, procedureCode: 'XX-99' }, 404, 'not-found', /XX-99/],
    ['a procedure without a numeric term', { ...newCase, procedureCode: 'IN-01' }, 422, 'term-not-numeric', /termine/],
    ['an unknown field', { ...newCase, colour: 'blue' }, 400, 'validation', /colour|propriet/],
    ['a subject too long', { ...newCase, subject: 'x'.repeat(501) }, 400, 'validation', /subject/],
    // a body is taken as sent: a number is not converted to a text, nor a single value to a list
    ['a number for the subject', { ...newCase, subject: 123 }, 400, 'validation', /body\.subject: deve essere di tipo string/],
    ['one channel not in a list', { ...newCase, channels: 'email' }, 400, 'validation', /body\.channels: deve essere di tipo array/],
    ['true for the protocol number', { ...newCase, protocolNumber: true }, 400, 'validation', /body\.protocolNumber/],
  ];
  for (const [name, body, status, code, detail] of bad) {
    test(`refuses ${name}, writing nothing`, async () => {
      const before = await counts();
      const response = await createCase(body);
      assert.equal(response.statusCode, status, response.body);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      const problem = json(response.body);
      assert.equal(problem.code, code);
      assert.match(`${problem.detail}`, detail);
      assert.deepEqual(await counts(), before);
    });
  }
  test('malformed JSON is a clear 400', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"procedureCode":' });
    assert.equal(response.statusCode, 400);
    assert.equal(json(response.body).status, 400);
  });
  test('an office token cannot enrol in another office', async () => {
    const response = await createCase({ ...newCase, procedureCode: 'AS-01' }, { authorization: `Bearer ${viabToken}` });
    assert.equal(response.statusCode, 404);
  });
});

describe('recording the life of a case', () => {
  let code: string;
  before(async () => {
    code = json((await createCase({ ...newCase, receivedOn: '2026-10-01' })).body).credentials.code;
  });

  test('start, c.7 suspension, refused second c.7, resume, close: state, deadline and history follow', async () => {
    let response = await post(code, 'start', { effectiveOn: '2026-10-02', reason: 'Domanda completa' });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(json(response.body).state, 'in-progress');
    assert.equal(json(response.body).deadline.date, '2026-10-16'); // 1 Oct + 15

    response = await post(code, 'suspend', { effectiveOn: '2026-10-05', kind: 'art2c7', reason: 'Manca il piano di percorso', notes: 'Inviarlo via PEC' });
    assert.equal(response.statusCode, 201, response.body);
    let body = json(response.body);
    assert.equal(body.state, 'suspended');
    assert.equal(body.suspensions.length, 1);
    assert.equal(body.suspensions[0].kind, 'art2c7');

    response = await post(code, 'resume', { effectiveOn: '2026-10-12', reason: 'Piano ricevuto' });
    body = json(response.body);
    assert.equal(body.state, 'resumed');
    assert.equal(body.deadline.date, '2026-10-23'); // 16 Oct + 7 days stopped
    assert.equal(body.deadline.suspendedDays, 7);

    const before = await counts();
    response = await post(code, 'suspend', { effectiveOn: '2026-10-14', kind: 'art2c7', reason: 'Ancora documenti' });
    assert.equal(response.statusCode, 409);
    assert.equal(json(response.body).code, 'second-art2c7-suspension');
    assert.deepEqual(await counts(), before);

    response = await post(code, 'close', { effectiveOn: '2026-10-20', outcome: 'accepted', reason: 'Autorizzazione rilasciata' });
    body = json(response.body);
    assert.equal(body.state, 'closed');
    assert.equal(body.deadline.daysRemaining, null);
    assert.deepEqual(
      body.history.map((e: any) => [e.type, e.effectiveOn, e.recordedBy]),
      [['start', '2026-10-02', 'API: demo'], ['suspend', '2026-10-05', 'API: demo'], ['resume', '2026-10-12', 'API: demo'], ['close', '2026-10-20', 'API: demo']],
    );
    assert.equal(body.history[1].notes, 'Inviarlo via PEC');
    assert.deepEqual(body.closing, { deadline: '2026-10-23', closedOn: '2026-10-20', grossDays: 19, netDays: 12, suspendedDays: 7, late: false, daysLate: 0 });

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', code).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['case.enrol', 'case.start', 'case.suspend', 'case.resume', 'case.close']);
  });

  test('an illegal transition is refused and nothing is written', async () => {
    const before = await counts();
    const response = await post(code, 'resume', { reason: 'x' });
    assert.equal(response.statusCode, 409);
    assert.equal(json(response.body).code, 'illegal-transition');
    assert.match(json(response.body).detail, /chiusa/);
    assert.deepEqual(await counts(), before);
  });

  test('a rejection needs its reasons and a 10-bis notice before it (L. 241/1990 artt. 3 and 10-bis)', async () => {
    const fresh = json((await createCase()).body).credentials.code;
    assert.equal((await post(fresh, 'start', {})).statusCode, 201);
    const before = await counts();
    const bare = await post(fresh, 'close', { outcome: 'rejected' });
    assert.equal(bare.statusCode, 422, bare.body);
    assert.equal(json(bare.body).code, 'invalid-input');
    assert.match(json(bare.body).detail, /motivi del rigetto.*art\. 3 L\. 241\/1990/);
    const unnotified = await post(fresh, 'close', { outcome: 'rejected', reason: 'Percorso non percorribile' });
    assert.equal(unnotified.statusCode, 409, unnotified.body);
    assert.equal(json(unnotified.body).code, 'rejection-without-10bis');
    assert.match(json(unnotified.body).detail, /preavviso di rigetto \(art\. 10-bis L\. 241\/1990\)/);
    assert.deepEqual(await counts(), before, 'nothing is written');
    assert.equal((await post(fresh, 'suspend', { kind: 'art10bis', reason: 'Percorso non percorribile' })).statusCode, 201);
    const rejected = await post(fresh, 'close', { outcome: 'rejected', reason: 'Nessuna osservazione presentata' });
    assert.equal(rejected.statusCode, 201, rejected.body);
    assert.equal(json(rejected.body).state, 'closed');
  });

  const badEvents: [string, string, Record<string, unknown>, number, string][] = [
    ['a future date', 'start', { effectiveOn: '2026-11-27' }, 422, 'date-in-future'],
    ['a malformed date', 'start', { effectiveOn: '2026-1-1' }, 400, 'validation'],
    ['a date before the application', 'start', { effectiveOn: '2026-11-19' }, 422, 'date-before-received'],
    ['a suspension of unknown kind', 'suspend', { kind: 'art99', reason: 'x' }, 400, 'validation'],
    ['a close without outcome', 'close', { reason: 'x' }, 400, 'validation'],
  ];
  for (const [name, action, payload, status, problemCode] of badEvents) {
    test(`refuses ${name}`, async () => {
      const fresh = json((await createCase()).body).credentials.code;
      const before = await counts();
      const response = await post(fresh, action, payload);
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json(response.body).code, problemCode);
      assert.deepEqual(await counts(), before);
    });
  }

  test('an unknown or malformed case code is a 404', async () => {
    assert.equal((await t.app.inject({ url: '/api/v1/cases/FC-2222-2222', headers: admin })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/v1/cases/<script>', headers: admin })).statusCode, 404);
    assert.equal((await post('FC-2222-2222', 'start', {})).statusCode, 404);
  });
});

describe('safe retries and concurrent edits', () => {
  test('a POST retried with the same Idempotency-Key records once and answers the same', async () => {
    const code = json((await createCase()).body).credentials.code;
    const headers = { ...admin, 'idempotency-key': `start-${code}` };
    const first = await post(code, 'start', { reason: 'Avvio' }, headers);
    const second = await post(code, 'start', { reason: 'Avvio' }, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.deepEqual(json(second.body), json(first.body));
    const events = await t.database.db.selectFrom('cases').innerJoin('case_events', 'case_events.case_id', 'cases.id').select('seq').where('code', '=', code).execute();
    assert.equal(events.length, 1);
  });
  test('the same key with a different request is refused', async () => {
    const code = json((await createCase()).body).credentials.code;
    const headers = { ...admin, 'idempotency-key': `k-${code}` };
    await post(code, 'start', { reason: 'Avvio' }, headers);
    const response = await post(code, 'start', { reason: 'Altro' }, headers);
    assert.equal(response.statusCode, 409);
    assert.match(json(response.body).detail, /Idempotency-Key/);
  });
  test('enrolment is idempotent too: one case for two identical requests', async () => {
    const before = await counts();
    const headers = { ...admin, 'idempotency-key': 'enrol-once' };
    const first = await createCase(newCase, headers);
    const second = await createCase(newCase, headers);
    assert.equal(json(first.body).credentials.code, json(second.body).credentials.code);
    assert.equal((await counts()).cases, before.cases + 1);
  });
  test('a replayed enrolment gets the same password, which is not kept in the stored answer', async () => {
    const headers = { ...admin, 'idempotency-key': 'enrol-replayed' };
    const first = json((await createCase(newCase, headers)).body);
    const stored = await t.database.db.selectFrom('idempotency_keys').select('response_body').where('key', '=', 'enrol-replayed').executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(stored.response_body), new RegExp(first.credentials.password));
    const replay = await createCase(newCase, headers);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.headers.location, `/api/v1/cases/${first.credentials.code}`);
    assert.deepEqual(json(replay.body), first);
  });
  test('once a new password has been issued, a replayed enrolment no longer shows a password', async () => {
    const headers = { ...admin, 'idempotency-key': 'enrol-then-new-password' };
    const first = json((await createCase(newCase, headers)).body);
    const resent = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${first.credentials.code}/credentials`, headers: admin, payload: { newPassword: true } });
    assert.equal(resent.statusCode, 202, resent.body);
    const replay = json((await createCase(newCase, headers)).body);
    assert.deepEqual(replay.credentials, { code: first.credentials.code });
    assert.deepEqual(replay.case, first.case);
  });
  test('a key is forgotten after 24 hours: the same request then enrols a new case', async () => {
    const headers = { ...admin, 'idempotency-key': 'enrol-yesterday' };
    const first = json((await createCase(newCase, headers)).body);
    await sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'enrol-yesterday'`.execute(t.database.db);
    const before = await counts();
    const again = await createCase(newCase, headers);
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], undefined);
    assert.notEqual(json(again.body).credentials.code, first.credentials.code);
    assert.equal((await counts()).cases, before.cases + 1);
    const third = await createCase(newCase, headers);
    assert.equal(third.headers['idempotent-replayed'], 'true', 'the key is remembered again from the new request');
  });
  test('expired keys are purged as new ones are claimed', async () => {
    await createCase(newCase, { ...admin, 'idempotency-key': 'old-key' });
    await sql`UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE key = 'old-key'`.execute(t.database.db);
    await createCase(newCase, { ...admin, 'idempotency-key': 'new-key' });
    const left = await t.database.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'old-key').execute();
    assert.deepEqual(left, []);
  });
  test('If-Match with a stale version gets 412 and records nothing', async () => {
    const code = json((await createCase()).body).credentials.code;
    const read = await t.app.inject({ url: `/api/v1/cases/${code}`, headers: admin });
    const etag = String(read.headers.etag);
    assert.equal(etag, 'W/"1"');
    assert.equal((await post(code, 'start', {}, { ...admin, 'if-match': etag })).statusCode, 201);
    const before = await counts();
    const stale = await post(code, 'close', { outcome: 'accepted' }, { ...admin, 'if-match': etag });
    assert.equal(stale.statusCode, 412);
    assert.equal(json(stale.body).code, 'precondition-failed');
    assert.deepEqual(await counts(), before);
  });
});

describe('listing cases', () => {
  test('cursor pagination returns every case once, newest first', async () => {
    const total = (await counts()).cases;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/cases?limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json((await t.app.inject({ url, headers: admin })).body);
      seen.push(...page.items.map((c: any) => c.code));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
  });
  test('filters by state, overdue, office and text', async () => {
    const suspended = json((await t.app.inject({ url: '/api/v1/cases?state=suspended', headers: admin })).body);
    assert.ok(suspended.items.length >= 4);
    assert.ok(suspended.items.every((c: any) => c.state === 'suspended'));
    const overdue = json((await t.app.inject({ url: '/api/v1/cases?overdue=true', headers: admin })).body);
    assert.ok(overdue.items.length >= 1);
    assert.ok(overdue.items.every((c: any) => c.state !== 'closed' && c.deadline < TODAY && c.daysRemaining < 0));
    const amb = json((await t.app.inject({ url: '/api/v1/cases?office=AMB', headers: admin })).body);
    assert.ok(amb.items.every((c: any) => c.officeCode === 'AMB'));
    const text = json((await t.app.inject({ url: '/api/v1/cases?q=caseificio', headers: admin })).body);
    assert.deepEqual(text.items.map((c: any) => c.applicantName), ['Caseificio Valle del Rabbi']);
  });
  test('an office token lists its office only, and cannot touch other cases', async () => {
    const viab = { authorization: `Bearer ${viabToken}` };
    const page = json((await t.app.inject({ url: '/api/v1/cases?limit=200', headers: viab })).body);
    assert.ok(page.items.length > 0);
    assert.ok(page.items.every((c: any) => c.officeCode === 'VIAB'));
    const amb = json((await t.app.inject({ url: '/api/v1/cases?office=AMB&limit=1', headers: admin })).body).items[0].code;
    assert.equal((await t.app.inject({ url: `/api/v1/cases/${amb}`, headers: viab })).statusCode, 404);
    assert.equal((await post(amb, 'close', { outcome: 'accepted' }, viab)).statusCode, 404);
  });
  test('bad filters are clear errors', async () => {
    assert.equal((await t.app.inject({ url: '/api/v1/cases?state=lost', headers: admin })).statusCode, 400);
    assert.equal((await t.app.inject({ url: '/api/v1/cases?limit=0', headers: admin })).statusCode, 400);
    // read as a number, "1e400" is Infinity, which the schema's bounds do not check
    for (const query of ['dueWithinDays=1e400', 'limit=1e400', 'dueWithinDays=-Infinity']) {
      const response = await t.app.inject({ url: `/api/v1/cases?${query}`, headers: admin });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assert.match(json(response.body).detail, /querystring\.(dueWithinDays|limit): deve essere un numero finito/);
    }
    const cursor = await t.app.inject({ url: '/api/v1/cases?cursor=nonsense', headers: admin });
    assert.equal(cursor.statusCode, 422);
    assert.match(json(cursor.body).detail, /cursore/);
  });
});

describe('case reads, kept in memory by each web process until the database tells of a change', () => {
  const read = async (code: string, headers: Record<string, string> = admin) => t.app.inject({ url: `/api/v1/cases/${code}`, headers });
  const openCase = async (office: string) => json((await t.app.inject({ url: `/api/v1/cases?office=${office}&state=in-progress&limit=1`, headers: admin })).body).items[0].code as string;

  test('an event recorded outside this process shows on the next read, with a new ETag', async () => {
    const code = await openCase('VIAB');
    const first = await read(code);
    assert.equal(json(first.body).state, 'in-progress');
    assert.equal((await read(code)).body, first.body, 'read twice: the second comes from memory');
    await recordEvent({ db: t.database.db, clock: t.clock }, systemActor, code, {
      type: 'suspend', kind: 'art2c7', effectiveOn: TODAY, reason: 'Manca la ricevuta del versamento', notes: '',
    });
    const changed = await eventually(() => read(code), (response) => json(response.body).state !== 'in-progress');
    assert.equal(json(changed.body).state, 'suspended');
    assert.equal(json(changed.body).history.at(-1).reason, 'Manca la ricevuta del versamento');
    assert.notEqual(changed.headers.etag, first.headers.etag);
  });

  test('a case kept in memory after an administrator read it is still refused to another office\'s token', async () => {
    const amb = await openCase('AMB');
    assert.equal((await read(amb)).statusCode, 200);
    const refused = await read(amb, { authorization: `Bearer ${viabToken}` });
    assert.equal(refused.statusCode, 404);
    assert.match(json(refused.body).detail, new RegExp(`Pratica ${amb} non trovata`));
  });
});

describe('documentation and audit', () => {
  test('the OpenAPI document describes every endpoint', async () => {
    const response = await t.app.inject({ url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const doc = json(response.body);
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/cases', '/api/v1/cases/{code}', '/api/v1/cases/{code}/suspend', '/api/v1/offices', '/api/v1/procedures']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.equal((await t.app.inject({ url: '/api/docs/' })).statusCode, 200);
  });
  test('the audit log cannot be changed or deleted', async () => {
    await assert.rejects(sql`UPDATE audit_log SET actor = 'someone else'`.execute(t.database.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_log`.execute(t.database.db), /append-only/);
  });
});
