import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { newClientId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { getMeta } from './meta';
import { memoryStorage, orgId, startOfflinePage } from './offline-page.test-kit';
import { checkReplicaAgainstServer, recoverFromOlderReplica } from './recovery';
import { openReplica } from './replica';
import type { KeyValueStorage } from './sentinel';

/** A page: the replica and a started client; its evicted notices. */
async function startPage(indexedDB: IDBFactory, sentinel: KeyValueStorage) {
  const page = await startOfflinePage(indexedDB, sentinel);
  return {
    ...page,
    evicted: () => page.client.notices.getSnapshot().filter((n) => n.kind === 'evicted'),
  };
}

describe('a recovery’s notice outlives the page that recovered', () => {
  it('an eviction told just before the page closed is raised at the next start, with its count, until dismissed', async () => {
    const indexedDB = new IDBFactory();
    const sentinel = memoryStorage();
    // The evicted database had assigned ids up to 3; the server got 1.
    sentinel.setItem(
      'outpost-replica:u',
      JSON.stringify({ clientId: newClientId(), lastMutationId: 3 }),
    );
    const replica = await openReplica({ userId: 'u', orgId, indexedDB, IDBKeyRange, sentinel });
    expect(replica.vanished).toEqual({ lastMutationId: 3 });
    // The first pull's recovery commits, and the page closes before its notice is shown.
    const event = await checkReplicaAgainstServer(replica, 1, () => 1_000);
    expect(event).toMatchObject({ type: 'evicted', lostChanges: 2 });
    expect(await getMeta(replica.db, 'vanished')).toBeUndefined();
    replica.close();

    // Reopened (any tab): the database no longer says it vanished, yet the notice is there.
    const next = await startPage(indexedDB, sentinel);
    expect(next.replica.vanished).toBeNull();
    expect(next.evicted()).toEqual([
      {
        id: event!.noticeId,
        kind: 'evicted',
        at: 1_000,
        detail: { serverLastMutationId: 1, lostChanges: 2 },
      },
    ]);
    // A second tab shows the same notice (same id: once per tab).
    const other = await startPage(indexedDB, sentinel);
    expect(other.evicted().map((n) => n.id)).toEqual([event!.noticeId]);
    other.close();

    // Dismissed, it is told: the next start has nothing to say.
    next.client.notices.dismiss(event!.noticeId);
    expect(next.evicted()).toEqual([]);
    await expect.poll(() => getMeta(next.replica.db, 'evictionNotice')).toBeUndefined();
    next.close();
    const last = await startPage(indexedDB, sentinel);
    expect(last.evicted()).toEqual([]);
    last.close();
  });

  it('a restored older copy is renumbered, reset to cursor 0 and told in one go', async () => {
    const indexedDB = new IDBFactory();
    const sentinel = memoryStorage();
    const replica = await openReplica({ userId: 'u', orgId, indexedDB, IDBKeyRange, sentinel });
    await replica.db.meta.put({ key: 'cursor', value: 40 });
    const event = await recoverFromOlderReplica(replica, 5, () => 2_000);
    replica.close();

    const next = await startPage(indexedDB, sentinel);
    expect(await getMeta(next.replica.db, 'cursor')).toBe(0);
    expect(await getMeta(next.replica.db, 'lastMutationId')).toBe(5);
    expect(next.evicted()).toEqual([
      {
        id: event.noticeId,
        kind: 'evicted',
        at: 2_000,
        detail: { serverLastMutationId: 5, keptChanges: 0 },
      },
    ]);
    next.close();
  });
});
