import {
  getMeta,
  setMeta,
  type ReadableStore,
  type Replica,
  type SyncStatus,
  type SyncTransport,
} from '@outpost/sync';

/** Renew a credential expiring within this (they last about 30 days). */
const RENEW_BEFORE_MS = 24 * 3600_000;
/** How often the leading tab looks at the stored credential. */
export const CHECK_EVERY_MS = 3600_000;

/**
 * Obtains (if missing, for another client id, or expiring) and stores the device sync
 * credential: what the service worker's Background Sync replay pushes with
 * (`sw/background-push.ts`), since session tokens expire within a minute. The engine only
 * revokes it, when it signs out.
 */
export async function ensureCredential(
  replica: Replica,
  transport: Pick<SyncTransport, 'createCredential'>,
  now: () => number,
): Promise<void> {
  const existing = await getMeta(replica.db, 'credential');
  if (
    existing &&
    existing.clientId === replica.clientId &&
    Date.parse(existing.expiresAt) > now() + RENEW_BEFORE_MS
  )
    return;
  const credential = await transport.createCredential(replica.clientId, {
    userId: replica.userId,
  });
  await setMeta(replica.db, 'credential', credential);
}

/**
 * Credential upkeep in the tab that leads sync: after a successful sync (`lastSyncedAt` moved
 * while this tab leads) it looks at most hourly; a failure (best effort: without it only the
 * service-worker replay is unavailable) is retried after the next successful sync.
 * `settled()`: the last look, done.
 */
export function keepSyncCredential(opts: {
  replica: Replica;
  transport: Pick<SyncTransport, 'createCredential'>;
  status: ReadableStore<SyncStatus>;
  signal: AbortSignal;
  now?: () => number;
}): { settled: () => Promise<void> } {
  const now = opts.now ?? Date.now;
  let synced = opts.status.getSnapshot().lastSyncedAt;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let last = Promise.resolve();
  const check = () => {
    const s = opts.status.getSnapshot();
    if (s.lastSyncedAt === synced) return;
    synced = s.lastSyncedAt;
    if (!s.isLeader || now() - checkedAt < CHECK_EVERY_MS) return;
    checkedAt = now();
    last = ensureCredential(opts.replica, opts.transport, now).catch(() => {
      checkedAt = Number.NEGATIVE_INFINITY;
    });
  };
  const unsubscribe = opts.status.subscribe(check);
  opts.signal.addEventListener('abort', unsubscribe, { once: true });
  return { settled: () => last };
}
