/**
 * The life of one message (the GOV.UK Notify model): the row is the truth.
 *   created → sending → sent → delivered
 *                            ↘ sent-no-receipt (an SMS whose delivery receipt never came in time)
 *                     ↘ temporary-failure → sending (retried with backoff) ...
 *                     ↘ permanent-failure (a refusal, or a failed receipt)
 *                     ↘ technical-failure (still failing when the maximum age ran out, or it kept crashing its process)
 *                     ↘ rerouted (App IO: the citizen is not on it or blocked the service; the message went on their other channels)
 *   created / temporary-failure → cancelled (the citizen left the service)
 */
export const NOTIFICATION_STATUSES = [
  'created', 'sending', 'sent', 'delivered', 'sent-no-receipt', 'temporary-failure', 'permanent-failure', 'technical-failure', 'rerouted', 'cancelled',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const STATUS_TRANSITIONS: Readonly<Record<NotificationStatus, readonly NotificationStatus[]>> = {
  created: ['sending', 'cancelled'],
  sending: ['sent', 'delivered', 'temporary-failure', 'permanent-failure', 'technical-failure', 'rerouted', 'cancelled'],
  // a late answer of a worker whose lease ran out (the sweeper had already put it back): the attempt did happen
  'temporary-failure': ['sending', 'sent', 'delivered', 'temporary-failure', 'permanent-failure', 'technical-failure', 'rerouted', 'cancelled'],
  sent: ['delivered', 'permanent-failure', 'sent-no-receipt'],
  delivered: [],
  'sent-no-receipt': [],
  'permanent-failure': [],
  'technical-failure': [],
  rerouted: [],
  cancelled: [],
};

/** Waiting for a dispatcher to claim them. */
export const DUE_STATUSES: readonly NotificationStatus[] = ['created', 'temporary-failure'];
/** Still to be sent: a later message of the same case and channel waits for these (event order). */
export const PENDING_STATUSES: readonly NotificationStatus[] = ['created', 'sending', 'temporary-failure'];
/** Can be cancelled at opt-out: not yet in the hands of a provider. */
export const CANCELLABLE_STATUSES: readonly NotificationStatus[] = ['created', 'temporary-failure'];
/** Final failures: shown to the staff, and announced on the other channel when the citizen has it. */
export const FAILED_STATUSES: readonly NotificationStatus[] = ['permanent-failure', 'technical-failure'];

export const STATUS_LABELS: Readonly<Record<NotificationStatus, string>> = {
  created: 'in coda',
  sending: 'in invio',
  sent: 'inviato',
  delivered: 'consegnato',
  'sent-no-receipt': 'inviato, senza conferma di consegna',
  'temporary-failure': 'non riuscito, nuovo tentativo in programma',
  'permanent-failure': 'non consegnato',
  'technical-failure': 'non inviato per un guasto tecnico (tentativi esauriti)',
  rerouted: 'non recapitabile su questo canale: inviato sugli altri canali scelti dal cittadino',
  cancelled: 'annullato (il cittadino ha lasciato il servizio)',
};

export function canTransition(from: NotificationStatus, to: NotificationStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

/** The statuses a message may be in for an update to move it to each of `to`: the queue's guards. */
export function statusesBefore(...to: NotificationStatus[]): NotificationStatus[] {
  return NOTIFICATION_STATUSES.filter((from) => to.every((status) => canTransition(from, status)));
}

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** from the message's creation: past it, a failed attempt is the last */
  maxAgeMs: number;
  /** claims of a message whose process died (lease expired, or the worker's lock freed) before it ends */
  maxCrashes: number;
  /** failed attempts after which a message ends even before its maximum age; undefined: no such cap */
  maxAttempts?: number | undefined;
}

/** Base 5 s doubling to a 30-minute cap, for 72 hours: an outage of a day or two is survived. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 30 * 60_000, maxAgeMs: 72 * 3_600_000, maxCrashes: 3 };

/**
 * Exponential backoff with ±20% jitter, so that the messages that failed together during an outage do
 * not all come back in the same second. `random` is in [0, 1): the caller injects it.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempts, 40) - 1));
  return Math.round(exponential * (0.8 + 0.4 * random));
}

/** Where a failed attempt may lead (afterFailure). */
export const FAILURE_OUTCOMES = ['temporary-failure', 'permanent-failure', 'technical-failure'] as const satisfies readonly NotificationStatus[];

export type FailureOutcome =
  | { status: 'temporary-failure'; delayMs: number }
  | { status: 'permanent-failure' }
  | { status: 'technical-failure' }
  | { status: 'rerouted' };

export interface FailedAttempt {
  /** attempts so far, this one included */
  attempts: number;
  /** since the message was created */
  ageMs: number;
  /** the provider refused the message (a bad address): retrying cannot help */
  permanent: boolean;
  random: number;
  /** the provider asked not to be called again before this long (a throttling answer's Retry-After) */
  notBeforeMs?: number | undefined;
}

/**
 * What happens after a failed attempt: a refusal fails for good; otherwise retry with backoff, the last
 * retry falling on the maximum age, and a failure at or past it is a technical failure.
 */
export function afterFailure(policy: RetryPolicy, attempt: FailedAttempt): FailureOutcome {
  if (attempt.permanent) return { status: 'permanent-failure' };
  const left = policy.maxAgeMs - attempt.ageMs;
  if (left <= 0 || (policy.maxAttempts !== undefined && attempt.attempts >= policy.maxAttempts)) return { status: 'technical-failure' };
  // a provider that throttles says when it will take the message: asking sooner only keeps its window full
  const delayMs = Math.max(retryDelayMs(policy, attempt.attempts, attempt.random), attempt.notBeforeMs ?? 0);
  return { status: 'temporary-failure', delayMs: Math.min(left, delayMs) };
}

/** A message taken back from a dead process: tried again, unless it has now crashed its process `maxCrashes` times. */
export function afterCrash(policy: RetryPolicy, crashes: number): 'temporary-failure' | 'technical-failure' {
  return crashes >= policy.maxCrashes ? 'technical-failure' : 'temporary-failure';
}
