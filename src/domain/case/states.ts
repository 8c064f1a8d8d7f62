/**
 * The whole case workflow in one table: which command is allowed in which state, and where it leads.
 * Avvio, sospensione, riattivazione, chiusura (docs/domain.md). "riattivata" is "in corso" again,
 * kept as its own state because the citizen is told about it.
 */
export const CASE_STATES = ['enrolled', 'in-progress', 'suspended', 'resumed', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const EVENT_TYPES = ['start', 'suspend', 'resume', 'observations', 'close'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const TRANSITIONS: Readonly<Record<CaseState, Partial<Record<EventType, CaseState>>>> = {
  enrolled: { start: 'in-progress' },
  'in-progress': { suspend: 'suspended', close: 'closed' },
  // a case can be closed while suspended (e.g. the applicant withdraws, or the refusal follows a 10-bis notice)
  suspended: { resume: 'resumed', observations: 'suspended', close: 'closed' },
  resumed: { suspend: 'suspended', close: 'closed' },
  closed: {},
};

/** Where each event leads, from whichever state allows it: the table gives every event one destination. */
export const STATE_AFTER: Readonly<Record<EventType, CaseState>> = Object.fromEntries(
  Object.values(TRANSITIONS).flatMap((moves) => Object.entries(moves)),
) as Record<EventType, CaseState>;

export function nextState(state: CaseState, event: EventType): CaseState | undefined {
  return TRANSITIONS[state][event];
}

export function allowedEvents(state: CaseState): EventType[] {
  return Object.keys(TRANSITIONS[state]) as EventType[];
}

/** The words the citizen reads (docs/domain.md, the service, 1: in corso, sospesa, riattivata, chiusa). */
export const STATE_LABELS: Readonly<Record<CaseState, string>> = {
  enrolled: 'registrata, in attesa di avvio',
  'in-progress': 'in corso',
  suspended: 'sospesa',
  resumed: 'riattivata',
  closed: 'chiusa',
};

export const EVENT_LABELS: Readonly<Record<EventType, string>> = {
  start: 'avvio del procedimento',
  suspend: 'sospensione',
  resume: 'riattivazione',
  observations: 'osservazioni del richiedente (art. 10-bis)',
  close: 'chiusura',
};
