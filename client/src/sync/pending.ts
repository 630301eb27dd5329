import Dexie, { type ObservabilitySet } from 'dexie';
import { countUnsent } from './outbox';
import type { Replica } from './replica';
import type { Timers } from './timers';

/** How long outbox changes may wait before the leader tab recounts its unsent writes. */
export const PENDING_RECOUNT_MS = 100;

/**
 * The same in a follower tab. Its unsent marks are read again as soon as the leader's answer
 * or ack changes the outbox; its status bar waits for this recount, so after 100 ms the bar
 * still said "1 unsent change" with no row marked. A follower is not on the push path: its
 * count's read transaction delays no push.
 */
export const FOLLOWER_RECOUNT_MS = 16;

export interface PendingWatch {
  /**
   * This tab committed a local write (its outbox change has been announced) and has counted
   * it itself: when every outbox change since the last count was such a write, no recount.
   */
  counted(): void;
  stop(): void;
}

/**
 * Counts the replica's unsent writes now, and again PENDING_RECOUNT_MS (in a follower tab
 * FOLLOWER_RECOUNT_MS) after the outbox changed (in this tab or another), however many changes came in between. A tab's own writes
 * count themselves at once (`createSyncClient`'s `write`) and say so (`counted`): a burst of
 * them alone is not recounted — the count was a read-only transaction over the outbox, which
 * each next write had to wait for. Anything else (another tab's write, a push answer, a pull)
 * is recounted.
 */
export function watchPending(
  replica: Replica,
  timers: Timers,
  onCount: (pending: number) => void,
  /** Whether this tab leads now (the delay of each recount is chosen as it is scheduled). */
  isLeader: () => boolean = () => true,
): PendingWatch {
  const outbox = `idb://${replica.db.name}/writes/`;
  let timer: unknown = null;
  let stopped = false;
  // Outbox changes announced since the last count, and how many of them were counted writes.
  // Each committed transaction is announced once, in the task its promise resolves in (a
  // local write's resolves at the commit's capture phase, just before: `whenCommitted`), so
  // at the timer the two agree only when every change was one of this tab's counted writes.
  let changes = 0;
  let counted = 0;
  const recount = async () => {
    timer = null;
    const skip = changes === counted;
    changes = counted = 0;
    if (skip) return;
    const pending = await countUnsent(replica).catch(() => null);
    if (pending !== null && !stopped) onCount(pending);
  };
  const onMutated = (parts: ObservabilitySet) => {
    if (stopped || !Object.keys(parts).some((p) => p.startsWith(outbox))) return;
    changes++;
    if (timer === null)
      timer = timers.setTimeout(
        () => void recount(),
        isLeader() ? PENDING_RECOUNT_MS : FOLLOWER_RECOUNT_MS,
      );
  };
  Dexie.on('storagemutated', onMutated);
  changes = 1; // the first count
  void recount();
  return {
    counted: () => void counted++,
    stop() {
      stopped = true;
      Dexie.on('storagemutated').unsubscribe(onMutated);
      if (timer !== null) timers.clearTimeout(timer);
    },
  };
}
