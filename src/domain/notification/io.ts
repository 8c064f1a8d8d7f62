import type { CaseState } from '../case/states.ts';
import type { IsoDate } from '../deadline/index.ts';
import type { MessageKind } from './messages.ts';

/**
 * App IO's published contract for a message (the io-functions-services OpenAPI document): a subject of
 * 10 to 120 characters and a Markdown body of 80 to 10,000, addressed by the citizen's fiscal code.
 */
export const IO_SUBJECT_MIN = 10;
export const IO_SUBJECT_MAX = 120;
export const IO_MARKDOWN_MIN = 80;
export const IO_MARKDOWN_MAX = 10_000;

/** IO's FiscalCode pattern: a natural person's 16 characters, omocodia letters allowed in the digits. */
export const IO_FISCAL_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

export interface IoContent {
  subject: string;
  markdown: string;
}

export class IoContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IoContentError';
  }
}

/** The limits of IO's content, as Italian problems (empty when it fits). */
export function ioContentProblems(content: IoContent): string[] {
  const problems: string[] = [];
  const subject = [...content.subject].length;
  const markdown = [...content.markdown].length;
  if (subject < IO_SUBJECT_MIN || subject > IO_SUBJECT_MAX) {
    problems.push(`L'oggetto del messaggio App IO deve avere da ${IO_SUBJECT_MIN} a ${IO_SUBJECT_MAX} caratteri (ne ha ${subject}).`);
  }
  if (markdown < IO_MARKDOWN_MIN || markdown > IO_MARKDOWN_MAX) {
    problems.push(`Il testo del messaggio App IO deve avere da ${IO_MARKDOWN_MIN} a ${IO_MARKDOWN_MAX} caratteri (ne ha ${markdown}).`);
  }
  return problems;
}

/** A value put in the Markdown as text: the office's reason or notes cannot turn into links or headings. */
export function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*_[\]<>#|~])/g, '\\$1');
}

/**
 * The template's light markup as IO renders it: headings and list items are Markdown already; a line
 * break inside a paragraph becomes a hard break, or IO would join the lines.
 */
export function toIoMarkdown(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const next = lines[i + 1];
      const breaks = line !== '' && next !== undefined && next !== '' && !next.startsWith('- ') && !line.startsWith('## ');
      return breaks ? `${line}  ` : line;
    })
    .join('\n');
}

/**
 * IO's due_date: the legal deadline while the term runs (L. 241/1990 art. 2), so that the app reminds
 * the citizen: on the messages of a running term (start, resume, credentials) sent while it still runs;
 * none on a suspension's or a closure's message, nor once the date has passed.
 */
export function ioDueDate(kind: MessageKind, state: CaseState, deadline: IsoDate | null, today: IsoDate): string | undefined {
  if (kind !== 'start' && kind !== 'resume' && kind !== 'credentials') return undefined;
  if (!deadline || (state !== 'in-progress' && state !== 'resumed') || deadline < today) return undefined;
  // within the Italian day of the deadline whether Rome is at UTC+1 or UTC+2
  return `${deadline}T21:59:59.000Z`;
}

/** What IO says of a message it took (GET /messages/{fiscal_code}/{id}). */
export type IoMessageStatus = 'ACCEPTED' | 'THROTTLED' | 'FAILED' | 'PROCESSED' | 'REJECTED';

export type IoStatusOutcome = { delivered: boolean; read: boolean; failed?: string };

export function ioStatusOutcome(status: string | undefined, readStatus: string | undefined): IoStatusOutcome {
  if (status === 'REJECTED' || status === 'FAILED') return { delivered: false, read: false, failed: `App IO: messaggio ${status === 'REJECTED' ? 'rifiutato' : 'non elaborato'}` };
  return { delivered: status === 'PROCESSED', read: readStatus === 'READ' };
}
