import type { Logger } from 'pino';

/**
 * A job of the worker, in `pratica worker` and in the server's in-process mode alike: run at start, then every
 * `everyMs`, never two runs at once; a failed run is logged and waits for the next. `stop` waits for the current run.
 */
export function startPeriodicJob(run: () => Promise<void>, options: { everyMs: number; logger?: Logger | undefined; failure: string }): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const once = () => {
    running = run().catch((error: unknown) => options.logger?.error({ err: error }, options.failure));
  };
  once();
  const timer = setInterval(() => running.then(once), options.everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
