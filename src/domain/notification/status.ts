/**
 * The life of one message (the GOV.UK Notify model): the row is the truth.
 *   created → sending → sent → delivered
 *                     ↘ temporary-failure → sending (retried with backoff) ...
 *                     ↘ permanent-failure (after the last attempt, a refusal, or a failed receipt)
 *   created / temporary-failure → cancelled (the citizen left the service)
 */
export type NotificationStatus = 'created' | 'sending' | 'sent' | 'delivered' | 'temporary-failure' | 'permanent-failure' | 'cancelled';

export const STATUS_TRANSITIONS: Readonly<Record<NotificationStatus, readonly NotificationStatus[]>> = {
  created: ['sending', 'cancelled'],
  sending: ['sent', 'delivered', 'temporary-failure', 'permanent-failure', 'cancelled'],
  'temporary-failure': ['sending', 'cancelled'],
  sent: ['delivered', 'permanent-failure'],
  delivered: [],
  'permanent-failure': [],
  cancelled: [],
};

/** Still to be sent: a later message of the same case waits for these (event order). */
export const PENDING_STATUSES: readonly NotificationStatus[] = ['created', 'sending', 'temporary-failure'];
/** Can be cancelled at opt-out: not yet in the hands of a provider. */
export const CANCELLABLE_STATUSES: readonly NotificationStatus[] = ['created', 'temporary-failure'];

export const STATUS_LABELS: Readonly<Record<NotificationStatus, string>> = {
  created: 'in coda',
  sending: 'in invio',
  sent: 'inviato',
  delivered: 'consegnato',
  'temporary-failure': 'non riuscito, nuovo tentativo in programma',
  'permanent-failure': 'non consegnato',
  cancelled: 'annullato (il cittadino ha lasciato il servizio)',
};

export function canTransition(from: NotificationStatus, to: NotificationStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

export interface RetryPolicy {
  /** attempts in all, the first included */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About 2 hours of retries: base 5 s doubling to a 30-minute cap, 10 attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

/**
 * Exponential backoff with ±20% jitter, so that the messages that failed together during an outage do
 * not all come back in the same second. `random` is in [0, 1): the caller injects it.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random));
}

export type FailureOutcome = { status: 'temporary-failure'; delayMs: number } | { status: 'permanent-failure' };

/** What happens after a failed attempt: retry later, or give up for good. */
export function afterFailure(policy: RetryPolicy, attempts: number, permanent: boolean, random: number): FailureOutcome {
  if (permanent || attempts >= policy.maxAttempts) return { status: 'permanent-failure' };
  return { status: 'temporary-failure', delayMs: retryDelayMs(policy, attempts, random) };
}
