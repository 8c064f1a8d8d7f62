import { DomainError, problemsOf } from '../../../domain/errors.ts';
import type { FieldProblem } from '../../../domain/errors.ts';
import { Type } from 'typebox';
import type { Static, TObject } from 'typebox';
import { Value } from 'typebox/value';

/** A field of a url-encoded form: the browser can send anything, so every field is an optional string... */
export const Text = Type.Optional(Type.String());
/** ...or, for a repeated field (checkboxes), an optional list of strings. */
export const Texts = Type.Optional(Type.Array(Type.String()));

/** A form as read: every field of its schema present, '' (or []) when not sent. */
export type FormValues<S extends TObject> = { [K in keyof Static<S>]-?: Exclude<Static<S>[K], undefined> };

const isList = (schema: unknown): boolean => (schema as { type?: unknown }).type === 'array';

/**
 * A url-encoded body or query string read by its schema (fields of `Text` and `Texts`): fields it does not name
 * dropped, a single field sent more than once read as its first value, a repeated one as all its values, line
 * breaks as LF (see `str`). A field that still does not match reads as not sent: the domain then refuses it in
 * Italian, as it does an empty one, and nothing is written.
 */
export function readForm<S extends TObject>(schema: S, source: unknown): FormValues<S> {
  const input = source !== null && typeof source === 'object' && !Array.isArray(source) ? Value.Clean(schema, { ...(source as object) }) as Record<string, unknown> : {};
  const out: Record<string, string | string[]> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const raw = input[name];
    if (isList(field)) {
      // a checkbox ticked once comes as a string: a list of one
      const list = typeof raw === 'string' || Array.isArray(raw) ? Value.Convert(field, raw) : [];
      out[name] = Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
    } else {
      const first = Array.isArray(raw) ? raw[0] : raw;
      out[name] = typeof first === 'string' && Value.Check(field, first) ? first.replace(/\r\n/g, '\n') : '';
    }
  }
  return out as FormValues<S>;
}

/**
 * One text field of a form body or query string: the first value, '' when absent. A browser sends every line
 * break of a textarea as CRLF (HTML form submission): read back as LF, a text saved unchanged stays the same.
 */
export function str(source: unknown, name: string): string {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.replace(/\r\n/g, '\n') : '';
}

/** Every value of a repeated field (checkboxes). */
export function strs(source: unknown, name: string): string[] {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A parameter that must come at most once (report filters, an upload): repeated, it is refused rather than guessed at. */
export function single<T = string>(source: unknown, name: string): T | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) {
    throw Object.assign(new Error(`Il parametro "${name}" è ripetuto: indicarlo una sola volta.`), { statusCode: 400 });
  }
  return value as T | undefined;
}

/** A whole number of at most nine digits: larger ones name no row and do not fit the database's integers. */
export function int(source: unknown, name: string): number | undefined {
  return wholeNumber(str(source, name));
}

/** The text of a whole number of at most nine digits as that number; anything else, undefined. */
export function wholeNumber(text: string): number | undefined {
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** A refused form: every message the refusal carries, each next to the field it names. */
export function formErrors(error: unknown): FieldProblem[] {
  if (error instanceof DomainError) return problemsOf(error);
  throw error;
}

/** The errors in the order of the form's fields (as the summary lists them); those of no field first. */
export function inFormOrder(errors: readonly FieldProblem[], fields: readonly string[]): FieldProblem[] {
  const rank = (e: FieldProblem) => (e.field === undefined ? -1 : fields.indexOf(e.field) === -1 ? fields.length : fields.indexOf(e.field));
  return [...errors].sort((a, b) => rank(a) - rank(b));
}

/** Form errors are user errors: everything but the truly unexpected is shown on the form. */
export function isFormError(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code !== 'not-found' && error.code !== 'forbidden';
}

export interface UploadedFile {
  name: string;
  text: string;
}

/** An uploaded image (the coat of arms): its bytes as sent, not read as text. */
export interface UploadedImage {
  name: string;
  bytes: Uint8Array;
}

export type MultipartValue = string | UploadedFile | UploadedImage;

/** multipart/form-data, read by the platform's own parser (undici's Response.formData): fields and files as text. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, MultipartValue | MultipartValue[]>> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw Object.assign(new Error('Modulo non leggibile: caricare di nuovo il file.'), { statusCode: 400 });
  }
  const out: Record<string, MultipartValue | MultipartValue[]> = {};
  for (const [key, value] of form.entries()) {
    const field = typeof value === 'string'
      ? value
      : value.type.startsWith('image/')
        ? { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) }
        : { name: value.name, text: new TextDecoder('utf-8').decode(await value.arrayBuffer()) };
    // repeated fields as the url-encoded parser gives them, so that `single` refuses them alike
    const seen = out[key];
    out[key] = seen === undefined ? field : [...(Array.isArray(seen) ? seen : [seen]), field];
  }
  return out;
}
