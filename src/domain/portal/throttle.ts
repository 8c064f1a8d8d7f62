/**
 * Sign-in throttling for "La tua pratica on line". The login guards personal data (GDPR art. 32) with a
 * weak credential (CAD art. 64 reserves strong identification to SPID/CIE): repeated failures are slowed
 * down with growing delays, then locked for a while. Pure: the instant comes in as an argument.
 */

export interface ThrottlePolicy {
  /** failures allowed without any wait */
  freeFailures: number;
  /** the first delay, doubled at each further failure */
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** from this many failures on, every failure locks */
  lockAfterFailures: number;
  /** the first lock; doubled every further `lockAfterFailures` failures */
  lockMinutes: number;
  maxLockMinutes: number;
}

/** Per case code: 3 free tries, then 2, 4, 8 ... 60 s; from the 10th failure a lock of 15 min, 30 min ... 24 h. */
export const CODE_POLICY: ThrottlePolicy = {
  freeFailures: 3,
  baseDelaySeconds: 2,
  maxDelaySeconds: 60,
  lockAfterFailures: 10,
  lockMinutes: 15,
  maxLockMinutes: 24 * 60,
};

/** Per address: more lenient, since offices and families share one public address behind NAT. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelaySeconds: 2,
  maxDelaySeconds: 60,
  lockAfterFailures: 30,
  lockMinutes: 15,
  maxLockMinutes: 24 * 60,
};

export interface ThrottleState {
  failures: number;
  nextAttemptAt: Date | null;
  locked: boolean;
}

export const FRESH: ThrottleState = { failures: 0, nextAttemptAt: null, locked: false };

export type Admission = { allowed: true } | { allowed: false; retryAt: Date; locked: boolean };

/** May an attempt be checked now? Blocked attempts are refused without looking at the password. */
export function admit(state: ThrottleState, now: Date): Admission {
  if (state.nextAttemptAt && state.nextAttemptAt.getTime() > now.getTime()) {
    return { allowed: false, retryAt: state.nextAttemptAt, locked: state.locked };
  }
  return { allowed: true };
}

/** The wait imposed after the n-th consecutive failure. */
export function waitAfter(failures: number, policy: ThrottlePolicy): { seconds: number; locked: boolean } {
  if (failures >= policy.lockAfterFailures) {
    const doublings = Math.floor((failures - policy.lockAfterFailures) / policy.lockAfterFailures);
    const minutes = Math.min(policy.maxLockMinutes, policy.lockMinutes * 2 ** Math.min(doublings, 20));
    return { seconds: minutes * 60, locked: true };
  }
  if (failures <= policy.freeFailures) return { seconds: 0, locked: false };
  const seconds = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** Math.min(failures - policy.freeFailures - 1, 20));
  return { seconds, locked: false };
}

/**
 * An attempt is counted as a failure before the password is checked, so that parallel guesses cannot all
 * slip through before the first failure is written; a success gives the count back (`succeeded`).
 */
export function countAttempt(state: ThrottleState, now: Date, policy: ThrottlePolicy): ThrottleState {
  const failures = state.failures + 1;
  const wait = waitAfter(failures, policy);
  return {
    failures,
    nextAttemptAt: wait.seconds > 0 ? new Date(now.getTime() + wait.seconds * 1000) : null,
    locked: wait.locked,
  };
}

/**
 * A successful sign-in with this key: the code starts afresh; an address only gets its counted attempt
 * back (not a reset: one valid login of one's own must not wipe the guesses made against other codes).
 */
export function succeeded(state: ThrottleState, kind: 'code' | 'address'): ThrottleState {
  if (kind === 'code') return FRESH;
  return { ...state, failures: Math.max(0, state.failures - 1) };
}

/** Whole seconds to wait, at least 1: what the citizen is told. */
export function secondsUntil(retryAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
}
