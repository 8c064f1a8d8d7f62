/**
 * The legal term of a procedure (L. 241/1990 art. 2): parsed from the procedure card's text
 * ("20 gg. da ricevimento domanda", "10 giorni lavorativi", "3 mesi") or from a short form ("30d", "10wd", "3m").
 */
import { counted } from '../plural.ts';
import { DomainError } from '../errors.ts';

export type TermUnit = 'calendar-days' | 'working-days' | 'months';

export interface Term {
  amount: number;
  unit: TermUnit;
}

/** Upper bounds that catch typing errors; art. 2 c.4 allows at most 180 days, special laws may go further. */
export const MAX_TERM_DAYS = 3650;
export const MAX_TERM_MONTHS = 120;

const SHORT_FORM = /^(-?\d+)\s*(d|wd|m)$/;

// Number words found on cards ("un mese", "trenta giorni"); digits are the norm.
const NUMBER_WORDS: Record<string, number> = {
  un: 1, uno: 1, una: 1, due: 2, tre: 3, quattro: 4, cinque: 5, sei: 6, sette: 7, otto: 8, nove: 9,
  dieci: 10, quindici: 15, venti: 20, trenta: 30, quaranta: 40, quarantacinque: 45, cinquanta: 50,
  sessanta: 60, novanta: 90, centoventi: 120, centocinquanta: 150, centottanta: 180,
};

// "<number> <unit>": the unit must end the word ("gg." and "gg" both match, "giornata" does not).
const NUMBER_AND_UNIT =
  /(-?\d+(?:[.,]\d+)?)\s*(giorni|giorno|gg|g|settimane|settimana|mesi|mese|anni|anno)(?![a-zàèéìòù])/;
// Working days: "giorni lavorativi", "gg. lav.", "giorni feriali" right after the unit.
const WORKING_QUALIFIER = /^[\s.()]*(lavorativ[io]|lav(?![a-z])|feriali)/;
const RANGE = /(?<![\d/])(\d+)\s*(?:-|–|a|o)\s*(\d+)\s*(giorni|gg|mesi|settimane)(?![a-z])/;
const HOURS = /\d+\s*ore(?![a-z])/;

const notNumeric = (text: string): DomainError =>
  new DomainError(
    'term-not-numeric',
    `Il termine "${text}" non indica un tempo numerico (es. "30 giorni", "10 giorni lavorativi", "3 mesi"): ` +
      'il procedimento non può essere gestito dal servizio',
    { value: text },
  );

function normalize(text: string): string {
  const lower = text.normalize('NFC').toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
  return lower.replace(/\b([a-z]+)\b/g, (word) => {
    const n = NUMBER_WORDS[word];
    return n === undefined ? word : String(n);
  });
}

/** Checks amount and bounds; throws DomainError('invalid-term'). */
export function validateTerm(term: Term, original: string = formatTermSafe(term)): Term {
  const { amount, unit } = term;
  if (unit !== 'calendar-days' && unit !== 'working-days' && unit !== 'months') {
    throw new DomainError('invalid-term', `Unità del termine non valida: "${String(unit)}"`, { value: original });
  }
  if (!Number.isInteger(amount)) {
    throw new DomainError('invalid-term', `Il termine "${original}" deve essere un numero intero`, { value: original });
  }
  if (amount <= 0) {
    throw new DomainError('invalid-term', `Il termine "${original}" deve essere di almeno 1 ${unit === 'months' ? 'mese' : 'giorno'}`, {
      value: original,
    });
  }
  const max = unit === 'months' ? MAX_TERM_MONTHS : MAX_TERM_DAYS;
  if (amount > max) {
    throw new DomainError(
      'invalid-term',
      `Il termine "${original}" è fuori misura (massimo ${unit === 'months' ? `${MAX_TERM_MONTHS} mesi` : `${MAX_TERM_DAYS} giorni`})`,
      { value: original },
    );
  }
  return { amount, unit };
}

function formatTermSafe(term: Term): string {
  const known = term.unit === 'calendar-days' || term.unit === 'working-days' || term.unit === 'months';
  return known ? formatTerm(term) : `${String(term.amount)} ${String(term.unit)}`;
}

/**
 * Parses "30d" | "10wd" | "3m" or the card's Italian phrase. The first "<number> <unit>" in the text is the
 * term; a bare number means calendar days (L. 241/1990 art. 2: the default unit). Weeks become days (×7),
 * years become months (×12). Throws DomainError 'term-not-numeric' when the text has no numeric time
 * ("immediato", "a vista", ""), 'invalid-term' for zero, negative, fractional, ranges or absurd amounts.
 */
export function parseTerm(text: string): Term {
  const original = typeof text === 'string' ? text.trim() : '';
  const t = normalize(original);
  if (t === '') throw notNumeric(original);

  const short = SHORT_FORM.exec(t);
  if (short) {
    const unit: TermUnit = short[2] === 'wd' ? 'working-days' : short[2] === 'm' ? 'months' : 'calendar-days';
    return validateTerm({ amount: Number(short[1]), unit }, original);
  }
  if (/^-?\d+$/.test(t)) return validateTerm({ amount: Number(t), unit: 'calendar-days' }, original);

  const range = RANGE.exec(t);
  // "da 30 a 60 giorni": a range, not a term (a rising pair only, so "241/1990 - 30 giorni" is no range)
  if (range && Number(range[1]) < Number(range[2])) {
    throw new DomainError(
      'invalid-term',
      `Il termine "${original}" indica un intervallo (${range[1]}–${range[2]}): serve un termine unico`,
      { value: original },
    );
  }

  const match = NUMBER_AND_UNIT.exec(t);
  if (!match) {
    if (HOURS.test(t)) {
      throw new DomainError('invalid-term', `Il termine "${original}" è in ore: sono gestiti solo giorni e mesi`, { value: original });
    }
    throw notNumeric(original);
  }
  const numberText = match[1] ?? '';
  const unitWord = match[2] ?? '';
  if (!/^-?\d+$/.test(numberText)) {
    throw new DomainError('invalid-term', `Il termine "${original}" deve essere un numero intero`, { value: original });
  }
  const n = Number(numberText);
  const rest = t.slice((match.index ?? 0) + match[0].length);

  switch (unitWord) {
    case 'mesi':
    case 'mese':
      return validateTerm({ amount: n, unit: 'months' }, original);
    case 'anni':
    case 'anno':
      return validateTerm({ amount: n * 12, unit: 'months' }, original);
    case 'settimane':
    case 'settimana':
      return validateTerm({ amount: n * 7, unit: 'calendar-days' }, original);
    default:
      // "naturali e consecutivi" and no qualifier are calendar days, the default unit
      return validateTerm({ amount: n, unit: WORKING_QUALIFIER.test(rest) ? 'working-days' : 'calendar-days' }, original);
  }
}

/** Italian: "30 giorni", "1 giorno", "10 giorni lavorativi", "3 mesi", "1 mese". */
export function formatTerm(term: Term): string {
  const n = term.amount;
  switch (term.unit) {
    case 'calendar-days':
      return counted(n, 'day');
    case 'working-days':
      return counted(n, 'working-day');
    case 'months':
      return counted(n, 'month');
  }
}

/** Short form used by the CLI and exports: "30d", "10wd", "3m". */
export function termCode(term: Term): string {
  return `${term.amount}${term.unit === 'working-days' ? 'wd' : term.unit === 'months' ? 'm' : 'd'}`;
}
