/**
 * A small, logic-less template language (a subset of Mustache) that an administrator can edit:
 *   {{name}}                 the value of a variable
 *   {{#name}}...{{/name}}    the block, only when the variable has a value
 *   {{^name}}...{{/name}}    the block, only when it has none
 * There is no code to run and no HTML to write: the e-mail's HTML is derived from the text (see html.ts),
 * so a template cannot inject markup.
 */

export type TemplateValue = string | boolean | null | undefined;
export type TemplateContext = Readonly<Record<string, TemplateValue>>;

type Node =
  | { type: 'text'; text: string }
  | { type: 'variable'; name: string; offset: number }
  | { type: 'section'; name: string; inverted: boolean; children: Node[]; offset: number };

export interface ParsedTemplate {
  source: string;
  nodes: Node[];
}

export class TemplateError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z][A-Za-z0-9]*)?\s*\}\}/y;

/** Line and column (from 1) of an offset, for messages people can act on. */
export function position(source: string, offset: number): string {
  const before = source.slice(0, offset).split('\n');
  return `riga ${before.length}, colonna ${before.at(-1)!.length + 1}`;
}

export function parseTemplate(source: string): ParsedTemplate {
  const root: Node[] = [];
  const stack: { name: string; children: Node[]; offset: number }[] = [];
  let children = root;
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf('{{', index);
    if (open === -1) {
      children.push({ type: 'text', text: source.slice(index) });
      break;
    }
    if (open > index) children.push({ type: 'text', text: source.slice(index, open) });
    TAG.lastIndex = open;
    const match = TAG.exec(source);
    if (!match) {
      const close = source.indexOf('}}', open);
      const tag = close === -1 ? source.slice(open, open + 20) : source.slice(open, close + 2);
      throw new TemplateError(
        close === -1
          ? `"{{" senza "}}" di chiusura (${position(source, open)}).`
          : `Segnaposto non valido ${tag} (${position(source, open)}): usare {{nome}}, {{#nome}}...{{/nome}} o {{^nome}}...{{/nome}}.`,
        open,
      );
    }
    const [whole, sigil, name] = match;
    if (!name) throw new TemplateError(`Segnaposto vuoto (${position(source, open)}).`, open);
    if (sigil === '#' || sigil === '^') {
      const section: Node = { type: 'section', name, inverted: sigil === '^', children: [], offset: open };
      children.push(section);
      stack.push({ name, children, offset: open });
      children = section.children;
    } else if (sigil === '/') {
      const top = stack.pop();
      if (!top) throw new TemplateError(`{{/${name}}} chiude un blocco mai aperto (${position(source, open)}).`, open);
      if (top.name !== name) {
        throw new TemplateError(`{{/${name}}} chiude il blocco {{#${top.name}}} aperto alla ${position(source, top.offset)}: i nomi devono coincidere.`, open);
      }
      children = top.children;
    } else {
      children.push({ type: 'variable', name, offset: open });
    }
    index = open + whole.length;
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateError(`Il blocco {{#${unclosed.name}}} (${position(source, unclosed.offset)}) non è chiuso con {{/${unclosed.name}}}.`, unclosed.offset);
  return { source, nodes: root };
}

/** Every variable the template refers to, with the offset of its first use. */
export function templateVariables(template: ParsedTemplate): Map<string, number> {
  const found = new Map<string, number>();
  const visit = (nodes: Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') continue;
      if (!found.has(node.name)) found.set(node.name, node.offset);
      if (node.type === 'section') visit(node.children);
    }
  };
  visit(template.nodes);
  return found;
}

function present(value: TemplateValue): boolean {
  return value !== null && value !== undefined && value !== false && value !== '';
}

export function renderTemplate(template: ParsedTemplate, context: TemplateContext): string {
  const render = (nodes: Node[]): string => {
    let out = '';
    for (const node of nodes) {
      if (node.type === 'text') {
        out += node.text;
        continue;
      }
      if (!(node.name in context)) {
        throw new TemplateError(`Variabile sconosciuta {{${node.name}}} (${position(template.source, node.offset)}).`, node.offset);
      }
      const value = context[node.name];
      if (node.type === 'variable') out += typeof value === 'string' ? value : '';
      else if (present(value) !== node.inverted) out += render(node.children);
    }
    return out;
  };
  return render(template.nodes);
}

/** Blocks that render empty leave blank lines behind: keep at most one, and no trailing spaces. */
export function tidyText(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
