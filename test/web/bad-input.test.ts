import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { ADMIN, StaffClient, caseOfOffice, text } from '../backoffice/client.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { databaseFingerprint } from '../support/fingerprint.ts';

/** The fuzzer's reproductions, each a 500 once: every one is now a 4xx that says what was wrong, and writes nothing. */

let t: TestApp;
let admin: StaffClient;
const bearer = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };
const NUL = '\u0000';

before(async () => {
  t = await createTestApp();
  admin = new StaffClient(t.app);
  await admin.signIn(ADMIN);
});
after(() => t.close());

const json = (response: LightMyRequestResponse) => JSON.parse(response.body) as { code: string; errors?: { field: string; message: string }[]; detail: string };

/** Runs a refused request and checks that the database is as it was. */
async function refused(send: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
  const before = await databaseFingerprint(t.database.db);
  const response = await send();
  assert.ok(response.statusCode >= 400 && response.statusCode < 500, `a 4xx, not ${response.statusCode}: ${response.body.slice(0, 300)}`);
  assert.deepEqual(await databaseFingerprint(t.database.db), before, 'nothing written');
  return response;
}

function assertApiRefusal(response: LightMyRequestResponse, field: string): void {
  assert.equal(response.statusCode, 400);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const body = json(response);
  assert.equal(body.code, 'validation');
  assert.deepEqual(body.errors?.map((e) => e.field), [field]);
  assert.match(body.errors![0]!.message, /carattere non ammesso \(U\+0000\)/);
}

const newCase = {
  procedureCode: 'TE-01', subject: 'Trasporto eccezionale', applicantName: 'Rossi S.r.l.', receivedOn: '2026-11-20',
  protocolNumber: '2026/1', mobile: '333 765 4321', email: 'ufficio@rossi.example', channels: ['sms', 'email'],
};

describe('a NUL byte anywhere is refused once, at the edge, naming the field', () => {
  test('in a public path segment: a 400 page', async () => {
    const response = await refused(() => t.app.inject({ url: '/trasparenza/procedimenti/%00' }));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /params\.code: contiene un carattere non ammesso \(U\+0000\)/);
  });

  test('in an API query string: 400 problem+json naming the parameter', async () => {
    assertApiRefusal(await refused(() => t.app.inject({ url: '/api/v1/cases?q=%00', headers: bearer })), 'querystring.q');
  });

  test('in a back-office search: a 400 page naming the parameter', async () => {
    const response = await refused(() => admin.get('/uffici/pratiche?q=%00'));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /Il campo "q" contiene un carattere non ammesso \(U\+0000\)/);
  });

  for (const field of ['procedureCode', 'subject', 'applicantName', 'receivedOn', 'protocolNumber', 'mobile', 'email']) {
    test(`in the case's ${field}`, async () => {
      const payload = { ...newCase, [field]: `${(newCase as Record<string, unknown>)[field]}${NUL}` };
      assertApiRefusal(await refused(() => t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: bearer, payload })), `body.${field}`);
    });
  }

  const events: [string, Record<string, string>][] = [
    ['start', { reason: `avvio${NUL}` }],
    ['start', { notes: `nota${NUL}` }],
    ['start', { effectiveOn: `2026-11-26${NUL}` }],
    ['suspend', { kind: 'other', reason: 'Integrazione', legalBasis: `art. 2${NUL}` }],
    ['close', { outcome: 'accepted', notes: `fine${NUL}` }],
  ];
  for (const [action, payload] of events) {
    const field = Object.keys(payload).find((k) => payload[k]!.includes(NUL))!;
    test(`in a ${action} event's ${field}`, async () => {
      const code = await caseOfOffice(t.database.db, 'VIAB', 'enrolled');
      const response = await refused(() => t.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/${action}`, headers: bearer, payload }));
      assertApiRefusal(response, `body.${field}`);
    });
  }

  test('in a notification template', async () => {
    const response = await refused(() => t.app.inject({ method: 'POST', url: '/api/v1/notification-templates/start/sms', headers: bearer, payload: { body: `Avvio${NUL}` } }));
    assertApiRefusal(response, 'body.body');
  });

  test('in the back-office sign-in e-mail', async () => {
    const visitor = new StaffClient(t.app, '192.0.2.91');
    await visitor.get('/uffici/accesso');
    const response = await refused(() => visitor.post('/uffici/accesso', { email: `${ADMIN.email}${NUL}`, password: ADMIN.password }));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /Il campo "email" contiene un carattere non ammesso/);
  });

  test('in the enrolment form', async () => {
    await admin.get('/uffici/pratiche/nuova');
    const response = await refused(() => admin.post('/uffici/pratiche/nuova', { ...newCase, applicantName: `Rossi${NUL}`, privacy: 'yes', action: 'save' }));
    assert.match(text(response.body), /Il campo "applicantName" contiene un carattere non ammesso/);
  });

  test('in a catalogue form', async () => {
    await admin.get('/uffici/catalogo/uffici/nuovo');
    const response = await refused(() => admin.post('/uffici/catalogo/uffici/nuovo', { code: 'NUOVO', name: `Ufficio${NUL}`, address: 'Piazza Morgagni 9' }));
    assert.match(text(response.body), /Il campo "name" contiene un carattere non ammesso/);
  });

  test('in the opt-out note', async () => {
    const code = await caseOfOffice(t.database.db, 'VIAB');
    await admin.get(`/uffici/pratiche/${code}`);
    const response = await refused(() => admin.post(`/uffici/pratiche/${code}/rinuncia`, { note: `telefonata${NUL}`, confirm: 'yes' }));
    assert.match(text(response.body), /Il campo "note" contiene un carattere non ammesso/);
  });

  test('a line break is refused on one line, and kept in free text', async () => {
    const oneLine = await refused(() => t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: bearer, payload: { ...newCase, applicantName: 'Rossi\nS.r.l.' } }));
    assert.equal(json(oneLine).errors?.[0]?.field, 'body.applicantName');
    const code = await caseOfOffice(t.database.db, 'VIAB', 'enrolled');
    const notes = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/start`, headers: bearer, payload: { notes: 'riga uno\r\n\triga due' } });
    assert.equal(notes.statusCode, 201, notes.body);
  });
});

describe('report filters', () => {
  for (const url of [
    '/uffici/report?ufficio=VIAB&ufficio=AMB',
    '/uffici/report?procedimento=TE-01&procedimento=AC-01',
    '/uffici/report/export.csv?dal=2026-01-01&dal=2026-02-01',
    '/uffici/report/pratiche?dato=started&ufficio=VIAB&ufficio=AMB',
    '/uffici/report/pratiche?dato=started&dato=closed',
    '/uffici/report/soddisfazione?dal=2026-01&dal=2026-02',
  ]) {
    test(`a repeated parameter is refused by name: ${url}`, async () => {
      const response = await refused(() => admin.get(url));
      assert.equal(response.statusCode, 400);
      const name = /&([a-z]+)=[^&]*$/.exec(url)![1];
      assert.match(text(response.body), new RegExp(`Il parametro "${name}" è ripetuto: indicarlo una sola volta`));
    });
  }

  test('a drill-down offset beyond the integers is refused, naming it', async () => {
    const response = await refused(() => admin.get('/uffici/report/pratiche?dato=started&da=100000000000000000000'));
    assert.equal(response.statusCode, 422);
    assert.match(text(response.body), /Posizione non valida nel campo "da"/);
    assert.equal((await admin.get('/uffici/report/pratiche?dato=started&da=100')).statusCode, 200, 'a page further on still answers');
  });
});

describe('identifiers that are not UUIDs', () => {
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  for (const [label, cursor] of [
    ['an id that is not a UUID', { createdAt: '2026-01-01T00:00:00Z', id: 'not-a-uuid' }],
    ['a time PostgreSQL cannot hold', { createdAt: '-271821-04-20T00:00:00Z', id: '6f1c2b7e-2f4a-4c1e-9a7d-3b2f1e0d9c8b' }],
  ] as const) {
    test(`an API cursor with ${label}: 422 invalid-input on the cursor`, async () => {
      const response = await refused(() => t.app.inject({ url: `/api/v1/cases?cursor=${cursorOf(cursor)}`, headers: bearer }));
      assert.equal(response.statusCode, 422);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.equal(json(response).code, 'invalid-input');
    });
  }

  test('a back-office list cursor with a dash-only id: 422', async () => {
    const cursor = cursorOf({ s: 'recent', t: '2026-01-01T00:00:00Z', id: '-'.repeat(36) });
    assert.equal((await refused(() => admin.get(`/uffici/pratiche?cursor=${cursor}`))).statusCode, 422);
  });

  test('POST /uffici/catalogo/personale/not-a-uuid answers 404, as its GET does', async () => {
    await admin.get('/uffici/catalogo/personale/nuovo');
    assert.equal((await admin.get('/uffici/catalogo/personale/not-a-uuid')).statusCode, 404);
    const response = await refused(() => admin.post('/uffici/catalogo/personale/not-a-uuid', {
      name: 'Mario Bianchi', email: 'mario.bianchi@provincia-fc.example', role: 'case-officer', officeCode: 'VIAB', active: 'yes',
    }));
    assert.equal(response.statusCode, 404);
  });
});

describe('the CSV import', () => {
  test('the file field twice, url-encoded: 400 naming it', async () => {
    await admin.get('/uffici/importa');
    const response = await refused(() => admin.post('/uffici/importa', { file: ['a;b', 'c;d'], mode: 'import' }));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /Il parametro "file" è ripetuto/);
  });

  test('the file field twice, as multipart: 400 naming it', async () => {
    await admin.get('/uffici/importa');
    const form = new FormData();
    form.append('_csrf', admin.csrf);
    form.append('mode', 'import');
    const csv = 'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio\r\nTE-01;Gru;Gru Rossi;24/11/2026;2026/901;333 1234567;;sms;';
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'uno.csv');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'due.csv');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const payload = Buffer.from(await request.arrayBuffer());
    const cookie = ['po_staff', '_csrf_secret'].map((n) => `${n}=${admin.cookie(n)}`).join('; ');
    const response = await refused(() => t.app.inject({ method: 'POST', url: '/uffici/importa', payload, headers: { cookie, 'content-type': request.headers.get('content-type')! } }));
    assert.equal(response.statusCode, 400);
    assert.match(text(response.body), /Il parametro "file" è ripetuto/);
  });
});

describe('a body the parser refuses is told in Italian, as problem+json', () => {
  const send = (payload: string, contentType = 'application/json') =>
    refused(() => t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { ...bearer, 'content-type': contentType }, payload }));
  for (const [name, payload, status, detail] of [
    ['broken JSON', '{"subject": ', 400, 'Il corpo della richiesta non è un JSON valido.'],
    ['JSON followed by other text', '{"subject": "x"} y', 400, 'Il corpo della richiesta non è un JSON valido.'],
    ['an empty body', '', 400, 'Il corpo della richiesta è vuoto: inviare un oggetto JSON.'],
    ['a body over the limit', `"${'x'.repeat(2_000_000)}"`, 413, 'Il corpo della richiesta supera la dimensione ammessa.'],
  ] as const) {
    test(name, async () => {
      const response = await send(payload);
      assert.equal(response.statusCode, status);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.equal(json(response).detail, detail);
    });
  }
});
