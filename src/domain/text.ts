/**
 * Which characters a person can type, so which ones the service stores. PostgreSQL cannot store NUL at all, and
 * no keyboard produces the other control characters: they only come from broken or hostile clients.
 */

/** `line`: a one-line field (names, codes, e-mail, search); `paragraph`: free text from a textarea. */
export type TextKind = 'line' | 'paragraph';

/** The free-text fields, by name in every form and API body: a line break or a tab is part of what was typed. */
export const PARAGRAPH_FIELDS: ReadonlySet<string> = new Set([
  'reason', 'notes', 'note', 'comment', 'subject', 'description', 'legalBasis', 'body', 'file',
]);

// C0 controls and DEL, the non-characters U+FFFE/U+FFFF, and UTF-16 halves without their other half
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const FORBIDDEN: Record<TextKind, RegExp> = {
  line: new RegExp(`[\\u0000-\\u001F\\u007F\\uFFFE\\uFFFF]|${LONE_SURROGATE}`),
  paragraph: new RegExp(`[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uFFFE\\uFFFF]|${LONE_SURROGATE}`),
};

export function textKindOf(field: string): TextKind {
  return PARAGRAPH_FIELDS.has(field) ? 'paragraph' : 'line';
}

/** The first character of `text` that `kind` does not allow, as U+XXXX, or undefined when all are allowed. */
export function forbiddenCharacter(text: string, kind: TextKind): string | undefined {
  const found = FORBIDDEN[kind].exec(text)?.[0];
  return found === undefined ? undefined : `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What is wrong with a field's text, in Italian after the field's name, or undefined when the text is acceptable. */
export function textProblem(field: string, text: string): string | undefined {
  const kind = textKindOf(field);
  const character = forbiddenCharacter(text, kind);
  if (!character) return undefined;
  return kind === 'line'
    ? `contiene un carattere non ammesso (${character}): scrivere il testo su una riga, senza caratteri di controllo`
    : `contiene un carattere non ammesso (${character}): sono ammessi testo, tabulazioni e a capo`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Record ids are UUIDs: anything else names no record, and must not reach the database as one. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant as the service writes them (toISOString), within the years PostgreSQL can hold. */
export function isIsoTimestamp(text: string): boolean {
  return TIMESTAMP.test(text) && !Number.isNaN(Date.parse(text));
}
