import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createTestApp, listen } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `text` on a fresh connection and reads whatever comes back until the server closes it. */
function rawExchange(url: string, text: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // the server may close while the client is still writing: what it answered is what counts
    socket.on('error', () => undefined);
    socket.setTimeout(10_000, () => reject(new Error('the server kept the connection open')));
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = answer.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

function assertSecurityHeaders(headers: Record<string, unknown>, production: boolean): void {
  assert.match(String(headers['content-security-policy']), /default-src 'self'/);
  assert.match(String(headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['x-frame-options'], 'SAMEORIGIN');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  if (production) assert.match(String(headers['strict-transport-security']), /max-age=\d+/);
}

function assertApiProblem(answer: { headers: Record<string, unknown>; body: string }, status: number, code: string): void {
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.title, 'string');
  assert.doesNotMatch(answer.body, /FST_|Bad Request|is not a valid url|%zz|xxxxxxxxxx/, 'in our words, without the URL');
}

for (const production of [false, true]) {
  describe(`errors before routing carry the security headers (${production ? 'production' : 'development'})`, () => {
    let testApp: TestApp;
    let url: string;
    before(async () => {
      testApp = await createTestApp({ production });
      url = await listen(testApp);
    });
    after(() => testApp.close());

    test('a bad percent-encoding on the API: 400 problem+json, URL not echoed', async () => {
      const response = await testApp.app.inject({ url: '/api/v1/cases/%zz' });
      assert.equal(response.statusCode, 400);
      assertSecurityHeaders(response.headers, production);
      assertApiProblem(response, 400, 'validation');
    });

    test('a bad percent-encoding on a page: the Italian error page', async () => {
      const response = await testApp.app.inject({ url: '/pratica/%zz' });
      assert.equal(response.statusCode, 400);
      assertSecurityHeaders(response.headers, production);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /<html lang="it">.*Indirizzo non valido/s);
      assert.doesNotMatch(response.body, /%zz/);
    });

    test('an over-long path parameter: 414 problem+json', async () => {
      const response = await testApp.app.inject({ url: `/api/v1/cases/${'x'.repeat(500)}` });
      assert.equal(response.statusCode, 414);
      assertSecurityHeaders(response.headers, production);
      assertApiProblem(response, 414, 'validation');
    });

    test('an over-long URL, refused by the HTTP parser: 431 with the headers, problem+json on the API', async () => {
      const answer = await rawExchange(url, `GET /api/v1/cases?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      assert.equal(answer.status, 431);
      assertSecurityHeaders(answer.headers, production);
      assertApiProblem(answer, 431, 'validation');
    });

    test('huge headers on a page: 431 with the headers and the Italian page', async () => {
      const answer = await rawExchange(url, `GET /pratica HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
      assert.equal(answer.status, 431);
      assertSecurityHeaders(answer.headers, production);
      assert.match(answer.headers['content-type']!, /^text\/html/);
      assert.match(answer.body, /Intestazioni troppo grandi/);
    });

    test('a routed error (not found) carries the same headers, and the page does not repeat the address', async () => {
      const api = await testApp.app.inject({ url: '/api/v1/nessuna-risorsa' });
      assert.equal(api.statusCode, 404);
      assertSecurityHeaders(api.headers, production);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      const page = await testApp.app.inject({ url: '/nessuna-pagina-scritta-da-un-link' });
      assert.equal(page.statusCode, 404);
      assertSecurityHeaders(page.headers, production);
      assert.doesNotMatch(page.body, /nessuna-pagina-scritta-da-un-link/);
    });
  });
}

/** Opens a connection, writes `first`, then one byte of `trickle` every `everyMs`; resolves when the server closes it. */
function whenClosed(url: string, first: string, trickle = '', everyMs = 300): Promise<{ seconds: number; answer: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname, () => {
      if (first) socket.write(first);
      if (trickle) timer = setInterval(() => sent < trickle.length && socket.write(trickle[sent++]!), everyMs);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    const limit = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the connection open for 15 s'));
    }, 15_000);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(limit);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, answer: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

describe('slow and silent clients cannot hold a connection', () => {
  let testApp: TestApp;
  let url: string;
  before(async () => {
    testApp = await createTestApp({ timeouts: { headersSeconds: 1, requestSeconds: 2, keepAliveSeconds: 1, socketSeconds: 30 } });
    url = await listen(testApp);
  });
  after(() => testApp.close());

  // each limit is 1-2 s here; "closed within 6 s" leaves room for a busy machine and Node's checking interval
  test('a connection that sends nothing is closed after the headers timeout', async () => {
    const { seconds } = await whenClosed(url, '');
    assert.ok(seconds < 6, `closed after ${seconds} s`);
  });

  test('headers that never end are answered 408, with the security headers, and closed', async () => {
    const { seconds, answer } = await whenClosed(url, 'GET /pratica HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: '.repeat(100), 300);
    assert.ok(seconds < 6, `closed after ${seconds} s`);
    assert.match(answer, /^HTTP\/1\.1 408 /);
    assert.match(answer, /content-security-policy: default-src 'self'/i);
    assert.match(answer, /Tempo scaduto/);
  });

  test('a body sent one byte at a time is cut off at the request timeout', async () => {
    const head = 'POST /pratica/accesso HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n';
    const { seconds } = await whenClosed(url, head, 'a'.repeat(200), 300);
    assert.ok(seconds < 7, `closed after ${seconds} s`);
  });

  test('a kept-alive connection idle after its answer is closed after the keep-alive timeout', async () => {
    const { seconds, answer } = await whenClosed(url, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.ok(seconds < 6, `closed after ${seconds} s`);
  });
});
