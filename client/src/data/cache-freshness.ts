import type { QueryClient } from '@tanstack/react-query';

/**
 * Whether the query cache holds what this tab's database holds, so that it may be stored for the
 * next start to paint from. It may not while a local write is in flight (the write commits even
 * as the page goes: the database then holds a value the cache never saw), nor until the live
 * queries that write set re-reading have put their values in the cache. A reload inside a save's
 * own commit left a cache written a moment before, and the next start painted the value the
 * save replaced until the database's first read (`e2e/reload-shows-saved.spec.ts`, 2026-12-07).
 *
 * So the stored cache is dropped as a write starts (a page killed without `pagehide` leaves none
 * rather than an older one), and written again only once fresh (`createPersistOptions`,
 * `persistNow`); the start then paints from the database, which is never older than itself.
 */
export interface CacheFreshness {
  /** Runs a local write, counted until it settles; the stored cache is dropped at once. */
  write<T>(run: () => Promise<T>): Promise<T>;
  /** Runs a live query's read, counted until it settles and its value is in the cache. */
  read<T>(run: () => Promise<T>): Promise<T>;
  /** No write or live read in flight, and none settled without the tasks that follow it run. */
  fresh(): boolean;
  /** How many writes have started: the stored cache was dropped when this changed. */
  writesStarted(): number;
  /** Calls `listener` each time the cache becomes fresh again; returns the unsubscribe. */
  onFresh(listener: () => void): () => void;
}

/** Schedules `run` as a task of its own (a timer of 0 ms in a page). */
export type ScheduleTask = (run: () => void) => void;

const nextTask: ScheduleTask = (run) => void setTimeout(run, 0);

/**
 * What settles a write or read is followed by tasks of Dexie's own: the commit announcing the
 * changed parts, the live queries re-read at once or a task later, and each value handed on in a
 * microtask or a task later (dexie 4.4 `liveQuery`, `execInGlobalContext`). Two tasks with
 * nothing settled between them see every one of those started, or done.
 */
const QUIET_TASKS = 2;

/** `drop` removes the stored cache. */
export function createCacheFreshness(
  drop: () => void,
  schedule: ScheduleTask = nextTask,
): CacheFreshness {
  let writes = 0;
  let reads = 0;
  let started = 0;
  const listeners = new Set<() => void>();
  /** Tasks still to pass before the cache is fresh, the last of them begun after any settled. */
  let toQuiet = 0;
  const fresh = () => writes === 0 && reads === 0 && toQuiet === 0;
  const tick = () => {
    toQuiet--;
    if (toQuiet > 0) schedule(tick);
    else if (fresh()) for (const listener of [...listeners]) listener();
  };
  const settled = () => {
    // A task already scheduled began before this: it counts as the first of the two.
    if (toQuiet === 0) schedule(tick);
    toQuiet = QUIET_TASKS;
  };
  /** Runs `run` with `count(1)`, and `count(-1)` as it settles. */
  const counted = <T>(run: () => Promise<T>, count: (n: 1 | -1) => void): Promise<T> => {
    count(1);
    let running: Promise<T>;
    try {
      running = run();
    } catch (error) {
      running = Promise.reject(error as Error);
    }
    return running.finally(() => {
      count(-1);
      settled();
    });
  };
  return {
    write(run) {
      started++;
      drop();
      return counted(run, (n) => (writes += n));
    },
    read: (run) => counted(run, (n) => (reads += n)),
    fresh,
    writesStarted: () => started,
    onFresh(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

const byQueryClient = new WeakMap<QueryClient, CacheFreshness>();

/** Ties `freshness` to the cache it judges, for the live reads that fill it (`subscribeLive`). */
export function judgeCache(queryClient: QueryClient, freshness: CacheFreshness): void {
  byQueryClient.set(queryClient, freshness);
}

/** What judges `queryClient`'s cache, if anything does (a test's client may have none). */
export function freshnessOf(queryClient: QueryClient): CacheFreshness | undefined {
  return byQueryClient.get(queryClient);
}
