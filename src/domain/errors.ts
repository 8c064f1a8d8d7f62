/**
 * Every refusal of the domain is a DomainError with a stable code. The web layer maps the code once
 * to an HTTP status and a problem+json type; the Italian message is written for the person reading it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export type DomainErrorCode =
  // input that cannot be understood
  | 'invalid-date'
  | 'invalid-term'
  | 'term-not-numeric'
  | 'invalid-input'
  | 'invalid-phone'
  | 'invalid-email'
  | 'no-contact'
  | 'channel-unavailable'
  // rules of the procedure
  | 'illegal-transition'
  | 'date-before-previous-event'
  | 'date-in-future'
  | 'date-before-received'
  | 'second-art2c7-suspension'
  | 'resume-without-suspension'
  | 'observations-without-10bis'
  | 'rejection-without-10bis'
  | 'substitute-request-too-early'
  | 'deadline-unknown'
  | 'indemnity-not-due'
  // lookups and concurrency
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'forbidden'
  | 'unauthorized';

/** One refused field of a form or command, as a page shows it next to the field (no field: the form as a whole). */
export interface FieldProblem {
  field?: string;
  text: string;
}

/** Every refusal an error carries: those of a Checks run, or the error itself. */
export function problemsOf(error: DomainError): FieldProblem[] {
  const listed = error.details.errors;
  if (Array.isArray(listed)) return listed as FieldProblem[];
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  return [{ ...(field ? { field } : {}), text: error.message }];
}

/**
 * The checks of a command's fields, run all before any is refused, so that a form shows at once every field
 * that is wrong. A single refusal is thrown as it was; several become one DomainError with the first one's code,
 * message and details, listing them all in `details.errors`. Rules about the command as a whole stay single errors.
 */
export class Checks {
  private readonly refused: DomainError[] = [];

  /** The check's value, or `fallback` when it refuses (the refusal is kept for `done`). */
  run<T>(check: () => T, fallback: T): T {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.add(error);
      return fallback;
    }
  }

  add(error: DomainError): void {
    const listed = error.details.errors;
    if (!Array.isArray(listed)) {
      this.refused.push(error);
      return;
    }
    // a refusal that is already several: kept one by one, so that the first still gives the code
    for (const p of listed as FieldProblem[]) {
      this.refused.push(new DomainError(error.code, p.text, p.field ? { field: p.field } : {}));
    }
  }

  get failed(): boolean {
    return this.refused.length > 0;
  }

  /** Throws what was refused, if anything. */
  done(): void {
    const [first, ...rest] = this.refused;
    if (!first) return;
    if (rest.length === 0) throw first;
    throw new DomainError(first.code, first.message, { ...first.details, errors: this.refused.flatMap(problemsOf) });
  }
}
