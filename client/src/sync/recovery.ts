import type { SyncEvent } from './events';
import type { MutationGapError } from './errors';
import { getMeta, setMeta } from './meta';
import { lastAssignedId, renumberUnsent } from './outbox';
import type { Replica } from './replica';
import { writeSentinel } from './sentinel';

/**
 * Recovery when this database and the server disagree about what this client has sent.
 * Each returns what it did, for the engine to tell the user.
 */

/** Called with the first pulled page: returns an event when the mirror must be rebuilt from 0. */
export async function checkReplicaAgainstServer(
  replica: Replica,
  serverLast: number,
  /** Read before the request: when it shows nothing to recover, no read is needed now. */
  before?: { vanished: boolean; lastMutationId: number },
): Promise<Extract<SyncEvent, { type: 'evicted' | 'restored-copy' }> | null> {
  // Ids only grow, so an answer at or below the earlier counter is never "ahead" of ours.
  if (before && !before.vanished && serverLast <= before.lastMutationId) return null;
  const vanished = await getMeta(replica.db, 'vanished');
  if (vanished) {
    const lost = Math.max(0, vanished.lastMutationId - serverLast);
    await renumberUnsent(replica, serverLast + 1);
    await replica.db.meta.delete('vanished');
    await syncSentinel(replica);
    return { type: 'evicted', serverLastMutationId: serverLast, lostChanges: lost };
  }
  const localLast = await lastAssignedId(replica);
  if (serverLast > localLast) return recoverFromOlderReplica(replica, serverLast);
  return null;
}

/**
 * The server processed ids this database never assigned (restored from an older copy, or
 * partly cleared): unsent writes continue after the server's ids, and the mirror is pulled
 * again from 0.
 */
export async function recoverFromOlderReplica(
  replica: Replica,
  serverLast: number,
): Promise<Extract<SyncEvent, { type: 'restored-copy' }>> {
  const kept = await renumberUnsent(replica, serverLast + 1);
  await setMeta(replica.db, 'cursor', 0);
  await syncSentinel(replica);
  return { type: 'restored-copy', serverLastMutationId: serverLast, keptChanges: kept };
}

/**
 * 409 MUTATION_GAP. After a known eviction the mutations the old database had not sent are
 * gone: continue after what the server has (null: nothing to tell). Otherwise pause pushing.
 */
export async function resolveGap(
  replica: Replica,
  err: MutationGapError,
): Promise<Extract<SyncEvent, { type: 'push-blocked' }> | null> {
  const vanished = await getMeta(replica.db, 'vanished');
  if (vanished && err.expected !== null) {
    await renumberUnsent(replica, err.expected);
    return null;
  }
  return { type: 'push-blocked', expected: err.expected };
}

async function syncSentinel(replica: Replica): Promise<void> {
  if (!replica.sentinel) return;
  const last = await lastAssignedId(replica);
  writeSentinel(replica.sentinel, replica.userId, {
    clientId: replica.clientId,
    lastMutationId: last,
  });
}
