import { validateContacts } from '../../domain/case/contacts.ts';
import type { Channel } from '../../domain/case/contacts.ts';
import { caseDeadline } from '../../domain/case/decide.ts';
import { isIsoDate } from '../../domain/deadline/index.ts';
import type { IsoDate } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import { validateFiscalIdentifiers } from '../../domain/case/fiscal-code.ts';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import { loadCalendar } from '../calendar.ts';
import { termColumnsOf, termsOfCase } from '../case-terms.ts';
import { enrolCase, recordEvent } from '../cases.ts';
import type { EnrolmentDeps } from '../cases.ts';
import { inTransaction } from '../transaction.ts';
import { useFormToken } from '../form-tokens.ts';
import { CsvError, parseCsv } from './csv.ts';

export const IMPORT_COLUMNS = [
  'procedimento', 'oggetto', 'richiedente', 'data_ricevimento', 'protocollo', 'cellulare', 'email', 'canali', 'data_avvio',
  'codice_fiscale', 'partita_iva', 'codice_fiscale_legale_rappresentante',
] as const;
const REQUIRED = ['procedimento', 'oggetto', 'richiedente', 'data_ricevimento', 'canali'] as const;
export const MAX_IMPORT_ROWS = 2000;

export const IMPORT_TEMPLATE =
  `${IMPORT_COLUMNS.join(';')}\r\n` +
  'TE-01;Trasporto eccezionale di gru;Sollevamenti Rossi S.r.l.;24/11/2026;2026/1234;333 1234567;ufficio@rossi.example;sms email;25/11/2026;;12345678903;RSSMRA85T10A562S\r\n';

export interface ImportRow {
  line: number;
  values: Record<string, string>;
  errors: string[];
  deadline?: IsoDate | null;
  code?: string;
  password?: string;
}

export interface ImportResult {
  dryRun: boolean;
  /** true when the cases were written (never on a dry run, never when a row has an error) */
  imported: boolean;
  fileErrors: string[];
  rows: ImportRow[];
}

/** Italian spreadsheets write 24/11/2026; ISO is accepted too. */
function dateOf(text: string): IsoDate | undefined {
  const t = text.trim();
  const it = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const iso = it ? `${it[3]}-${it[2]!.padStart(2, '0')}-${it[1]!.padStart(2, '0')}` : t;
  return isIsoDate(iso) ? iso : undefined;
}

function channelsOf(text: string): Channel[] | undefined {
  const words = text.toLowerCase().split(/[\s,+|/]+/).filter(Boolean).map((w) => (w === 'e-mail' || w === 'mail' ? 'email' : w));
  if (words.length === 0 || words.some((w) => w !== 'sms' && w !== 'email')) return undefined;
  return [...new Set(words)] as Channel[];
}

function fiscalOf(values: Record<string, string>) {
  return {
    applicantFiscalCode: values.codice_fiscale || null,
    applicantVatNumber: values.partita_iva || null,
    legalRepresentativeFiscalCode: values.codice_fiscale_legale_rappresentante || null,
  };
}

/**
 * Imports existing cases from a CSV. Every row is checked first and every error reported; the cases are
 * written only when no row has an error and it is not a dry run, all in one transaction.
 */
export async function importCases(deps: EnrolmentDeps, actor: Actor, csv: string, options: { dryRun: boolean; formToken?: string | undefined }): Promise<ImportResult> {
  const result: ImportResult = { dryRun: options.dryRun, imported: false, fileErrors: [], rows: [] };
  let table: { line: number; fields: string[] }[];
  try {
    table = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvError) return { ...result, fileErrors: [`File non leggibile: ${error.message}.`] };
    throw error;
  }
  const [header, ...body] = table;
  if (!header) return { ...result, fileErrors: ['Il file è vuoto.'] };
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  // both faults of the header told at once, so that one correction of the file fixes them
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !(IMPORT_COLUMNS as readonly string[]).includes(c));
  const headerErrors = [
    ...(missing.length ? [`Mancano le colonne: ${missing.join(', ')}. Colonne attese: ${IMPORT_COLUMNS.join(', ')}.`] : []),
    ...(unknown.length ? [`Colonne sconosciute: ${unknown.join(', ')}.`] : []),
  ];
  if (headerErrors.length) return { ...result, fileErrors: headerErrors };
  if (body.length === 0) return { ...result, fileErrors: ['Il file non contiene pratiche.'] };
  if (body.length > MAX_IMPORT_ROWS) return { ...result, fileErrors: [`Troppe righe (${body.length}): al massimo ${MAX_IMPORT_ROWS} per file.`] };

  const today = deps.clock.today();
  const calendar = await loadCalendar(deps.db);
  let procedures = deps.db.selectFrom('procedures').selectAll();
  if (actor.officeId) procedures = procedures.where('office_id', '=', actor.officeId);
  const byCode = new Map((await procedures.execute()).map((p) => [p.code, p]));

  for (const { line, fields } of body) {
    const values = Object.fromEntries(columns.map((c, i) => [c, (fields[i] ?? '').trim()]));
    const row: ImportRow = { line, values, errors: [] };
    result.rows.push(row);
    if (fields.length !== columns.length) row.errors.push(`${fields.length} campi invece di ${columns.length}.`);
    for (const c of REQUIRED) if (!values[c]) row.errors.push(`Manca "${c}".`);
    const procedure = values.procedimento ? byCode.get(values.procedimento) : undefined;
    if (values.procedimento && !procedure) row.errors.push(`Procedimento "${values.procedimento}" non trovato.`);
    const received = values.data_ricevimento ? dateOf(values.data_ricevimento) : undefined;
    if (values.data_ricevimento && !received) row.errors.push(`Data di ricevimento "${values.data_ricevimento}" non valida (GG/MM/AAAA).`);
    if (received && received > today) row.errors.push('La data di ricevimento è futura.');
    const started = values.data_avvio ? dateOf(values.data_avvio) : undefined;
    if (values.data_avvio && !started) row.errors.push(`Data di avvio "${values.data_avvio}" non valida (GG/MM/AAAA).`);
    if (started && received && (started < received || started > today)) row.errors.push('La data di avvio deve essere tra il ricevimento e oggi.');
    if ((values.oggetto ?? '').length > 500) row.errors.push('L\'oggetto supera i 500 caratteri.');
    if ((values.richiedente ?? '').length > 200) row.errors.push('Il richiedente supera i 200 caratteri.');
    const channels = values.canali ? channelsOf(values.canali) : undefined;
    if (values.canali && !channels) row.errors.push(`Canali "${values.canali}" non validi: sms, email o entrambi.`);
    try {
      if (channels) validateContacts({ mobile: values.cellulare, email: values.email, channels });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      row.errors.push(error.message);
    }
    try {
      validateFiscalIdentifiers(fiscalOf(values));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      row.errors.push(error.message);
    }
    if (procedure && received) {
      try {
        row.deadline = caseDeadline(received, [], termsOfCase(termColumnsOf(procedure)), calendar, today).deadline;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        row.errors.push(error.message);
      }
    }
  }
  if (options.dryRun || result.rows.some((r) => r.errors.length)) return result;

  await inTransaction(deps.db, async (trx) => {
    const inner = { ...deps, db: trx };
    for (const row of result.rows) {
      const v = row.values;
      const enrolled = await enrolCase(inner, actor, {
        procedureCode: v.procedimento!, subject: v.oggetto!, applicantName: v.richiedente!, receivedOn: dateOf(v.data_ricevimento!)!,
        protocolNumber: v.protocollo, mobile: v.cellulare || null, email: v.email || null, channels: channelsOf(v.canali!)!,
        ...fiscalOf(v),
      });
      row.code = enrolled.code;
      row.password = enrolled.password;
      if (v.data_avvio) await recordEvent(inner, actor, enrolled.code, { type: 'start', effectiveOn: dateOf(v.data_avvio)!, reason: 'Pratica importata' });
    }
    // the same upload sent twice (a reload of the report) imports once: FormAlreadySent rolls this one back
    if (options.formToken) await useFormToken(trx, options.formToken, result.rows.map((r) => r.code).join(', '));
    await audit(trx, actor, { action: 'case.import', entity: 'import', entityId: `${result.rows.length} pratiche`, officeId: actor.officeId, after: { codes: result.rows.map((r) => r.code) } });
  });
  result.imported = true;
  return result;
}
