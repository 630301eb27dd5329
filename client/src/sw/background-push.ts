import { createHttpTransport, pushBatch, SyncError, type PushOutcome } from '@outpost/sync';
import { openStoredReplica } from './stored-replica';

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

/**
 * The service worker's replay: reads this user's outbox from IndexedDB and pushes it with the
 * device sync credential (never a session token — those expire within a minute) through the
 * same `pushBatch` as the page's sync loop (so it has the same guards). Only the credential
 * and the lock are its own. A retryable failure (still offline, 5xx) throws,
 * so the browser schedules the `sync` event again; anything else resolves and is left for the
 * page to surface.
 */
export async function backgroundPush(opts: BackgroundPushOptions): Promise<BackgroundPushResult> {
  const opened = await openStoredReplica({
    userId: opts.userId,
    indexedDB: opts.indexedDB ?? indexedDB,
    ...(opts.IDBKeyRange ? { IDBKeyRange: opts.IDBKeyRange } : {}),
  });
  if ('skipped' in opened) return { status: 'skipped', reason: opened.skipped };
  const { replica, credential } = opened;
  try {
    if (!credential || credential.clientId !== replica.clientId)
      return { status: 'skipped', reason: 'no sync credential for this device' };
    if (Date.parse(credential.expiresAt) <= Date.now())
      return { status: 'skipped', reason: 'the sync credential expired' };
    const transport = createHttpTransport({
      baseUrl: opts.baseUrl,
      getToken: async () => ({ token: credential.credential, userId: opts.userId }),
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    const signal = opts.signal ?? new AbortController().signal;
    let sent = 0;
    let rejected = 0;
    for (;;) {
      const outcome: PushOutcome = await pushBatch(replica, transport, signal);
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
    replica.close();
  }
}
