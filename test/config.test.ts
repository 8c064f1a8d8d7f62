import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, estimatedBits, loadConfig } from '../src/config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pratica-config-'));

function problemWith(env: Record<string, string>): string {
  try {
    loadConfig({ DATA_DIR: dataDir, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.variable;
  }
  return 'none';
}

describe('configuration from the environment', () => {
  test('defaults run the embedded system on port 3000 with demo data', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.publicBaseUrl, 'http://localhost:3000');
    assert.equal(config.demoData, true);
    assert.equal(config.emailTransport, 'outbox');
    assert.equal(config.caseCacheEntries, 5000);
    assert.deepEqual(config.serverTimeouts, { requestSeconds: 60, headersSeconds: 15, keepAliveSeconds: 5, socketSeconds: 120 });
    assert.deepEqual([config.notifications.maxAgeHours, config.notifications.maxCrashes, config.notifications.maxAttempts], [72, 3, undefined], 'messages retried for 72 hours');
    assert.ok(config.sessionSecret.length >= 32);
    assert.equal(loadConfig({ DATA_DIR: dataDir }).sessionSecret, config.sessionSecret, 'the development secret is kept in DATA_DIR');
  });

  const production = { NODE_ENV: 'production', SESSION_SECRET: '5GhYTYKgvB-jfJZOGmRqGPzncq9zX-wS0ScDjXQj7CM', PUBLIC_BASE_URL: 'https://pratica.provincia.example', EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.org:587?require_tls=true', EMAIL_FROM: 'a@example.org', SMS_TRANSPORT: 'smpp', SMPP_URL: 'ssmpp://id:pw@sms.example.org:3550', SMS_SENDER: 'Provincia', CREDENTIALS_KEY: 'OA5EZLU8wX3OPSeZI9wvZ3oqwGel1vlFvnNQ/cB1HZA=' };
  const rows: [string, Record<string, string>, string][] = [
    ['a port that is not a number', { PORT: 'abc' }, 'PORT'],
    ['a port out of range', { PORT: '70000' }, 'PORT'],
    ['a database URL of another kind', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['a database URL that is not a URL', { DATABASE_URL: 'postgres//x' }, 'DATABASE_URL'],
    ['an unknown NODE_ENV', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ['a short secret', { SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    ['smtp without SMTP_URL', { EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: 'a@example.org' }, 'SMTP_URL'],
    ['an unknown SMS transport', { SMS_TRANSPORT: 'pigeon' }, 'SMS_TRANSPORT'],
    ['a boolean that is not one', { DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    ['a proxy count that is not a number', { TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    ['a case cache size that is not a whole number', { CASE_CACHE_ENTRIES: '5k' }, 'CASE_CACHE_ENTRIES'],
    ['a negative case cache size', { CASE_CACHE_ENTRIES: '-1' }, 'CASE_CACHE_ENTRIES'],
    ['no case kept in memory', { CASE_CACHE_ENTRIES: '0' }, 'none'],
    ['an API rate limit that is not a number', { API_RATE_LIMIT: 'many' }, 'API_RATE_LIMIT'],
    ['an API rate limit of zero', { API_RATE_LIMIT: '0' }, 'API_RATE_LIMIT'],
    ['an API rate limit', { API_RATE_LIMIT: '300' }, 'none'],
    ['a request timeout that is not a whole number of seconds', { REQUEST_TIMEOUT_SECONDS: '30s' }, 'REQUEST_TIMEOUT_SECONDS'],
    ['no keep-alive timeout', { KEEP_ALIVE_TIMEOUT_SECONDS: '0' }, 'KEEP_ALIVE_TIMEOUT_SECONDS'],
    ['a socket timeout that is not a number', { SOCKET_TIMEOUT_SECONDS: 'never' }, 'SOCKET_TIMEOUT_SECONDS'],
    ['a headers timeout longer than the request timeout', { REQUEST_TIMEOUT_SECONDS: '10', HEADERS_TIMEOUT_SECONDS: '20' }, 'HEADERS_TIMEOUT_SECONDS'],
    ['short timeouts', { REQUEST_TIMEOUT_SECONDS: '5', HEADERS_TIMEOUT_SECONDS: '5', KEEP_ALIVE_TIMEOUT_SECONDS: '1', SOCKET_TIMEOUT_SECONDS: '10' }, 'none'],
    ['production without a secret', { ...production, SESSION_SECRET: '' }, 'SESSION_SECRET'],
    ['production with demo data', { ...production, DEMO_DATA: 'true' }, 'DEMO_DATA'],
    ['production with the outbox instead of e-mail', { ...production, EMAIL_TRANSPORT: 'outbox' }, 'EMAIL_TRANSPORT'],
    ['production without the credentials key', { ...production, CREDENTIALS_KEY: '' }, 'CREDENTIALS_KEY'],
    ['production without the public address', { ...production, PUBLIC_BASE_URL: '' }, 'PUBLIC_BASE_URL'],
    ['production with the public address on localhost', { ...production, PUBLIC_BASE_URL: 'http://localhost:3000' }, 'PUBLIC_BASE_URL'],
    ['production with the HTTP SMS provider on localhost', { ...production, SMS_TRANSPORT: 'http', SMS_HTTP_URL: 'http://127.0.0.1:8080/sms' }, 'SMS_HTTP_URL'],
    ['a maximum age of messages that is not a whole number of hours', { NOTIFY_MAX_AGE_HOURS: '1.5' }, 'NOTIFY_MAX_AGE_HOURS'],
    ['a count of attempts that is not a whole number', { NOTIFY_MAX_ATTEMPTS: 'dieci' }, 'NOTIFY_MAX_ATTEMPTS'],
    ['a valid production configuration', production, 'none'],
  ];
  for (const [name, env, variable] of rows) {
    test(`${name}: ${variable === 'none' ? 'accepted' : `names ${variable}`}`, () => assert.equal(problemWith(env), variable));
  }

  const otherKey = 'cjE7+WUIL7KUedkjPM5x4jRjfB6BWMmiziSP7iM6QoI=';
  // each weak setting: refused in production with one line naming it, a warning elsewhere
  const weak: [string, Record<string, string>, string][] = [
    ['a secret of 32 × "a"', { SESSION_SECRET: 'a'.repeat(32) }, 'SESSION_SECRET'],
    ['a secret repeating a short pattern', { SESSION_SECRET: 'Secret-1'.repeat(5) }, 'SESSION_SECRET'],
    ['a secret of characters in sequence', { SESSION_SECRET: 'abcdefghijklmnopqrstuvwxyz0123456789' }, 'SESSION_SECRET'],
    ['a secret of two characters', { SESSION_SECRET: 'abbaababbbabaabbabaaabbbabbababbaaabbaba' }, 'SESSION_SECRET'],
    ['a secret of digits counting down', { SESSION_SECRET: '9876543210'.repeat(4) }, 'SESSION_SECRET'],
    ['an all-zero credentials key', { CREDENTIALS_KEY: Buffer.alloc(32).toString('base64') }, 'CREDENTIALS_KEY'],
    ['an all-zero credentials key in hex', { CREDENTIALS_KEY: '00'.repeat(32) }, 'CREDENTIALS_KEY'],
    ['a credentials key of one repeated byte', { CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64') }, 'CREDENTIALS_KEY'],
    ['a credentials key of bytes in sequence', { CREDENTIALS_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64') }, 'CREDENTIALS_KEY'],
    ['a credentials key repeating 16 random bytes', { CREDENTIALS_KEY: Buffer.concat([Buffer.from(otherKey, 'base64').subarray(0, 16), Buffer.from(otherKey, 'base64').subarray(0, 16)]).toString('base64') }, 'CREDENTIALS_KEY'],
    ['an all-zero previous key among good ones', { CREDENTIALS_KEY_PREVIOUS: `${otherKey},${Buffer.alloc(32).toString('base64')}` }, 'CREDENTIALS_KEY_PREVIOUS'],
    ['a public address over http', { PUBLIC_BASE_URL: 'http://pratica.provincia.example' }, 'PUBLIC_BASE_URL'],
    ['an HTTP SMS provider over http', { SMS_TRANSPORT: 'http', SMS_HTTP_URL: 'http://sms.example.org/send', SMS_SENDER: 'Provincia' }, 'SMS_HTTP_URL'],
  ];
  for (const [name, env, variable] of weak) {
    test(`${name}: refused in production, a warning elsewhere (${variable})`, () => {
      assert.equal(problemWith({ ...production, ...env }), variable);
      const warnings = loadConfig({ DATA_DIR: dataDir, ...env }).warnings;
      assert.deepEqual(warnings.map((w) => w.variable), [variable]);
      assert.match(warnings[0]!.message, new RegExp(`^avviso di configurazione: ${variable} `));
    });
  }

  const tolerated: [string, Record<string, string>, string[], string[]][] = [
    // [name, env, warned in production, warned elsewhere]
    ['a valid production configuration', {}, [], []],
    ['SMTP that uses TLS only when offered', { SMTP_URL: 'smtp://mail.example.org:587' }, ['SMTP_URL'], ['SMTP_URL']],
    ['SMTP to a relay on this machine', { SMTP_URL: 'smtp://127.0.0.1:25' }, [], []],
    ['SMPP without TLS', { SMPP_URL: 'smpp://id:pw@sms.example.org:2775' }, ['SMPP_URL'], ['SMPP_URL']],
  ];
  const { NODE_ENV: _production, ...development } = production;
  for (const [name, env, inProduction, elsewhere] of tolerated) {
    test(`${name}: warns of ${inProduction.join(', ') || 'nothing'} in production, ${elsewhere.join(', ') || 'nothing'} elsewhere`, () => {
      assert.deepEqual(loadConfig({ DATA_DIR: dataDir, ...production, ...env }).warnings.map((w) => w.variable), inProduction);
      assert.deepEqual(loadConfig({ DATA_DIR: dataDir, ...development, ...env }).warnings.map((w) => w.variable), elsewhere);
    });
  }

  test('outside production, the defaults and addresses on this machine warn of nothing', () => {
    assert.deepEqual(loadConfig({ DATA_DIR: dataDir }).warnings, []);
    const local = { SMS_TRANSPORT: 'http', SMS_HTTP_URL: 'http://127.0.0.1:8080/sms', SMS_SENDER: 'Provincia', PUBLIC_BASE_URL: 'http://localhost:3000' };
    assert.deepEqual(loadConfig({ DATA_DIR: dataDir, ...local }).warnings, []);
  });

  test('random secrets as the README says to make them are never called weak', () => {
    for (let i = 0; i < 500; i++) {
      for (const secret of [randomBytes(16).toString('hex'), randomBytes(32).toString('base64'), randomBytes(24).toString('base64url')]) {
        assert.equal(problemWith({ ...production, SESSION_SECRET: secret }), 'none', secret);
      }
      assert.equal(problemWith({ ...production, CREDENTIALS_KEY: randomBytes(32).toString('base64') }), 'none');
    }
  });

  test('the estimate gives nothing for repetition and little for a small alphabet', () => {
    assert.ok(estimatedBits(Array(32).fill(97), 16) < 8);
    assert.ok(estimatedBits([...Buffer.alloc(32)], 256) < 8);
    assert.ok(estimatedBits([...randomBytes(32)], 256) > 150);
  });

  test('the message is one Italian line naming the variable', () => {
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, PORT: 'abc' }), /^ConfigError: configurazione non valida: PORT deve essere un numero di porta/);
  });
});
