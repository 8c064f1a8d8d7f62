import type { Logger } from 'pino';
import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import { fixedClock } from '../../src/application/clock.ts';
import type { Clock } from '../../src/application/clock.ts';
import type { ServerTimeouts } from '../../src/config.ts';
import type { IoCoverage } from '../../src/domain/case/contacts.ts';
import { createTestDatabase } from './database.ts';
import { TODAY, seedCatalogue } from './fixtures.ts';
import { seededTemplateFits } from './template.ts';
import { TEST_CREDENTIALS_KEYS, testServices } from './services.ts';
import type { CredentialsKeys } from '../../src/application/notifications/secrets.ts';
import type { Services } from '../../src/application/services.ts';

export interface TestApp<C extends Clock = Clock> {
  app: App;
  database: DatabaseHandle;
  clock: C;
  /** the services the app runs on: a use case called directly by the test takes the same */
  services: Services;
  close(): Promise<void>;
}

export const TEST_SESSION_SECRET = 'test-session-secret-that-is-long-enough-0123456789';

/**
 * The whole web application on a fresh database with the demo catalogue, on a fixed day (or on the
 * clock given, e.g. one a test can move); no port opened.
 */
export async function createTestApp<C extends Clock = Clock>(
  options: { seed?: boolean; today?: string; production?: boolean; clock?: C; timeouts?: ServerTimeouts; metricsToken?: string; logger?: Logger; io?: IoCoverage; credentialsKeys?: CredentialsKeys } = {},
): Promise<TestApp<C>> {
  const clock = (options.clock ?? fixedClock(options.today ?? TODAY)) as C;
  const seed = options.seed ?? true;
  const keys = options.credentialsKeys ?? TEST_CREDENTIALS_KEYS;
  // seeding costs seconds: a copy of the run's seeded template is the same catalogue when day, instant and key match
  const seeded = seed && seededTemplateFits(clock, keys);
  const database = await createTestDatabase({ seeded });
  if (seed && !seeded) await seedCatalogue(database.db, clock, keys);
  const services = testServices(clock, keys);
  const app = await buildApp({
    ...services,
    db: database.db,
    listen: database.listen,
    ...(options.io ? { io: options.io } : {}),
    publicBaseUrl: 'http://localhost:3000',
    production: options.production ?? false,
    sessionSecret: TEST_SESSION_SECRET,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    metricsToken: options.metricsToken,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.ready();
  return {
    app,
    database,
    clock,
    services,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Listens on a free loopback port, for browser tests. */
export async function listen(testApp: TestApp): Promise<string> {
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}
