/**
 * Case codes and passwords are read aloud on the phone and typed from an SMS: an alphabet without
 * the look-alikes 0/O and 1/I. 32 symbols = 5 bits each.
 */
export const READABLE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Turns random bytes into readable symbols; 32 divides 256, so there is no modulo bias. */
export function readableSymbols(randomBytes: Uint8Array, count: number): string {
  if (randomBytes.length < count) throw new RangeError(`need ${count} random bytes, got ${randomBytes.length}`);
  let out = '';
  for (let i = 0; i < count; i++) out += READABLE_ALPHABET[randomBytes[i]! % 32];
  return out;
}

/** e.g. FC-7KM3-9QX2: 40 random bits, so codes cannot be guessed in sequence. */
export function formatCaseCode(prefix: string, randomBytes: Uint8Array): string {
  const symbols = readableSymbols(randomBytes, 8);
  return `${prefix}-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

/** 16 symbols = 80 bits, grouped by four: K7M3-9QX2-ABCD-EFGH. */
export const PASSWORD_SYMBOLS = 16;

export function formatPassword(randomBytes: Uint8Array): string {
  return readableSymbols(randomBytes, PASSWORD_SYMBOLS).match(/.{4}/g)!.join('-');
}

const CASE_CODE = new RegExp(`^[A-Z]{2,4}-[${READABLE_ALPHABET}]{4}-[${READABLE_ALPHABET}]{4}$`);

/** Citizens type codes in lower case or with spaces: accept them, refuse anything else. */
export function normalizeCaseCode(text: string): string | undefined {
  const code = text.trim().toUpperCase().replace(/\s+/g, '');
  return CASE_CODE.test(code) ? code : undefined;
}

export function normalizePassword(text: string): string {
  return text.trim().toUpperCase().replace(/[\s-]+/g, '').replace(/(.{4})(?=.)/g, '$1-');
}
