import type { Db } from '../adapters/db/database.ts';
import { SESSION_IDLE_MINUTES } from './backoffice/auth.ts';
import type { Clock } from './clock.ts';

/** Sign-in buckets untouched this long are full again whatever they held: only their count of failures in a row goes. */
export const THROTTLE_IDLE_HOURS = 24;
/** A form's one-time token guards against a reload or a second click, not a form kept open for a month. */
export const FORM_TOKEN_DAYS = 30;

export interface Forgotten {
  staffSessions: number;
  signInBuckets: number;
  usedLinks: number;
  formTokens: number;
}

/**
 * Deletes the records that have served their purpose and would otherwise pile up for ever (GDPR art. 5(1)(c) and
 * (e)): ended staff sessions, idle sign-in buckets (their keys hold the citizens' network addresses), spent
 * sign-in links past their expiry and old one-time form tokens. None of them is read again once past its time.
 */
export async function forgetSpentRecords(deps: { db: Db; clock: Clock }): Promise<Forgotten> {
  const now = deps.clock.now();
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);
  const staffSessions = count(await deps.db.deleteFrom('staff_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', hoursAgo(SESSION_IDLE_MINUTES / 60))]))
    .executeTakeFirst());
  const signInBuckets = count(await deps.db.deleteFrom('portal_throttle')
    .where('updated_at', '<', hoursAgo(THROTTLE_IDLE_HOURS))
    .where((eb) => eb.or([eb('full_at', 'is', null), eb('full_at', '<=', now)]))
    .executeTakeFirst());
  const usedLinks = count(await deps.db.deleteFrom('portal_used_links').where('expires_at', '<', now).executeTakeFirst());
  const formTokens = count(await deps.db.deleteFrom('used_form_tokens').where('used_at', '<', hoursAgo(FORM_TOKEN_DAYS * 24)).executeTakeFirst());
  return { staffSessions, signInBuckets, usedLinks, formTokens };
}
