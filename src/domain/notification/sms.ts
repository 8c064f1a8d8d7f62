/**
 * SMS encoding (3GPP TS 23.038 and 23.040): a text that fits the GSM 7-bit default alphabet travels
 * 160 characters per SMS (153 when concatenated); anything else goes as UCS-2, 70 per SMS (67).
 * Italian accents à è é ì ò ù are in the GSM alphabet; È is not, and € costs two septets (escape).
 */

/** The GSM 7-bit default alphabet: the index of a character is its septet. 0x1B is the escape. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: each costs the escape septet plus this one. */
const GSM_EXTENSION: Readonly<Record<string, number>> = {
  '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65,
};

const BASIC_INDEX: ReadonlyMap<string, number> = new Map([...GSM_BASIC].map((c, i) => [c, i]));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export const SMS_LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

/** Never more than this many parts: a longer text is refused before it is sent. */
export const MAX_SMS_SEGMENTS = 3;

export interface SmsAnalysis {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2) */
  units: number;
  segments: number;
  /** the text of each part, never splitting an escape pair or a surrogate pair */
  parts: string[];
}

/**
 * Word-processor punctuation pasted into a reason would force UCS-2 and halve the room: replace it with
 * its plain equivalent. Upper-case È has no GSM code: "E'" is the usual Italian spelling in SMS.
 */
export function normalizeSmsText(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2013\u2014\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/È/g, "E'")
    .replace(/\r\n/g, '\n');
}

function gsmCost(char: string): number | undefined {
  if (BASIC_INDEX.has(char)) return 1;
  if (char in GSM_EXTENSION) return 2;
  return undefined;
}

export function isGsm7(text: string): boolean {
  for (const char of text) if (gsmCost(char) === undefined) return false;
  return true;
}

function split(chars: string[], cost: (c: string) => number, single: number, part: number): { units: number; parts: string[] } {
  const units = chars.reduce((sum, c) => sum + cost(c), 0);
  if (units <= single) return { units, parts: [chars.join('')] };
  const parts: string[] = [];
  let current = '';
  let used = 0;
  for (const char of chars) {
    const c = cost(char);
    if (used + c > part) {
      parts.push(current);
      current = '';
      used = 0;
    }
    current += char;
    used += c;
  }
  if (current) parts.push(current);
  return { units, parts };
}

export function analyseSms(text: string): SmsAnalysis {
  const chars = [...text];
  if (isGsm7(text)) {
    const { units, parts } = split(chars, (c) => gsmCost(c)!, SMS_LIMITS['GSM-7'].single, SMS_LIMITS['GSM-7'].part);
    return { encoding: 'GSM-7', units, segments: parts.length, parts };
  }
  // a code point beyond the BMP (an emoji) is a surrogate pair: two units, never split
  const { units, parts } = split(chars, (c) => c.length, SMS_LIMITS['UCS-2'].single, SMS_LIMITS['UCS-2'].part);
  return { encoding: 'UCS-2', units, segments: parts.length, parts };
}

/** GSM-7 as unpacked septets, one per octet, as SMPP carries it with data_coding 0. */
export function encodeGsm7(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const basic = BASIC_INDEX.get(char);
    if (basic !== undefined) out.push(basic);
    else if (char in GSM_EXTENSION) out.push(0x1b, GSM_EXTENSION[char]!);
    else throw new RangeError(`not a GSM-7 character: ${JSON.stringify(char)}`);
  }
  return Uint8Array.from(out);
}

export function decodeGsm7(septets: Uint8Array): string {
  const reverseExtension = new Map(Object.entries(GSM_EXTENSION).map(([c, v]) => [v, c]));
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const value = septets[i]!;
    if (value === 0x1b && i + 1 < septets.length) {
      out += reverseExtension.get(septets[++i]!) ?? ' ';
    } else {
      out += GSM_BASIC[value] ?? ' ';
    }
  }
  return out;
}

/** UCS-2 (in practice UTF-16 big-endian) as SMPP carries it with data_coding 8. */
export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}
