/**
 * The short signed tokens put in links sent by e-mail or SMS: which row they open (a uuid), until when, a
 * random nonce, and an HMAC-SHA256 under the SESSION_SECRET. `purpose` keys the HMAC, so a token made for one
 * use never opens another; `bound` is signed along without being carried: a token bound to a value dies when
 * that value changes (the staff reset link is bound to the password hash, so any new password ends it).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const NONCE_BYTES = 9;
const MAC_BYTES = 16; // 128 bits: forging needs 2^128 tries; the link stays short enough for an SMS
const BODY_BYTES = 1 + 16 + 4 + NONCE_BYTES;

export type TokenPurpose = 'sign-in-link' | 'staff-reset';

function mac(purpose: TokenPurpose, secret: string, body: Buffer, bound: string): Buffer {
  const hmac = createHmac('sha256', `pratica-online/${purpose}/${secret}`).update(body);
  if (bound) hmac.update(bound);
  return hmac.digest().subarray(0, MAC_BYTES);
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

export function signToken(purpose: TokenPurpose, secret: string, input: { id: string; expiresAt: Date; bound?: string }): string {
  const body = Buffer.alloc(BODY_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(input.id).copy(body, 1);
  body.writeUInt32BE(Math.floor(input.expiresAt.getTime() / 1000), 17);
  randomBytes(NONCE_BYTES).copy(body, 21);
  return Buffer.concat([body, mac(purpose, secret, body, input.bound ?? '')]).toString('base64url');
}

export interface DecodedToken {
  id: string;
  expiresAt: Date;
  nonce: string;
  /** whether the signature holds, with the value the token was bound to */
  signedWith(purpose: TokenPurpose, secret: string, bound?: string): boolean;
}

/** What a well-formed token says, before its signature is checked (the bound value may depend on the id). */
export function decodeToken(token: string): DecodedToken | undefined {
  if (token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== BODY_BYTES + MAC_BYTES) return undefined;
  const body = raw.subarray(0, BODY_BYTES);
  if (body.readUInt8(0) !== VERSION) return undefined;
  return {
    id: uuidText(body.subarray(1, 17)),
    expiresAt: new Date(body.readUInt32BE(17) * 1000),
    nonce: body.subarray(21).toString('base64url'),
    signedWith: (purpose, secret, bound = '') => timingSafeEqual(mac(purpose, secret, body, bound), raw.subarray(BODY_BYTES)),
  };
}
