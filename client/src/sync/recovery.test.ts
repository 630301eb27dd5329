import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { newClientId, orgIdSchema } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { createSyncClient } from './client';
import { NetworkError } from './errors';
import { getMeta } from './meta';
import { checkReplicaAgainstServer, recoverFromOlderReplica } from './recovery';
import { openReplica } from './replica';
import type { KeyValueStorage } from './sentinel';
import type { SyncTransport } from './transport';

const orgId = orgIdSchema.parse('acme');

function memoryStorage(): KeyValueStorage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

/** The server cannot be reached: whatever a start shows, it shows from the database. */
const offline = {
  push: () => Promise.reject(new NetworkError('offline')),
  pull: () => Promise.reject(new NetworkError('offline')),
} as Partial<SyncTransport> as SyncTransport;

/** A page: the replica and a started client, with no other tab, lock or network. */
async function startPage(indexedDB: IDBFactory, sentinel: KeyValueStorage) {
  const replica = await openReplica({ userId: 'u', orgId, indexedDB, IDBKeyRange, sentinel });
  const client = createSyncClient({
    replica,
    transport: offline,
    lock: null,
    broadcast: null,
    environment: null,
  });
  const stop = new AbortController();
  await client.start(stop.signal);
  return {
    replica,
    client,
    evicted: () => client.notices.getSnapshot().filter((n) => n.kind === 'evicted'),
    close: () => {
      stop.abort();
      replica.close();
    },
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
