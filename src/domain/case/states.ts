/**
 * The whole case workflow in one table: which command is allowed in which state, and where it leads.
 * Avvio, sospensione, riattivazione, chiusura (docs/domain.md). "riattivata" is "in corso" again,
 * kept as its own state because the citizen is told about it.
 */
export const CASE_STATES = ['enrolled', 'in-progress', 'suspended', 'resumed', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];
/** The events of a case, declared once; schemas, labels and the database check derive from or mirror this list. */
export const EVENT_TYPES = ['start', 'suspend', 'resume', 'observations', 'close', 'substitute-request'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const TRANSITIONS: Readonly<Record<CaseState, Partial<Record<EventType, CaseState>>>> = {
  enrolled: { start: 'in-progress' },
  // 'substitute-request' (L. 241/1990 art. 2 c.9-bis) records the day the citizen turned to the substitute once
  // the term passed; it changes no state (a suspension recorded after the deadline does not stop the clock)
  'in-progress': { suspend: 'suspended', close: 'closed', 'substitute-request': 'in-progress' },
  // a case can be closed while suspended (e.g. the applicant withdraws, or the refusal follows a 10-bis notice)
  suspended: { resume: 'resumed', observations: 'suspended', close: 'closed', 'substitute-request': 'suspended' },
  resumed: { suspend: 'suspended', close: 'closed', 'substitute-request': 'resumed' },
  closed: {},
};

/**
 * Where each event leads, from whichever state allows it. An event that leaves every state as it finds it (the
 * substitute request) leads nowhere of its own and is not listed.
 */
export const STATE_AFTER: Readonly<Partial<Record<EventType, CaseState>>> = Object.fromEntries(
  EVENT_TYPES.flatMap((event) => {
    const moves = CASE_STATES.filter((from) => TRANSITIONS[from][event] !== undefined).map((from) => [from, TRANSITIONS[from][event]!] as const);
    const keepsState = moves.length > 1 && moves.every(([from, to]) => from === to);
    return keepsState ? [] : [[event, moves[0]![1]]];
  }),
);

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
  'substitute-request': 'richiesta al titolare del potere sostitutivo (art. 2 c.9-bis L. 241/1990)',
};
