/**
 * The public "Monitoraggio tempi procedimentali" (art. 1 c.28 L. 190/2012) and its open data: per procedure the
 * term, the cases concluded in the year, the share concluded on time and the mean net duration. No personal data;
 * a procedure with fewer than MIN_GROUP cases concluded shows no figure at all ("dati insufficienti").
 * Cached per year and invalidated by any new event, so the page costs one index probe when nothing changed.
 */
import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import type { IsoDate } from '../../domain/deadline/index.ts';
import type { Clock } from '../clock.ts';
import { DomainError } from '../../domain/errors.ts';
import { mean, percent, publishable } from '../../domain/reports/statistics.ts';
import { groupFigures } from './times.ts';

export interface PublicProcedureLine {
  procedureCode: string;
  procedureName: string;
  officeName: string;
  termText: string;
  silenzioAssenso: boolean;
  /** false: fewer than MIN_GROUP cases concluded; every figure below is null */
  sufficient: boolean;
  concluded: number | null;
  onTimeShare: number | null;
  meanNetDays: number | null;
}

export interface PublicTimes {
  year: number;
  from: IsoDate;
  /** the end of the year, or today for the current year */
  to: IsoDate;
  procedures: PublicProcedureLine[];
}

export interface TransparencyDeps {
  db: Db;
  clock: Pick<Clock, 'now' | 'today'>;
  /** the figures already computed by this process (newPublicTimesCache, one per app) */
  publicTimesCache: PublicTimesCache;
}

/**
 * The public figures by year and day, with the last event id they saw; an entry also expires after a while, so that
 * renamed procedures show up without an event. It holds the computation itself: requests that arrive while it runs
 * wait for it instead of each starting one.
 */
export type PublicTimesCache = Map<string, { version: string; at: number; value: Promise<PublicTimes> }>;
const CACHE_MS = 5 * 60_000;

export function newPublicTimesCache(): PublicTimesCache {
  return new Map();
}

/** The years offered: from the first year with a closed case to the current one. */
export async function transparencyYears(deps: TransparencyDeps): Promise<number[]> {
  const current = Number(deps.clock.today().slice(0, 4));
  const row = await sql<{ first: string | null }>`SELECT min(closed_on)::text AS first FROM cases WHERE closed_on IS NOT NULL`.execute(deps.db);
  const first = row.rows[0]?.first ? Number(row.rows[0].first.slice(0, 4)) : current;
  const years: number[] = [];
  for (let y = current; y >= Math.max(first, current - 10); y--) years.push(y);
  return years;
}

export async function publicTimes(deps: TransparencyDeps, year: number): Promise<PublicTimes> {
  const today = deps.clock.today();
  const current = Number(today.slice(0, 4));
  if (!Number.isInteger(year) || year < 2000 || year > current) {
    throw new DomainError('invalid-input', `Anno non valido: indicare un anno tra 2000 e ${current}.`, { field: 'year' });
  }
  // the highest event id changes with every recorded event; today changes the "to" of the current year
  const version = await sql<{ v: string | null }>`SELECT max(id)::text AS v FROM case_events`.execute(deps.db);
  const key = `${year}|${today}`;
  const stamp = `${version.rows[0]?.v ?? '0'}`;
  const cache = deps.publicTimesCache;
  const now = deps.clock.now().getTime();
  const cached = cache.get(key);
  if (cached && cached.version === stamp && now - cached.at < CACHE_MS) return cached.value;

  if (cache.size > 50) cache.clear();
  const value = computePublicTimes(deps.db, year, year === current ? today : `${year}-12-31`, today);
  const entry = { version: stamp, at: now, value };
  cache.set(key, entry);
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return value;
}

async function computePublicTimes(db: Db, year: number, to: IsoDate, today: IsoDate): Promise<PublicTimes> {
  const from = `${year}-01-01`;
  const [{ figures }, procedures] = await Promise.all([
    groupFigures(db, { from, to, today, officeId: null, procedureId: null }),
    db
      .selectFrom('procedures')
      .innerJoin('offices', 'offices.id', 'procedures.office_id')
      .select(['procedures.id', 'procedures.code', 'procedures.name', 'procedures.term_text', 'procedures.silenzio_assenso', 'offices.name as office_name'])
      .where('procedures.term_amount', 'is not', null)
      .where('procedures.active', '=', true)
      .orderBy('offices.name')
      .orderBy('procedures.name')
      .execute(),
  ]);
  return {
    year,
    from,
    to,
    procedures: procedures.map((p) => {
      const f = figures.get(`procedure:${p.id}`);
      const closed = f?.closed ?? 0;
      const sufficient = publishable(closed);
      return {
        procedureCode: p.code, procedureName: p.name, officeName: p.office_name, termText: p.term_text, silenzioAssenso: p.silenzio_assenso,
        sufficient,
        concluded: sufficient ? closed : null,
        onTimeShare: sufficient && f ? percent(f.closedOnTime, closed) : null,
        meanNetDays: sufficient && f ? mean(f.netDaysSum, closed) : null,
      };
    }),
  };
}
