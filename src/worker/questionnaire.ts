import type { Logger } from 'pino';
import type { Db } from '../adapters/db/database.ts';
import type { Clock } from '../application/clock.ts';
import { shuffleHeldAnswers } from '../application/portal/questionnaire.ts';
import { startPeriodicJob } from './periodic.ts';

/**
 * How long an answer keeps its marker's transaction id and place in the row order: a copy of the database
 * taken within this time can still tie the two (docs/security.md).
 */
export const SHUFFLE_EVERY_MS = 5 * 60_000;

/** Runs the questionnaire's shuffling job at start and then periodically, until stopped; a failed run waits for the next. */
export function startQuestionnaireJob(options: { db: Db; clock: Clock; logger?: Logger | undefined; everyMs?: number }): { stop(): Promise<void> } {
  return startPeriodicJob(
    async () => {
      const { published, held } = await shuffleHeldAnswers(options);
      if (published > 0) options.logger?.info({ published, held }, 'questionnaire answers published');
    },
    { everyMs: options.everyMs ?? SHUFFLE_EVERY_MS, logger: options.logger, failure: 'questionnaire answers: shuffling failed, retrying at the next run' },
  );
}
