import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.ts';

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
    assert.deepEqual([config.notifications.maxAgeHours, config.notifications.maxCrashes], [72, 3], 'messages retried for 72 hours');
    assert.ok(config.sessionSecret.length >= 32);
    assert.equal(loadConfig({ DATA_DIR: dataDir }).sessionSecret, config.sessionSecret, 'the development secret is kept in DATA_DIR');
  });

  const production = { NODE_ENV: 'production', SESSION_SECRET: 'a'.repeat(40), EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.org:587', EMAIL_FROM: 'a@example.org', SMS_TRANSPORT: 'smpp', SMPP_URL: 'smpp://id:pw@sms.example.org:2775', SMS_SENDER: 'Provincia', CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64') };
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
    ['production without a secret', { ...production, SESSION_SECRET: '' }, 'SESSION_SECRET'],
    ['production with demo data', { ...production, DEMO_DATA: 'true' }, 'DEMO_DATA'],
    ['production with the outbox instead of e-mail', { ...production, EMAIL_TRANSPORT: 'outbox' }, 'EMAIL_TRANSPORT'],
    ['production without the credentials key', { ...production, CREDENTIALS_KEY: '' }, 'CREDENTIALS_KEY'],
    ['a maximum age of messages that is not a whole number of hours', { NOTIFY_MAX_AGE_HOURS: '1.5' }, 'NOTIFY_MAX_AGE_HOURS'],
    ['the retired count of attempts', { NOTIFY_MAX_ATTEMPTS: '10' }, 'NOTIFY_MAX_ATTEMPTS'],
    ['a valid production configuration', production, 'none'],
  ];
  for (const [name, env, variable] of rows) {
    test(`${name}: ${variable === 'none' ? 'accepted' : `names ${variable}`}`, () => assert.equal(problemWith(env), variable));
  }

  test('the message is one Italian line naming the variable', () => {
    assert.throws(() => loadConfig({ DATA_DIR: dataDir, PORT: 'abc' }), /^ConfigError: configurazione non valida: PORT deve essere un numero di porta/);
  });
});
