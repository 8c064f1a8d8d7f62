import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { normalizeEmail } from '../case/contacts.ts';
import { DomainError } from '../errors.ts';

/** The text keys of the administration's set-up, in the order they are asked and shown. */
export const ADMINISTRATION_TEXT_KEYS = [
  'name', 'code', 'ipaCode', 'fiscalCode', 'address', 'pec', 'supportEmail', 'website',
  'privacyNoticeUrl', 'accessibilityStatementUrl', 'legalNotesUrl', 'startCommunicationBasis',
] as const;
export type AdministrationTextKey = (typeof ADMINISTRATION_TEXT_KEYS)[number];

/** Without these the service cannot tell citizens who answers for it (art. 8 c.2 lett. a L. 241/1990) nor whom to write to. */
export const REQUIRED_ADMINISTRATION_KEYS = ['name', 'supportEmail', 'website'] as const satisfies readonly AdministrationTextKey[];

export const SUBSTITUTE_POWER_KEYS = ['holder', 'office', 'email', 'pec', 'phone'] as const;
export type SubstitutePowerKey = (typeof SUBSTITUTE_POWER_KEYS)[number];
export type SubstitutePower = Record<SubstitutePowerKey, string | null>;

export const LOGO_TYPES = ['image/png', 'image/svg+xml'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export interface Logo { type: LogoType; bytes: Uint8Array }
/** A coat of arms shown in a page header: larger files are photographs, not logos. */
export const LOGO_MAX_BYTES = 512 * 1024;

/** The administration as stored: every optional value null when not given. */
export type AdministrationData = Record<AdministrationTextKey, string | null> & {
  name: string;
  supportEmail: string;
  website: string;
  substitutePower: SubstitutePower | null;
  logo: Logo | null;
};

/** A change asked for: a key left out keeps its stored value, null (or "") clears it. */
export type AdministrationChange = Partial<Omit<AdministrationData, 'logo'>> & { logo?: Logo | null };

export interface SetupProblem { key: string; message: string }
export type SetupResult = { ok: true; change: AdministrationChange } | { ok: false; problems: SetupProblem[] };

/** The logo as the caller read it: bytes, or 'unreadable' when the file could not be read. */
export type LogoInput = Uint8Array | 'unreadable';

const LABELS: Record<AdministrationTextKey | 'logoFile' | 'substitutePower', string> = {
  name: 'il nome', code: 'la sigla', ipaCode: 'il codice IPA', fiscalCode: 'il codice fiscale', address: "l'indirizzo",
  pec: 'la PEC', supportEmail: "l'e-mail di assistenza", website: 'il sito', privacyNoticeUrl: "l'informativa privacy",
  accessibilityStatementUrl: "la dichiarazione di accessibilità", legalNotesUrl: 'le note legali',
  startCommunicationBasis: "la norma sull'avvio", logoFile: 'il logo', substitutePower: 'il potere sostitutivo',
};

const TEXT_LIMIT = 500;

/** Checks one text value; returns the normalized value or the Italian reason it is refused. */
type Check = (value: string) => string | { problem: string };

const emailCheck: Check = (value) => {
  try {
    return normalizeEmail(value);
  } catch (error) {
    if (error instanceof DomainError) return { problem: `"${value}" non è un indirizzo e-mail valido` };
    throw error;
  }
};

/** http is accepted for sites still without TLS; anything else (javascript:, ftp:) would be a trap in a link. */
export function checkUrl(value: string): string | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `"${value}" non è un indirizzo web valido (https://...)` };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname.includes('.') || url.username || url.password) {
    return { problem: `"${value}" non è un indirizzo web valido (https://...)` };
  }
  return url.href;
}

/**
 * A public body's fiscal code is numeric: 11 digits whose last is the partita IVA check digit
 * (D.P.R. 605/1973; odd places summed, even places doubled and reduced by 9 above 9).
 */
export function isPublicBodyFiscalCode(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(value[i]);
    const weighted = i % 2 === 0 ? digit : digit * 2;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return (10 - (sum % 10)) % 10 === Number(value[10]);
}

/** IPA codes (indicepa.gov.it) are short lower-case identifiers such as "p_fc" or "c_d704". */
const IPA_CODE = /^[a-z][a-z0-9_]{1,29}$/;

const CHECKS: Record<AdministrationTextKey, Check> = {
  name: (value) => value,
  code: (value) => (/^[A-Z]{2,4}$/.test(value) ? value : { problem: `"${value}" non va bene: da 2 a 4 lettere maiuscole, il prefisso dei codici pratica (es. FC)` }),
  ipaCode: (value) => (IPA_CODE.test(value.toLowerCase()) ? value.toLowerCase() : { problem: `"${value}" non ha la forma di un codice IPA (es. p_fc)` }),
  fiscalCode: (value) => (isPublicBodyFiscalCode(value) ? value : { problem: `"${value}" non è il codice fiscale di un ente (11 cifre con la cifra di controllo)` }),
  address: (value) => value,
  pec: emailCheck,
  supportEmail: emailCheck,
  website: checkUrl,
  privacyNoticeUrl: checkUrl,
  accessibilityStatementUrl: checkUrl,
  legalNotesUrl: checkUrl,
  startCommunicationBasis: (value) => value,
};

const SUBSTITUTE_CHECKS: Record<SubstitutePowerKey, Check> = {
  holder: (value) => value,
  office: (value) => value,
  email: emailCheck,
  pec: emailCheck,
  phone: (value) => {
    const phone = parsePhoneNumberFromString(value, 'IT');
    return phone?.isValid() ? value : { problem: `"${value}" non è un numero di telefono valido` };
  },
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Tells a PNG or an SVG by its content, never by the file name; an SVG with scripts is refused even though it is served as an image only. */
export function checkLogo(bytes: Uint8Array): Logo | { problem: string } {
  if (bytes.length === 0) return { problem: 'il file è vuoto' };
  if (bytes.length > LOGO_MAX_BYTES) return { problem: `il file è troppo grande (${Math.ceil(bytes.length / 1024)} KB, al massimo ${LOGO_MAX_BYTES / 1024} KB)` };
  if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return { type: 'image/png', bytes };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'il file non è un PNG né un SVG' };
  }
  // an SVG opens with an optional XML declaration, comments or doctype, then the <svg> element
  const prologue = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*<svg[\s>]/i;
  if (!prologue.test(text)) return { problem: 'il file non è un PNG né un SVG' };
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(text)) return { problem: "l'SVG contiene script o contenuti attivi: esportarlo come immagine semplice" };
  return { type: 'image/svg+xml', bytes };
}

function isBlank(value: unknown): boolean {
  return value === null || (typeof value === 'string' && value.trim() === '');
}

function checkText(check: Check, value: unknown): string | { problem: string } {
  if (typeof value !== 'string') return { problem: 'deve essere un testo' };
  const text = value.trim();
  if (text.length > TEXT_LIMIT) return { problem: `è troppo lungo (al massimo ${TEXT_LIMIT} caratteri)` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return { problem: 'contiene caratteri di controllo' };
  return check(text);
}

/**
 * Reads the set-up as given in a file or a form (keys as in docs/setup.md) into a change of the stored
 * administration. Every bad key gets its own Italian line, so one run shows every mistake. `creating`:
 * there is no administration yet, so the required keys must be there.
 */
export function readAdministrationSetup(raw: unknown, options: { creating: boolean; logo?: LogoInput }): SetupResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ key: '', message: 'il file deve contenere un oggetto JSON con le chiavi della configurazione' }] };
  }
  const input = raw as Record<string, unknown>;
  const problems: SetupProblem[] = [];
  const change: AdministrationChange = {};
  const known = new Set<string>([...ADMINISTRATION_TEXT_KEYS, 'logoFile', 'substitutePower']);
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push({ key, message: `${key}: chiave sconosciuta` });

  for (const key of ADMINISTRATION_TEXT_KEYS) {
    const required = (REQUIRED_ADMINISTRATION_KEYS as readonly string[]).includes(key);
    if (!(key in input) || input[key] === undefined) {
      if (required && options.creating) problems.push({ key, message: `${key}: manca ${LABELS[key]}, obbligatorio` });
      continue;
    }
    if (isBlank(input[key])) {
      if (required) problems.push({ key, message: `${key}: manca ${LABELS[key]}, obbligatorio` });
      else if (key !== 'code') (change as Record<string, string | null>)[key] = null;
      continue;
    }
    const checked = checkText(CHECKS[key], input[key]);
    if (typeof checked === 'string') (change as Record<string, string>)[key] = checked;
    else problems.push({ key, message: `${key}: ${checked.problem}` });
  }

  if ('substitutePower' in input) {
    const value = input.substitutePower;
    if (isBlank(value)) change.substitutePower = null;
    else if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ key: 'substitutePower', message: `substitutePower: deve essere un oggetto con ${SUBSTITUTE_POWER_KEYS.join(', ')}` });
    } else {
      const given = value as Record<string, unknown>;
      const power = Object.fromEntries(SUBSTITUTE_POWER_KEYS.map((k) => [k, null])) as SubstitutePower;
      const before = problems.length;
      for (const key of Object.keys(given)) {
        if (!(SUBSTITUTE_POWER_KEYS as readonly string[]).includes(key)) problems.push({ key: 'substitutePower', message: `substitutePower: ${key} è una chiave sconosciuta` });
      }
      // each value refused on its own line (and its own field of the form)
      for (const key of SUBSTITUTE_POWER_KEYS) {
        if (given[key] === undefined || isBlank(given[key])) continue;
        const checked = checkText(SUBSTITUTE_CHECKS[key], given[key]);
        if (typeof checked === 'string') power[key] = checked;
        else problems.push({ key: `substitutePower.${key}`, message: `substitutePower.${key}: ${checked.problem}` });
      }
      if (problems.length === before) change.substitutePower = SUBSTITUTE_POWER_KEYS.some((k) => power[k] !== null) ? power : null;
    }
  }

  if ('logoFile' in input) {
    if (isBlank(input.logoFile)) change.logo = null;
    else if (typeof input.logoFile !== 'string') problems.push({ key: 'logoFile', message: 'logoFile: deve essere il percorso di un file PNG o SVG' });
    else if (options.logo === undefined || options.logo === 'unreadable') problems.push({ key: 'logoFile', message: `logoFile: il file "${input.logoFile}" non si può leggere` });
    else {
      const logo = checkLogo(options.logo);
      if ('problem' in logo) problems.push({ key: 'logoFile', message: `logoFile: ${logo.problem}` });
      else change.logo = logo;
    }
  }

  return problems.length ? { ok: false, problems } : { ok: true, change };
}

/**
 * Who to turn to when the office is late (art. 2 c.9-bis L. 241/1990): the procedure's own substitute when its
 * card names one, otherwise the one the administration named for all its procedures.
 */
export function substituteFor(procedure: { name: string; contact: string }, power: SubstitutePower | null): { name: string; contact: string } {
  if (procedure.name.trim() || !power?.holder) return procedure;
  const contact = [power.pec ? `PEC ${power.pec}` : '', power.email ?? '', power.phone ? `tel. ${power.phone}` : ''].filter(Boolean).join(', ');
  return { name: power.office ? `${power.holder}, ${power.office}` : power.holder, contact };
}

/**
 * Where the citizen writes to the holder of the substitute power (art. 2 c.9-bis L. 241/1990): the first
 * e-mail address in the card's own contacts when the card names its holder, else the set-up's PEC or e-mail.
 */
export function substituteAddress(procedure: { name: string; contact: string }, power: SubstitutePower | null): string | null {
  if (procedure.name.trim() || !power?.holder) return /[^\s,;:<>()]+@[^\s,;:<>()]+\.[a-z]{2,}/i.exec(procedure.contact)?.[0] ?? null;
  return power.pec ?? power.email ?? null;
}
