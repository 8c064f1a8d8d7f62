import type { DatabaseHandle } from '../../src/adapters/db/database.ts';
import { buildApp } from '../../src/adapters/web/app.ts';
import type { App } from '../../src/adapters/web/app.ts';
import { fixedClock } from '../../src/application/clock.ts';
import type { Clock } from '../../src/application/clock.ts';
import { createTestDatabase } from './database.ts';
import { TODAY, seedCatalogue } from './fixtures.ts';

export interface TestApp {
  app: App;
  database: DatabaseHandle;
  clock: Clock;
  close(): Promise<void>;
}

export const TEST_SESSION_SECRET = 'test-session-secret-that-is-long-enough-0123456789';

/** The whole web application on a fresh database with the demo catalogue, on a fixed day; no port opened. */
export async function createTestApp(options: { seed?: boolean; today?: string; production?: boolean } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = fixedClock(options.today ?? TODAY);
  if (options.seed ?? true) await seedCatalogue(database.db, clock);
  const app = await buildApp({
    db: database.db,
    clock,
    publicBaseUrl: 'http://localhost:3000',
    production: options.production ?? false,
    sessionSecret: TEST_SESSION_SECRET,
  });
  await app.ready();
  return {
    app,
    database,
    clock,
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
