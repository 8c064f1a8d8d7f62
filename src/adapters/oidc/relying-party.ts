/**
 * The OpenID Connect relying party for SPID and CIE (docs/spid-cie.md), on openid-client: authorization code flow
 * with PKCE (RFC 7636), state and nonce, ID token checked by the library (issuer, audience, signature, expiry,
 * nonce). The transient values travel in the caller's signed cookie, so any web process can finish a sign-in.
 */
import { createPrivateKey } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../../config.ts';
import { fiscalCodeFromClaim } from '../../domain/case/fiscal-code.ts';

/** What the browser keeps between the redirect to the provider and the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

/** Why a callback is refused; each has its own page. */
export type SignInRefusal =
  | 'denied' // the citizen cancelled at the provider, or it refused them
  | 'expired' // the sign-in took too long: the code or the pending state is no longer valid
  | 'tampered' // state, nonce, audience, issuer or signature do not match
  | 'no-fiscal-code' // the identity carries no valid codice fiscale
  | 'unavailable'; // the provider cannot be reached or answered something unusable

export type CallbackResult =
  | { ok: true; fiscalCode: string; idToken: string; acr: string | undefined }
  | { ok: false; reason: SignInRefusal; detail: string };

export interface RelyingParty {
  readonly label: string;
  /** where to send the browser, and what to keep until it comes back */
  start(): Promise<{ url: string; pending: PendingSignIn }>;
  finish(callbackUrl: URL, pending: PendingSignIn | undefined): Promise<CallbackResult>;
  /** the provider's end-session address (RP-initiated logout), when it has one */
  logoutUrl(idToken: string | undefined, postLogoutRedirectUri: string): Promise<string | undefined>;
}

export interface RelyingPartyOptions {
  config: OidcConfig;
  redirectUri: string;
  /** http:// issuers only on this machine (the tests' provider) */
  allowInsecure?: boolean;
  /** how requests to the provider are made (the tests put a forger between the two) */
  fetch?: client.CustomFetch;
}

// OAuth 2.0 errors that mean the person or the provider said no, not that something was forged
const DENIALS = new Set(['access_denied', 'login_required', 'consent_required', 'interaction_required', 'account_selection_required']);

export function createRelyingParty(options: RelyingPartyOptions): RelyingParty {
  const { config, redirectUri } = options;
  let discovered: Promise<client.Configuration> | undefined;

  async function clientAuth(): Promise<client.ClientAuth> {
    const auth = config.clientAuth;
    if (auth.method === 'client_secret_basic') return client.ClientSecretBasic(auth.secret);
    const key = createPrivateKey(auth.privateKeyPem);
    const ec = key.asymmetricKeyType === 'ec';
    // openid-client signs the client assertion with a WebCrypto key
    const cryptoKey = await globalThis.crypto.subtle.importKey(
      'pkcs8', key.export({ format: 'der', type: 'pkcs8' }),
      ec ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign'],
    );
    return client.PrivateKeyJwt(auth.keyId ? { key: cryptoKey, kid: auth.keyId } : cryptoKey);
  }

  /** Discovery once, kept; a failure is forgotten so that the next sign-in tries again. */
  function configuration(): Promise<client.Configuration> {
    discovered ??= (async () => {
      const auth = await clientAuth();
      const metadata: Partial<client.ClientMetadata> = {
        redirect_uris: [redirectUri],
        response_types: ['code'],
        token_endpoint_auth_method: config.clientAuth.method,
        id_token_signed_response_alg: 'RS256',
      };
      const c = await client.discovery(new URL(config.issuer), config.clientId, metadata, auth, {
        ...(options.allowInsecure ? { execute: [client.allowInsecureRequests] } : {}),
        ...(options.fetch ? { [client.customFetch]: options.fetch } : {}),
        timeout: 10,
      });
      if (options.fetch) c[client.customFetch] = options.fetch;
      return c;
    })().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  }

  return {
    label: config.providerLabel,

    async start() {
      const c = await configuration();
      const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
      const parameters: Record<string, string> = {
        redirect_uri: redirectUri,
        scope: config.scopes,
        response_type: 'code',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        prompt: 'login',
      };
      if (config.acrValues) parameters.acr_values = config.acrValues;
      return { url: client.buildAuthorizationUrl(c, parameters).href, pending };
    },

    async finish(callbackUrl, pending) {
      const error = callbackUrl.searchParams.get('error');
      if (error) {
        const description = callbackUrl.searchParams.get('error_description') ?? '';
        if (pending && callbackUrl.searchParams.get('state') !== pending.state) return { ok: false, reason: 'tampered', detail: `error with a foreign state: ${error}` };
        return { ok: false, reason: DENIALS.has(error) ? 'denied' : 'unavailable', detail: `${error} ${description}`.trim() };
      }
      if (!pending) return { ok: false, reason: 'expired', detail: 'no pending sign-in (cookie missing or expired)' };
      let c: client.Configuration;
      try {
        c = await configuration();
      } catch (cause) {
        return { ok: false, reason: 'unavailable', detail: `discovery: ${String(cause)}` };
      }
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(c, callbackUrl, {
          pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true,
        });
      } catch (cause) {
        return refusalOf(cause);
      }
      const claims = tokens.claims();
      const idToken = tokens.id_token;
      if (!claims || !idToken) return { ok: false, reason: 'tampered', detail: 'no ID token' };
      let value: unknown = claims[config.fiscalCodeClaim];
      // gateways release the SPID attributes in the ID token or only at the userinfo endpoint
      if (value === undefined && tokens.access_token) {
        try {
          const info = await client.fetchUserInfo(c, tokens.access_token, claims.sub);
          value = info[config.fiscalCodeClaim];
        } catch (cause) {
          return { ok: false, reason: 'unavailable', detail: `userinfo: ${String(cause)}` };
        }
      }
      const fiscalCode = fiscalCodeFromClaim(value);
      if (!fiscalCode) return { ok: false, reason: 'no-fiscal-code', detail: `claim ${config.fiscalCodeClaim} ${value === undefined ? 'missing' : 'not a codice fiscale'}` };
      return { ok: true, fiscalCode, idToken, acr: typeof claims.acr === 'string' ? claims.acr : undefined };
    },

    async logoutUrl(idToken, postLogoutRedirectUri) {
      let c: client.Configuration;
      try {
        c = await configuration();
      } catch {
        return undefined;
      }
      if (!c.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(c, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(idToken ? { id_token_hint: idToken } : { client_id: config.clientId }),
      }).href;
    },
  };
}

function refusalOf(cause: unknown): { ok: false; reason: SignInRefusal; detail: string } {
  if (cause instanceof client.ResponseBodyError) {
    // RFC 6749 5.2: a code used, expired or issued to another client
    if (cause.error === 'invalid_grant') return { ok: false, reason: 'expired', detail: `${cause.error}: ${cause.error_description ?? ''}` };
    return { ok: false, reason: 'unavailable', detail: `${cause.error}: ${cause.error_description ?? ''}` };
  }
  if (cause instanceof client.AuthorizationResponseError) {
    return { ok: false, reason: DENIALS.has(cause.error) ? 'denied' : 'unavailable', detail: cause.error };
  }
  if (cause instanceof client.ClientError) {
    const code = cause.code ?? '';
    // the ID token has expired, or was issued too long ago
    if (/TIMESTAMP|EXPIRED/i.test(code) || /expired|too old|iat/i.test(cause.message)) return { ok: false, reason: 'expired', detail: `${code}: ${cause.message}` };
    return { ok: false, reason: 'tampered', detail: `${code}: ${cause.message}` };
  }
  if (cause instanceof Error && /fetch failed|ECONNREFUSED|timeout|aborted/i.test(cause.message)) return { ok: false, reason: 'unavailable', detail: cause.message };
  return { ok: false, reason: 'tampered', detail: cause instanceof Error ? cause.message : String(cause) };
}
