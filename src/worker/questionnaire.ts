import type { Logger } from 'pino';
import type { Db } from '../adapters/db/database.ts';
import type { Clock } from '../application/clock.ts';
import { shuffleHeldAnswers } from '../application/portal/questionnaire.ts';

/**
 * How long an answer keeps its marker's transaction id and place in the row order: a copy of the database
 * taken within this time can still tie the two (docs/security.md).
 */
export const SHUFFLE_EVERY_MS = 5 * 60_000;

/** Runs the questionnaire's shuffling job at start and then periodically, until stopped; a failed run waits for the next. */
export function startQuestionnaireJob(options: { db: Db; clock: Clock; logger?: Logger | undefined; everyMs?: number }): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = shuffleHeldAnswers(options)
      .then(({ published, held }) => {
        if (published > 0) options.logger?.info({ published, held }, 'questionnaire answers published');
      })
      .catch((error: unknown) => options.logger?.error({ err: error }, 'questionnaire answers: shuffling failed, retrying at the next run'));
  };
  run();
  const timer = setInterval(() => running.then(run), options.everyMs ?? SHUFFLE_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
