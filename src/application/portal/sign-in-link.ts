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
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGN_IN_LINK_VALIDITY_SECONDS = 7 * 24 * 3600;
export const SIGN_IN_LINK_PATH = '/pratica/link/';

const VERSION = 1;
const NONCE_BYTES = 9;
const MAC_BYTES = 16; // 128 bits: forging needs 2^128 tries; the link stays short enough for an SMS
const BODY_BYTES = 1 + 16 + 4 + NONCE_BYTES;

export interface SignInLinkOptions {
  secret: string;
  baseUrl: string;
  caseId: string;
  now: Date;
  validForSeconds?: number;
}

function mac(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', `pratica-online/sign-in-link/${secret}`).update(body).digest().subarray(0, MAC_BYTES);
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a uuid: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The token alone (what follows /pratica/link/). */
export function createSignInToken(options: Omit<SignInLinkOptions, 'baseUrl'>): string {
  const validFor = options.validForSeconds ?? SIGN_IN_LINK_VALIDITY_SECONDS;
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(options.caseId).copy(body, 1);
  body.writeUInt32BE(Math.floor(options.now.getTime() / 1000) + validFor, 17);
  randomBytes(NONCE_BYTES).copy(body, 21);
  return Buffer.concat([body, mac(options.secret, body)]).toString('base64url');
}

export function createSignInLink(options: SignInLinkOptions): string {
  return `${options.baseUrl.replace(/\/+$/, '')}${SIGN_IN_LINK_PATH}${createSignInToken(options)}`;
}

export type SignInTokenCheck =
  | { valid: true; caseId: string; nonce: string; expiresAt: Date }
  | { valid: false; reason: 'malformed' | 'expired' };

/** Checks form, signature and expiry; whether it was used already is for the database to say. */
export function readSignInToken(secret: string, token: string, now: Date): SignInTokenCheck {
  if (token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return { valid: false, reason: 'malformed' };
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== BODY_BYTES + MAC_BYTES) return { valid: false, reason: 'malformed' };
  const body = raw.subarray(0, BODY_BYTES);
  if (!timingSafeEqual(mac(secret, body), raw.subarray(BODY_BYTES)) || body.readUInt8(0) !== VERSION) {
    return { valid: false, reason: 'malformed' };
  }
  const expiresAt = new Date(body.readUInt32BE(17) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { valid: false, reason: 'expired' };
  return { valid: true, caseId: uuidText(body.subarray(1, 17)), nonce: body.subarray(21).toString('base64url'), expiresAt };
}
