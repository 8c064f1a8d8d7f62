import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { LOG_SERIALIZERS } from '../../src/startup.ts';
import { createTestApp } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

describe('request logs', () => {
  let testApp: TestApp;
  const lines: string[] = [];
  before(async () => {
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    testApp = await createTestApp({ logger: pino({ level: 'info', serializers: LOG_SERIALIZERS }, sink) });
  });
  after(() => testApp.close());

  test('never hold the token of a sign-in link or of a reset link, but keep the route and the rest of the request', async () => {
    const citizenToken = 'v1.Q2l0dGFkaW5vLXRva2VuLWRpLXByb3Zh.firma';
    const staffToken = 'v1.UmVzZXQtdG9rZW4tZGktcHJvdmE.firma';
    await testApp.app.inject({ url: `/pratica/link/${citizenToken}` });
    await testApp.app.inject({ url: `/uffici/password-dimenticata/${staffToken}?x=1` });
    await testApp.app.inject({ url: '/pratica?lang=en' });
    const log = lines.join('');
    assert.doesNotMatch(log, new RegExp(`${citizenToken.slice(3, 20)}|${staffToken.slice(3, 20)}`));
    assert.match(log, /"url":"\/pratica\/link\/\[token\]"/);
    assert.match(log, /"url":"\/uffici\/password-dimenticata\/\[token\]\?x=1"/);
    assert.match(log, /"url":"\/pratica\?lang=en","host":"localhost:80","remoteAddress":"127\.0\.0\.1"/);
  });
});
