/**
 * A generated data set for the report tests: the demo catalogue and its cases (recorded through recordEvent),
 * a few thousand generated cases (suspensions of every kind, two years across holidays), cases with interruptions,
 * 10-bis observations, c.7 suspensions past 30 days and closings while suspended, some of them inserted the way a
 * database from before migration 0005 holds them (no derived figures), and a handful of events recorded today.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/adapters/db/database.ts';
import { recordEvent } from '../../src/application/cases.ts';
import { loadCalendar } from '../../src/application/calendar.ts';
import { termColumnsOf, termsOfCase } from '../../src/application/case-terms.ts';
import { fixedClock } from '../../src/application/clock.ts';
import { generateCases } from '../../src/application/generator.ts';
import { caseDeadline } from '../../src/domain/case/decide.ts';
import type { CaseEvent } from '../../src/domain/case/decide.ts';
import { addDays } from '../../src/domain/deadline/index.ts';
import type { CaseCommand } from '../../src/domain/case/decide.ts';
import { TODAY, seedCatalogue, systemActor } from '../support/fixtures.ts';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/** Event stories the bulk generator does not write. */
function unusualStory(rand: () => number, received: string, today: string): CaseEvent[] {
  const events: CaseEvent[] = [];
  let day = received;
  const next = (max: number): string | undefined => {
    const d = addDays(day, 1 + Math.floor(rand() * max));
    if (d > today) return undefined;
    day = d;
    return d;
  };
  const push = (e: Omit<CaseEvent, 'reason' | 'notes'>) => events.push({ reason: 'motivo', notes: '', ...e });
  const start = next(3);
  if (!start) return events;
  push({ type: 'start', effectiveOn: start });
  const variant = Math.floor(rand() * 6);
  const suspend = (kind: 'art2c7' | 'art10bis' | 'other' | 'interruption', max: number) => {
    const d = next(max);
    if (d) push({ type: 'suspend', effectiveOn: d, suspensionKind: kind, legalBasis: kind === 'other' || kind === 'interruption' ? 'L.R. 4/2018' : undefined });
    return d;
  };
  if (variant === 0) {
    // interruption, resumed: the whole term restarts
    if (!suspend('interruption', 20)) return events;
    const r = next(40);
    if (r) push({ type: 'resume', effectiveOn: r });
  } else if (variant === 1) {
    // 10-bis notice with timely observations
    if (!suspend('art10bis', 25)) return events;
    const o = next(9);
    if (!o) return events;
    push({ type: 'observations', effectiveOn: o });
    const r = next(20);
    if (r) push({ type: 'resume', effectiveOn: r });
  } else if (variant === 2) {
    // c.7 resumed after more than 30 days: capped by law
    if (!suspend('art2c7', 10)) return events;
    const r = next(60);
    if (r) push({ type: 'resume', effectiveOn: r });
  } else if (variant === 3) {
    // closed while suspended (other)
    if (!suspend('other', 15)) return events;
    const c = next(30);
    if (c) push({ type: 'close', effectiveOn: c, outcome: 'withdrawn' });
    return events;
  } else if (variant === 4) {
    // suspension of a special law, still open: no deadline known
    suspend('other', 30);
    return events;
  } else {
    // interruption still open
    suspend('interruption', 30);
    return events;
  }
  if (events.at(-1)?.type === 'resume' && rand() < 0.7) {
    const c = next(70);
    if (c) push({ type: 'close', effectiveOn: c, outcome: rand() < 0.8 ? 'accepted' : 'rejected' });
  }
  return events;
}

/** Inserts cases with unusual stories directly, and leaves their figures underived like pre-0005 rows. */
async function insertUnusual(db: Db, count: number, seed: number): Promise<void> {
  const rand = random(seed);
  const procedures = await db.selectFrom('procedures').selectAll().where('term_amount', 'is not', null).execute();
  const calendar = await loadCalendar(db);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = procedures[Math.floor(rand() * procedures.length)]!;
    const received = addDays(TODAY, -Math.floor(rand() * 700));
    const events = unusualStory(rand, received, TODAY);
    const termColumns = termColumnsOf(p);
    const deadline = caseDeadline(received, events, termsOfCase(termColumns), calendar, TODAY);
    const last = events.at(-1);
    const close = events.find((e) => e.type === 'close');
    const state = close ? 'closed' : !last ? 'enrolled' : last.type === 'suspend' || last.type === 'observations' ? 'suspended' : last.type === 'resume' ? 'resumed' : 'in-progress';
    const id = randomUUID();
    ids.push(id);
    await db.insertInto('cases').values({
      id, code: `FC-UNUS-${String(i).padStart(4, '0')}`, procedure_id: p.id, office_id: p.office_id,
      subject: 'Pratica particolare', applicant_name: `Richiedente particolare ${i}`, received_on: received, state,
      deadline: deadline.deadline, deadline_provisional: deadline.provisional, outcome: close?.outcome ?? null, closed_on: close?.effectiveOn ?? null,
      password_hash: 'x', version: 1 + events.length, ...termColumns,
    }).execute();
    if (events.length) {
      await db.insertInto('case_events').values(events.map((e, seq) => ({
        case_id: id, seq: seq + 1, type: e.type, effective_on: e.effectiveOn, recorded_by: 'test', reason: e.reason, notes: e.notes,
        suspension_kind: e.suspensionKind ?? null, legal_basis: e.legalBasis ?? null, outcome: e.outcome ?? null,
      }))).execute();
    }
  }
  // as a database migrated to 0005 finds its old cases: no figures yet
  await sql`UPDATE cases SET suspended_days = NULL, figures_at = NULL WHERE id = ANY(${ids}::uuid[])`.execute(db);
}

/** A few events recorded today through the use case, on generated open cases: interruptions and 10-bis notices. */
async function recordToday(db: Db, count: number): Promise<void> {
  const deps = { db, clock: fixedClock(TODAY) };
  const open = await db
    .selectFrom('cases').select(['code', 'state'])
    .where('state', 'in', ['in-progress', 'resumed'])
    .where('subject', 'like', 'Pratica generata%')
    .orderBy('code').limit(count).execute();
  for (const [i, c] of open.entries()) {
    const command: CaseCommand = i % 3 === 0
      ? { type: 'suspend', effectiveOn: TODAY, kind: 'interruption', legalBasis: 'D.Lgs. 152/2006, art. 124', reason: 'Nuova istanza' }
      : i % 3 === 1
        ? { type: 'suspend', effectiveOn: TODAY, kind: 'art10bis', reason: 'Preavviso di rigetto' }
        : { type: 'close', effectiveOn: TODAY, outcome: 'accepted' };
    await recordEvent(deps, systemActor, c.code, command);
  }
}

export async function buildDataset(db: Db, options: { generated: number; unusual: number; today: number }): Promise<void> {
  await seedCatalogue(db);
  await generateCases(db, { count: options.generated, today: TODAY, seed: 20261126 });
  await insertUnusual(db, options.unusual, 99);
  await recordToday(db, options.today);
}
