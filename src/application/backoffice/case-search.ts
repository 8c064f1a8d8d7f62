import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import type { CaseState } from '../../domain/case/states.ts';
import { addDays, daysBetween, isIsoDate } from '../../domain/deadline/index.ts';
import { DomainError } from '../../domain/errors.ts';
import { isIsoTimestamp, isUuid } from '../../domain/text.ts';
import { NO_CASE, caseListQuery, caseTextFilter } from '../cases.ts';
import type { CaseSummary } from '../cases.ts';
import type { Clock } from '../clock.ts';

export type CaseSort = 'recent' | 'deadline';

export interface CaseSearch {
  q?: string | undefined;
  state?: CaseState | 'open' | undefined;
  procedureCode?: string | undefined;
  /** administrators only: the route scopes everyone else to their office */
  officeCode?: string | undefined;
  /** 'overdue', or open cases due within N days */
  due?: 'overdue' | '7' | '15' | '30' | undefined;
  sort?: CaseSort | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** A row of the back-office list: the API's case summary without the creation time. */
export type CaseRowSummary = Omit<CaseSummary, 'createdAt'>;

export interface CasePage {
  items: CaseRowSummary[];
  nextCursor: string | null;
}

// The cursor carries the sort key of the last row seen: a page costs the same at any depth (keyset pagination).
type Cursor = { s: 'recent'; t: string; id: string } | { s: 'deadline'; d: string | null; id: string };

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(text: string, sort: CaseSort): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (c.s === sort && typeof c.id === 'string' && isUuid(c.id)) {
      if (c.s === 'recent' && typeof c.t === 'string' && isIsoTimestamp(c.t)) return c;
      if (c.s === 'deadline' && (c.d === null || (typeof c.d === 'string' && isIsoDate(c.d)))) return c;
    }
  } catch {
    // fall through
  }
  throw new DomainError('invalid-input', 'Il cursore di paginazione non è valido: ripartire dalla prima pagina.', { field: 'cursor' });
}

/** The back-office case list: search, filters, two sort orders, keyset pages. `officeId` null: every office. */
export async function searchCases(deps: { db: Db; clock: Clock }, officeId: string | null, search: CaseSearch): Promise<CasePage> {
  const today = deps.clock.today();
  const sort: CaseSort = search.sort ?? 'recent';
  const limit = Math.min(Math.max(search.limit ?? 25, 1), 100);
  let query = caseListQuery(deps.db);
  if (officeId) query = query.where('cases.office_id', '=', officeId);
  if (search.officeCode) {
    const office = await deps.db.selectFrom('offices').select('id').where('code', '=', search.officeCode).executeTakeFirst();
    query = query.where('cases.office_id', '=', office?.id ?? NO_CASE);
  }
  if (search.procedureCode) {
    // resolved first, so the planner sees a constant and picks the (procedure_id, created_at) index
    const procedure = await deps.db.selectFrom('procedures').select('id').where('code', '=', search.procedureCode).executeTakeFirst();
    query = query.where('cases.procedure_id', '=', procedure?.id ?? NO_CASE);
  }
  if (search.state === 'open') query = query.where('cases.state', '!=', 'closed');
  else if (search.state) query = query.where('cases.state', '=', search.state);
  if (search.due === 'overdue') {
    query = query.where('cases.state', '!=', 'closed').where('cases.deadline', '<', today);
  } else if (search.due) {
    query = query.where('cases.state', '!=', 'closed').where('cases.deadline', '>=', today).where('cases.deadline', '<=', addDays(today, Number(search.due)));
  }
  const q = search.q?.trim();
  if (q) query = query.where(await caseTextFilter(deps.db, q));
  if (search.cursor) {
    const c = decode(search.cursor, sort);
    if (c.s === 'recent') {
      const t = new Date(c.t);
      query = query.where((eb) => eb.or([eb('cases.created_at', '<', t), eb.and([eb('cases.created_at', '=', t), eb('cases.id', '<', c.id)])]));
    } else if (c.d === null) {
      query = query.where('cases.deadline', 'is', null).where('cases.id', '>', c.id);
    } else {
      const d = c.d;
      query = query.where((eb) =>
        eb.or([
          eb('cases.deadline', '>', d),
          eb.and([eb('cases.deadline', '=', d), eb('cases.id', '>', c.id)]),
          eb('cases.deadline', 'is', null),
        ]),
      );
    }
  }
  query = sort === 'recent'
    ? query.orderBy('cases.created_at', 'desc').orderBy('cases.id', 'desc')
    : query.orderBy(sql`cases.deadline asc nulls last`).orderBy('cases.id', 'asc');
  const rows = await query.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > limit && last) {
    nextCursor = encode(sort === 'recent' ? { s: 'recent', t: last.created_at.toISOString(), id: last.id } : { s: 'deadline', d: last.deadline, id: last.id });
  }
  return {
    items: page.map((r) => ({
      code: r.code, state: r.state, subject: r.subject, applicantName: r.applicant_name, receivedOn: r.received_on,
      protocolNumber: r.protocol_number, procedureCode: r.procedure_code, procedureName: r.procedure_name, officeCode: r.office_code,
      deadline: r.deadline, daysRemaining: r.state !== 'closed' && r.deadline ? daysBetween(today, r.deadline) : null,
    })),
    nextCursor,
  };
}
