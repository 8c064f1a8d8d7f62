import type { Logger } from 'pino';
import type { Db } from '../adapters/db/database.ts';
import type { Clock } from '../application/clock.ts';
import { forgetSpentRecords } from '../application/housekeeping.ts';
import { eraseExpiredContacts } from '../application/retention.ts';
import { eraseHandledRequestContacts } from '../application/adhesion-requests.ts';
import { startPeriodicJob } from './periodic.ts';

/** The erasure is counted in days: looking every hour keeps a case at most an hour past its term. */
export const RETENTION_EVERY_MS = 60 * 60_000;

/**
 * Erases the contacts of cases closed more than `days` ago and those of adhesion requests handled or pending
 * longer than that, and forgets the spent sign-in and form records
 * (docs/security.md), at start and then every hour.
 */
export function startRetentionJob(options: { db: Db; clock: Clock; days: number; logger?: Logger | undefined; everyMs?: number }): { stop(): Promise<void> } {
  return startPeriodicJob(
    async () => {
      const cases = await eraseExpiredContacts(options, options.days);
      if (cases > 0) options.logger?.info({ cases, days: options.days }, 'contacts of closed cases erased (retention period over)');
      const requests = await eraseHandledRequestContacts(options, options.days);
      if (requests > 0) options.logger?.info({ requests, days: options.days }, 'contacts of handled or expired adhesion requests erased');
      const forgotten = await forgetSpentRecords(options);
      if (Object.values(forgotten).some((n) => n > 0)) options.logger?.info(forgotten, 'spent sessions, sign-in buckets, links and form tokens forgotten');
    },
    { everyMs: options.everyMs ?? RETENTION_EVERY_MS, logger: options.logger, failure: 'retention: erasing contacts failed, retrying at the next run' },
  );
}
