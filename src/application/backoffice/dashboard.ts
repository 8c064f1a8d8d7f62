import { sql } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import { addDays, substituteDeadline, substituteRequestAdmissible } from '../../domain/deadline/index.ts';
import { loadCalendar } from '../calendar.ts';
import type { IsoDate } from '../../domain/deadline/index.ts';
import { FAILED_STATUSES, STATUS_LABELS } from '../../domain/notification/index.ts';
import type { Clock } from '../clock.ts';

export interface DashboardDeps {
  db: Db;
  clock: Clock;
}

export interface DashboardCase {
  code: string;
  subject: string;
  applicantName: string;
  state: string;
  deadline: IsoDate | null;
  since?: IsoDate;
}

export interface Dashboard {
  open: number;
  overdue: number;
  dueWithin7: number;
  suspended: number;
  overdueCases: DashboardCase[];
  dueSoonCases: DashboardCase[];
  /** L. 241/1990 art. 2 c.7: at most 30 days; past that the clock runs again by law */
  c7Over30: DashboardCase[];
  failedMessages: { code: string; channel: string; recipient: string; statusLabel: string; failedAt: Date | null; error: string | null }[];
  optOutsToAcknowledge: DashboardCase[];
  /** L. 241/1990 art. 2 c.9-bis/9-ter: open cases the citizen took to the substitute, with the substitute's deadline */
  substituteRequests: (DashboardCase & { requestedOn: IsoDate; substituteDeadline: IsoDate | null })[];
}

const LIST = 10;

/** What the office must look at today. `officeId` null: every office. Counts come from a counter table, lists from partial indexes. */
export async function loadDashboard(deps: DashboardDeps, officeId: string | null): Promise<Dashboard> {
  const { db } = deps;
  const today = deps.clock.today();
  const week = addDays(today, 7);
  const open = () => {
    let q = db.selectFrom('cases').where('cases.state', '!=', 'closed');
    if (officeId) q = q.where('cases.office_id', '=', officeId);
    return q;
  };
  const summary = (q: ReturnType<typeof open>) =>
    q.select(['cases.code', 'cases.subject', 'cases.applicant_name', 'cases.state', 'cases.deadline']);

  const [counts, overdueCases, dueSoonCases, c7, failed, optOuts, substitutes] = await Promise.all([
    // migration 0007: open cases counted by office, state and deadline day
    (() => {
      let q = db.selectFrom('open_case_counts');
      if (officeId) q = q.where('office_id', '=', officeId);
      return q
        .select([
          sql<number>`coalesce(sum(cases), 0)::int`.as('open'),
          sql<number>`coalesce(sum(cases) filter (where deadline < ${today}), 0)::int`.as('overdue'),
          sql<number>`coalesce(sum(cases) filter (where deadline >= ${today} and deadline <= ${week}), 0)::int`.as('due'),
          sql<number>`coalesce(sum(cases) filter (where state = 'suspended'), 0)::int`.as('suspended'),
        ])
        .executeTakeFirstOrThrow();
    })(),
    summary(open()).where('cases.deadline', '<', today).orderBy('cases.deadline').limit(LIST).execute(),
    summary(open()).where('cases.deadline', '>=', today).where('cases.deadline', '<=', week).orderBy('cases.deadline').limit(LIST).execute(),
    // the suspension each case is in, kept by a trigger on its events (migration 0007)
    summary(open())
      .select('cases.open_suspension_since as since')
      .where('cases.state', '=', 'suspended')
      .where('cases.open_suspension_kind', '=', 'art2c7')
      .where('cases.open_suspension_since', '<', addDays(today, -30))
      .orderBy('cases.open_suspension_since')
      .limit(LIST)
      .execute(),
    failedMessages(db, officeId),
    (() => {
      let q = db.selectFrom('cases').where('opted_out_at', 'is not', null).where('opt_out_acknowledged_at', 'is', null);
      if (officeId) q = q.where('office_id', '=', officeId);
      return q.select(['code', 'subject', 'applicant_name', 'state', 'deadline']).orderBy('opted_out_at').limit(LIST).execute();
    })(),
    substituteRequests(db, officeId),
  ]);
  const present = (r: { code: string; subject: string; applicant_name: string; state: string; deadline: string | null; since?: string | null }): DashboardCase => ({
    code: r.code, subject: r.subject, applicantName: r.applicant_name, state: r.state, deadline: r.deadline, ...(r.since ? { since: r.since } : {}),
  });
  return {
    open: counts.open,
    overdue: counts.overdue,
    dueWithin7: counts.due,
    suspended: counts.suspended,
    overdueCases: overdueCases.map(present),
    dueSoonCases: dueSoonCases.map(present),
    c7Over30: c7.map(present),
    failedMessages: failed,
    optOutsToAcknowledge: optOuts.map(present),
    substituteRequests: substitutes,
  };
}

/** Open cases with a request to the substitute, the oldest first, each with the substitute's half-term deadline. */
async function substituteRequests(db: Db, officeId: string | null): Promise<Dashboard['substituteRequests']> {
  let q = db
    .selectFrom('cases')
    .innerJoin('case_events', 'case_events.case_id', 'cases.id')
    .select([
      'cases.code', 'cases.subject', 'cases.applicant_name', 'cases.state', 'cases.deadline', 'cases.received_on', 'cases.term_amount', 'cases.term_unit',
      'cases.saturday_working', 'cases.saturday_moves_deadline', 'case_events.effective_on as requested_on',
    ])
    .where('cases.state', '!=', 'closed')
    .where('case_events.type', '=', 'substitute-request');
  if (officeId) q = q.where('cases.office_id', '=', officeId);
  const rows = await q.orderBy('case_events.effective_on').limit(LIST).execute();
  if (rows.length === 0) return [];
  const calendar = await loadCalendar(db);
  return rows.map((r) => {
    let due: IsoDate | null = null;
    if (substituteRequestAdmissible(r.deadline, r.requested_on)) {
      due = substituteDeadline({
        from: r.received_on, term: { amount: r.term_amount, unit: r.term_unit }, deadline: r.deadline, request: r.requested_on,
        calendar, saturdayWorking: r.saturday_working, saturdayMovesDeadline: r.saturday_moves_deadline,
      }).date;
    }
    return { code: r.code, subject: r.subject, applicantName: r.applicant_name, state: r.state, deadline: r.deadline, requestedOn: r.requested_on, substituteDeadline: due };
  });
}

/** Messages that finally failed (refused, or still failing when their retries ran out), newest first. */
async function failedMessages(db: Db, officeId: string | null): Promise<Dashboard['failedMessages']> {
  let q = db
    .selectFrom('notifications')
    .innerJoin('cases', 'cases.id', 'notifications.case_id')
    .select(['cases.code', 'notifications.channel', 'notifications.recipient', 'notifications.status', 'notifications.failed_at', 'notifications.last_error'])
    .where('notifications.status', 'in', [...FAILED_STATUSES]);
  if (officeId) q = q.where('cases.office_id', '=', officeId);
  const rows = await q.orderBy('notifications.failed_at', 'desc').limit(LIST).execute();
  return rows.map((r) => ({ code: r.code, channel: r.channel, recipient: r.recipient, statusLabel: STATUS_LABELS[r.status], failedAt: r.failed_at, error: r.last_error }));
}
