import type { Timers } from '@outpost/shared';

export type { Timers };

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      timers.clearTimeout(handle);
      resolve();
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const MAX_BACKOFF_MS = 30_000;

/** Exponential backoff with full jitter, capped (attempt 1 → up to 1 s, … → up to 30 s). */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseMs = 1000,
  capMs = MAX_BACKOFF_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: never hammers at 0 ms, still spreads a thundering herd.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
