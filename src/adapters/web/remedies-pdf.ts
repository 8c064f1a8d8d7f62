/**
 * The two documents of a late office, as PDF: the citizen's request to the holder of the substitute power
 * (L. 241/1990 art. 2 c.9-bis), pre-filled from the case, and the attestation of silenzio-assenso (art. 20 c.2-bis).
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PDFFont } from 'pdf-lib';
import type { CaseView } from '../../application/cases.ts';
import { formatItalianDate as date, formatTerm } from '../../domain/deadline/index.ts';
import { INDEMNITY_EURO_PER_DAY, INDEMNITY_MAX_EURO } from '../../domain/deadline/index.ts';

const MARGIN = 56;
const PAGE: [number, number] = [595.28, 841.89];
const WIDTH = PAGE[0] - 2 * MARGIN;

/** Helvetica's encoding (WinAnsi) has no character outside Latin-1 and a few others: those become '?'. */
const printable = (text: string): string => text.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac]/g, '?');

function wrap(text: string, font: PDFFont, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > WIDTH && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

async function document(title: string, author: string, body: (write: (text: string, options?: { bold?: boolean; size?: number; gap?: number }) => void) => void): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setAuthor(author);
  pdf.setLanguage('it-IT');
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page = pdf.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  body((text, options = {}) => {
    const size = options.size ?? 10.5;
    const font = options.bold ? bold : regular;
    for (const line of wrap(text, font, size)) {
      if (y - size < MARGIN) {
        page = pdf.addPage(PAGE);
        y = PAGE[1] - MARGIN;
      }
      page.drawText(line, { x: MARGIN, y: y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.35;
    }
    y -= options.gap ?? 6;
  });
  return pdf.save();
}

const caseLine = (view: CaseView): string =>
  `Pratica ${view.case.code}${view.case.protocol_number ? `, protocollo ${view.case.protocol_number}` : ''}: ${view.case.subject}`;

/** The request to the substitute, ready to sign and send by PEC: the facts of the case and the articles. */
export async function substituteRequestPdf(view: CaseView): Promise<Uint8Array> {
  const d = view.deadline.deadline;
  const r = view.remedies;
  const c = view.case;
  return document(`Richiesta di intervento del titolare del potere sostitutivo — ${c.code}`, view.administration.name, (write) => {
    write(`Al titolare del potere sostitutivo: ${view.procedure.substitute_name || '—'}`, { bold: true, gap: 2 });
    if (view.procedure.substitute_contact) write(view.procedure.substitute_contact, { gap: 2 });
    write(view.administration.name, { gap: 18 });
    write('Oggetto: richiesta di conclusione del procedimento ai sensi dell\'art. 2 c.9-bis L. 241/1990', { bold: true, size: 12, gap: 12 });
    write(`Il/La sottoscritto/a ${c.applicant_name}, richiedente nel procedimento "${view.procedure.name}" (${view.procedure.code}),`);
    write(caseLine(view));
    write(`domanda ricevuta il ${date(c.received_on)}; ufficio competente: ${view.office.name}; responsabile del procedimento: ${view.responsible.name};`);
    write(
      `premesso che il termine per concludere il procedimento (${formatTerm({ amount: c.term_amount, unit: c.term_unit })}) è scaduto il ${d ? date(d) : '—'} ` +
        'senza che sia stato adottato il provvedimento,',
      { gap: 10 },
    );
    write('CHIEDE', { bold: true, gap: 10 });
    write(
      'che il titolare del potere sostitutivo concluda il procedimento, attraverso le strutture competenti o con la nomina di un commissario, ' +
        'entro un termine pari alla metà di quello originariamente previsto (art. 2 c.9-ter L. 241/1990).',
    );
    if (r.indemnityApplies) {
      write(
        `Chiede inoltre la corresponsione dell'indennizzo da ritardo di ${INDEMNITY_EURO_PER_DAY} euro per ogni giorno di ritardo, fino a ${INDEMNITY_MAX_EURO} euro ` +
          '(art. 2-bis c.1-bis L. 241/1990; art. 28 D.L. 69/2013, conv. L. 98/2013): il procedimento riguarda l\'avvio o l\'esercizio di un\'attività d\'impresa ' +
          `e la presente richiesta è presentata entro venti giorni dalla scadenza${r.substituteRequestBy ? ` (entro il ${date(r.substituteRequestBy)})` : ''}.`,
      );
    }
    write('Luogo e data ______________________', { gap: 24 });
    write('Firma ______________________', { gap: 24 });
    write('Documento predisposto dal servizio "La tua pratica on line" con i dati della pratica; va firmato e inviato dal richiedente.', { size: 8.5 });
  });
}

export interface SilenceAttestationData {
  id: string;
  issuedAt: Date;
  acceptedFrom: string;
  deadline: string;
}

/** Art. 20 c.2-bis L. 241/1990: the attestation that the term has passed and the application is accepted. */
export async function silenceAttestationPdf(view: CaseView, attestation: SilenceAttestationData): Promise<Uint8Array> {
  const c = view.case;
  const issued = attestation.issuedAt.toISOString().slice(0, 10);
  return document(`Attestazione di silenzio-assenso — ${c.code}`, view.administration.name, (write) => {
    write(view.administration.name, { bold: true, gap: 2 });
    write(`${view.office.name}${view.office.pec ? ` — PEC ${view.office.pec}` : ''}`, { gap: 18 });
    write('Attestazione di accoglimento della domanda per silenzio-assenso', { bold: true, size: 13, gap: 4 });
    write('(art. 20 c.2-bis L. 241/1990)', { gap: 14 });
    write(`Procedimento: ${view.procedure.name} (${view.procedure.code})`);
    write(`Richiedente: ${c.applicant_name}`);
    write(caseLine(view));
    write(`Domanda ricevuta il: ${date(c.received_on)}`);
    write(`Termine per provvedere: ${formatTerm({ amount: c.term_amount, unit: c.term_unit })}, scaduto il ${date(attestation.deadline)}`, { gap: 12 });
    write(
      `Si attesta che il termine per provvedere è decorso senza che l'amministrazione abbia comunicato un provvedimento di diniego ` +
        `e che pertanto la domanda si intende accolta dal ${date(attestation.acceptedFrom)}, ai sensi dell'art. 20 c.1 L. 241/1990.`,
      { gap: 12 },
    );
    write(
      'Base giuridica: L. 7 agosto 1990 n. 241, art. 20 (silenzio-assenso), comma 1 e comma 2-bis, introdotto dal D.L. 16 luglio 2020 n. 76, ' +
        'conv. L. 11 settembre 2020 n. 120. Restano salvi i poteri di autotutela dell\'amministrazione (art. 20 c.3).',
      { size: 9.5, gap: 12 },
    );
    write(`Attestazione n. ${attestation.id}, rilasciata in via telematica il ${date(issued)} su richiesta dell'interessato.`, { size: 9.5 });
  });
}
