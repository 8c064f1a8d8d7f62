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
  // lookups and concurrency
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'forbidden'
  | 'unauthorized';

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;
