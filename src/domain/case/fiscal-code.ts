import { DomainError } from '../errors.ts';

/**
 * The applicant's identifiers: the codice fiscale of a person (D.P.R. 605/1973, D.M. 23/12/1976) and, for a firm,
 * its partita IVA (D.P.R. 633/1972 art. 35) with the legal representative's codice fiscale. All optional on a case;
 * the codice fiscale is what SPID and CIE release, so it links a signed-in citizen to their cases.
 */

/** The fields, with the label the forms and the errors use. */
export const FISCAL_FIELDS = {
  applicantFiscalCode: 'Codice fiscale del richiedente',
  applicantVatNumber: 'Partita IVA',
  legalRepresentativeFiscalCode: 'Codice fiscale del legale rappresentante',
} as const;
export type FiscalField = keyof typeof FISCAL_FIELDS;

const MONTH_LETTERS = 'ABCDEHLMPRST';
// D.M. 23/12/1976: in a code made different for a namesake (omocodia) these letters stand for the digits 0-9
const OMOCODIA_LETTERS = 'LMNPQRSTUV';
const OMOCODIA_POSITIONS = [6, 7, 9, 10, 12, 13, 14] as const;
// the values of the characters in odd places (1st, 3rd...) for the check character; digits as the letters A-J
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23] as const;
const SHAPE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** What was typed, without spaces and in capitals: "rss mra 85t10 a562s" is "RSSMRA85T10A562S". */
function compact(text: string): string {
  return text.replace(/[\s.-]+/g, '').toUpperCase();
}

function characterValue(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65;
}

/** The check character of the first 15 characters. */
export function fiscalCodeCheckCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i += 1) {
    const value = characterValue(first15[i]!);
    sum += i % 2 === 0 ? ODD_VALUES[value]! : value;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** The code with the omocodia letters turned back into digits (for the date and place checks). */
function withDigits(code: string): string {
  const chars = [...code];
  for (const position of OMOCODIA_POSITIONS) {
    const index = OMOCODIA_LETTERS.indexOf(chars[position]!);
    if (index >= 0) chars[position] = String(index);
  }
  return chars.join('');
}

export type FiscalCodeProblem = 'length' | 'characters' | 'date' | 'check';

/** Why a codice fiscale is not valid, or undefined when it is (`code` already compacted). */
export function fiscalCodeProblem(code: string): FiscalCodeProblem | undefined {
  if (code.length !== 16) return 'length';
  if (!SHAPE.test(code)) return 'characters';
  const plain = withDigits(code);
  const day = Number(plain.slice(9, 11));
  // women's codes add 40 to the day of birth
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return 'date';
  if (!MONTH_LETTERS.includes(plain[8]!)) return 'date';
  if (fiscalCodeCheckCharacter(code.slice(0, 15)) !== code[15]) return 'check';
  return undefined;
}

const FISCAL_CODE_MESSAGES: Record<FiscalCodeProblem, string> = {
  length: 'deve avere 16 caratteri (lettere e cifre)',
  characters: 'non ha la forma di un codice fiscale (6 lettere, 2 cifre, 1 lettera, 2 cifre, 1 lettera, 3 cifre, 1 lettera)',
  date: 'contiene una data di nascita impossibile',
  check: "ha il carattere di controllo (l'ultimo) sbagliato: verificare di averlo scritto bene",
};

/** A person's codice fiscale in its stored form (16 capitals), or a DomainError naming the field. */
export function normalizeFiscalCode(text: string, field: FiscalField = 'applicantFiscalCode'): string {
  const code = compact(text);
  const problem = fiscalCodeProblem(code);
  if (problem) {
    throw new DomainError('invalid-input', `${FISCAL_FIELDS[field]} "${text.trim()}": ${FISCAL_CODE_MESSAGES[problem]}.`, { field });
  }
  return code;
}

/** The partita IVA's check digit (the Luhn scheme of D.M. 23/12/1976). */
export function vatCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i += 1) {
    const digit = Number(first10[i]);
    if (i % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  }
  return (10 - (sum % 10)) % 10;
}

export type VatProblem = 'length' | 'zero' | 'check';

export function vatNumberProblem(number: string): VatProblem | undefined {
  if (!/^\d{11}$/.test(number)) return 'length';
  if (/^0{7}/.test(number)) return 'zero';
  if (vatCheckDigit(number.slice(0, 10)) !== Number(number[10])) return 'check';
  return undefined;
}

const VAT_MESSAGES: Record<VatProblem, string> = {
  length: 'deve avere 11 cifre',
  zero: 'non è una partita IVA assegnata (il numero di matricola è zero)',
  check: "ha la cifra di controllo (l'ultima) sbagliata: verificare di averla scritta bene",
};

/** A partita IVA in its stored form (11 digits; an "IT" prefix, as on VAT invoices, is dropped). */
export function normalizeVatNumber(text: string): string {
  const number = compact(text).replace(/^IT/, '');
  const problem = vatNumberProblem(number);
  if (problem) {
    throw new DomainError('invalid-input', `${FISCAL_FIELDS.applicantVatNumber} "${text.trim()}": ${VAT_MESSAGES[problem]}.`, { field: 'applicantVatNumber' });
  }
  return number;
}

export interface FiscalIdentifiers {
  applicantFiscalCode: string | null;
  applicantVatNumber: string | null;
  legalRepresentativeFiscalCode: string | null;
}

export type FiscalIdentifiersInput = { [K in FiscalField]?: string | null | undefined };

/** The three optional identifiers, each validated; an empty field is null. */
export function validateFiscalIdentifiers(input: FiscalIdentifiersInput): FiscalIdentifiers {
  const given = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';
  return {
    applicantFiscalCode: given(input.applicantFiscalCode) ? normalizeFiscalCode(input.applicantFiscalCode, 'applicantFiscalCode') : null,
    applicantVatNumber: given(input.applicantVatNumber) ? normalizeVatNumber(input.applicantVatNumber) : null,
    legalRepresentativeFiscalCode: given(input.legalRepresentativeFiscalCode)
      ? normalizeFiscalCode(input.legalRepresentativeFiscalCode, 'legalRepresentativeFiscalCode')
      : null,
  };
}

/**
 * The citizen's page shows only enough to recognise the code (GDPR art. 5 c.1 c: data minimisation): a page
 * reached with a code and password may be read by someone else at the same screen.
 */
export function maskFiscalCode(code: string): string {
  if (code.length <= 6) return '*'.repeat(code.length);
  return `${code.slice(0, 3)}${'*'.repeat(code.length - 6)}${code.slice(-3)}`;
}

/**
 * The codice fiscale released by an identity provider: SPID gives it as "TINIT-" + code (the ETSI form of a
 * national tax id), CIE and most gateways give the bare code. Undefined when it is not a valid one.
 */
export function fiscalCodeFromClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const code = compact(value).replace(/^TINIT-?/, '');
  return fiscalCodeProblem(code) === undefined ? code : undefined;
}
