import Html from '@kitajs/html';
import type { FieldProblem } from '../../../domain/errors.ts';

/**
 * The form fields of every area (back office, reports, citizens' portal), after the Designers Italia form pattern:
 * every error of a refused form listed at once in a summary that takes the focus and links to each field, and
 * each message tied to its field (aria-describedby, aria-invalid), so that a screen reader reads it with the field.
 */

/** The id of a field's error message, the one its aria-describedby names. */
export const errorIdOf = (id: string): string => `${id}-error`;

/** The message for a field, when the refusal named it: every fault of that field in one message. */
export function errorFor(errors: readonly FieldProblem[], field: string): string | undefined {
  const texts = errors.filter((e) => e.field === field).map((e) => e.text);
  return texts.length ? texts.join(' ') : undefined;
}

/** One item per field, in the order the fields first appear, its text the field's own message. */
function oneItemPerField(errors: readonly FieldProblem[]): FieldProblem[] {
  const items: FieldProblem[] = [];
  for (const e of errors) {
    if (e.field === undefined) items.push(e);
    else if (!items.some((i) => i.field === e.field)) items.push({ field: e.field, text: errorFor(errors, e.field)! });
  }
  return items;
}

/**
 * The list of what is wrong, at the top of a form. It takes the focus when the page opens (autofocus, no script:
 * the CSP allows none inline) and is announced; each item links to its field.
 */
// autofocus is a global attribute (HTML, "the autofocus attribute"); the JSX typings know it on form controls only
const FOCUS_ON_LOAD: Record<string, boolean> = { autofocus: true };

export function ErrorSummary(props: { errors: readonly FieldProblem[]; title: string; id?: string; children?: JSX.Element }): JSX.Element {
  const { errors, title, id = 'form-errors' } = props;
  if (errors.length === 0) return '';
  // what the caller adds below the list (a note), escaped where it was written
  const safeNote = props.children;
  return (
    <div class="alert alert-danger error-summary" role="alert" id={id} tabindex="-1" {...FOCUS_ON_LOAD} aria-labelledby={`${id}-title`}>
      <h2 class="h5" id={`${id}-title`} safe>{title}</h2>
      <ul class="mb-0">
        {oneItemPerField(errors).map((e) => (
          <li>{e.field ? <a href={`#${e.field}`} safe>{e.text}</a> : <span safe>{e.text}</span>}</li>
        ))}
      </ul>
      {safeNote ?? ''}
    </div>
  );
}

export interface FieldProps {
  id: string;
  name?: string;
  label: string;
  value?: string | null | undefined;
  type?: string;
  required?: boolean;
  hint?: string;
  error?: string | undefined;
  autocomplete?: string;
  maxlength?: number;
  inputmode?: string;
  /** the label's own language, when it differs from the page's */
  lang?: string;
  /** more ids the field is described by (a message about the whole form) */
  describedBy?: string;
  /** refused by a message about the whole form (wrong credentials), without one of its own */
  invalid?: boolean;
  /** the asterisk after a required field's label; off where every field is required (the sign-in) */
  requiredMark?: boolean;
  /** the Designers Italia `form-group` wrapper (the portal's look), instead of the back office's plain one */
  wrapperClass?: string;
  /** extra attributes of the input (autocapitalize, spellcheck...) */
  attributes?: Record<string, string>;
}

/**
 * A stored text as a form's value attribute. @kitajs/html escapes only `"` in attributes, so a text holding
 * `&lt;` would reach the browser as `<` and be saved back changed: every character that HTML decodes is escaped.
 */
export function attributeText(value: string | null | undefined): string {
  return Html.escapeHtml(value ?? '');
}

function describedByOf(p: FieldProps): string | undefined {
  return [p.hint ? `${p.id}-hint` : '', p.error ? errorIdOf(p.id) : '', p.describedBy ?? ''].filter(Boolean).join(' ') || undefined;
}

function Label(p: FieldProps): JSX.Element {
  return (
    <label for={p.id} class={p.wrapperClass ? 'active' : 'form-label'} lang={p.lang}>
      {Html.escapeHtml(p.label)}
      {p.required && p.requiredMark !== false ? <span class="text-danger" aria-hidden="true"> *</span> : ''}
    </label>
  );
}

function HintAndError(p: FieldProps): JSX.Element {
  return (
    <>
      {p.hint ? <div class="form-text" id={`${p.id}-hint`} safe>{p.hint}</div> : ''}
      {p.error ? <div class="invalid-feedback d-block" id={errorIdOf(p.id)} safe>{p.error}</div> : ''}
    </>
  );
}

export function Field(p: FieldProps): JSX.Element {
  return (
    <div class={p.wrapperClass ?? 'mb-3'}>
      <Label {...p} />
      <input
        class={`form-control${p.error ? ' is-invalid' : ''}`}
        id={p.id}
        name={p.name ?? p.id}
        type={p.type ?? 'text'}
        value={attributeText(p.value)}
        required={p.required}
        aria-describedby={describedByOf(p)}
        aria-invalid={p.error || p.invalid ? 'true' : undefined}
        autocomplete={p.autocomplete}
        maxlength={p.maxlength}
        inputmode={p.inputmode}
        {...(p.attributes ?? {})}
      />
      <HintAndError {...p} />
    </div>
  );
}

export function TextArea(p: FieldProps & { rows?: number }): JSX.Element {
  return (
    <div class={p.wrapperClass ?? 'mb-3'}>
      <Label {...p} />
      <textarea
        class={`form-control${p.error ? ' is-invalid' : ''}`}
        id={p.id}
        name={p.name ?? p.id}
        rows={String(p.rows ?? 3)}
        required={p.required}
        aria-describedby={describedByOf(p)}
        aria-invalid={p.error ? 'true' : undefined}
        maxlength={p.maxlength}
        safe
      >
        {`\n${p.value ?? ''}`}
      </textarea>
      <HintAndError {...p} />
    </div>
  );
}

export function Select(p: FieldProps & { options: { value: string; label: string; disabled?: boolean }[] }): JSX.Element {
  return (
    <div class="mb-3">
      <Label {...p} />
      <select
        class={`form-select${p.error ? ' is-invalid' : ''}`}
        id={p.id}
        name={p.name ?? p.id}
        required={p.required}
        aria-describedby={describedByOf(p)}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.options.map((o) => (
          <option value={attributeText(o.value)} selected={o.value === (p.value ?? '')} disabled={o.disabled} safe>
            {o.label}
          </option>
        ))}
      </select>
      <HintAndError {...p} />
    </div>
  );
}

/**
 * One checkbox of its own (a confirmation, a yes/no setting), sent as "yes" when ticked: its message is tied to it
 * as a field's is.
 */
export function Checkbox(p: { id: string; name?: string; label: string; checked: boolean; required?: boolean; hint?: string; error?: string | undefined }): JSX.Element {
  return (
    <div class="form-check mb-3">
      <input
        class={`form-check-input${p.error ? ' is-invalid' : ''}`}
        type="checkbox"
        id={p.id}
        name={p.name ?? p.id}
        value="yes"
        checked={p.checked}
        required={p.required}
        aria-describedby={describedByOf(p)}
        aria-invalid={p.error ? 'true' : undefined}
      />
      <label class="form-check-label" for={p.id} safe>{p.label}</label>
      <HintAndError {...p} />
    </div>
  );
}

/**
 * Checkboxes or radio buttons under one legend. The error is tied to the group (the fieldset, the summary's link)
 * and to each choice, so that it is read whichever choice takes the focus.
 */
export function Choices(p: {
  id: string;
  name: string;
  /** markup, escaped by the caller */
  safeLegend: JSX.Element | string;
  type: 'checkbox' | 'radio';
  options: { value: string; /** markup, escaped by the caller */ safeLabel: JSX.Element | string; id?: string }[];
  checked: readonly string[];
  error?: string | undefined;
  required?: boolean;
  inline?: boolean;
  legendClass?: string;
}): JSX.Element {
  const errorId = p.error ? errorIdOf(p.id) : undefined;
  const safeLegend = p.safeLegend;
  return (
    <fieldset id={p.id} class="mb-3" aria-describedby={errorId}>
      <legend class={p.legendClass ?? 'form-label fs-6'}>{safeLegend}</legend>
      {p.options.map((o) => {
        const id = o.id ?? `${p.id}-${o.value}`;
        const safeLabel = o.safeLabel;
        return (
          <div class={`form-check${p.inline === false ? '' : ' form-check-inline'}`}>
            <input
              class={`form-check-input${p.error ? ' is-invalid' : ''}`}
              type={p.type}
              name={p.name}
              id={id}
              value={attributeText(o.value)}
              checked={p.checked.includes(o.value)}
              required={p.required && p.type === 'radio'}
              aria-describedby={errorId}
              aria-invalid={p.error ? 'true' : undefined}
            />
            <label class="form-check-label" for={id}>{safeLabel}</label>
          </div>
        );
      })}
      {p.error ? <div class="invalid-feedback d-block" id={errorId} safe>{p.error}</div> : ''}
    </fieldset>
  );
}
