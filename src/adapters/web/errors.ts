import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.ts';
import { PROBLEM_CONTENT_TYPE, bodyRefusal, problem, validationProblem } from './problems.ts';
import type { Problem } from './problems.ts';

export const UNEXPECTED = 'Si è verificato un errore imprevisto. Il problema è stato registrato; riprovare tra qualche minuto.';

/** Fastify's CSRF plugin refuses a form with one of these codes (missing or wrong token, missing secret). */
const isCsrfRefusal = (error: { code?: string }) => typeof error.code === 'string' && error.code.startsWith('FST_CSRF');

/**
 * Every error, mapped once to its problem: the domain's by its code, schema errors field by field, the
 * platform's refusals (CSRF, rate limit, body) in Italian, anything else an internal error.
 */
export function problemOf(error: unknown): Problem {
  if (error instanceof DomainError) {
    return problem(error.code, error.message, Object.keys(error.details).length ? { details: error.details } : {});
  }
  const fastify = (error ?? {}) as Partial<FastifyError>;
  if (fastify.validation) return validationProblem(fastify as FastifyError);
  if (isCsrfRefusal(fastify)) return problem('csrf', 'Il modulo è scaduto o non proviene da questo sito: ricaricare la pagina e riprovare.');
  const status = fastify.statusCode;
  if (status === 429) return problem('rate-limited', fastify.message ?? '');
  if (status && status >= 400 && status < 500) return bodyRefusal(fastify as FastifyError) ?? problem('validation', fastify.message ?? '', { status });
  return problem('internal', UNEXPECTED);
}

/** A page's words for a problem: a refused form field named as the form says it ("Il campo ..."), not by its schema path. */
export function formDetail(body: Problem, error: unknown): string {
  const refused = body.code === 'validation' && (error as Partial<FastifyError> | undefined)?.validation;
  return refused ? (error as Error).message : body.detail;
}

/** An area's page for an error: its own layout and words, chosen from the problem (the error itself for a detail only it has). */
export type ErrorPage = (request: FastifyRequest, reply: FastifyReply, problem: Problem, error: unknown) => Promise<FastifyReply> | FastifyReply;

/** problem+json under /api; `instance` only names a URL the router understood. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem, echoUrl = true): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(echoUrl ? { ...body, instance: request.url } : body);
}

/** The one error handler: every area registers it with its page; the API always answers problem+json. */
export function errorHandler(page: ErrorPage) {
  return async (error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const body = problemOf(error);
    if (body.status >= 500) request.log.error({ err: error }, 'unhandled error');
    if (request.url.startsWith('/api/')) return sendProblem(request, reply, body);
    return page(request, reply, body, error);
  };
}
