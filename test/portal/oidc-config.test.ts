import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pratica-oidc-config-'));
const SECRET = 'Xk2v9Qm7Lp4Rz8Tn3Wb6Yc1Hd5Jf0GsA7eU';
const BASE = { DATA_DIR: dataDir, OIDC_ISSUER: 'https://iam.provincia-fc.example/oidc/op', OIDC_CLIENT_ID: 'https://pratica.provincia-fc.example' };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  return 'none';
}

describe('SPID/CIE settings (OIDC_*)', () => {
  test('unset: sign-in off', () => assert.equal(loadConfig({ DATA_DIR: dataDir }).oidc, undefined));

  test('defaults: scopes, fiscal-code claim and the button text', () => {
    const oidc = loadConfig({ ...BASE, OIDC_CLIENT_SECRET: SECRET }).oidc!;
    assert.deepEqual(oidc, {
      issuer: BASE.OIDC_ISSUER, clientId: BASE.OIDC_CLIENT_ID, clientAuth: { method: 'client_secret_basic', secret: SECRET },
      scopes: 'openid profile', acrValues: undefined, fiscalCodeClaim: 'fiscal_number', providerLabel: 'Entra con SPID o CIE',
    });
  });

  test('private_key_jwt with a PEM or a JWK file', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = join(dataDir, 'key.pem');
    writeFileSync(pem, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const jwk = join(dataDir, 'key.json');
    writeFileSync(jwk, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), kid: 'rp-1' }));
    assert.equal(loadConfig({ ...BASE, OIDC_PRIVATE_KEY_FILE: pem }).oidc!.clientAuth.method, 'private_key_jwt');
    const fromJwk = loadConfig({ ...BASE, OIDC_PRIVATE_KEY_FILE: jwk, OIDC_ACR_VALUES: 'https://www.spid.gov.it/SpidL2' }).oidc!;
    assert.equal(fromJwk.clientAuth.method === 'private_key_jwt' && fromJwk.clientAuth.keyId, 'rp-1');
    assert.equal(fromJwk.acrValues, 'https://www.spid.gov.it/SpidL2');
  });

  const garbage = join(dataDir, 'garbage.pem');
  writeFileSync(garbage, 'not a key');
  for (const [env, message] of [
    [{ DATA_DIR: dataDir, OIDC_CLIENT_ID: 'x' }, /OIDC_CLIENT_ID è impostata ma OIDC_ISSUER no/],
    [{ ...BASE, OIDC_ISSUER: 'iam.example' }, /OIDC_ISSUER non è un indirizzo valido/],
    [{ ...BASE, OIDC_CLIENT_ID: '' , OIDC_CLIENT_SECRET: SECRET }, /OIDC_CLIENT_ID è obbligatoria con OIDC_ISSUER/],
    [{ ...BASE }, /OIDC_CLIENT_SECRET o OIDC_PRIVATE_KEY_FILE è obbligatoria/],
    [{ ...BASE, OIDC_CLIENT_SECRET: SECRET, OIDC_PRIVATE_KEY_FILE: garbage }, /sono alternative/],
    [{ ...BASE, OIDC_PRIVATE_KEY_FILE: join(dataDir, 'missing.pem') }, /OIDC_PRIVATE_KEY_FILE non si legge \(ENOENT\)/],
    [{ ...BASE, OIDC_PRIVATE_KEY_FILE: garbage }, /non contiene una chiave privata/],
    [{ ...BASE, OIDC_CLIENT_SECRET: SECRET, OIDC_SCOPES: 'profile' }, /OIDC_SCOPES deve comprendere "openid"/],
    [{ ...BASE, OIDC_CLIENT_SECRET: SECRET, OIDC_FISCAL_CODE_CLAIM: 'fiscal number' }, /OIDC_FISCAL_CODE_CLAIM deve essere il nome di un claim/],
    [{ ...BASE, OIDC_CLIENT_SECRET: SECRET, OIDC_PROVIDER_LABEL: 'x'.repeat(61) }, /OIDC_PROVIDER_LABEL supera i 60 caratteri/],
  ] as [Record<string, string>, RegExp][]) {
    test(`refused with one line naming the variable: ${message.source}`, () => assert.match(refusal(env), message));
  }

  test('in production an http:// issuer and a guessable secret are refused', () => {
    const production = {
      NODE_ENV: 'production', DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://pratica.example.org', SESSION_SECRET: SECRET,
      CREDENTIALS_KEY: '48Smne9Ry0HcF/d93Ng18yO5WXShqdYHTFsMrPFKcgk=', EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://u:p@mail.example.org',
      EMAIL_FROM: 'a@example.org', SMS_TRANSPORT: 'http', SMS_HTTP_URL: 'https://sms.example.org', SMS_SENDER: 'Provincia',
    };
    assert.match(refusal({ ...production, OIDC_ISSUER: 'http://iam.example.org', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: SECRET }), /OIDC_ISSUER deve iniziare con https:\/\//);
    assert.match(refusal({ ...production, OIDC_ISSUER: 'https://iam.example.org', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }), /OIDC_CLIENT_SECRET è debole/);
  });
});

describe('without OIDC_ISSUER', () => {
  test('no SPID/CIE button, and its addresses say so on a page', async () => {
    const { createTestApp } = await import('../support/app.ts');
    const t = await createTestApp();
    try {
      const login = await t.app.inject({ url: '/pratica' });
      assert.equal(login.statusCode, 200);
      assert.ok(!login.body.includes('spid-access'), 'no button');
      for (const url of ['/pratica/oidc/accesso', '/pratica/oidc/callback?code=x&state=y']) {
        const response = await t.app.inject({ url });
        assert.equal(response.statusCode, 404);
        assert.match(response.body, /Accesso con SPID o CIE non attivo/);
      }
      const list = await t.app.inject({ url: '/pratica/mie-pratiche' });
      assert.equal(list.statusCode, 303);
      assert.equal(list.headers.location, '/pratica');
    } finally {
      await t.close();
    }
  });
});
