import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import type { Db } from '../../adapters/db/database.ts';
import type { Principal, Role } from '../../domain/policy.ts';
import { staffLockedMessage } from '../../domain/notification/index.ts';
import { italianDayAndTime } from '../clock.ts';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import { inTransaction } from '../transaction.ts';

/** Five wrong passwords in a row lock the account for 15 minutes (OWASP ASVS 2.2.1). */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
/** An office day: sessions end 10 hours after sign-in, or after 60 idle minutes. */
export const SESSION_HOURS = 10;
export const SESSION_IDLE_MINUTES = 60;

export interface AuthDeps extends Pick<Services, 'clock' | 'staffPasswords'> {
  db: Db;
}

export interface StaffUser extends Principal {
  name: string;
  email: string;
  officeName: string | null;
  officeCode: string | null;
  /** signed in with a password someone else chose: only the change-password page opens until it is replaced */
  mustChangePassword: boolean;
}

export type SignInResult =
  | { ok: true; sessionId: string; user: StaffUser }
  | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: Date };


export const hashSessionId = (id: string): string => createHash('sha256').update(id).digest('hex');

export function actorOf(user: StaffUser): Actor {
  return { kind: 'staff', id: user.id, name: user.name, officeId: user.role === 'admin' ? null : user.officeId };
}

function staffQuery(db: Db) {
  return db
    .selectFrom('staff')
    .leftJoin('offices', 'offices.id', 'staff.office_id')
    .select([
      'staff.id', 'staff.name', 'staff.email', 'staff.role', 'staff.office_id', 'staff.password_hash', 'staff.active',
      'staff.failed_logins', 'staff.locked_until', 'staff.must_change_password', 'offices.name as office_name', 'offices.code as office_code',
    ]);
}

type StaffJoined = Awaited<ReturnType<ReturnType<typeof staffQuery>['executeTakeFirstOrThrow']>>;

function toUser(row: StaffJoined): StaffUser {
  return {
    id: row.id, name: row.name, email: row.email, role: row.role as Role, officeId: row.office_id,
    officeName: row.office_name, officeCode: row.office_code, mustChangePassword: row.must_change_password,
  };
}

/**
 * Reserves one of the account's MAX_FAILED_LOGINS attempts before its password is checked, in one statement:
 * however many guesses arrive at once, PostgreSQL serializes the updates of the row, so at most that many
 * reach the hash. The reservation that uses up the last attempt writes the lock itself: a check that never
 * ends (a process stopped half-way) cannot leave the account refusing forever. An expired lock counts afresh.
 */
async function reserveAttempt(db: Db, staffId: string, now: Date): Promise<number | undefined> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
  const expired = sql<boolean>`(locked_until IS NOT NULL AND locked_until <= ${now})`;
  const attempt = sql<number>`CASE WHEN ${expired} THEN 1 ELSE failed_logins + 1 END`;
  const reserved = await db
    .updateTable('staff')
    .set({
      failed_logins: attempt,
      locked_until: sql`CASE WHEN ${attempt} >= ${MAX_FAILED_LOGINS} THEN ${lockUntil}::timestamptz ELSE NULL END`,
    })
    .where('id', '=', staffId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('failed_logins')
    .executeTakeFirst();
  return reserved?.failed_logins;
}

/** The owner is told, in the transaction that locks the account, through the messages' queue (src/worker), with a reset link. */
async function queueLockedNotice(trx: Db, staff: { id: string; name: string; email: string }, lockedUntil: Date, now: Date): Promise<void> {
  const message = staffLockedMessage({ name: staff.name, email: staff.email, until: italianDayAndTime(lockedUntil) });
  await trx.insertInto('notifications').values({
    id: randomUUID(), staff_id: staff.id, kind: 'staff-locked', channel: 'email', recipient: staff.email,
    context: JSON.stringify({}), subject: message.subject, body: message.text, created_at: now, next_attempt_at: now,
  }).execute();
}

/** Checks e-mail and password; counts failures and locks the account; opens a server-side session. */
export async function signIn(deps: AuthDeps, email: string, password: string): Promise<SignInResult> {
  const now = deps.clock.now();
  const normalized = email.trim().toLowerCase();
  const row = normalized ? await staffQuery(deps.db).where((eb) => eb(eb.fn('lower', ['staff.email']), '=', normalized)).executeTakeFirst() : undefined;
  if (!row || !row.active || !row.password_hash) {
    await deps.staffPasswords.verify(await deps.staffPasswords.dummyHash(), password);
    return { ok: false, reason: 'invalid' };
  }
  const attempt = await reserveAttempt(deps.db, row.id, now);
  if (attempt === undefined) {
    const current = await deps.db.selectFrom('staff').select('locked_until').where('id', '=', row.id).executeTakeFirst();
    return { ok: false, reason: 'locked', lockedUntil: current?.locked_until ?? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) };
  }
  // the same argon2id helper as the CLI and the demo data, so their accounts sign in here
  const valid = await deps.staffPasswords.verify(row.password_hash, password);
  const actor: Actor = { kind: 'staff', id: row.id, name: row.name, officeId: row.office_id };
  if (!valid) {
    return inTransaction(deps.db, async (trx) => {
      await audit(trx, actor, { action: 'staff.sign-in-failed', entity: 'staff', entityId: row.id, officeId: row.office_id, after: { failures: attempt } });
      if (attempt < MAX_FAILED_LOGINS) return { ok: false as const, reason: 'invalid' as const };
      const lockedUntil = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
      await audit(trx, actor, { action: 'staff.locked', entity: 'staff', entityId: row.id, officeId: row.office_id, after: { failures: attempt, lockedUntil: lockedUntil.toISOString() } });
      await queueLockedNotice(trx, row, lockedUntil, now);
      return { ok: false as const, reason: 'locked' as const, lockedUntil };
    });
  }
  const sessionId = randomBytes(32).toString('base64url');
  await inTransaction(deps.db, async (trx) => {
    await trx.updateTable('staff').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', row.id).execute();
    await trx.insertInto('staff_sessions').values({
      id_hash: hashSessionId(sessionId), staff_id: row.id, created_at: now, last_seen_at: now,
      expires_at: new Date(now.getTime() + SESSION_HOURS * 3_600_000),
    }).execute();
    await audit(trx, actor, { action: 'staff.sign-in', entity: 'staff', entityId: row.id, officeId: row.office_id });
  });
  return { ok: true, sessionId, user: toUser(row) };
}

/** The user of a live session, or undefined (expired, idle too long, signed out, deactivated). */
export async function userOfSession(deps: AuthDeps, sessionId: string): Promise<StaffUser | undefined> {
  const now = deps.clock.now();
  const session = await deps.db
    .selectFrom('staff_sessions')
    .select(['staff_id', 'expires_at', 'last_seen_at'])
    .where('id_hash', '=', hashSessionId(sessionId))
    .executeTakeFirst();
  if (!session || session.expires_at <= now || now.getTime() - session.last_seen_at.getTime() > SESSION_IDLE_MINUTES * 60_000) return undefined;
  const row = await staffQuery(deps.db).where('staff.id', '=', session.staff_id).executeTakeFirst();
  if (!row || !row.active) return undefined;
  // refresh the idle timer at most once a minute, to keep reads cheap
  if (now.getTime() - session.last_seen_at.getTime() > 60_000) {
    await deps.db.updateTable('staff_sessions').set({ last_seen_at: now }).where('id_hash', '=', hashSessionId(sessionId)).execute();
  }
  return toUser(row);
}

export async function signOut(deps: AuthDeps, sessionId: string): Promise<void> {
  await inTransaction(deps.db, async (trx) => {
    const session = await trx.deleteFrom('staff_sessions').where('id_hash', '=', hashSessionId(sessionId)).returning('staff_id').executeTakeFirst();
    if (session) {
      await audit(trx, { kind: 'staff', id: session.staff_id, name: '', officeId: null }, { action: 'staff.sign-out', entity: 'staff', entityId: session.staff_id });
    }
  });
}

/** ASVS 2.1.1: at least 12 characters; the upper bound matches what the sign-in form accepts. */
export const MIN_STAFF_PASSWORD = 12;
export const MAX_STAFF_PASSWORD = 200;

export type PasswordChangeProblem = 'current-required' | 'current-wrong' | 'too-short' | 'too-long' | 'same-as-current' | 'mismatch';

export interface PasswordChange {
  current: string;
  next: string;
  confirmation: string;
}

export type PasswordChangeResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; problems: { field: 'current' | 'next' | 'confirmation'; problem: PasswordChangeProblem }[] };

/** Rules that need no database: what a new password must be, next to the current one. */
export function passwordChangeProblems(input: PasswordChange): Extract<PasswordChangeResult, { ok: false }>['problems'] {
  const problems: Extract<PasswordChangeResult, { ok: false }>['problems'] = [];
  const length = [...input.next].length;
  if (!input.current) problems.push({ field: 'current', problem: 'current-required' });
  if (length < MIN_STAFF_PASSWORD) problems.push({ field: 'next', problem: 'too-short' });
  else if (length > MAX_STAFF_PASSWORD) problems.push({ field: 'next', problem: 'too-long' });
  else if (input.current && input.next === input.current) problems.push({ field: 'next', problem: 'same-as-current' });
  if (input.confirmation !== input.next) problems.push({ field: 'confirmation', problem: 'mismatch' });
  return problems;
}

/**
 * A signed-in user replaces their own password. The current one must verify (a session left open on an
 * unattended computer is not enough); on success every other session of the user ends, this one stays.
 */
export async function changeOwnPassword(deps: AuthDeps, user: StaffUser, currentSessionId: string, input: PasswordChange): Promise<PasswordChangeResult> {
  const problems = passwordChangeProblems(input);
  const row = await deps.db.selectFrom('staff').select(['password_hash']).where('id', '=', user.id).where('active', '=', true).executeTakeFirst();
  const currentValid = input.current !== '' && !!row?.password_hash && (await deps.staffPasswords.verify(row.password_hash, input.current));
  const actor = actorOf(user);
  if (input.current && !currentValid) {
    problems.unshift({ field: 'current', problem: 'current-wrong' });
    await audit(deps.db, actor, { action: 'staff.password-change-refused', entity: 'staff', entityId: user.id, officeId: user.officeId });
  }
  if (problems.length) return { ok: false, problems };
  // hashed outside the transaction: argon2 takes tens of milliseconds and holds no lock
  const passwordHash = await deps.staffPasswords.hash(input.next);
  return inTransaction(deps.db, async (trx) => {
    await trx.updateTable('staff').set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, must_change_password: false }).where('id', '=', user.id).execute();
    const ended = await trx.deleteFrom('staff_sessions')
      .where('staff_id', '=', user.id)
      .where('id_hash', '!=', hashSessionId(currentSessionId))
      .executeTakeFirst();
    const sessionsEnded = Number(ended.numDeletedRows);
    await audit(trx, actor, { action: 'staff.password-changed', entity: 'staff', entityId: user.id, officeId: user.officeId, after: { otherSessionsEnded: sessionsEnded } });
    return { ok: true as const, sessionsEnded };
  });
}
