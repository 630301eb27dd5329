import type { Redis } from 'ioredis';

/**
 * Counts failed authentications per client IP in a fixed window. Once an IP reaches `max`
 * failures, its requests are refused (429) before any token is verified, until the window
 * ends — so guessing tokens or sync credentials costs the server almost nothing.
 */
export interface FailureLimiter {
  /** Milliseconds until `key` may try again, or 0 when it is not blocked. */
  blockedFor(key: string): Promise<number>;
  /** Records one failure; returns the failures counted in the current window. */
  fail(key: string): Promise<number>;
}

export interface FailureLimiterOptions {
  max: number;
  windowMs: number;
  now?: () => number;
}

/** The most addresses counted at once; the least recently failed one is forgotten first. */
export const MAX_COUNTED_KEYS = 100_000;

/**
 * In-process counts; bounded, so a spray from many addresses cannot grow memory forever. A Map
 * in failure order, not lru-cache: that allocates its arrays for `max` entries at once, 2.7 MiB
 * from start for a table that is usually empty.
 */
export function memoryFailureLimiter(opts: FailureLimiterOptions): FailureLimiter {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { count: number; resetAt: number }>();
  const current = (key: string) => {
    const w = windows.get(key);
    return w && w.resetAt > now() ? w : null;
  };
  return {
    async blockedFor(key) {
      const w = current(key);
      return w && w.count >= opts.max ? w.resetAt - now() : 0;
    },
    async fail(key) {
      const w = current(key) ?? { count: 0, resetAt: now() + opts.windowMs };
      w.count++;
      windows.delete(key); // re-inserted last: the oldest failure is first in line to go
      windows.set(key, w);
      if (windows.size > MAX_COUNTED_KEYS) windows.delete(windows.keys().next().value!);
      return w.count;
    },
  };
}

/**
 * Counts shared by every instance through Redis (SET NX PX + INCR). A Redis
 * error falls back to the in-process counts instead of letting every guess through.
 */
export function redisFailureLimiter(
  redis: Redis,
  opts: FailureLimiterOptions & { onError: (err: unknown) => void },
): FailureLimiter {
  const local = memoryFailureLimiter(opts);
  const k = (key: string) => `outpost:authfail:${key}`;
  return {
    async blockedFor(key) {
      try {
        const [count, ttl] = await Promise.all([redis.get(k(key)), redis.pttl(k(key))]);
        return Number(count ?? 0) >= opts.max && ttl > 0 ? ttl : 0;
      } catch (err) {
        opts.onError(err);
        return local.blockedFor(key);
      }
    },
    async fail(key) {
      try {
        // One round trip, atomic: the window starts with the first failure and keeps its TTL.
        const out = await redis
          .multi()
          .set(k(key), 0, 'PX', opts.windowMs, 'NX')
          .incr(k(key))
          .exec();
        const incr = out?.[1];
        if (!incr || incr[0]) throw incr?.[0] ?? new Error('redis transaction aborted');
        return Number(incr[1]);
      } catch (err) {
        opts.onError(err);
        return local.fail(key);
      }
    },
  };
}
