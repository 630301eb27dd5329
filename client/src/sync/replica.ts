import type Dexie from 'dexie';
import { newClientId, type ClientId, type OrgId, type User } from '@outpost/shared';
import { databaseName, OutpostDb } from './db';
import { getMeta, setMeta } from './meta';
import { readSentinel, writeSentinel, type KeyValueStorage } from './sentinel';
import { setStored } from './stored';

export interface OpenReplicaOptions {
  userId: string;
  orgId: OrgId;
  /** The signed-in user's row, kept so the app can start offline as this user. */
  user?: User;
  /** IndexedDB implementation (defaults to the browser's; tests pass fake-indexeddb). */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /**
   * Small synchronous store outside IndexedDB (defaults to `localStorage`) remembering this
   * replica's client id, so a database the browser evicted is recognised as such.
   */
  sentinel?: KeyValueStorage | null;
  /** Dexie addons run on the database before it opens (the app's DBCore middleware). */
  addons?: ((db: Dexie) => void)[];
  /**
   * Called when the open waits on another connection at an older version that does not close
   * on `versionchange` (an old build's tab, a devtools snippet): the upgrade cannot start until
   * it goes. The open then carries on by itself once that connection closes.
   */
  onBlocked?: () => void;
}

/** A user's local replica: the Dexie database plus its identity. */
export interface Replica {
  readonly db: OutpostDb;
  readonly userId: string;
  readonly orgId: OrgId;
  readonly clientId: ClientId;
  /**
   * Set when this database was found empty although this browser had a replica for the user
   * before (evicted or cleared); `lastMutationId` is what the old replica had assigned.
   */
  readonly vanished: { lastMutationId: number } | null;
  readonly sentinel: KeyValueStorage | null;
  close(): void;
}

function defaultSentinel(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // Access can throw (e.g. storage disabled).
  }
}

export async function openReplica(options: OpenReplicaOptions): Promise<Replica> {
  const { userId, orgId } = options;
  const db = new OutpostDb(databaseName(userId), {
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
    ...(options.addons ? { addons: options.addons } : {}),
  });
  const { onBlocked } = options;
  if (onBlocked) db.on('blocked', () => onBlocked());
  await db.open();
  const sentinel = options.sentinel === undefined ? defaultSentinel() : options.sentinel;
  const previous = sentinel ? readSentinel(sentinel, userId) : null;

  // One transaction so two tabs opening at once agree on the client id.
  const { clientId, vanished } = await db.transaction('rw', db.meta, async () => {
    const existing = await getMeta(db, 'clientId');
    if (existing) return { clientId: existing, vanished: null };
    // The database is new. If this browser had a replica for the user, the browser evicted
    // it (or someone cleared site data): keep the client id so the server's record of what it
    // processed still applies, and remember how many mutations the old replica had made.
    const clientId = previous?.clientId ?? newClientId();
    await setMeta(db, 'clientId', clientId);
    await setMeta(db, 'cursor', 0);
    // Continue after the old replica's ids: the server may have seen some of them.
    await setMeta(db, 'lastMutationId', previous?.lastMutationId ?? 0);
    if (previous) await setMeta(db, 'vanished', { lastMutationId: previous.lastMutationId });
    return { clientId, vanished: previous ? { lastMutationId: previous.lastMutationId } : null };
  });
  if (options.user) await setStored(db, 'user', options.user);
  if (sentinel)
    writeSentinel(sentinel, userId, { clientId, lastMutationId: previous?.lastMutationId ?? 0 });

  return { db, userId, orgId, clientId, vanished, sentinel, close: () => db.close() };
}

/** Deletes a user's whole local database (sign-out). */
export async function deleteReplica(replica: Replica): Promise<void> {
  replica.db.close();
  await replica.db.delete();
}
