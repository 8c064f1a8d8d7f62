/**
 * Case passwords: enrolments per second with the keyed HMAC-SHA-256 hash they use now, and with the
 * argon2id hash they had (docs/security.md weighs the two). Both through the use case (enrolCase) on
 * PostgreSQL, 8 at a time, alternating over rounds; "argon2id" enrols with one argon2id hash computed
 * per enrolment besides, which is what the use case cost with it (the HMAC's microseconds aside).
 */
import { enrolCase } from '../src/application/cases.ts';
import { fixedClock } from '../src/application/clock.ts';
import { hashPassword, hashPasswordArgon2, newPassword, verifyPassword } from '../src/application/credentials.ts';
import { seedDemoData } from '../src/application/demo.ts';
import { BENCH_ACTOR, machine, temporaryPostgres, benchServices, BENCH_CREDENTIALS_KEYS } from './support.ts';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 200);
const AT_ONCE = 8;
const ROUNDS = 3;

async function rate(count: number, work: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: AT_ONCE }, async () => {
    while (next < count) await work(next++);
  }));
  return count / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchPasswords(): Promise<string> {
  const database = await temporaryPostgres('passwords');
  try {
    const clock = fixedClock('2026-11-26');
    await seedDemoData({ ...benchServices(clock), db: database.db });
    let n = 0;
    const enrol = () => enrolCase({ ...benchServices(clock), db: database.db }, BENCH_ACTOR, {
      procedureCode: 'TE-01', subject: `Trasporto eccezionale ${++n}`, applicantName: 'Banco di prova S.r.l.', receivedOn: '2026-11-20',
      email: `cittadino${n}@example.org`, channels: ['email'],
    });
    await rate(20, enrol); // warm-up
    const password = newPassword();
    const [hmacHash, argonHash] = [await hashPassword(password, BENCH_CREDENTIALS_KEYS), await hashPasswordArgon2(password)];
    const rounds: { hmac: number; argon2: number; hashHmac: number; hashArgon2: number; verifyHmac: number; verifyArgon2: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({
        hmac: await rate(ENROLMENTS, enrol),
        argon2: await rate(ENROLMENTS, async () => {
          await hashPasswordArgon2(newPassword());
          await enrol();
        }),
        hashHmac: await rate(20_000, () => hashPassword(newPassword(), BENCH_CREDENTIALS_KEYS)),
        hashArgon2: await rate(200, () => hashPasswordArgon2(newPassword())),
        verifyHmac: await rate(20_000, () => verifyPassword(hmacHash, password, BENCH_CREDENTIALS_KEYS)),
        verifyArgon2: await rate(200, () => verifyPassword(argonHash, password, BENCH_CREDENTIALS_KEYS)),
      });
    }
    const m = (key: keyof (typeof rounds)[number]) => median(rounds.map((r) => r[key]));
    const fmt = (v: number) => v.toFixed(0);
    const x = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    return [
      '## Case passwords: HMAC-SHA-256 or argon2id',
      '',
      `Machine: ${machine()} (the cores shared with other work while measuring: read the ratios, not the absolute figures). ` +
        `${ENROLMENTS} enrolments per round through enrolCase on PostgreSQL, ${AT_ONCE} at a time; medians of ${ROUNDS} rounds, the two ways alternating.`,
      '',
      '| measure | per second | vs argon2id |',
      '|---|---:|---:|',
      `| enrolments, argon2id (m=19 MiB, t=2, p=1; the reference) | ${fmt(m('argon2'))} | 1.0× |`,
      `| enrolments, HMAC-SHA-256 (now) | ${fmt(m('hmac'))} | ${x(m('hmac'), m('argon2'))} |`,
      `| hashes alone, argon2id | ${fmt(m('hashArgon2'))} | 1.0× |`,
      `| hashes alone, HMAC-SHA-256 | ${fmt(m('hashHmac'))} | ${x(m('hashHmac'), m('hashArgon2'))} |`,
      `| sign-in checks alone, argon2id | ${fmt(m('verifyArgon2'))} | 1.0× |`,
      `| sign-in checks alone, HMAC-SHA-256 | ${fmt(m('verifyHmac'))} | ${x(m('verifyHmac'), m('verifyArgon2'))} |`,
      '',
    ].join('\n');
  } finally {
    await database.close();
  }
}
