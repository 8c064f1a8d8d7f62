import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { userOfSession } from '../../../application/backoffice/auth.ts';
import type { AuthDeps, StaffUser } from '../../../application/backoffice/auth.ts';
import type { Clock } from '../../../application/clock.ts';
import type { Role } from '../../../domain/policy.ts';
import { DomainError } from '../../../domain/errors.ts';
import { clearSessionCookie, readSessionCookie } from './web-ui.ts';

/** The staff session's cookie: a signed session id, the session itself is a database row. */
export const STAFF_COOKIE = 'po_staff';
export const SIGN_IN_PATH = '/uffici/accesso';
export const PASSWORD_PATH = '/uffici/password';
/** Pages open to a user whose password must be replaced first: the change itself, and leaving. */
const BEFORE_PASSWORD_CHANGE = new Set([PASSWORD_PATH, '/uffici/esci']);

declare module 'fastify' {
  interface FastifyRequest {
    /** the signed-in staff member (staff-session plugin), undefined without a valid session */
    staff: StaffUser | undefined;
  }
}

/** The session id the staff cookie carries, when its signature holds. */
export function staffSessionId(request: FastifyRequest, clock: Pick<Clock, 'now'>): string | undefined {
  const sid = readSessionCookie<{ sid: string }>(request, STAFF_COOKIE, clock)?.sid;
  return typeof sid === 'string' ? sid : undefined;
}

/** A password someone else chose (the CLI, an administrator) leads to the change page and nowhere else. */
export function mustChangePasswordFirst(request: FastifyRequest): boolean {
  return !!request.staff?.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(request.url.split('?')[0]!);
}

/**
 * `request.staff` for every request of the context that registers it (the back office, the reports): the
 * session is read from the database on each request, so a sign-out or a disabled account holds at once.
 */
export const staffSession = fp<{ deps: AuthDeps }>(async (app, { deps }) => {
  app.decorateRequest('staff', undefined);
  app.addHook('onRequest', async (request) => {
    const sid = staffSessionId(request, deps.clock);
    request.staff = sid === undefined ? undefined : await userOfSession(deps, sid);
  });
}, { name: 'staff-session' });

/**
 * A hook letting through signed-in staff only: without a session to the sign-in page (coming back here
 * after it), with a password to replace to its change, with another role a refusal.
 */
export function requireStaff(roles?: readonly Role[]): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.staff) {
      if (request.cookies[STAFF_COOKIE] !== undefined) clearSessionCookie(reply, STAFF_COOKIE);
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.code(303).redirect(`${SIGN_IN_PATH}${next}`);
    }
    if (mustChangePasswordFirst(request)) return reply.code(303).redirect(PASSWORD_PATH);
    if (roles && !roles.includes(request.staff.role)) throw new DomainError('forbidden', 'Operazione non consentita al proprio ruolo.');
  };
}
