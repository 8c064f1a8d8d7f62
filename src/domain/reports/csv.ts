/**
 * CSV as spreadsheets open it. UTF-8 with a byte-order mark, so Excel does not read the accents as Latin-1;
 * CRLF line ends and quoting per RFC 4180. Two dialects: the office export uses ';' and a decimal comma (what
 * Excel and LibreOffice expect in an Italian locale), open data uses ',' and a decimal point (machine-readable).
 */
export const BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

export interface CsvDialect {
  separator: ',' | ';';
  decimalComma: boolean;
}

export const OFFICE_CSV: CsvDialect = { separator: ';', decimalComma: true };
export const OPEN_DATA_CSV: CsvDialect = { separator: ',', decimalComma: false };

function cellText(cell: Cell, dialect: CsvDialect): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') {
    const text = String(cell);
    return dialect.decimalComma ? text.replace('.', ',') : text;
  }
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  // OWASP "CSV injection": a text cell starting with = + - @ (or a tab/CR) would run as a formula
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function quoted(text: string, dialect: CsvDialect): string {
  return text.includes(dialect.separator) || /["\r\n]/.test(text)
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

export function formatCsv(header: readonly string[], rows: readonly (readonly Cell[])[], dialect: CsvDialect): string {
  const line = (cells: readonly Cell[]) => cells.map((c) => quoted(cellText(c, dialect), dialect)).join(dialect.separator);
  return BOM + [line(header), ...rows.map(line)].join('\r\n') + '\r\n';
}
