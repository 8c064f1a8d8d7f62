/**
 * The adhesion form as a fillable PDF (AcroForm): the procedure's data printed, the applicant's data, contacts,
 * channels and consent as fields, so it can be filled on screen or printed and filled by hand.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PDFFont, PDFPage } from 'pdf-lib';
import type { AdhesionProcedure } from '../../application/adhesion.ts';
import type { PageAdministration } from '../../application/administration.ts';
import type { BackofficeText } from './backoffice/text.ts';
import { fill } from './backoffice/text.ts';

/** The form's fields, by name: what the office reads back from a filled-in form. */
export const ADHESION_FIELDS = {
  applicantName: 'richiedente',
  subject: 'oggetto_domanda',
  mobile: 'cellulare',
  email: 'email',
  channelSms: 'canale_sms',
  channelEmail: 'canale_email',
  /** only where the office has App IO, with the fiscal code it reaches the citizen by */
  channelIo: 'canale_app_io',
  fiscalCode: 'codice_fiscale',
  consent: 'consenso_informativa',
  date: 'data',
  receivedOn: 'ufficio_data_ricevimento',
  protocolNumber: 'ufficio_numero_protocollo',
  caseCode: 'ufficio_codice_pratica',
} as const;

const MARGIN = 50;
const WIDTH = 595.28 - 2 * MARGIN;

/** Helvetica's own encoding (WinAnsi) has no character outside Latin-1 and a few others: those become '?'. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac]/g, '?');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function adhesionPdf(data: AdhesionProcedure, administration: PageAdministration, t: BackofficeText): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${t.adhesionTitle} — ${data.procedure.code}`);
  pdf.setAuthor(administration.name);
  pdf.setLanguage('it-IT');
  const page: PDFPage = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const form = pdf.getForm();
  let y = 841.89 - MARGIN;

  const write = (text: string, options: { size?: number; font?: PDFFont; gap?: number } = {}) => {
    const size = options.size ?? 10;
    for (const line of wrap(text, options.font ?? regular, size, WIDTH)) {
      page.drawText(line, { x: MARGIN, y: y - size, size, font: options.font ?? regular, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.3;
    }
    y -= options.gap ?? 4;
  };
  const textField = (name: string, label: string, width = WIDTH, x = MARGIN) => {
    page.drawText(printable(label), { x, y: y - 9, size: 9, font: bold });
    const field = form.createTextField(name);
    field.addToPage(page, { x, y: y - 32, width, height: 18, font: regular, borderWidth: 0.5, borderColor: rgb(0.36, 0.44, 0.51) });
    return field;
  };
  const checkBox = (name: string, label: string) => {
    const box = form.createCheckBox(name);
    box.addToPage(page, { x: MARGIN, y: y - 12, width: 12, height: 12, borderWidth: 0.5, borderColor: rgb(0.36, 0.44, 0.51) });
    const lines = wrap(label, regular, 10, WIDTH - 20);
    lines.forEach((line, i) => page.drawText(line, { x: MARGIN + 20, y: y - 10 - i * 13, size: 10, font: regular }));
    y -= Math.max(18, lines.length * 13 + 6);
  };

  const { procedure, office } = data;
  write(administration.name, { size: 10, font: bold });
  write(t.adhesionTitle, { size: 15, font: bold, gap: 10 });
  write(`${t.procedure}: ${procedure.code} — ${procedure.name}`);
  write(`${t.completionTime}: ${data.term}`);
  write(`${t.competentOffice}: ${office.name}, ${office.address}${office.pec ? ` — PEC ${office.pec}` : ''}`);
  write(`${t.responsible}: ${procedure.responsible_name} — ${procedure.responsible_email}${procedure.responsible_phone ? `, ${t.phoneShort} ${procedure.responsible_phone}` : ''}`, { gap: 12 });

  textField(ADHESION_FIELDS.applicantName, t.applicantFullName);
  y -= 42;
  textField(ADHESION_FIELDS.subject, t.applicationSubject).enableMultiline();
  y -= 42;
  write(t.adhesionRequest);
  checkBox(ADHESION_FIELDS.channelSms, t.adhesionSms);
  checkBox(ADHESION_FIELDS.channelEmail, t.adhesionEmail);
  if (data.ioOffered) checkBox(ADHESION_FIELDS.channelIo, t.adhesionIo);
  y -= 4;
  const half = (WIDTH - 20) / 2;
  textField(ADHESION_FIELDS.mobile, t.mobileNumber, half);
  textField(ADHESION_FIELDS.email, t.emailAddress, half, MARGIN + half + 20);
  y -= 46;
  if (data.ioOffered) {
    textField(ADHESION_FIELDS.fiscalCode, t.adhesionFiscalCode, half).setMaxLength(16);
    y -= 46;
  }
  write(fill(t.privacy, { admin: administration.name }), { size: 8.5 });
  if (administration.privacyNoticeUrl) write(`${t.privacyNoticeAt} ${administration.privacyNoticeUrl}`, { size: 8.5 });
  checkBox(ADHESION_FIELDS.consent, t.adhesionConsent);
  write(t.adhesionCredentials, { size: 8.5, gap: 10 });
  textField(ADHESION_FIELDS.date, t.date, half);
  page.drawText(printable(t.signature), { x: MARGIN + half + 20, y: y - 9, size: 9, font: bold });
  page.drawLine({ start: { x: MARGIN + half + 20, y: y - 32 }, end: { x: MARGIN + WIDTH, y: y - 32 }, thickness: 0.5 });
  y -= 56;

  write(t.officeUse, { size: 10, font: bold });
  const third = (WIDTH - 40) / 3;
  textField(ADHESION_FIELDS.receivedOn, t.receivedOn, third);
  textField(ADHESION_FIELDS.protocolNumber, t.protocolNumber, third, MARGIN + third + 20);
  textField(ADHESION_FIELDS.caseCode, t.assignedCaseCode, third, MARGIN + 2 * (third + 20));
  return pdf.save();
}
