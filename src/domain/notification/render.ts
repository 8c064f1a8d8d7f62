import type { Channel } from '../case/contacts.ts';
import type { TemplateText } from './defaults.ts';
import { ART8_VARIABLES, VARIABLES, requiredVariables, sampleContext, sparseSampleContext } from './messages.ts';
import type { MessageContext, MessageKind, VariableName } from './messages.ts';
import { MAX_SMS_SEGMENTS, analyseSms, normalizeSmsText } from './sms.ts';
import { IoContentError, escapeMarkdown, ioContentProblems, toIoMarkdown } from './io.ts';
import type { IoContent } from './io.ts';
import type { SmsAnalysis } from './sms.ts';
import { TemplateError, parseTemplate, position, renderTemplate, templateVariables, tidyText } from './template.ts';
import type { ParsedTemplate } from './template.ts';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderedSms {
  text: string;
  analysis: SmsAnalysis;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// applied to escaped text: an address cannot contain a quote or angle bracket any more
const URL = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/g;

function inline(line: string): string {
  return escapeHtml(line).replace(URL, (url) => `<a href="${url}">${url}</a>`);
}

/** The HTML part, derived from the plain text: the template author never writes markup. */
export function textToHtml(text: string, title: string): string {
  const blocks = text.split(/\n{2,}/);
  const html: string[] = [];
  for (const block of blocks) {
    const lines = block.split('\n');
    let rest = lines;
    if (lines[0]!.startsWith('## ')) {
      html.push(`<h2 style="font-size:1.15em;margin:1.4em 0 .4em">${inline(lines[0]!.slice(3))}</h2>`);
      rest = lines.slice(1);
    }
    if (rest.length === 0) continue;
    if (rest.every((l) => l.startsWith('- '))) {
      html.push(`<ul>${rest.map((l) => `<li>${inline(l.slice(2))}</li>`).join('')}</ul>`);
    } else {
      html.push(`<p>${rest.map(inline).join('<br>\n')}</p>`);
    }
  }
  return (
    '<!doctype html>\n<html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title></head>\n<body style="font-family:Titillium Web,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;max-width:640px;margin:0 auto;padding:16px">\n` +
    `${html.join('\n')}\n</body></html>\n`
  );
}

/** In the text part a heading is just its line. */
function plainText(text: string): string {
  return text.replace(/^## /gm, '');
}

// the same few templates render thousands of times: parse each source once
const parsed = new Map<string, ParsedTemplate>();
function parsedTemplate(source: string): ParsedTemplate {
  let template = parsed.get(source);
  if (!template) {
    template = parseTemplate(source);
    if (parsed.size > 200) parsed.clear();
    parsed.set(source, template);
  }
  return template;
}

export function renderEmail(template: TemplateText, withoutShortReason: MessageContext): RenderedEmail {
  // an e-mail has room for the whole reason
  const context = { ...withoutShortReason, shortReason: withoutShortReason.reason };
  const subject = renderTemplate(parsedTemplate(template.subject), context).replace(/\s+/g, ' ').trim();
  const body = tidyText(renderTemplate(parsedTemplate(template.body), context));
  return { subject, text: `${plainText(body)}\n`, html: textToHtml(body, subject) };
}

/**
 * An App IO message: the e-mail's facts in IO's Markdown, the values escaped as text (the link to the
 * case page excepted, which the template may put in a Markdown link). Outside IO's limits it is refused.
 */
export function renderIo(template: TemplateText, withoutShortReason: MessageContext): IoContent {
  const escaped = Object.fromEntries(
    Object.entries({ ...withoutShortReason, shortReason: withoutShortReason.reason }).map(([name, value]) => [
      name, typeof value === 'string' && name !== 'caseLink' ? escapeMarkdown(value) : value,
    ]),
  );
  const subject = renderTemplate(parsedTemplate(template.subject), { ...withoutShortReason, shortReason: withoutShortReason.reason }).replace(/\s+/g, ' ').trim();
  const markdown = toIoMarkdown(tidyText(renderTemplate(parsedTemplate(template.body), escaped)));
  const content = { subject, markdown };
  const problems = ioContentProblems(content);
  if (problems.length) throw new IoContentError(problems.join(' '));
  return content;
}

export class SmsTooLongError extends Error {
  constructor(readonly analysis: SmsAnalysis) {
    super(`SMS di ${analysis.segments} parti (${analysis.units} caratteri ${analysis.encoding}): il massimo è ${MAX_SMS_SEGMENTS}.`);
    this.name = 'SmsTooLongError';
  }
}

function smsText(template: ParsedTemplate, context: MessageContext): string {
  return normalizeSmsText(renderTemplate(template, context).replace(/\s+/g, ' ').trim());
}

/**
 * The reason as the SMS carries it: whole when it costs at most one part more than the SMS without it,
 * else cut at a word with "..." (the link that follows leads to the whole text).
 */
function fitReason(template: ParsedTemplate, context: MessageContext): string {
  const reason = normalizeSmsText(typeof context.reason === 'string' ? context.reason : '').replace(/\s+/g, ' ').trim();
  const segmentsWith = (shortReason: string) => analyseSms(smsText(template, { ...context, shortReason })).segments;
  const limit = Math.min(MAX_SMS_SEGMENTS, segmentsWith('') + 1);
  if (segmentsWith(reason) <= limit) return reason;
  const cut = (length: number) => {
    const prefix = reason.slice(0, length);
    const space = prefix.lastIndexOf(' ');
    return `${(space > 0 ? prefix.slice(0, space) : prefix).replace(/[\s,;:.]+$/, '')}...`;
  };
  // more characters never take fewer parts: the longest prefix that fits, by bisection
  let low = 0;
  let high = reason.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (segmentsWith(cut(middle)) <= limit) low = middle;
    else high = middle - 1;
  }
  return low > 0 ? cut(low) : '';
}

export function renderSms(template: TemplateText, context: MessageContext): RenderedSms {
  const parsedBody = parsedTemplate(template.body);
  const full = templateVariables(parsedBody).has('shortReason') ? { ...context, shortReason: fitReason(parsedBody, context) } : context;
  const text = smsText(parsedBody, full);
  const analysis = analyseSms(text);
  if (analysis.segments > MAX_SMS_SEGMENTS) throw new SmsTooLongError(analysis);
  return { text, analysis };
}

/** What is wrong with a template, and in which of its two parts, so that a form tells it on that field. */
export interface TemplateProblem {
  field: 'subject' | 'body';
  text: string;
}

export interface TemplateCheck {
  problems: TemplateProblem[];
  /** not blocking: e.g. an SMS that takes two parts */
  warnings: string[];
}

const SUBJECT_MAX = 200;
const BODY_MAX = 20_000;

/**
 * Checks a template before it is saved, so that it can never fail at sending time: syntax, known
 * variables, no sensitive variable in an SMS, the required elements (login, how to stop, and for the
 * start e-mail every element of L. 241/1990 art. 8 c.2), and the SMS length with sample values.
 */
export function checkTemplate(kind: MessageKind, channel: Channel, template: TemplateText, sample: Partial<MessageContext> = {}): TemplateCheck {
  const problems: TemplateProblem[] = [];
  const subject = (text: string) => problems.push({ field: 'subject', text });
  const body = (text: string) => problems.push({ field: 'body', text });
  const warnings: string[] = [];
  const used = new Map<string, number>();
  const parts: [string, string, TemplateProblem['field']][] = channel === 'sms' ? [['testo', template.body, 'body']] : [['oggetto', template.subject, 'subject'], ['testo', template.body, 'body']];
  if (channel !== 'sms') {
    const what = channel === 'email' ? 'dell\'e-mail' : 'del messaggio App IO';
    if (template.subject.trim() === '') subject(`L'oggetto ${what} è obbligatorio.`);
    if (/[\r\n]/.test(template.subject)) subject(`L'oggetto ${what} deve stare su una riga.`);
    if (template.subject.length > SUBJECT_MAX) subject(`L'oggetto supera i ${SUBJECT_MAX} caratteri.`);
  }
  if (template.body.trim() === '') body('Il testo è obbligatorio.');
  if (template.body.length > BODY_MAX) body(`Il testo supera i ${BODY_MAX} caratteri.`);
  let unreadable = false;
  for (const [label, source, field] of parts) {
    const part = (text: string) => problems.push({ field, text });
    try {
      for (const [name, offset] of templateVariables(parseTemplate(source))) {
        if (!used.has(name)) used.set(name, offset);
        if (!(name in VARIABLES)) {
          part(`Variabile sconosciuta {{${name}}} nel ${label} (${position(source, offset)}).`);
        } else if (channel === 'sms' && 'emailOnly' in VARIABLES[name as VariableName]) {
          part(`{{${name}}} non può stare in un SMS: gli SMS non riportano contenuti personali o riservati, che restano nella pagina della pratica.`);
        } else if (channel === 'io' && 'notIo' in VARIABLES[name as VariableName]) {
          part(`{{${name}}} non può stare in un messaggio App IO: in App IO il cittadino è identificato con SPID o CIE e non riceve password né link di accesso.`);
        }
      }
    } catch (error) {
      if (error instanceof TemplateError) {
        part(`Nel ${label}: ${error.message}`);
        unreadable = true;
      } else throw error;
    }
  }
  // the required elements are told with the other faults, unless a part could not be read (its variables are unknown)
  const missing = unreadable ? [] : requiredVariables(kind, channel).filter((name) => !used.has(name));
  const art8 = missing.filter((name) => ART8_VARIABLES.includes(name));
  const others = missing.filter((name) => !ART8_VARIABLES.includes(name));
  if (others.length) {
    body(`Mancano elementi obbligatori: ${others.map((n) => `{{${n}}} (${VARIABLES[n].description})`).join(', ')}.`);
  }
  if (art8.length) {
    body(
      `Il messaggio di avvio deve riportare tutti gli elementi dell'art. 8 c.2 L. 241/1990; mancano: ${art8.map((n) => `{{${n}}} (${VARIABLES[n].description})`).join(', ')}.`,
    );
  }
  if (problems.length) return { problems, warnings };

  let longest: SmsAnalysis | undefined;
  for (const context of [sampleContext(sample, channel), { ...sparseSampleContext(channel), ...sample }]) {
    try {
      if (channel === 'email') renderEmail(template, context);
      else if (channel === 'io') renderIo(template, context);
      else {
        const { analysis } = renderSms(template, context);
        longest = longest && longest.units >= analysis.units ? longest : analysis;
      }
    } catch (error) {
      if (error instanceof SmsTooLongError || error instanceof IoContentError) body(`Con valori tipici: ${error.message}`);
      else if (error instanceof TemplateError) body(error.message);
      else throw error;
      break;
    }
  }
  if (longest && longest.segments > 1) {
    warnings.push(`Con valori tipici l'SMS occupa ${longest.segments} parti (${longest.units} caratteri ${longest.encoding}): ogni parte è un SMS pagato.`);
  }
  if (longest?.encoding === 'UCS-2') {
    warnings.push('Il testo contiene caratteri fuori dall\'alfabeto GSM: ogni SMS porta 70 caratteri invece di 160 (codifica UCS-2).');
  }
  return { problems, warnings };
}
