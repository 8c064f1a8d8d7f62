/**
 * Sign-in throttling for "La tua pratica on line". The login guards personal data (GDPR art. 32) with a
 * password of at least 60 random bits, so guessing is already hopeless once it is slowed to a few tries a
 * minute; a lock would add no safety and would let anyone keep the owner out. Every limit is therefore a
 * rate (a token bucket), never a lock, and the owner coming from their own address is never held longer
 * than a minute (docs/security.md has the arithmetic). Pure: the instant comes in as an argument.
 */

/** A token bucket: `burst` attempts at once, then one more every `intervalSeconds`. */
export interface RatePolicy {
  burst: number;
  intervalSeconds: number;
}

/** Per address, across every code: 10 at once, then 5 a minute (offices and families share an address behind NAT). */
export const ADDRESS_POLICY: RatePolicy = { burst: 10, intervalSeconds: 12 };
/** Per case code, from every address: 5 at once, then 3 a minute. */
export const CODE_POLICY: RatePolicy = { burst: 5, intervalSeconds: 20 };
/**
 * Per code and address: one a minute. When the code's own bucket is spent (someone is guessing it), each
 * address still gets this one attempt a minute on it: the owner from another address is never kept out
 * longer than that, and an attacker gets one guess a minute for each address used.
 */
export const CODE_ADDRESS_POLICY: RatePolicy = { burst: 1, intervalSeconds: 60 };

/**
 * A key's bucket as stored: the instant it is full again (null: full) and the failures in a row, which
 * the audit log records in steps of the bucket's size.
 */
export interface BucketState {
  fullAt: Date | null;
  failures: number;
}

export const FULL: BucketState = { fullAt: null, failures: 0 };

const ms = (policy: RatePolicy): number => policy.intervalSeconds * 1000;

/** When the bucket has a token again (GCRA): now or earlier means an attempt may be made now. */
export function availableAt(state: BucketState, policy: RatePolicy, now: Date): Date {
  const fullAt = Math.max(state.fullAt?.getTime() ?? 0, now.getTime());
  return new Date(fullAt - (policy.burst - 1) * ms(policy));
}

export function hasToken(state: BucketState, policy: RatePolicy, now: Date): boolean {
  return availableAt(state, policy, now).getTime() <= now.getTime();
}

/** One attempt taken from the bucket. */
export function take(state: BucketState, policy: RatePolicy, now: Date): BucketState {
  return { ...state, fullAt: new Date(Math.max(state.fullAt?.getTime() ?? 0, now.getTime()) + ms(policy)) };
}

/** The attempt was the owner's own, not a guess: its token comes back. */
export function giveBack(state: BucketState, policy: RatePolicy, now: Date): BucketState {
  const fullAt = (state.fullAt?.getTime() ?? 0) - ms(policy);
  return { ...state, fullAt: fullAt > now.getTime() ? new Date(fullAt) : null };
}

/** A full bucket with no failures is what a missing row means: nothing needs to be kept. */
export function isFresh(state: BucketState, now: Date): boolean {
  return state.failures === 0 && (state.fullAt === null || state.fullAt.getTime() <= now.getTime());
}

export interface SignInBuckets {
  address: BucketState;
  /** absent when what was typed cannot be a case code */
  code?: { code: BucketState; codeAddress: BucketState };
}

export type Admission =
  | { allowed: true; buckets: SignInBuckets }
  | { allowed: false; retryAt: Date };

/**
 * May this attempt reach the password check, and with which buckets after it? The address must have a
 * token, and the code must have one either in its own bucket or in this address's share of it. A refused
 * attempt takes nothing, so waiting is always enough.
 */
export function admit(buckets: SignInBuckets, now: Date): Admission {
  const addressAt = availableAt(buckets.address, ADDRESS_POLICY, now);
  const codeAt = buckets.code
    ? new Date(Math.min(availableAt(buckets.code.code, CODE_POLICY, now).getTime(), availableAt(buckets.code.codeAddress, CODE_ADDRESS_POLICY, now).getTime()))
    : now;
  const retryAt = new Date(Math.max(addressAt.getTime(), codeAt.getTime()));
  if (retryAt.getTime() > now.getTime()) return { allowed: false, retryAt };
  const address = take(buckets.address, ADDRESS_POLICY, now);
  if (!buckets.code) return { allowed: true, buckets: { address } };
  const { code, codeAddress } = buckets.code;
  return {
    allowed: true,
    buckets: {
      address,
      code: {
        // the code's own bucket only pays when it had a token: an attempt let in by the address's share leaves it to refill
        code: hasToken(code, CODE_POLICY, now) ? take(code, CODE_POLICY, now) : code,
        codeAddress: take(codeAddress, CODE_ADDRESS_POLICY, now),
      },
    },
  };
}

/** After a failed check: one more failure in a row on the key. */
export function failed(state: BucketState): BucketState {
  return { ...state, failures: state.failures + 1 };
}

/**
 * After the right password the attempt was no guess: the tokens it took come back and the failures in a row
 * on the code end (on the address they go on: one's own sign-in must not wipe guesses made at other codes).
 */
export function succeeded(buckets: SignInBuckets, now: Date): SignInBuckets {
  const address = giveBack(buckets.address, ADDRESS_POLICY, now);
  if (!buckets.code) return { address };
  return {
    address,
    code: {
      code: { ...giveBack(buckets.code.code, CODE_POLICY, now), failures: 0 },
      codeAddress: { ...giveBack(buckets.code.codeAddress, CODE_ADDRESS_POLICY, now), failures: 0 },
    },
  };
}

/** Whether this failure count is a step the audit log records: every full bucket's worth of failures in a row. */
export function isAuditedStep(failures: number, policy: RatePolicy): boolean {
  return failures > 0 && failures % policy.burst === 0;
}

/** Whole seconds to wait, at least 1: what the citizen is told. */
export function secondsUntil(retryAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
}
