import { IDBKeyRange, type IDBFactory } from 'fake-indexeddb';
import { orgIdSchema } from '@outpost/shared';
import { createSyncClient } from './client';
import { NetworkError } from './errors';
import { openReplica } from './replica';
import type { KeyValueStorage } from './sentinel';
import type { SyncTransport } from './transport';

/** For the engine's own tests (not an export): a page of one browser, started offline. */

export const orgId = orgIdSchema.parse('acme');

/** localStorage of one browser profile (the replica's sentinel lives there). */
export function memoryStorage(): KeyValueStorage {
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

/** User `u`'s page in `acme`: the replica and a started client, with no other tab, lock or network. */
export async function startOfflinePage(indexedDB: IDBFactory, sentinel: KeyValueStorage) {
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
    close: () => {
      stop.abort();
      replica.close();
    },
  };
}
