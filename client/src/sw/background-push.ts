import { databaseName, OutpostDb } from '../sync/db';
import { SyncError } from '../sync/errors';
import { createHttpTransport } from '../sync/http-transport';
import { getMeta } from '../sync/meta';
import { pushBatch } from '../sync/push';
import type { Replica } from '../sync/replica';

/** Background Sync tags are per user, so a replay never mixes identities. */
export const SYNC_TAG_PREFIX = 'outpost-push:';
export const syncTagFor = (userId: string) => `${SYNC_TAG_PREFIX}${userId}`;
export const userIdFromTag = (tag: string) =>
  tag.startsWith(SYNC_TAG_PREFIX) ? tag.slice(SYNC_TAG_PREFIX.length) : null;

export type BackgroundPushResult =
  | { status: 'pushed'; sent: number; rejected: number }
  | { status: 'nothing-to-send' }
  /** The server knows more of this device than its database does: left for the page to recover. */
  | { status: 'server-ahead'; sent: number; rejected: number }
  /** No database for this user (signed out since) or no sync credential yet: nothing we may send. */
  | { status: 'skipped'; reason: string };

export interface BackgroundPushOptions {
  userId: string;
  baseUrl: string;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

async function databaseExists(idb: IDBFactory, name: string): Promise<boolean> {
  // Opening a missing database would create an empty one for a user who signed out.
  if (typeof idb.databases !== 'function') return true;
  return (await idb.databases()).some((d) => d.name === name);
}

/**
 * The service worker's replay: reads this user's outbox from IndexedDB and pushes it with the
 * device sync credential (never a session token — those expire within a minute) through the
 * same `pushBatch` as the page's sync loop (so it has the same guards). Only the credential
 * and the lock are its own. A retryable failure (still offline, 5xx) throws,
 * so the browser schedules the `sync` event again; anything else resolves and is left for the
 * page to surface.
 */
export async function backgroundPush(opts: BackgroundPushOptions): Promise<BackgroundPushResult> {
  const idb = opts.indexedDB ?? indexedDB;
  const name = databaseName(opts.userId);
  if (!(await databaseExists(idb, name)))
    return { status: 'skipped', reason: 'no local database for this user' };
  const db = new OutpostDb(name, {
    indexedDB: idb,
    ...(opts.IDBKeyRange ? { IDBKeyRange: opts.IDBKeyRange } : {}),
  });
  try {
    await db.open();
    const [user, clientId, credential] = await Promise.all([
      getMeta(db, 'user'),
      getMeta(db, 'clientId'),
      getMeta(db, 'credential'),
    ]);
    if (!user || !clientId)
      return { status: 'skipped', reason: 'the replica has no signed-in user' };
    if (!credential || credential.clientId !== clientId)
      return { status: 'skipped', reason: 'no sync credential for this device' };
    if (Date.parse(credential.expiresAt) <= Date.now())
      return { status: 'skipped', reason: 'the sync credential expired' };
    const replica: Replica = {
      db,
      userId: opts.userId,
      orgId: user.orgId,
      clientId,
      vanished: null,
      sentinel: null,
      close: () => db.close(),
    };
    const transport = createHttpTransport({
      baseUrl: opts.baseUrl,
      getToken: async () => ({ token: credential.credential, userId: opts.userId }),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    const signal = opts.signal ?? new AbortController().signal;
    let sent = 0;
    let rejected = 0;
    for (;;) {
      const outcome = await pushBatch(replica, transport, signal);
      if (outcome.type === 'empty') break;
      if (outcome.type === 'failed') throw outcome.error;
      // Renumbering and re-pulling belong to the page's loop, which can tell the user.
      if (outcome.type === 'server-ahead') return { status: 'server-ahead', sent, rejected };
      sent += outcome.record.mutations.length;
      rejected += outcome.rejected.length;
      // The server processed nothing of this batch: stop rather than resend it forever.
      if (outcome.lastMutationId < outcome.record.mutations[0]!.id) break;
    }
    return sent === 0 ? { status: 'nothing-to-send' } : { status: 'pushed', sent, rejected };
  } catch (err) {
    if (err instanceof SyncError && !err.retryable) {
      return { status: 'skipped', reason: `${err.name}: ${err.message}` };
    }
    throw err;
  } finally {
    db.close();
  }
}
