/**
 * A real OpenID Connect provider (oidc-provider) on loopback, configured like a SPID/CIE gateway: code flow with
 * PKCE only, the codice fiscale released as `fiscal_number` with the TINIT- prefix, RP-initiated logout. Its
 * signing key is the test's, so a test can also forge a validly signed ID token (another audience, another nonce).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, importJWK } from 'jose';
import type { JWK } from 'jose';
import type { CustomFetch } from 'openid-client';
// @ts-expect-error oidc-provider ships no type declarations
import Provider from 'oidc-provider';

export const CLIENT_ID = 'pratica-online';
export const CLIENT_SECRET = 'a-client-secret-for-the-tests-only-8c1f2e9d7b6a5043';

export interface TestProvider {
  issuer: string;
  /** seconds an authorization code lives; a test shortens it to see one expire */
  codeTtlSeconds: number;
  /** makes the RP's requests; `forgeIdToken` set, the token endpoint's ID token is re-signed with those claims changed */
  fetch: CustomFetch;
  /** the code's redemption waits this long (to let a short-lived code expire) */
  tokenDelayMs: number;
  forgeIdToken: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined;
  close(): Promise<void>;
}

/** accounts: login name → claims (`fiscal_number` left out for an identity without one) */
export async function startProvider(options: { redirectUri: string; postLogoutRedirectUri: string; accounts: Record<string, Record<string, unknown>> }): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' } as JWK;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: TestProvider = {
    issuer,
    codeTtlSeconds: 60,
    forgeIdToken: undefined,
    tokenDelayMs: 0,
    fetch: async (input, init) => {
      const url = String(input);
      if (state.tokenDelayMs && url.endsWith('/token')) await new Promise((resolve) => setTimeout(resolve, state.tokenDelayMs));
      const response = await fetch(input, init as RequestInit);
      if (!state.forgeIdToken || !url.endsWith('/token') || !response.ok) return response;
      const body = (await response.json()) as Record<string, unknown>;
      const claims = state.forgeIdToken(decodeJwt(String(body.id_token)) as Record<string, unknown>);
      body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(await importJWK(jwk, 'RS256'));
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [options.redirectUri],
      post_logout_redirect_uris: [options.postLogoutRedirectUri], response_types: ['code'], grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['fiscal_number', 'name', 'family_name'] },
    // the gateway puts the SPID attributes in the ID token
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['a-cookie-key-for-the-tests-provider-0123456789'] },
    ttl: { AuthorizationCode: () => state.codeTtlSeconds },
    async findAccount(_ctx: unknown, id: string) {
      const claims = options.accounts[id] ?? {};
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => console.error('oidc-provider', error));
  server.on('request', provider.callback());
  return state;
}
