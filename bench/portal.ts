/**
 * The signed-in case page of "La tua pratica on line" on PostgreSQL with 100,000 cases, against a bare
 * Fastify route in the same run (issue 4: at least 40% of the bare route, p99 under 25 ms, 50 connections).
 */
import Fastify from 'fastify';
import { buildApp } from '../src/adapters/web/app.ts';
import { fixedClock } from '../src/application/clock.ts';
import { DEMO_LOGINS, seedDemoData } from '../src/application/demo.ts';
import { generateCases } from '../src/application/generator.ts';
import { load, machine, ratio, temporaryPostgres } from './support.ts';

const CASES = Number(process.env.BENCH_PORTAL_CASES ?? 100_000);
const DAY = '2026-11-26';

function cookiesOf(setCookie: string | string[] | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return jar;
}

export async function benchPortal(): Promise<string> {
  const database = await temporaryPostgres('portal');
  const clock = fixedClock(DAY);
  const bare = Fastify({ logger: false });
  bare.get('/', async () => ({ ok: true }));
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    await seedDemoData({ db: database.db, clock });
    const started = performance.now();
    await generateCases(database.db, { count: CASES, today: DAY, seed: 4 });
    const generated = ((performance.now() - started) / 1000).toFixed(0);
    await database.pool.query('ANALYZE');

    app = await buildApp({ db: database.db, clock, publicBaseUrl: 'http://localhost', production: false, sessionSecret: 'bench-secret-0123456789-0123456789-0123' });
    const { code } = await database.db.selectFrom('cases').select('code').where('subject', 'like', '%acque meteoriche%').executeTakeFirstOrThrow();
    // sign in once, as a citizen would, and reuse the session cookie
    const loginPage = await app.inject({ url: '/pratica' });
    const jar = cookiesOf(loginPage.headers['set-cookie']);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)![1]!;
    const signedIn = await app.inject({
      method: 'POST',
      url: '/pratica/accesso',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      payload: new URLSearchParams({ _csrf: csrf, code, password: DEMO_LOGINS.casePassword }).toString(),
    });
    if (signedIn.statusCode !== 303) throw new Error(`sign-in failed: ${signedIn.statusCode}`);
    for (const [k, v] of cookiesOf(signedIn.headers['set-cookie'])) jar.set(k, v);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    // a short warm-up of both, so JIT and pool connections are ready
    await load(bareUrl, ['/'], { seconds: 2 });
    await load(appUrl, ['/pratica/dettaglio'], { seconds: 2, headers: { cookie } });
    const reference = await load(bareUrl, ['/']);
    const page = await load(appUrl, ['/pratica/dettaglio'], { headers: { cookie } });
    const pass = page.requestsPerSecond >= 0.4 * reference.requestsPerSecond && page.p99 < 25;
    return [
      '## Portal: the signed-in case page',
      '',
      `PostgreSQL with ${(await database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n} cases (${CASES} generated in ${generated} s), ` +
        `50 connections, autocannon in the same process as the servers; ${machine()}.`,
      '',
      '| route | req/s | p50 ms | p99 ms | errors | non-2xx |',
      '|---|---:|---:|---:|---:|---:|',
      `| bare Fastify \`GET /\` | ${reference.requestsPerSecond.toFixed(0)} | ${reference.p50} | ${reference.p99} | ${reference.errors} | ${reference.non2xx} |`,
      `| \`GET /pratica/dettaglio\` (signed in) | ${page.requestsPerSecond.toFixed(0)} | ${page.p50} | ${page.p99} | ${page.errors} | ${page.non2xx} |`,
      '',
      `Case page throughput: ${ratio(page.requestsPerSecond, reference.requestsPerSecond)} of the bare route (target ≥ 40%); p99 ${page.p99} ms (target < 25 ms): ${pass ? 'target met' : 'target NOT met'}.`,
    ].join('\n');
  } finally {
    await app?.close();
    await bare.close();
    await database.close();
  }
}
