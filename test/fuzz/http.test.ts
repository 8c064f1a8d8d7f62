import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { createApiToken } from '../../src/application/tokens.ts';
import { ADMIN, StaffClient } from '../backoffice/client.ts';
import type { Form } from '../backoffice/client.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { systemActor } from '../support/fixtures.ts';
import { databaseFingerprint } from '../support/fingerprint.ts';

/**
 * Every API operation (read from the app's own OpenAPI document) and every page form, driven with generated valid,
 * boundary and hostile values. Whatever comes in: no 5xx, problem+json for every API error, and nothing written
 * when the request is refused. FUZZ_RUNS sets the number of requests (npm test: a bounded run; npm run fuzz: 10,000+).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 1_500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let t: TestApp;
let staff: StaffClient;
let citizen: StaffClient;
let tokens: string[];
const known = {
  caseCodes: [] as string[],
  officeCodes: [] as string[],
  procedureCodes: [] as string[],
  staffIds: [] as string[],
  localDayIds: [] as string[],
};
const tally = { requests: 0, serverErrors: 0, refusals: 0, byStatus: new Map<number, number>() };

before(async () => {
  t = await createTestApp();
  const db = t.database.db;
  tokens = [DEMO_LOGINS.apiToken, (await createApiToken(db, systemActor, 'protocollo viabilità', 'VIAB')).token];
  known.caseCodes = (await db.selectFrom('cases').select('code').orderBy('code').execute()).map((r) => r.code);
  known.officeCodes = (await db.selectFrom('offices').select('code').orderBy('code').execute()).map((r) => r.code);
  known.procedureCodes = (await db.selectFrom('procedures').select('code').orderBy('code').execute()).map((r) => r.code);
  // never the administrator driving the forms: deactivating it would end the run's session
  known.staffIds = (await db.selectFrom('staff').select('id').where('email', '!=', ADMIN.email).execute()).map((r) => r.id);
  known.localDayIds = (await db.selectFrom('local_days').select('id').execute()).map((r) => r.id);
  staff = new StaffClient(t.app, '192.0.2.200');
  await staff.signIn(ADMIN);
  await staff.get('/uffici/pratiche/nuova');
  citizen = new StaffClient(t.app, '192.0.2.201');
  await citizen.get('/pratica');
  const signedIn = await citizen.post('/pratica/accesso', { code: known.caseCodes[0]!, password: DEMO_LOGINS.casePassword });
  assert.equal(signedIn.statusCode, 303);
  await citizen.get('/pratica/dettaglio');
});
after(() => t.close());

// --- values ------------------------------------------------------------------------------------------

const HOSTILE_TEXT = [
  '\u0000', 'a\u0000b', '\u0001\u0002\u001b[31m', '\t', 'riga\r\nriga', '\u000b\u000c', '\u007f', '\uFFFE', '\uFFFF', '\uD800', 'x\uDC00',
  '%00', '%', '%%', '../../etc/passwd', "' OR 1=1 --", '"; DROP TABLE cases; --', '<script>alert(1)</script>', '{{7*7}}',
  '99999999999999999999', '-1', '-0', '1e400', '0x10', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}', ' ', '',
  '2026-02-30', '0000-00-00', '9999-12-31', '2026-13-01', '+275760-09-13', 'FC-0000-0000', 'fc-7km3-9qx2', '👍🏽', 'e\u0301', '\u202Eabc',
];

// what cannot travel in a URL's UTF-8: a browser sends U+FFFD instead
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const urlText = (text: string) => encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.tuple(printable, fc.integer({ min: 0, max: 31 })).map(([s, c]) => `${s}${String.fromCharCode(c)}${s}`) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 1_500 }).map((n) => 'x'.repeat(n)) },
);

/** The characters no person types, NUL first: put into one field of an otherwise valid request. */
const controlCharacter = fc.oneof(
  { weight: 3, arbitrary: fc.constant('\u0000') },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 31 }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\u007f', '\uFFFE', '\uFFFF', '\uD800', '\uDFFF') },
);

/** A mutation of a valid request: which of its strings (by index) gets which character, and where. */
const poisonArb = fc.option(fc.tuple(fc.nat(), fc.nat(), controlCharacter), { freq: 2, nil: undefined });
type Poison = [number, number, string] | undefined;

/** Query or form pairs with the character put into one of their values. */
function poisonedPairs(pairs: [string, string][], poison: Poison): [string, string][] {
  const values = poisoned(pairs.map(([, v]) => v), poison);
  return pairs.map(([k], i) => [k, values[i]!]);
}

/** The strings of a value (an object's, an array's), one of them with the character put in. */
function poisoned<T>(value: T, poison: Poison): T {
  if (!poison) return value;
  const [which, where, character] = poison;
  const slots: { get(): string; set(text: string): void }[] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const inner = (node as Record<string, unknown>)[key];
      if (typeof inner === 'string') slots.push({ get: () => inner, set: (text) => { (node as Record<string, unknown>)[key] = text; } });
      else walk(inner);
    }
  };
  const copy = structuredClone(value);
  walk(copy);
  if (!slots.length) return copy;
  const slot = slots[which % slots.length]!;
  const text = slot.get();
  const at = where % (text.length + 1);
  slot.set(`${text.slice(0, at)}${character}${text.slice(at)}`);
  return copy;
}

/** Text for a request body, where the size limits are the server's to enforce. */
const hostileBodyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 120_000 }).map((n) => 'é'.repeat(n)) },
);

const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileBodyText },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5, true, false, null) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], ['\u0000'], { $gt: '' }, { __proto__: { x: 1 } }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3 }) },
);

/** Mostly the valid values, often a hostile one. */
const textOf = (valid: readonly string[]) =>
  valid.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: hostileText }) : hostileText;

/**
 * A path segment: a known value or anything, percent-encoded as a browser would, within the router's parameter
 * length (longer ones are the router's own 414, tested with the router's errors).
 */
const segment = (valid: readonly string[]) => textOf(valid).map(urlText).filter((s) => s.length <= 100);

// --- requests ----------------------------------------------------------------------------------------

/** One generated request: what it is (shown when a property fails), how to send it, where its refusal may be recorded. */
interface Request {
  label: string;
  attemptsRecordedIn: readonly string[];
  send(): Promise<LightMyRequestResponse>;
}

const request = (label: string, attemptsRecordedIn: readonly string[], send: () => Promise<LightMyRequestResponse>): Request =>
  Object.assign({ label, attemptsRecordedIn, send }, { [fc.toStringMethod]: () => label.slice(0, 2_000) });

let lastFingerprint: Record<string, string> | undefined;

/**
 * Sends one request and checks it: below 500, problem+json on the API, nothing written on a refusal but what the
 * request names as the record of a refused attempt.
 */
async function check({ label: fullLabel, attemptsRecordedIn, send }: Request): Promise<void> {
  lastFingerprint ??= await databaseFingerprint(t.database.db);
  const label = fullLabel.slice(0, 600);
  const response = await send();
  const status = response.statusCode;
  tally.requests += 1;
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  if (status >= 500) tally.serverErrors += 1;
  assert.ok(status < 500, `${label} -> ${status}: ${response.body.slice(0, 500)}`);
  if (/^[A-Z]+ \/api\//.test(label) && status >= 400) {
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, `${label} -> ${status} is not problem+json`);
  }
  const now = await databaseFingerprint(t.database.db);
  // 401 and 429 are refusals that count the attempt (lockout, throttling): that record is their point
  if (status >= 400 && status !== 401 && status !== 429) {
    tally.refusals += 1;
    const changed = Object.keys(now).filter((table) => now[table] !== lastFingerprint![table] && !attemptsRecordedIn.includes(table));
    assert.deepEqual(changed, [], `${label} -> ${status} wrote to ${changed.join(', ')}`);
  }
  lastFingerprint = now;
}

function queryString(pairs: [string, string][]): string {
  return pairs.length ? `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${urlText(v)}`).join('&')}` : '';
}

/** Query pairs from named values, a parameter now and then repeated. */
function pairsOf(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<[string, string][]> {
  const entries = Object.entries(fields).map(([name, value]) =>
    fc.option(fc.tuple(value, fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value })), { freq: 3 }).map((v): [string, string][] =>
      v === null ? [] : v[1] === null ? [[name, v[0]]] : [[name, v[0]], [name, v[1]]]));
  return fc.tuple(...entries).map((lists) => lists.flat());
}

// --- the API, from its OpenAPI document --------------------------------------------------------------

type JsonSchema = {
  type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema;
  anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; enum?: unknown[]; const?: unknown; pattern?: string; format?: string;
  minimum?: number; maximum?: number; minLength?: number; maxLength?: number; minItems?: number; maxItems?: number; $ref?: string;
};

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query' | 'header'; schema: JsonSchema }[];
  body?: JsonSchema;
}

const VALID_BY_NAME: Record<string, () => readonly string[]> = {
  procedureCode: () => known.procedureCodes,
  procedure: () => known.procedureCodes,
  office: () => known.officeCodes,
  mobile: () => ['333 765 4321', '+39 347 765 4321', '0543 714111'],
  email: () => ['ufficio@example.org', 'mario.rossi@provincia-fc.example', 'a@b'],
  receivedOn: () => ['2026-11-20', '2026-11-26', '2026-11-27', '2020-01-01'],
  effectiveOn: () => ['2026-11-26', '2026-11-25', '2026-12-01', '2026-01-01'],
};

/**
 * Values of a schema (the boundaries included), known codes for the fields that name records; with `hostile`,
 * a field now and then holds a hostile value or one of the wrong type.
 */
function fromSchema(schema: JsonSchema, name = '', hostile = false): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => fromSchema(s, name, hostile)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const named = VALID_BY_NAME[name]?.();
  switch (type) {
    case 'string':
      if (named?.length) return fc.constantFrom(...named);
      if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return fc.constantFrom('2026-11-26', '2026-11-20', '2026-02-29', '2026-12-31');
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 60) }).map((s) => s || 'x'.repeat(schema.minLength ?? 0))
        .chain((s) => fc.oneof(
          { weight: 8, arbitrary: fc.constant(s) },
          { weight: 1, arbitrary: fc.constant('x'.repeat(schema.maxLength ?? 1)) },
          { weight: 1, arbitrary: fc.constant('y'.repeat((schema.maxLength ?? 0) + 1)) },
        ));
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000;
      const max = schema.maximum ?? 1_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, min - 1, max + 1));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, name, hostile), { minLength: schema.minItems ?? 0, maxLength: (schema.maxItems ?? 2) + 1 });
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      if (!properties.length) return fc.constant({});
      const required = new Set(schema.required ?? []);
      return fc.tuple(...properties.map(([key, s]) => fc.option(hostile ? valueOf(s, key) : fromSchema(s, key), { freq: required.has(key) ? 12 : 3 })))
        .map((values) => Object.fromEntries(properties.flatMap(([key], i) => (values[i] === null ? [] : [[key, values[i]]]))));
    }
    default:
      return hostileJson;
  }
}

/** A field's value: valid most of the time, hostile or of the wrong type otherwise. */
const valueOf = (schema: JsonSchema, name: string) => fc.oneof({ weight: 4, arbitrary: fromSchema(schema, name, true) }, { weight: 1, arbitrary: hostileJson });

function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  return Object.entries(document.paths).filter(([path]) => path.startsWith('/api/')).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      params: (op.parameters ?? []) as Operation['params'],
      body: op.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined,
    })));
}

/**
 * Requests for one operation, of two kinds: hostile (any field may be hostile or of the wrong type, the token too)
 * and poisoned (a valid request with one control character put into one of its strings, path included).
 */
function apiRequest(op: Operation): fc.Arbitrary<Request> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  // a `code` names a case, an office or a procedure, by the collection it follows
  const codes = op.path.includes('/cases/') ? known.caseCodes : op.path.includes('/offices/') ? known.officeCodes : known.procedureCodes;
  const validOf = (p: Operation['params'][number]) => (p.schema.enum ? p.schema.enum.map(String) : p.name === 'code' ? codes : VALID_BY_NAME[p.name]?.() ?? []);
  const template = `/api/v1${op.path.replace(/^\/api\/v1/, '')}`;
  const urlOf = (values: string[]) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, urlText(values[i]!)), template);
  const headerOf = (h: Record<string, string | null>) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== null)) as Record<string, string>;
  const send = (url: string, pairs: [string, string][], payload: unknown, header: Record<string, string>) =>
    request(`${op.method} ${url}${queryString(pairs)} ${JSON.stringify(payload) ?? ''} ${JSON.stringify(header)}`, [], () => t.app.inject({
      method: op.method as 'GET', url: `${url}${queryString(pairs)}`,
      headers: payload === undefined ? header : { ...header, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) ?? 'null' }),
    }));

  const validPath = fc.tuple(...pathParams.map((p) => (validOf(p).length ? fc.constantFrom(...validOf(p)) : printable)));
  const validQuery = pairsOf(Object.fromEntries(queryParams.map((p) => [p.name, fromSchema(p.schema, p.name).map(String)])));
  const validBody: fc.Arbitrary<unknown> = op.body ? fromSchema(op.body) : fc.constant(undefined);
  const poisonedRequest = fc.tuple(validPath, validQuery, validBody, fc.constantFrom(...tokens), poisonArb, fc.constantFrom('path', 'query', 'body'))
    .map(([values, pairs, payload, token, poison, where]) => send(
      urlOf(where === 'path' ? poisoned(values, poison) : values),
      where === 'query' ? poisonedPairs(pairs, poison) : pairs,
      where === 'body' ? poisoned(payload, poison) : payload,
      { authorization: `Bearer ${token}` },
    ));

  const hostilePath = fc.tuple(...pathParams.map((p) => textOf(validOf(p)))).filter((values) => values.every((v) => urlText(v).length <= 100));
  const hostileQuery = pairsOf(Object.fromEntries(queryParams.map((p) => [p.name, fc.oneof(
    { weight: 3, arbitrary: fromSchema(p.schema, p.name).map(String) },
    { weight: 2, arbitrary: hostileText },
  )])));
  const hostileBody: fc.Arbitrary<unknown> = op.body
    ? fc.oneof(
      { weight: 4, arbitrary: fromSchema(op.body) },
      { weight: 4, arbitrary: fromSchema(op.body, '', true) },
      { weight: 1, arbitrary: fc.tuple(fromSchema(op.body), printable, hostileJson).map(([b, k, v]) => ({ ...(b as object), [k || 'extra']: v })) },
      { weight: 1, arbitrary: hostileJson },
    )
    : fc.constant(undefined);
  const hostileHeaders = fc.record({
    authorization: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...tokens).map((x) => `Bearer ${x}`) }, { weight: 1, arbitrary: printable }),
    'idempotency-key': fc.option(printable, { freq: 4 }),
    'if-match': fc.option(fc.oneof(fc.constantFrom('W/"1"', '"2"', '3', 'W/"99999999999"', '*'), printable), { freq: 4 }),
  });
  const hostileRequest = fc.tuple(hostilePath, hostileQuery, hostileBody, hostileHeaders)
    .map(([values, pairs, payload, h]) => send(urlOf(values), pairs, payload, headerOf(h)));

  return fc.oneof(poisonedRequest, hostileRequest);
}

// --- the pages' forms --------------------------------------------------------------------------------

interface FormSpec {
  method: 'GET' | 'POST';
  /** the address, its variable segments generated */
  path: fc.Arbitrary<string>;
  fields: Record<string, fc.Arbitrary<string>>;
  as: 'staff' | 'citizen' | 'anonymous';
  multipart?: boolean;
  /** where a refusal is recorded on purpose (a wrong current password is audited) */
  attemptsRecordedIn?: string[];
}

const fixed = (path: string) => fc.constant(path);
const caseCode = () => segment(known.caseCodes);
const YES = ['yes', '', 'no'];
const DATES = ['2026-11-26', '2026-11-20', '2026-12-01', '26/11/2026', ''];
function formSpecs(): FormSpec[] {
  const EVENT_FIELDS = {
    type: textOf(['start', 'suspend', 'resume', 'observations', 'close', 'substitute-request']),
    effectiveOn: textOf(DATES), reason: textOf(['Integrazione documentale', '']), notes: textOf(['Nota', '']),
    kind: textOf(['art2c7', 'art10bis', 'other', 'interruption']), legalBasis: textOf(['art. 2 c.7', '']),
    outcome: textOf(['accepted', 'rejected', 'withdrawn', 'other']), version: textOf(['1', '2', '3', '0', '999999999']), action: textOf(['save', 'preview']),
  };
  const ENROL_FIELDS = {
    procedureCode: textOf(known.procedureCodes.length ? known.procedureCodes : ['TE-01']), subject: textOf(['Trasporto eccezionale']),
    applicantName: textOf(['Rossi S.r.l.']), receivedOn: textOf(DATES), protocolNumber: textOf(['2026/1', '']),
    mobile: textOf(['333 765 4321', '']), email: textOf(['a@example.org', '']), channels: textOf(['sms', 'email']),
    privacy: textOf(YES), action: textOf(['save', 'preview']),
  };
  const templatePath = fc.tuple(segment(['start', 'suspend', 'resume', 'close', 'credentials']), segment(['sms', 'email']))
    .map(([kind, channel]) => `/uffici/catalogo/modelli/${kind}/${channel}`);
  return [
    { method: 'POST', path: fixed('/uffici/accesso'), as: 'anonymous', fields: { email: textOf(['nessuno@provincia-fc.example', ADMIN.email]), password: textOf(['sbagliata']), next: textOf(['/uffici', '//evil.example']) } },
    { method: 'GET', path: fixed('/uffici/accesso'), as: 'anonymous', fields: { next: textOf(['/uffici/pratiche']) } },
    { method: 'POST', path: fixed('/uffici/password'), as: 'staff', attemptsRecordedIn: ['audit_log'], fields: { currentPassword: textOf(['sbagliata']), newPassword: textOf(['una-password-lunga-abbastanza']), confirmPassword: textOf(['una-password-lunga-abbastanza']) } },
    { method: 'GET', path: fixed('/uffici/pratiche'), as: 'staff', fields: { q: textOf(['Rossi', 'FC-']), state: textOf(['enrolled', 'closed']), procedure: textOf(known.procedureCodes), office: textOf(known.officeCodes), due: textOf(['overdue', '7', '30']), sort: textOf(['recent', 'deadline']), cursor: textOf(['eyJzIjoicmVjZW50In0']) } },
    { method: 'GET', path: fixed('/uffici/pratiche/nuova'), as: 'staff', fields: { procedimento: textOf(known.procedureCodes) } },
    { method: 'POST', path: fixed('/uffici/pratiche/nuova'), as: 'staff', fields: ENROL_FIELDS },
    { method: 'GET', path: caseCode().map((c) => `/uffici/pratiche/${c}`), as: 'staff', fields: {} },
    { method: 'POST', path: caseCode().map((c) => `/uffici/pratiche/${c}/evento`), as: 'staff', fields: EVENT_FIELDS },
    { method: 'POST', path: caseCode().map((c) => `/uffici/pratiche/${c}/indennizzo`), as: 'staff', fields: { amount: textOf(['300', '300,50', '1.234,56', '0', '-1', '99999999999999999999', '']), paidOn: textOf(DATES) } },
    { method: 'POST', path: caseCode().map((c) => `/uffici/pratiche/${c}/credenziali`), as: 'staff', fields: { channels: textOf(['sms', 'email']) } },
    { method: 'POST', path: caseCode().map((c) => `/uffici/pratiche/${c}/recapiti`), as: 'staff', fields: { mobile: ENROL_FIELDS.mobile, email: ENROL_FIELDS.email, channels: ENROL_FIELDS.channels, version: EVENT_FIELDS.version } },
    { method: 'POST', path: caseCode().map((c) => `/uffici/pratiche/${c}/rinuncia`), as: 'staff', fields: { note: textOf(['Telefonata']), confirm: textOf(YES), version: EVENT_FIELDS.version } },
    { method: 'POST', path: caseCode().map((c) => `/uffici/pratiche/${c}/rinuncia/presa-in-carico`), as: 'staff', fields: {} },
    { method: 'GET', path: caseCode().map((c) => `/uffici/modulo-adesione/${c}`), as: 'staff', fields: {} },
    { method: 'POST', path: fc.oneof(fixed('/uffici/catalogo/uffici/nuovo'), segment(known.officeCodes).map((c) => `/uffici/catalogo/uffici/${c}`)), as: 'staff', fields: { code: textOf(['NUOVO', 'VIAB', '']), name: textOf(['Ufficio nuovo']), address: textOf(['Piazza Morgagni 9']), phone: textOf(['0543 714111', '']), email: textOf(['u@example.org', '']), pec: textOf(['u@pec.example.it', '']), openingHours: textOf(['lun-ven 9-13']) } },
    { method: 'POST', path: fc.oneof(fixed('/uffici/catalogo/personale/nuovo'), segment(known.staffIds).map((id) => `/uffici/catalogo/personale/${id}`)), as: 'staff', fields: { name: textOf(['Mario Bianchi']), email: textOf(['mario.bianchi@provincia-fc.example']), phone: textOf(['']), role: textOf(['case-officer', 'office-manager', 'admin']), officeCode: textOf(known.officeCodes), active: textOf(YES) } },
    { method: 'GET', path: segment(known.staffIds).map((id) => `/uffici/catalogo/personale/${id}`), as: 'staff', fields: {} },
    { method: 'POST', path: fc.oneof(fixed('/uffici/catalogo/procedimenti/nuovo'), segment(known.procedureCodes).map((c) => `/uffici/catalogo/procedimenti/${c}`)), as: 'staff', fields: { code: textOf(['TE-09']), name: textOf(['Nulla osta']), officeCode: textOf(known.officeCodes), termText: textOf(['20 gg. da ricevimento domanda', '3 mesi', '0 giorni']), responsibleEmail: textOf(['paolo.garavini@provincia-fc.example']), description: textOf(['Descrizione']), legalBasis: textOf(['D.Lgs. 285/1992']), active: textOf(YES), action: textOf(['save', 'preview']) } },
    { method: 'GET', path: fixed('/uffici/catalogo/calendario'), as: 'staff', fields: { anno: textOf(['2026', '1900', '99999']) } },
    { method: 'POST', path: fixed('/uffici/catalogo/calendario'), as: 'staff', fields: { day: textOf(['4', '31', '0']), month: textOf(['10', '2', '13']), name: textOf(['San Mercuriale']) } },
    { method: 'POST', path: segment(known.localDayIds).map((id) => `/uffici/catalogo/calendario/${id}/elimina`), as: 'staff', fields: {} },
    { method: 'GET', path: templatePath, as: 'staff', fields: {} },
    { method: 'POST', path: templatePath, as: 'staff', fields: { subject: textOf(['Pratica {codice}']), body: textOf(['La pratica {codice} è avviata.']), action: textOf(['save', 'preview', 'reset']) } },
    { method: 'POST', path: fixed('/uffici/importa'), as: 'staff', fields: { mode: textOf(['dry-run', 'import']), file: textOf(['procedimento;oggetto\r\nTE-01;x', 'procedimento;oggetto;richiedente;data_ricevimento;protocollo;cellulare;email;canali;data_avvio\r\nTE-01;Gru;Rossi;24/11/2026;2026/9;333 1234567;;sms;']) } },
    { method: 'POST', path: fixed('/uffici/importa'), as: 'staff', multipart: true, fields: { mode: textOf(['dry-run', 'import']), file: textOf(['procedimento;oggetto\r\nTE-01;x']) } },
    ...['/uffici/report', '/uffici/report/export.json', '/uffici/report/export.csv'].map((path): FormSpec => ({ method: 'GET', path: fixed(path), as: 'staff', fields: { dal: textOf(DATES), al: textOf(DATES), ufficio: textOf(known.officeCodes), procedimento: textOf(known.procedureCodes) } })),
    { method: 'GET', path: fixed('/uffici/report/pratiche'), as: 'staff', fields: { dato: textOf(['started', 'closed', 'suspension:art2c7', 'duration:1', 'open-by-deadline:overdue', 'duration:99']), da: textOf(['0', '100', '100000000000000000000', '-5']), dal: textOf(DATES), ufficio: textOf(known.officeCodes) } },
    { method: 'GET', path: fixed('/uffici/report/soddisfazione'), as: 'staff', fields: { dal: textOf(['2026-01', '2026-13']), al: textOf(['2026-11']) } },
    { method: 'POST', path: fixed('/pratica/accesso'), as: 'anonymous', fields: { code: textOf(known.caseCodes), password: textOf(['SBAGLIATA']) } },
    { method: 'GET', path: fixed('/pratica/dettaglio'), as: 'citizen', fields: { esito: textOf(['questionario', 'recesso', 'canali']) } },
    { method: 'POST', path: fixed('/pratica/questionario'), as: 'citizen', fields: { clarity: textOf(['1', '5', '6']), timeliness: textOf(['3']), courtesy: textOf(['4']), overall: textOf(['5']), comment: textOf(['Grazie', '']) } },
    { method: 'POST', path: fixed('/pratica/recesso'), as: 'citizen', fields: {} },
    { method: 'POST', path: fixed('/pratica/canali'), as: 'citizen', fields: { channels: textOf(['sms', 'email', 'io', 'pec']) } },
    { method: 'GET', path: fixed('/pratica/richiesta-potere-sostitutivo.pdf'), as: 'citizen', fields: {} },
    {
      method: 'GET', path: fixed('/calcola-scadenza'), as: 'anonymous',
      fields: {
        from: textOf(DATES), term: textOf(['30 giorni', '10wd', '3m', 'immediato', '0d']), saturdayWorking: textOf(YES), saturdayMoves: textOf(YES),
        s1from: textOf(DATES), s1to: textOf(DATES), s1kind: textOf(['art2c7', 'art10bis', 'other', 'interruption']), today: textOf(DATES),
        close: textOf(DATES), substituteRequest: textOf(DATES), business: textOf(YES), silenzio: textOf(YES),
      },
    },
    { method: 'GET', path: hostileText.map((s) => `/pratica/link/${urlText(s)}`), as: 'anonymous', fields: {} },
    { method: 'GET', path: fixed('/trasparenza/tempi-procedimentali'), as: 'anonymous', fields: { anno: textOf(['2026', '2025', '0', '99999999999']) } },
    { method: 'GET', path: segment(known.procedureCodes).map((c) => `/trasparenza/procedimenti/${c}`), as: 'anonymous', fields: { anno: textOf(['2026']) } },
    {
      method: 'POST', path: segment(known.procedureCodes).map((c) => `/trasparenza/procedimenti/${c}/adesione`), as: 'anonymous',
      fields: {
        applicantName: textOf(['Maria Rossi', '']), protocolNumber: textOf(['PG/2026/1', '']), protocolDate: textOf(DATES), applicantFiscalCode: textOf(['RSSMRA80A01H199X', '']),
        mobile: ENROL_FIELDS.mobile, email: ENROL_FIELDS.email, channels: textOf(['sms', 'email', 'io', 'pec']), privacy: textOf(YES),
      },
    },
    { method: 'GET', path: fixed('/uffici/richieste-adesione'), as: 'staff', fields: {} },
    { method: 'POST', path: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'non-un-id').map((id) => `/uffici/richieste-adesione/${id}/scarta`), as: 'staff', fields: { reason: textOf(['Protocollo inesistente', '']) } },
    { method: 'POST', path: fc.constantFrom('00000000-0000-4000-8000-000000000000', 'non-un-id').map((id) => `/uffici/richieste-adesione/${id}/collega`), as: 'staff', fields: {} },
    { method: 'GET', path: fc.constantFrom('/api/v1/open-data/tempi-procedimentali.json', '/api/v1/open-data/tempi-procedimentali.csv'), as: 'anonymous', fields: { anno: textOf(['2026', '-1']) } },
  ];
}

async function multipart(client: StaffClient, url: string, pairs: [string, string][], csrf: string | undefined): Promise<LightMyRequestResponse> {
  const form = new FormData();
  if (csrf) form.append('_csrf', csrf);
  for (const [name, value] of pairs) {
    if (name === 'file') form.append(name, new Blob([value], { type: 'text/csv' }), 'pratiche.csv');
    else form.append(name, value);
  }
  const request = new Request('http://x/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  const cookie = ['po_staff', '_csrf_secret'].map((n) => `${n}=${client.cookie(n)}`).join('; ');
  return t.app.inject({ method: 'POST', url, payload, headers: { cookie, 'content-type': request.headers.get('content-type')! } });
}

function formRequest(spec: FormSpec): fc.Arbitrary<Request> {
  const csrfChoice = fc.constantFrom<'valid' | 'none' | 'forged'>('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'none', 'forged');
  return fc.tuple(spec.path, pairsOf(spec.fields).chain((pairs) => poisonArb.map((poison) => poisonedPairs(pairs, poison))), csrfChoice).map(([path, pairs, csrfKind]) =>
    request(`${spec.method} ${path} ${JSON.stringify(pairs)} csrf:${csrfKind}`, spec.attemptsRecordedIn ?? [], async () => {
      const client = spec.as === 'staff' ? staff : spec.as === 'citizen' ? citizen : new StaffClient(t.app, '192.0.2.202');
      if (spec.method === 'GET') return client.get(`${path}${queryString(pairs)}`);
      if (spec.as === 'anonymous') await client.get(path.startsWith('/pratica') ? '/pratica' : '/uffici/accesso');
      const csrf = csrfKind === 'valid' ? client.csrf : csrfKind === 'forged' ? 'forged-token' : undefined;
      if (spec.multipart) return multipart(client, path, pairs, csrf);
      const form: Form = {};
      for (const [name, value] of pairs) form[name] = form[name] === undefined ? value : [...[form[name]].flat() as string[], value];
      return client.post(path, form, { csrf: csrf ?? false });
    }));
}

// --- the properties ----------------------------------------------------------------------------------

async function run(context: TestContext, name: string, requests: fc.Arbitrary<Request>, numRuns: number): Promise<void> {
  const start = tally.requests;
  await fc.assert(fc.asyncProperty(requests, check), { numRuns, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true, includeErrorInReport: true });
  context.diagnostic(`${name}: ${tally.requests - start} requests`);
}

describe('no input gives a 500, an API error is problem+json, a refusal writes nothing', () => {
  test('every API operation of the OpenAPI document', async (context) => {
    const document = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, any>> };
    const operations = operationsOf(document);
    assert.ok(operations.length >= 15, `the document lists the operations (${operations.length})`);
    await run(context, `${operations.length} API operations`, fc.oneof(...operations.map(apiRequest)), Math.ceil(RUNS / 2));
  });

  test('every form and filter of the pages', async (context) => {
    const specs = formSpecs();
    await run(context, `${specs.length} forms`, fc.oneof(...specs.map(formRequest)), Math.ceil(RUNS / 2));
  });

  after(() => {
    const statuses = [...tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ');
    console.log(`fuzz: ${tally.requests} requests, ${tally.serverErrors} 5xx, ${tally.refusals} refusals checked for writes (${statuses})`);
  });
});
