import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { wantsReadableLogs } from '../../src/startup.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pratica-ops-config-'));

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ DATA_DIR: dataDir, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  return 'none';
}

describe('the operation settings', () => {
  test('defaults: no metrics anywhere, a listener of their own on loopback when asked for, contacts kept 365 days after closure', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.deepEqual(config.metrics, { token: undefined, port: undefined, host: '127.0.0.1' });
    assert.equal(config.retentionContactsDays, 365);
    const set = loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: 'k3J9-xQ2mZ7/vB4nR8tW1yL6pH0sD5fG', METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5', RETENTION_CONTACTS_DAYS: '730' });
    assert.deepEqual(set.metrics, { token: 'k3J9-xQ2mZ7/vB4nR8tW1yL6pH0sD5fG', port: 9464, host: '10.0.0.5' });
    assert.equal(set.retentionContactsDays, 730);
  });

  for (const [env, message] of [
    [{ METRICS_TOKEN: 'short' }, 'configurazione non valida: METRICS_TOKEN deve avere almeno 24 caratteri stampabili, senza spazi (es. openssl rand -base64 32)'],
    [{ METRICS_PORT: 'nove' }, 'configurazione non valida: METRICS_PORT deve essere un numero di porta tra 0 e 65535 (trovato "nove")'],
    [{ RETENTION_CONTACTS_DAYS: 'un anno' }, 'configurazione non valida: RETENTION_CONTACTS_DAYS deve essere un intero tra 1 e 3650 (trovato "un anno")'],
    [{ RETENTION_CONTACTS_DAYS: '7' }, 'configurazione non valida: RETENTION_CONTACTS_DAYS deve essere almeno 30: il messaggio di chiusura e i suoi tentativi usano ancora i recapiti (trovato "7")'],
  ] as [Record<string, string>, string][]) {
    test(`refused with one line: ${JSON.stringify(env)}`, () => assert.equal(refusal(env), message));
  }

  test('a guessable METRICS_TOKEN is refused in production and a warning elsewhere', () => {
    const weak = { METRICS_TOKEN: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' };
    assert.ok(loadConfig({ DATA_DIR: dataDir, ...weak }).warnings.some((w) => w.variable === 'METRICS_TOKEN'));
    const production = { NODE_ENV: 'production', SESSION_SECRET: '5GhYTYKgvB-jfJZOGmRqGPzncq9zX-wS0ScDjXQj7CM', PUBLIC_BASE_URL: 'https://pratica.provincia.example', EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.org:587?require_tls=true', EMAIL_FROM: 'a@example.org', SMS_TRANSPORT: 'smpp', SMPP_URL: 'ssmpp://id:pw@sms.example.org:3550', SMS_SENDER: 'Provincia', CREDENTIALS_KEY: 'OA5EZLU8wX3OPSeZI9wvZ3oqwGel1vlFvnNQ/cB1HZA=' };
    assert.match(refusal({ ...production, ...weak }), /^configurazione non valida: METRICS_TOKEN è debole/);
  });

  test('logs for people on a terminal outside production; JSON to a pipe or a file, and always in production', () => {
    assert.equal(wantsReadableLogs({ nodeEnv: 'development' }, { isTTY: true }), true);
    assert.equal(wantsReadableLogs({ nodeEnv: 'test' }, { isTTY: true }), true);
    assert.equal(wantsReadableLogs({ nodeEnv: 'development' }, {}), false);
    assert.equal(wantsReadableLogs({ nodeEnv: 'production' }, { isTTY: true }), false);
  });
});
