import Dexie, { type ObservabilitySet } from 'dexie';
import { countUnsent } from './outbox';
import type { Replica } from './replica';
import type { Timers } from './timers';

/** How long outbox changes may wait before a tab recounts its unsent writes. */
export const PENDING_RECOUNT_MS = 100;

/**
 * Counts the replica's unsent writes now, and again PENDING_RECOUNT_MS after the outbox
 * changed (in this tab or another), however many changes came in between. A tab's own writes
 * count themselves at once (`createSyncClient`'s `write`): a count after every write, as a live
 * query did, was one more IndexedDB transaction beside each write. Returns the unsubscribe.
 */
export function watchPending(
  replica: Replica,
  timers: Timers,
  onCount: (pending: number) => void,
): () => void {
  const outbox = `idb://${replica.db.name}/writes/`;
  let timer: unknown = null;
  let stopped = false;
  const recount = async () => {
    timer = null;
    const pending = await countUnsent(replica).catch(() => null);
    if (pending !== null && !stopped) onCount(pending);
  };
  const onMutated = (parts: ObservabilitySet) => {
    if (stopped || timer !== null || !Object.keys(parts).some((p) => p.startsWith(outbox))) return;
    timer = timers.setTimeout(() => void recount(), PENDING_RECOUNT_MS);
  };
  Dexie.on('storagemutated', onMutated);
  void recount();
  return () => {
    stopped = true;
    Dexie.on('storagemutated').unsubscribe(onMutated);
    if (timer !== null) timers.clearTimeout(timer);
  };
}
