import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ADMINISTRATION_TEXT_KEYS, REQUIRED_ADMINISTRATION_KEYS, SUBSTITUTE_POWER_KEYS } from '../domain/administration/setup.ts';
import type { LogoInput } from '../domain/administration/setup.ts';
import type { SetupOutcome } from '../application/administration.ts';

/** The set-up file, read: its JSON and the logo it names (relative paths start from the file's folder). */
export interface SetupFile { data: unknown; logo?: LogoInput }

export class SetupFileError extends Error {}

export function readSetupFile(path: string): SetupFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SetupFileError(`il file "${path}" non si può leggere`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SetupFileError(`il file "${path}" non è JSON valido: ${(error as Error).message}`);
  }
  return { data, ...logoOf(data, dirname(path)) };
}

function logoOf(data: unknown, base: string): { logo?: LogoInput } {
  const logoFile = (data as { logoFile?: unknown } | null)?.logoFile;
  if (typeof logoFile !== 'string' || logoFile.trim() === '') return {};
  try {
    return { logo: new Uint8Array(readFileSync(resolve(base, logoFile.trim()))) };
  } catch {
    return { logo: 'unreadable' };
  }
}

const QUESTIONS: Record<(typeof ADMINISTRATION_TEXT_KEYS)[number] | 'logoFile', string> = {
  name: "Nome dell'amministrazione (es. Provincia di Forlì-Cesena)",
  code: 'Sigla, prefisso dei codici pratica (2-4 lettere maiuscole, es. FC)',
  ipaCode: 'Codice IPA (es. p_fc)',
  fiscalCode: "Codice fiscale dell'ente (11 cifre)",
  address: 'Indirizzo della sede',
  pec: 'PEC istituzionale',
  supportEmail: "E-mail per l'assistenza sul servizio",
  website: 'Sito istituzionale (https://...)',
  privacyNoticeUrl: "Indirizzo dell'informativa privacy",
  accessibilityStatementUrl: 'Indirizzo della dichiarazione di accessibilità',
  legalNotesUrl: 'Indirizzo delle note legali',
  startCommunicationBasis: "Norma locale per cui il messaggio di avvio vale come comunicazione di avvio",
  logoFile: 'File dello stemma (PNG o SVG)',
};

const SUBSTITUTE_QUESTIONS: Record<(typeof SUBSTITUTE_POWER_KEYS)[number], string> = {
  holder: 'Potere sostitutivo: titolare', office: 'Potere sostitutivo: ufficio', email: 'Potere sostitutivo: e-mail',
  pec: 'Potere sostitutivo: PEC', phone: 'Potere sostitutivo: telefono',
};

/**
 * The interactive set-up: the same keys as the file, asked one by one. An empty answer leaves the key out
 * (the stored value stays); `ask` is readline's question on a terminal, a list of answers in the tests.
 */
export async function askSetup(ask: (question: string) => Promise<string>, current: Record<string, string | null> | null): Promise<SetupFile> {
  const data: Record<string, unknown> = {};
  for (const key of [...ADMINISTRATION_TEXT_KEYS, 'logoFile'] as const) {
    const required = (REQUIRED_ADMINISTRATION_KEYS as readonly string[]).includes(key);
    const now = current?.[key];
    const answer = (await ask(`${QUESTIONS[key]}${required ? ' *' : ''}${now ? ` [${now}]` : ''}: `)).trim();
    if (answer) data[key] = answer;
  }
  const power: Record<string, string> = {};
  for (const key of SUBSTITUTE_POWER_KEYS) {
    const answer = (await ask(`${SUBSTITUTE_QUESTIONS[key]}: `)).trim();
    if (answer) power[key] = answer;
  }
  if (Object.keys(power).length) data.substitutePower = power;
  return { data, ...logoOf(data, process.cwd()) };
}

export function describeSetup(outcome: SetupOutcome, name: string): string {
  switch (outcome.action) {
    case 'created': return `Amministrazione "${name}" creata (${outcome.changed.join(', ')}).\n`;
    case 'updated': return `Amministrazione "${name}" aggiornata: ${outcome.changed.join(', ')}.\n`;
    case 'unchanged': return `Amministrazione "${name}": nessuna modifica.\n`;
  }
}
