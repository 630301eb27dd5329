import { getMeta, setMeta } from './meta';
import type { Replica } from './replica';
import type { SyncTransport } from './transport';

/** Renew a credential expiring within this (they last about 30 days). */
const RENEW_BEFORE_MS = 24 * 3600_000;
/** How often the leader looks at the stored credential. */
const CHECK_EVERY_MS = 3600_000;

/**
 * Obtains (if missing, for another client id, or expiring) and stores the device sync
 * credential: what the service worker's Background Sync replay pushes with, since session
 * tokens expire within a minute.
 */
export async function ensureCredential(
  replica: Replica,
  transport: SyncTransport,
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
 * Credential upkeep for the leader: `check()` after each successful sync looks at most
 * hourly; a failure (best effort: without it only the service-worker replay is unavailable)
 * is retried after the next successful sync.
 */
export function createCredentialKeeper(
  replica: Replica,
  transport: SyncTransport,
  now: () => number,
) {
  let checkedAt = Number.NEGATIVE_INFINITY;
  return {
    check(): void {
      if (now() - checkedAt < CHECK_EVERY_MS) return;
      checkedAt = now();
      void ensureCredential(replica, transport, now).catch(() => {
        checkedAt = Number.NEGATIVE_INFINITY;
      });
    },
  };
}
