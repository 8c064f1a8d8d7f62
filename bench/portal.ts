/**
 * The signed-in case page of "La tua pratica on line" on PostgreSQL with 100,000 cases, against a bare
 * Fastify route in the same run (target: at least 40% of the bare route, p99 under 25 ms, 50 connections).
 */
import { buildApp } from '../src/adapters/web/app.ts';
import { fixedClock } from '../src/application/clock.ts';
import { seedDemoData } from '../src/application/demo.ts';
import { GENERATED_CASE_PASSWORD, generateCases } from '../src/application/generator.ts';
import { alternate, bareServer, load, machine, ratio, temporaryPostgres, benchServices } from './support.ts';
import type { LoadRequest } from './support.ts';

const CASES = Number(process.env.BENCH_PORTAL_CASES ?? 100_000);
const DAY = '2026-11-26';
/** citizens reading their case page at the same time, each on their own case */
const SIGNED_IN = Number(process.env.BENCH_PORTAL_SESSIONS ?? 200);

function cookiesOf(setCookie: string | string[] | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return jar;
}

/** Signs in as the citizen would (login page, then the form), each from their own address; returns the cookies. */
async function signIn(app: Awaited<ReturnType<typeof buildApp>>, code: string, index: number): Promise<string> {
  const remoteAddress = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const loginPage = await app.inject({ url: '/pratica', remoteAddress });
  const jar = cookiesOf(loginPage.headers['set-cookie']);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)![1]!;
  const signedIn = await app.inject({
    method: 'POST',
    url: '/pratica/accesso',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    payload: new URLSearchParams({ _csrf: csrf, code, password: GENERATED_CASE_PASSWORD }).toString(),
  });
  if (signedIn.statusCode !== 303) throw new Error(`sign-in of ${code} failed: ${signedIn.statusCode}`);
  for (const [k, v] of cookiesOf(signedIn.headers['set-cookie'])) jar.set(k, v);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export async function benchPortal(): Promise<string> {
  const database = await temporaryPostgres('portal');
  const clock = fixedClock(DAY);
  const bare = await bareServer();
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    await seedDemoData({ ...benchServices(clock), db: database.db });
    const started = performance.now();
    await generateCases(database.db, { count: CASES, today: DAY, seed: 4 });
    const generated = ((performance.now() - started) / 1000).toFixed(0);
    await database.pool.query('ANALYZE');

    app = await buildApp({
      db: database.db, listen: database.listen, ...benchServices(clock), publicBaseUrl: 'http://localhost', production: false,
      sessionSecret: 'bench-secret-0123456789-0123456789-0123',
    });
    // citizens of SIGNED_IN cases spread over the whole data set, each with their own session
    const codes = (await database.pool.query<{ code: string }>(`SELECT code FROM cases WHERE subject LIKE 'Pratica generata%' ORDER BY md5(code) LIMIT ${SIGNED_IN}`)).rows.map((r) => r.code);
    const sessions: LoadRequest[] = [];
    for (const [index, code] of codes.entries()) sessions.push({ path: '/pratica/dettaglio', headers: { cookie: await signIn(app, code, index) } });

    const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = bare.url;
    // a short warm-up of both, so JIT and pool connections are ready and each citizen has read their page once
    await load(bareUrl, ['/'], { seconds: 2 });
    await load(appUrl, sessions, { seconds: 2 });
    const { reference, measured: page, ratios } = await alternate(() => load(bareUrl, ['/']), () => load(appUrl, sessions));
    const pass = page.requestsPerSecond >= 0.4 * reference.requestsPerSecond && page.p99 < 25;
    return [
      '## Portal: the signed-in case page',
      '',
      `PostgreSQL with ${(await database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n} cases (${CASES} generated in ${generated} s), ` +
        `${SIGNED_IN} citizens signed in on as many cases, each request one of them at random; 50 connections; ` +
        `autocannon in a process of its own, the bare route in another; case pages kept in memory and ` +
        `dropped on the database's change notifications (docs/portal.md); ${machine()}. ` +
        `Medians of ${ratios.length} rounds of ${process.env.BENCH_SECONDS ?? 10} s, the two routes taking turns.`,
      '',
      '| route | req/s | p50 ms | p99 ms | errors | non-2xx |',
      '|---|---:|---:|---:|---:|---:|',
      `| bare Fastify \`GET /\` | ${reference.requestsPerSecond.toFixed(0)} | ${reference.p50} | ${reference.p99} | ${reference.errors} | ${reference.non2xx} |`,
      `| \`GET /pratica/dettaglio\` (signed in) | ${page.requestsPerSecond.toFixed(0)} | ${page.p50} | ${page.p99} | ${page.errors} | ${page.non2xx} |`,
      '',
      `Case page throughput: ${ratio(page.requestsPerSecond, reference.requestsPerSecond)} of the bare route (target ≥ 40%; ` +
        `round by round ${ratios.map((r) => `${(100 * r).toFixed(0)}%`).join(', ')}); p99 ${page.p99} ms (target < 25 ms): ${pass ? 'target met' : 'target NOT met'}.`,
    ].join('\n');
  } finally {
    await app?.close();
    await bare.close();
    await database.close();
  }
}
