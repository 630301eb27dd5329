import type { SyncCredential } from '@outpost/shared';
import { databaseName, getMeta, OutpostDb, type Replica } from '@outpost/sync';
import { getStored } from '@outpost/sync/stored';

export type StoredReplica =
  { replica: Replica; credential: SyncCredential | null } | { skipped: string };

/**
 * Opens a user's replica only if this browser has one (the service worker: opening a missing
 * database would create an empty one for a user who signed out), with its stored device
 * credential. Never writes. The service worker's and sign-out's alone, so not the engine's:
 * it opens the database through the engine's public `OutpostDb` and reads `meta` through
 * `getMeta` and `getStored` (each value checked, as the engine reads its own).
 */
export async function openStoredReplica(options: {
  userId: string;
  indexedDB: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}): Promise<StoredReplica> {
  const { userId, indexedDB: idb } = options;
  const name = databaseName(userId);
  if (typeof idb.databases === 'function' && !(await idb.databases()).some((d) => d.name === name))
    return { skipped: 'no local database for this user' };
  const db = new OutpostDb(name, {
    indexedDB: idb,
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  try {
    await db.open();
    const [user, clientId, credential] = await Promise.all([
      getStored(db, 'user'),
      getMeta(db, 'clientId'),
      getStored(db, 'credential'),
    ]);
    if (!user || !clientId) {
      db.close();
      return { skipped: 'the replica has no signed-in user' };
    }
    const replica: Replica = {
      db,
      userId,
      orgId: user.orgId,
      clientId,
      vanished: null,
      sentinel: null,
      close: () => db.close(),
    };
    return { replica, credential: credential ?? null };
  } catch (err) {
    db.close();
    throw err;
  }
}
