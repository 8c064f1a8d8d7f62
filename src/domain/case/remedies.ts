/**
 * The remedies of one case once its office is late, from its events and the flags it took from its card at
 * enrolment: the substitute power (L. 241/1990 art. 2 c.9-bis/9-ter), the indemnity (art. 2-bis c.1-bis;
 * D.L. 69/2013 art. 28) and silenzio-assenso (art. 20). Pure: "today" is an argument.
 */
import {
  delayDays,
  firstSubstituteRequestDay,
  indemnity,
  lastSubstituteRequestDay,
  silenceAcceptance,
  substituteDeadline,
  substituteRequestAdmissible,
  type DeadlineResult,
  type HolidayCalendar,
  type Indemnity,
  type IsoDate,
  type SilenceAcceptance,
  type Term,
} from '../deadline/index.ts';
import type { CaseEvent, CaseTerms } from './decide.ts';
import type { CaseState, EventType } from './states.ts';

export interface CaseRemedies {
  /** the deadline passed with no decision by then */
  late: boolean;
  /** the first day the citizen may turn to the substitute (the day after the deadline) */
  substituteFrom: IsoDate | null;
  /** D.L. 69/2013 art. 28 c.2: the last day to turn to the substitute and keep the indemnity */
  substituteRequestBy: IsoDate | null;
  /** today is still within those 20 days, or the request was made within them */
  substituteRequestInTime: boolean;
  substituteRequest: IsoDate | null;
  substituteDeadline: IsoDate | null;
  substituteTerm: Term | null;
  delayDays: number;
  /** art. 28 can apply at all: a business activity and no silenzio-assenso */
  indemnityApplies: boolean;
  indemnity: Indemnity;
  silence: SilenceAcceptance;
}

export interface CaseRemedyInput {
  receivedOn: IsoDate;
  events: readonly Pick<CaseEvent, 'type' | 'effectiveOn'>[];
  deadline: DeadlineResult;
  terms: CaseTerms;
  businessActivity: boolean;
  silenzioAssenso: boolean;
  calendar: HolidayCalendar;
  today: IsoDate;
}

export function caseRemedies(input: CaseRemedyInput): CaseRemedies {
  const deadline = input.deadline.deadline;
  const decision = input.events.find((e) => e.type === 'close')?.effectiveOn;
  const request = input.events.find((e) => e.type === 'substitute-request')?.effectiveOn ?? null;
  const counting = { calendar: input.calendar, saturdayWorking: input.terms.saturdayWorking, saturdayMovesDeadline: input.terms.saturdayMovesDeadline };
  const delay = delayDays(deadline, decision, input.today);
  const substitute =
    request !== null && substituteRequestAdmissible(deadline, request)
      ? substituteDeadline({ from: input.receivedOn, term: input.terms.term, deadline, request, ...counting })
      : null;
  const requestBy = deadline !== null ? lastSubstituteRequestDay(deadline, counting) : null;
  return {
    late: delay > 0,
    substituteFrom: deadline !== null ? firstSubstituteRequestDay(deadline) : null,
    substituteRequestBy: requestBy,
    substituteRequestInTime: requestBy !== null && (request ?? input.today) <= requestBy,
    substituteRequest: request,
    substituteDeadline: substitute?.date ?? null,
    substituteTerm: substitute?.halfTerm ?? null,
    delayDays: delay,
    indemnityApplies: input.businessActivity && !input.silenzioAssenso,
    indemnity: indemnity({
      business: input.businessActivity,
      silenzioAssenso: input.silenzioAssenso,
      deadline,
      substituteRequest: request ?? undefined,
      delayDays: delay,
      ...counting,
    }),
    silence: silenceAcceptance({ silenzioAssenso: input.silenzioAssenso, deadline, decision, today: input.today }),
  };
}

/**
 * The events the office may record now: the transition table, less a request to the substitute before the
 * deadline has passed (art. 2 c.9-bis) or a second one.
 */
export function eventsOffered(state: CaseState, allowed: readonly EventType[], remedies: Pick<CaseRemedies, 'late' | 'substituteRequest'>): EventType[] {
  return allowed.filter((type) => type !== 'substitute-request' || (state !== 'closed' && remedies.late && remedies.substituteRequest === null));
}
