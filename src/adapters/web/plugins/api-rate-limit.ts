import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { counted } from '../../../domain/plural.ts';
import { RATE_LIMITED_CODE } from '../problems.ts';
import type { Clock } from '../../../application/clock.ts';

/** Requests a token may make each minute (API_RATE_LIMIT): far above what a protocol system sends, far below a runaway loop. */
export const DEFAULT_API_RATE_LIMIT = 1200;
const WINDOW_MS = 60_000;

interface Count {
  current: number;
  ttl: number;
}

/**
 * One fixed window per token, shared by every API plugin of the app (@fastify/rate-limit's own store lives in one
 * registration), so that a token's requests count once whichever route they reach. Bounded: the oldest keys go first.
 */
export class TokenWindows {
  private readonly windows = new Map<string, { count: number; startedAt: number }>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  incr(key: string, done: (error: Error | null, count: Count) => void, timeWindow: number): void {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.startedAt + timeWindow <= now) {
      this.windows.delete(key);
      if (this.windows.size >= 10_000) this.windows.delete(this.windows.keys().next().value!);
      window = { count: 0, startedAt: now };
      this.windows.set(key, window);
    }
    window.count += 1;
    done(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
  }

  child(): this {
    return this;
  }
}

/** A token is counted by a digest of itself: the token is not kept in memory longer than its request. */
function keyOf(request: FastifyRequest): string {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/**
 * The per-token limit of the staff API, for the plugin it is registered in: over it, 429 problem+json with Retry-After
 * (RFC 9110 §10.2.3) saying in seconds when to try again. Routes marked `public` (the SMS provider's receipts) are
 * not counted: a burst of receipts must not be lost. It runs after the plugin's token check: unknown tokens get 401.
 */
export async function limitApiTokens(app: FastifyInstance, shared: TokenWindows, perMinute: number = DEFAULT_API_RATE_LIMIT): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: WINDOW_MS,
    // a constructor that returns an object gives that object: every registration counts in the same windows
    store: function SharedStore() { return shared; } as unknown as never,
    keyGenerator: keyOf,
    allowList: (request) => (request.routeOptions.config as { public?: boolean }).public === true,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return Object.assign(
        new Error(`Troppe richieste con questo token: al massimo ${context.max} al minuto. Riprovare tra ${counted(seconds, 'second', 'it')}.`),
        { statusCode: 429, code: RATE_LIMITED_CODE },
      );
    },
  });
}
