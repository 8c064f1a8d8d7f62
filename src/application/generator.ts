import { randomUUID } from 'node:crypto';
import type { Db } from '../adapters/db/database.ts';
import type { CaseEventTable, CaseTable } from '../adapters/db/schema.ts';
import type { Insertable } from 'kysely';
import { caseDeadline } from '../domain/case/decide.ts';
import type { CaseEvent } from '../domain/case/decide.ts';
import type { CaseState } from '../domain/case/states.ts';
import { addDays } from '../domain/deadline/index.ts';
import type { IsoDate, SuspensionKind } from '../domain/deadline/index.ts';
import { loadCalendar } from './calendar.ts';
import { termColumnsOf, termsOfCase } from './case-terms.ts';
import { figuresOf } from './reports/figures.ts';
import type { CaseSuspensionTable } from '../adapters/db/schema.ts';
import { hashPasswordArgon2, newCaseCode } from './credentials.ts';

export interface GenerateOptions {
  count: number;
  today: IsoDate;
  /** deterministic data for tests: a simple linear congruential generator from this seed */
  seed?: number;
  batchSize?: number;
  onProgress?: (done: number) => void;
}

/** A small deterministic random source, so generated data sets can be reproduced. */
function randomSource(start: number): () => number {
  let state = start >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FIRST_NAMES = [
  'Marco', 'Giulia', 'Luca', 'Francesca', 'Andrea', 'Chiara', 'Matteo', 'Sara', 'Alessandro', 'Elena', 'Davide', 'Martina', 'Simone',
  'Valentina', 'Federico', 'Laura', 'Lorenzo', 'Silvia', 'Stefano', 'Paola', 'Giorgio', 'Anna', 'Roberto', 'Elisa', 'Paolo', 'Marta',
  'Nicola', 'Claudia', 'Riccardo', 'Federica', 'Tommaso', 'Beatrice', 'Filippo', 'Alice', 'Gabriele', 'Irene', 'Daniele', 'Ilaria',
];
const SURNAMES = [
  'Rossi', 'Bianchi', 'Ricci', 'Fabbri', 'Casadei', 'Zanotti', 'Bartolini', 'Venturi', 'Rinaldi', 'Amadori', 'Montanari', 'Guidi',
  'Pasini', 'Foschi', 'Bertozzi', 'Mazzotti', 'Baldacci', 'Gardini', 'Lombardi', 'Benini', 'Morigi', 'Giorgini', 'Campana', 'Savini',
  'Magnani', 'Zoffoli', 'Biondi', 'Dall\'Ara', 'Pieri', 'Tassinari', 'Camporesi', 'Valmori', 'Zavalloni', 'Neri', 'Gasperini', 'Sirri',
  'Turci', 'Bondi', 'Lucchi', 'Brighi', 'Santucci', 'Marchi', 'Ravaioli', 'Ghetti', 'Orioli', 'Conti', 'Medri', 'Righini',
];
const COMPANY_FORMS = ['S.r.l.', 'S.n.c.', 'S.p.A.', 'S.a.s.', 'Soc. coop.'];
const COMPANY_TRADES = ['Edil', 'Trasporti', 'Costruzioni', 'Impianti', 'Scavi', 'Autotrasporti', 'Agricola', 'Servizi'];

/** A plausible applicant: mostly people, some firms, spread like real names (a common surname recurs). */
function applicantName(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (random() < 0.7) return `${pick(FIRST_NAMES)} ${pick(SURNAMES)}`;
  return `${pick(COMPANY_TRADES)} ${pick(SURNAMES)} ${pick(COMPANY_FORMS)}`;
}

interface Story {
  state: CaseState;
  events: CaseEvent[];
}

/** A plausible life of a case received on `received`, never past `today`. */
function story(random: () => number, received: IsoDate, today: IsoDate): Story {
  const events: CaseEvent[] = [];
  let day = received;
  const step = (max: number): IsoDate | undefined => {
    const next = addDays(day, 1 + Math.floor(random() * max));
    if (next > today) return undefined;
    day = next;
    return next;
  };
  const started = step(3);
  if (!started) return { state: 'enrolled', events };
  events.push({ type: 'start', effectiveOn: started, reason: 'Avvio', notes: '' });
  let state: CaseState = 'in-progress';
  let usedC7 = false;
  for (let i = 0; i < 3; i++) {
    const roll = random();
    if (roll < 0.3) {
      const kind: SuspensionKind = !usedC7 && random() < 0.6 ? 'art2c7' : random() < 0.5 ? 'art10bis' : 'other';
      usedC7 ||= kind === 'art2c7';
      const suspended = step(40);
      if (!suspended) break;
      events.push({ type: 'suspend', effectiveOn: suspended, reason: 'Integrazione richiesta', notes: '', suspensionKind: kind, legalBasis: kind === 'other' ? 'D.Lgs. 152/2006' : undefined });
      state = 'suspended';
      const resumed = step(35);
      if (!resumed) break;
      events.push({ type: 'resume', effectiveOn: resumed, reason: 'Integrazione ricevuta', notes: '' });
      state = 'resumed';
    } else if (roll < 0.85) {
      const closed = step(60);
      if (!closed) break;
      events.push({ type: 'close', effectiveOn: closed, reason: 'Provvedimento adottato', notes: '', outcome: random() < 0.85 ? 'accepted' : 'rejected' });
      state = 'closed';
      break;
    }
  }
  return { state, events };
}

/**
 * Bulk data for benchmarks and report tests: cases spread over the last two years in every state,
 * written in batches without the audit log (they are generated, not recorded by anyone).
 */
/** Every generated case has this password, so benchmarks can sign in as its citizen. */
export const GENERATED_CASE_PASSWORD = 'generated-case-password';

export async function generateCases(db: Db, options: GenerateOptions): Promise<number> {
  const random = randomSource(options.seed ?? Date.now());
  // names from a source of their own, so the cases' stories stay those of the seed
  const names = randomSource((options.seed ?? Date.now()) ^ 0x5bd1e995);
  const batchSize = options.batchSize ?? 500;
  const procedures = await db
    .selectFrom('procedures')
    .innerJoin('offices', 'offices.id', 'procedures.office_id')
    .innerJoin('administrations', 'administrations.id', 'offices.administration_id')
    .selectAll('procedures')
    .select('administrations.code as prefix')
    .where('procedures.term_amount', 'is not', null)
    .where('procedures.active', '=', true)
    .execute();
  if (procedures.length === 0) throw new Error('no procedure with a numeric term: seed the catalogue first');
  const calendar = await loadCalendar(db);
  // argon2id, not the keyed HMAC: generated data is copied between runs, each with a key of its own
  const passwordHash = await hashPasswordArgon2(GENERATED_CASE_PASSWORD);
  let inserted = 0;
  while (inserted < options.count) {
    const size = Math.min(batchSize, options.count - inserted);
    const cases: Insertable<CaseTable>[] = [];
    const eventsByCase = new Map<string, Insertable<CaseEventTable>[]>();
    const figuresByCase = new Map<string, ReturnType<typeof figuresOf>>();
    for (let i = 0; i < size; i++) {
      const procedure = procedures[Math.floor(random() * procedures.length)]!;
      const termColumns = termColumnsOf(procedure);
      const terms = termsOfCase(termColumns);
      const received = addDays(options.today, -Math.floor(random() * 730));
      const { state, events } = story(random, received, options.today);
      const deadline = caseDeadline(received, events, terms, calendar);
      const id = randomUUID();
      const close = events.find((e) => e.type === 'close');
      const n = inserted + i;
      const figures = figuresOf({ id, office_id: procedure.office_id, procedure_id: procedure.id }, deadline);
      figuresByCase.set(id, figures);
      cases.push({
        id,
        code: newCaseCode(procedure.prefix),
        procedure_id: procedure.id,
        office_id: procedure.office_id,
        subject: `Pratica generata n. ${n + 1}`,
        applicant_name: applicantName(names),
        received_on: received,
        protocol_number: `G/${n + 1}`,
        email: `richiedente${n + 1}@cittadini.example`,
        notify_email: true,
        state,
        deadline: deadline.deadline,
        deadline_provisional: deadline.provisional,
        ...termColumns,
        outcome: close?.outcome ?? null,
        closed_on: close?.effectiveOn ?? null,
        password_hash: passwordHash,
        version: 1 + events.length,
        created_at: new Date(new Date(`${received}T09:00:00Z`).getTime() + n),
        // the report figures (migration 0005), from the deadline just computed, as refreshCaseFigures would store them
        suspended_days: figures.suspendedDays,
        figures_at: new Date(),
      } as Insertable<CaseTable>);
      eventsByCase.set(id, events.map((e, index) => ({
        case_id: id, seq: index + 1, type: e.type, effective_on: e.effectiveOn, recorded_by: 'generatore', reason: e.reason, notes: e.notes,
        suspension_kind: e.suspensionKind ?? null, legal_basis: e.legalBasis ?? null, outcome: e.outcome ?? null,
      })));
    }
    await db.transaction().execute(async (trx) => {
      // 40-bit codes can clash in millions of cases: a clashing row is skipped and made up in the next batch
      const rows = await trx
        .insertInto('cases')
        .values(cases)
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .execute();
      const events = rows.flatMap((r) => eventsByCase.get(r.id) ?? []);
      for (let i = 0; i < events.length; i += 2000) await trx.insertInto('case_events').values(events.slice(i, i + 2000)).execute();
      const suspensions: CaseSuspensionTable[] = rows.flatMap((r) => figuresByCase.get(r.id)?.suspensions ?? []);
      for (let i = 0; i < suspensions.length; i += 2000) await trx.insertInto('case_suspensions').values(suspensions.slice(i, i + 2000)).execute();
      inserted += rows.length;
    });
    options.onProgress?.(inserted);
  }
  return inserted;
}
