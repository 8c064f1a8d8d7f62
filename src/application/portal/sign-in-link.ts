/**
 * One-click sign-in links for "La tua pratica on line", put in e-mails and SMS by the notifications.
 *
 *   createSignInLink({ secret, baseUrl, caseId, now, validForSeconds? }): string
 *     secret          the SESSION_SECRET (AppDeps.sessionSecret): the link is signed with HMAC-SHA256
 *     baseUrl         PUBLIC_BASE_URL, e.g. 'https://pratiche.provincia.fc.it'
 *     caseId          cases.id (uuid) of the one case the link opens
 *     now             deps.clock.now()
 *     validForSeconds default SIGN_IN_LINK_VALIDITY_SECONDS (7 days)
 *   returns e.g. 'https://pratiche.provincia.fc.it/pratica/link/AZ3k...' (about 60 characters after /link/)
 *
 * A link opens one case, expires, and works once: the page it leads to asks for one click (a form),
 * because mail scanners fetch links on their own and would otherwise spend it; the nonce is then stored.
 */
import { decodeToken, signToken } from '../signed-token.ts';

export const SIGN_IN_LINK_VALIDITY_SECONDS = 7 * 24 * 3600;
export const SIGN_IN_LINK_PATH = '/pratica/link/';

export interface SignInLinkOptions {
  secret: string;
  baseUrl: string;
  caseId: string;
  now: Date;
  validForSeconds?: number;
}

/** The token alone (what follows /pratica/link/). */
export function createSignInToken(options: Omit<SignInLinkOptions, 'baseUrl'>): string {
  const validFor = options.validForSeconds ?? SIGN_IN_LINK_VALIDITY_SECONDS;
  return signToken('sign-in-link', options.secret, { id: options.caseId, expiresAt: new Date(Math.floor(options.now.getTime() / 1000) * 1000 + validFor * 1000) });
}

export function createSignInLink(options: SignInLinkOptions): string {
  return `${options.baseUrl.replace(/\/+$/, '')}${SIGN_IN_LINK_PATH}${createSignInToken(options)}`;
}

export type SignInTokenCheck =
  | { valid: true; caseId: string; nonce: string; expiresAt: Date }
  | { valid: false; reason: 'malformed' | 'expired' };

/** Checks form, signature and expiry; whether it was used already is for the database to say. */
export function readSignInToken(secret: string, token: string, now: Date): SignInTokenCheck {
  const decoded = decodeToken(token);
  if (!decoded || !decoded.signedWith('sign-in-link', secret)) return { valid: false, reason: 'malformed' };
  if (decoded.expiresAt.getTime() <= now.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, caseId: decoded.id, nonce: decoded.nonce, expiresAt: decoded.expiresAt };
}
