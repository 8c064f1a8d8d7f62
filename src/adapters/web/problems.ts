import type { FastifyError } from 'fastify';
import localizeItalian from 'ajv-i18n/localize/it/index.js';
import type { DomainErrorCode } from '../../domain/errors.ts';

/** RFC 9457 problem details with a stable `code` that clients can switch on. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const PROBLEM_CONTENT_TYPE = `${PROBLEM_MEDIA_TYPE}; charset=utf-8`;

const PROBLEMS: Record<DomainErrorCode | 'validation' | 'csrf' | 'rate-limited' | 'internal', { status: number; title: string }> = {
  'invalid-date': { status: 422, title: 'Data non valida' },
  'invalid-term': { status: 422, title: 'Termine non valido' },
  'term-not-numeric': { status: 422, title: 'Procedimento senza termine numerico' },
  'invalid-input': { status: 422, title: 'Dati non validi' },
  'invalid-phone': { status: 422, title: 'Numero di cellulare non valido' },
  'invalid-email': { status: 422, title: 'Indirizzo e-mail non valido' },
  'no-contact': { status: 422, title: 'Recapito mancante' },
  'channel-unavailable': { status: 422, title: 'Canale non disponibile' },
  'date-in-future': { status: 422, title: 'Data futura' },
  'date-before-received': { status: 422, title: 'Data precedente al ricevimento della domanda' },
  'date-before-previous-event': { status: 422, title: 'Data precedente all\'ultimo evento' },
  'illegal-transition': { status: 409, title: 'Operazione non ammessa nello stato attuale della pratica' },
  'second-art2c7-suspension': { status: 409, title: 'Seconda sospensione per integrazione documentale' },
  'resume-without-suspension': { status: 409, title: 'Riattivazione senza sospensione in corso' },
  'observations-without-10bis': { status: 409, title: 'Osservazioni senza preavviso di rigetto' },
  'rejection-without-10bis': { status: 409, title: 'Rigetto senza preavviso di rigetto' },
  'substitute-request-too-early': { status: 409, title: 'Richiesta al titolare del potere sostitutivo prima della scadenza' },
  'deadline-unknown': { status: 409, title: 'Scadenza non ancora determinabile' },
  'indemnity-not-due': { status: 422, title: 'Indennizzo da ritardo non dovuto' },
  conflict: { status: 409, title: 'Modifica concorrente' },
  'precondition-failed': { status: 412, title: 'La pratica è cambiata nel frattempo' },
  'not-found': { status: 404, title: 'Risorsa non trovata' },
  forbidden: { status: 403, title: 'Operazione non consentita' },
  unauthorized: { status: 401, title: 'Autenticazione richiesta' },
  validation: { status: 400, title: 'Richiesta non valida' },
  // a page's form without a valid token: never the API's, which has no cookies
  csrf: { status: 403, title: 'Modulo non valido' },
  'rate-limited': { status: 429, title: 'Troppe richieste' },
  internal: { status: 500, title: 'Errore interno' },
};

export type ProblemCode = keyof typeof PROBLEMS;

/** The codes a problem with this status carries, for the API's documentation; Fastify's 415 is a `validation` too, and the API has no forms (no `csrf`). */
export function problemCodesOf(status: number): ProblemCode[] {
  if (status === 415) return ['validation'];
  return (Object.keys(PROBLEMS) as ProblemCode[]).filter((code) => PROBLEMS[code].status === status && code !== 'csrf');
}

export function problem(code: ProblemCode, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = PROBLEMS[code];
  return { type: `urn:pratica-online:problem:${code}`, title, status, detail, code, ...extra };
}

/** Fastify's own refusals of a request body, in Italian (its messages are English). */
const BODY_REFUSALS: Record<string, { title: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { title: 'JSON non valido', detail: 'Il corpo della richiesta non è un JSON valido.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { title: 'Corpo vuoto', detail: 'Il corpo della richiesta è vuoto: inviare un oggetto JSON.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { title: 'Richiesta troppo grande', detail: 'Il corpo della richiesta supera la dimensione ammessa.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { title: 'Richiesta non valida', detail: 'La lunghezza dichiarata non corrisponde al corpo della richiesta.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { title: 'Tipo di contenuto non supportato', detail: 'Tipo di contenuto non supportato: inviare application/json.' },
};

/** The code of the refusal thrown when an API token goes over its limit (plugins/api-rate-limit.ts). */
export const RATE_LIMITED_CODE = 'PO_API_RATE_LIMITED';

/** A refusal by Fastify of the request's body, or by the API's rate limit, in Italian; undefined for any other error. */
export function bodyRefusal(error: FastifyError): Problem | undefined {
  if (error.code === RATE_LIMITED_CODE) return problem('rate-limited', error.message);
  const known = error.code ? BODY_REFUSALS[error.code] : undefined;
  return known && problem('validation', known.detail, { status: error.statusCode ?? 400, title: known.title });
}

/** The keyword of the control-character rule's errors (plugins/input-text.ts), shaped like schema errors. */
export const TEXT_RULE_KEYWORD = 'characters';
/** The keyword of the finite-number rule's errors (validation.ts). */
export const FINITE_RULE_KEYWORD = 'finite';
const OWN_RULES: string[] = [TEXT_RULE_KEYWORD, FINITE_RULE_KEYWORD];

/** Schema validation errors, in Italian, one per field. */
export function validationProblem(error: FastifyError): Problem {
  const validation = (error.validation ?? []).map((v) => ({ ...v }));
  // the package is CommonJS: its default export is the function, whatever its typings say; our own rules speak Italian already
  (localizeItalian as unknown as (errors: unknown[]) => void)(validation.filter((v) => !OWN_RULES.includes(v.keyword)));
  const context = error.validationContext ?? 'body';
  const errors = validation.map((v) => {
    const params = v.params as { missingProperty?: string; additionalProperty?: string };
    // name the field that is missing or not expected, not only its parent object
    const property = params.missingProperty ?? params.additionalProperty;
    const path = `${v.instancePath}${property ? `/${property}` : ''}`.replace(/^\//, '').replace(/\//g, '.');
    return { field: path ? `${context}.${path}` : context, message: v.message ?? 'valore non valido' };
  });
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return problem('validation', detail || 'La richiesta non rispetta lo schema.', { errors });
}
