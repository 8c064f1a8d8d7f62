/**
 * A small, strict CSV reader (RFC 4180): quoted fields with doubled quotes, line breaks inside quotes,
 * CRLF or LF, a UTF-8 byte order mark, and ';' or ',' as separator (Italian Excel writes ';').
 */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** The separator of the header line: the one of ';' ',' and tab that occurs most outside quotes. */
export function detectSeparator(text: string): string {
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ';';
  for (const [sep, n] of counts) if (n > counts.get(best)!) best = sep;
  return best;
}

/** Rows of fields; each row carries the line number where it starts, for error messages. */
export function parseCsv(input: string, separator?: string): { line: number; fields: string[] }[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const sep = separator ?? detectSeparator(text);
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    // blank lines are skipped, as spreadsheets often leave them at the end
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== sep && next !== '\n' && next !== '\r') {
          throw new CsvError(`riga ${line}: dopo le virgolette di chiusura è atteso il separatore`, line);
        }
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (field.trim() !== '') throw new CsvError(`riga ${line}: virgolette all'interno di un campo non racchiuso tra virgolette`, line);
      field = '';
      quoted = true;
      wasQuoted = true;
      i++;
    } else if (ch === sep) {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new CsvError(`riga ${rowLine}: virgolette non chiuse`, rowLine);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
