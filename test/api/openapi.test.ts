import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { DEMO_LOGINS } from '../../src/application/demo.ts';
import { lintOpenApi } from '../../scripts/openapi.ts';
import { createTestApp, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';
import { VIEWPORTS, assertAccessible, chromiumAvailable, launchBrowser } from '../support/browser.ts';

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { type?: string }> } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

let t: TestApp;
let document: Document;
const admin = { authorization: `Bearer ${DEMO_LOGINS.apiToken}` };

before(async () => {
  t = await createTestApp();
  document = (await t.app.inject({ url: '/api/v1/openapi.json' })).json() as Document;
});
after(() => t.close());

const operations = () => Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })));

describe('the OpenAPI document', () => {
  test('publishes the API only: none of the pages (back office, portal, transparency, health)', async () => {
    const outside = Object.keys(document.paths).filter((path) => !path.startsWith('/api/v1/'));
    assert.deepEqual(outside, []);
    for (const path of ['/api/v1/cases', '/api/v1/cases/{code}/credentials', '/api/v1/open-data/tempi-procedimentali.json']) {
      assert.ok(document.paths[path], `missing ${path}`);
    }
    // swagger-ui reads the same document
    assert.deepEqual((await t.app.inject({ url: '/api/docs/json' })).json(), document);
  });

  test('every operation has a stable camelCase operationId, a summary and its refusals as problem+json', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    assert.equal(new Set(ids).size, ids.length, `operationIds repeated: ${ids.join(', ')}`);
    for (const { name, path, operation } of operations()) {
      assert.match(operation.operationId ?? '', /^[a-z][a-zA-Z0-9]+$/, `${name}: operationId`);
      assert.ok(operation.summary?.trim(), `${name}: summary`);
      const refusals = Object.keys(operation.responses).filter((status) => status.startsWith('4'));
      assert.ok(refusals.includes('400'), `${name}: 400`);
      if (operation.security?.length !== 0) assert.ok(refusals.includes('401'), `${name}: 401 for a token`);
      if (path.includes('{')) assert.ok(refusals.includes('404'), `${name}: 404 for its path`);
      if (operation.requestBody) assert.ok(refusals.includes('415'), `${name}: 415 for its body`);
      for (const status of refusals) {
        const content = operation.responses[status]!.content ?? {};
        assert.deepEqual(Object.keys(content), ['application/problem+json'], `${name} ${status}: content type`);
        assert.equal(content['application/problem+json']!.schema.$ref, '#/components/schemas/Problem', `${name} ${status}: schema`);
      }
    }
    const events = ['start', 'suspend', 'resume', 'observations', 'close'].map((event) => document.paths[`/api/v1/cases/{code}/${event}`]!.post!);
    for (const event of events) assert.ok(['409', '412', '422'].every((status) => event.responses[status]), `${event.operationId}: 409, 412, 422`);
  });

  test('components are named after their schemas, never def-N', () => {
    const names = Object.keys(document.components.schemas);
    for (const name of ['Problem', 'Case', 'CaseSummary', 'Office', 'Procedure', 'Notification', 'NotificationTemplate']) assert.ok(names.includes(name), `missing ${name}`);
    assert.deepEqual(names.filter((name) => !/^[A-Z][A-Za-z]+$/.test(name)), []);
    assert.doesNotMatch(JSON.stringify(document), /def-\d/);
  });

  test('the credentials resend declares its body, which is checked like every other', async () => {
    const body = document.paths['/api/v1/cases/{code}/credentials']!.post!.requestBody!;
    assert.equal(body.content['application/json']!.schema.properties!.newPassword!.type, 'boolean');
    const code = (await t.database.db.selectFrom('cases').select('code').executeTakeFirstOrThrow()).code;
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/cases/${code}/credentials`, headers: admin, payload: { newPassword: 'sì' } });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(refused.json().errors.map((e: { field: string }) => e.field), ['body.newPassword']);
  });

  test('Redocly\'s recommended rules find no error', (context) => {
    const report = lintOpenApi(document);
    for (const problem of report.problems) context.diagnostic(`${problem.severity} ${problem.ruleId} ${problem.pointer}: ${problem.message}`);
    assert.deepEqual(report.problems.filter((p) => p.severity === 'error'), []);
    assert.equal(report.errors, 0);
  });
});

describe('a body the parser refuses is told in Italian problem+json', () => {
  const post = (headers: Record<string, string>, payload: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/cases', headers: { ...admin, ...headers }, payload });

  test('malformed JSON: 400', async () => {
    const response = await post({ 'content-type': 'application/json' }, '{"subject": "Trasporto eccezionale",');
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(response.json().code, 'validation');
    assert.equal(response.json().detail, 'Il corpo della richiesta non è un JSON valido.');
  });

  test('a content type other than JSON: 415', async () => {
    const response = await post({ 'content-type': 'application/xml' }, '<pratica/>');
    assert.equal(response.statusCode, 415);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(response.json().title, 'Tipo di contenuto non supportato');
    assert.equal(response.json().detail, 'Tipo di contenuto non supportato: inviare application/json.');
  });
});

const skip = chromiumAvailable() ? false : 'Debian chromium is not installed (.ci/run installs it)';

describe('the documentation page in a real browser', { skip }, () => {
  let browser: Browser;
  let base: string;
  before(async () => {
    base = await listen(t);
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  async function tryOut(page: Page, operationId: string): Promise<void> {
    await page.locator(`[id$="-${operationId}"] .opblock-summary-control`).click();
    await page.getByRole('button', { name: 'Try it out' }).click();
    await page.getByRole('button', { name: 'Execute' }).waitFor();
  }

  test('/api/docs passes axe as it opens and with an operation\'s "Try it out" form', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'it-IT' })).newPage();
    await page.goto(`${base}/api/docs`);
    await page.locator('.opblock').first().waitFor();
    assert.equal(await page.title(), 'Pratica Online - API per gli uffici');
    await assertAccessible(page, 'API documentation');
    await tryOut(page, 'createCase');
    await assertAccessible(page, 'createCase, Try it out');
    await page.reload();
    await page.locator('.opblock').first().waitFor();
    await tryOut(page, 'saveNotificationTemplate');
    await assertAccessible(page, 'saveNotificationTemplate, Try it out');
    await page.close();
  });
});
