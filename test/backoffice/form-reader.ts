/**
 * What a browser would submit from a form of a page, unchanged: the values as the HTML parser reads them
 * (entities decoded, the newline after <textarea> dropped), the checked boxes, the selected options, and
 * textarea line breaks sent as CRLF (HTML form submission).
 */
import type { Form } from './client.ts';

/** A tag's attributes: quoted values may hold ">" */
const ATTRS = String.raw`((?:[^>"]|"[^"]*")*)`;
const tag = (pattern: string) => new RegExp(pattern.replaceAll('ATTRS', ATTRS), 'g');

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) out.set(m[1]!.toLowerCase(), decodeEntities(m[2] ?? ''));
  return out;
}

/** The fields of the form posting to `action`, as name/value pairs in document order. */
export function formFields(html: string, action: string): [string, string][] {
  const forms = [...html.matchAll(tag(String.raw`<form\bATTRS>([\s\S]*?)</form>`))];
  const form = forms.find((f) => attributes(f[1]!).get('action') === action);
  if (!form) throw new Error(`no form posting to ${action}`);
  const body = form[2]!;
  const fields: [string, string][] = [];
  for (const m of body.matchAll(tag(String.raw`<input\bATTRS>|<textarea\bATTRS>([\s\S]*?)</textarea>|<select\bATTRS>([\s\S]*?)</select>`))) {
    if (m[1] !== undefined) {
      const a = attributes(m[1]);
      const type = (a.get('type') ?? 'text').toLowerCase();
      if (!a.has('name') || a.has('disabled') || ['submit', 'button', 'reset', 'image', 'file'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !a.has('checked')) continue;
      fields.push([a.get('name')!, a.get('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    } else if (m[2] !== undefined) {
      const a = attributes(m[2]);
      if (!a.has('name') || a.has('disabled')) continue;
      const value = decodeEntities(m[3]!.replace(/^\r?\n/, ''));
      fields.push([a.get('name')!, value.replace(/\r\n|\r|\n/g, '\r\n')]);
    } else {
      const a = attributes(m[4]!);
      if (!a.has('name') || a.has('disabled')) continue;
      const options = [...m[5]!.matchAll(tag(String.raw`<option\bATTRS>([\s\S]*?)</option>`))].map((o) => ({ a: attributes(o[1]!), label: decodeEntities(o[2]!) }));
      const chosen = options.find((o) => o.a.has('selected')) ?? options.find((o) => !o.a.has('disabled'));
      if (chosen) fields.push([a.get('name')!, chosen.a.get('value') ?? chosen.label]);
    }
  }
  return fields;
}

/** The same fields as a form for StaffClient.post, with the button that submits it. */
export function unchangedForm(html: string, action: string, submit: Form = {}): Form {
  const form: Record<string, string | string[]> = {};
  for (const [name, value] of formFields(html, action)) {
    const seen = form[name];
    form[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return { ...form, ...submit };
}

/**
 * The error summary of a page (the Designers Italia form pattern): each item's link target and text, and whether
 * the field it links to is described by a message (`described`) of the same text (`tied`). `focused`: the summary takes
 * the focus on load.
 */
export function errorSummary(html: string, id = 'form-errors'): { focused: boolean; items: { field: string; text: string; tied: boolean; described: boolean }[] } {
  const open = new RegExp(`<div\\b[^>]*class="alert alert-danger error-summary"[^>]*id="${id}"[^>]*>`).exec(html);
  if (!open) return { focused: false, items: [] };
  const box = html.slice(open.index + open[0].length, html.indexOf('</ul>', open.index));
  const items = [...box.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map(([, field, linked]) => {
    const control = new RegExp(`<(?:input|select|textarea|fieldset)\\b[^>]*\\sid="${field}"[^>]*>`).exec(html)?.[0] ?? '';
    const described = /aria-describedby="([^"]*)"/.exec(control)?.[1]?.split(' ') ?? [];
    const message = new RegExp(`id="${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1];
    const text = decodeEntities(linked!);
    const tied = described.includes(`${field}-error`) && message !== undefined;
    return { field: field!, text, tied: tied && decodeEntities(message!) === text, described: tied };
  });
  return { focused: /\sautofocus[\s>=]/.test(open[0]) && /tabindex="-1"/.test(open[0]), items };
}
