import type { Store } from '../store/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionPolicy {
  tombstoneDays: number;
  /** null keeps activities forever. */
  activityDays: number | null;
}

export interface PurgeResult {
  tombstones: number;
  activities: number;
}

/** One purge pass: tombstones (raising each org's purge horizon) and, if set, old activities. */
export async function purgeHistory(
  store: Store,
  policy: RetentionPolicy,
  nowMs: number,
): Promise<PurgeResult> {
  const iso = (days: number) => new Date(nowMs - days * DAY_MS).toISOString();
  const tombstones = await store.purgeTombstones(iso(policy.tombstoneDays));
  const activities =
    policy.activityDays === null ? 0 : await store.purgeActivities(iso(policy.activityDays));
  return { tombstones, activities };
}

export interface RetentionJob {
  /** Clears the timer and waits for a pass in flight, so the store can close under it. */
  stop(): Promise<void>;
}

/**
 * Runs `purgeHistory` once soon after start and then every `intervalMs`, on an unref'd timer
 * (it never keeps the process alive). Passes never overlap; a failed pass is reported and the
 * next one tries again. Several server processes may run it: every purge is idempotent.
 */
export function startRetentionJob(
  store: Store,
  policy: RetentionPolicy,
  options: {
    intervalMs: number;
    now?: () => number;
    onPurged?: (result: PurgeResult) => void;
    onError?: (err: unknown) => void;
  },
): RetentionJob {
  const now = options.now ?? Date.now;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = purgeHistory(store, policy, now())
      .then(
        (r) => {
          if (r.tombstones + r.activities > 0) options.onPurged?.(r);
        },
        (err: unknown) => options.onError?.(err),
      )
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, Math.min(options.intervalMs, 5_000));
  const timer = setInterval(tick, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
