import { newClientId } from '@outpost/shared';
import type { SyncEvent } from './events';
import type { MutationGapError } from './errors';
import { getMeta, setMeta, type MetaValue } from './meta';
import { lastAssignedId, renumberUnsent } from './outbox';
import type { Replica } from './replica';
import { writeSentinel } from './sentinel';

/**
 * Recovery when this database and the server disagree about what this client has sent.
 * Each returns what it did, for the engine to tell the user. What it tells is stored with
 * what it did, in one transaction (`meta.evictionNotice`): the page may close before the
 * notice is shown, and once the recovery is done no later start could work it out again.
 */

export type RecoveryEvent = Extract<SyncEvent, { type: 'evicted' | 'restored-copy' }>;

/** Called with the first pulled page: returns an event when the mirror must be rebuilt from 0. */
export async function checkReplicaAgainstServer(
  replica: Replica,
  serverLast: number,
  now: () => number,
  /** Read before the request: when it shows nothing to recover, no read is needed now. */
  before?: { vanished: boolean; lastMutationId: number },
): Promise<RecoveryEvent | null> {
  // Ids only grow, so an answer at or below the earlier counter is never "ahead" of ours.
  if (before && !before.vanished && serverLast <= before.lastMutationId) return null;
  const { db } = replica;
  const evicted = await db.transaction('rw', [db.writes, db.meta], async () => {
    const vanished = await getMeta(db, 'vanished');
    if (!vanished) return null;
    await renumberUnsent(replica, serverLast + 1);
    await db.meta.delete('vanished');
    return keepNotice(replica, now, {
      serverLastMutationId: serverLast,
      lostChanges: Math.max(0, vanished.lastMutationId - serverLast),
    });
  });
  if (evicted) {
    await syncSentinel(replica);
    return {
      type: 'evicted',
      noticeId: evicted.id,
      at: evicted.at,
      serverLastMutationId: serverLast,
      lostChanges: evicted.lostChanges ?? 0,
    };
  }
  const localLast = await lastAssignedId(replica);
  if (serverLast > localLast) return recoverFromOlderReplica(replica, serverLast, now);
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
  now: () => number,
): Promise<Extract<SyncEvent, { type: 'restored-copy' }>> {
  const { db } = replica;
  // One transaction: renumbered without the cursor reset, a reload would find nothing to
  // recover and keep the mirror of the older copy.
  const notice = await db.transaction('rw', [db.writes, db.meta], async () => {
    const kept = await renumberUnsent(replica, serverLast + 1);
    await setMeta(db, 'cursor', 0);
    return keepNotice(replica, now, { serverLastMutationId: serverLast, keptChanges: kept });
  });
  await syncSentinel(replica);
  return {
    type: 'restored-copy',
    noticeId: notice.id,
    at: notice.at,
    serverLastMutationId: serverLast,
    keptChanges: notice.keptChanges ?? 0,
  };
}

/** Stores the notice a recovery raises (inside its transaction), until it is dismissed. */
async function keepNotice(
  replica: Replica,
  now: () => number,
  facts: Omit<MetaValue<'evictionNotice'>, 'id' | 'at'>,
): Promise<MetaValue<'evictionNotice'>> {
  const notice = { id: newClientId(), at: now(), ...facts };
  await setMeta(replica.db, 'evictionNotice', notice);
  return notice;
}

/** The user dismissed notice `id`: if it is the stored recovery notice, it is told. */
export async function forgetEvictionNotice(replica: Replica, id: string): Promise<void> {
  const { db } = replica;
  await db.transaction('rw', db.meta, async () => {
    if ((await getMeta(db, 'evictionNotice'))?.id === id) await db.meta.delete('evictionNotice');
  });
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
