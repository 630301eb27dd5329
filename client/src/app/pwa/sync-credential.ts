import { syncCredentialSchema, type ClientId, type SyncCredential } from '@outpost/shared';
import { anySignal, type ReadableStore, type Replica, type SyncStatus } from '@outpost/sync';
import { getStored, setStored } from '@outpost/sync/stored';

/** Renew a credential expiring within this (they last about 30 days). */
const RENEW_BEFORE_MS = 24 * 3600_000;
/** How often the leading tab looks at the stored credential. */
export const CHECK_EVERY_MS = 3600_000;

/** A request to the credential endpoints gives up after this. */
const TIMEOUT_MS = 30_000;

/**
 * The credential endpoints (docs/protocol.md "Sync credentials") with the session's token:
 * the app's alone (the service worker's replay), so not the engine's transport.
 */
export interface CredentialRequests {
  create(clientId: ClientId): Promise<SyncCredential>;
  /** `signal`: sign-out gives up on it (see `auth/sign-out.ts`). */
  revoke(id: string, signal?: AbortSignal): Promise<void>;
}

/** The server answered a credential request with an error status. */
export class CredentialRequestError extends Error {
  override name = 'CredentialRequestError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function credentialRequests(
  getToken: () => Promise<string>,
  fetchFn: typeof fetch = (...args) => fetch(...args),
): CredentialRequests {
  async function send(
    method: 'POST' | 'DELETE',
    path: string,
    body?: string,
    signal?: AbortSignal,
  ) {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const res = await fetchFn(`/api/v1/sync/credentials${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await getToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
      signal: signal ? anySignal([timeout, signal]) : timeout,
    });
    if (!res.ok)
      throw new CredentialRequestError(
        `${method} /sync/credentials${path} answered HTTP ${res.status}`,
        res.status,
      );
    return res;
  }
  return {
    async create(clientId) {
      const res = await send('POST', '', JSON.stringify({ clientId }));
      return syncCredentialSchema.parse(await res.json());
    },
    async revoke(id, signal) {
      await send('DELETE', `/${encodeURIComponent(id)}`, undefined, signal);
    },
  };
}

/**
 * Obtains (if missing, for another client id, or expiring) and stores the device sync
 * credential: what the service worker's Background Sync replay pushes with
 * (`sw/background-push.ts`), since session tokens expire within a minute.
 */
export async function ensureCredential(
  replica: Replica,
  requests: Pick<CredentialRequests, 'create'>,
  now: () => number,
): Promise<void> {
  const existing = await getStored(replica.db, 'credential');
  if (
    existing &&
    existing.clientId === replica.clientId &&
    Date.parse(existing.expiresAt) > now() + RENEW_BEFORE_MS
  )
    return;
  const credential = await requests.create(replica.clientId);
  await setStored(replica.db, 'credential', credential);
}

/**
 * Credential upkeep in the tab that leads sync: after a successful sync (`lastSyncedAt` moved
 * while this tab leads) it looks at most hourly; a failure (best effort: without it only the
 * service-worker replay is unavailable) is retried after the next successful sync.
 * `settled()`: the last look, done.
 */
export function keepSyncCredential(opts: {
  replica: Replica;
  requests: Pick<CredentialRequests, 'create'>;
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
    last = ensureCredential(opts.replica, opts.requests, now).catch(() => {
      checkedAt = Number.NEGATIVE_INFINITY;
    });
  };
  const unsubscribe = opts.status.subscribe(check);
  opts.signal.addEventListener('abort', unsubscribe, { once: true });
  return { settled: () => last };
}

/**
 * Signing out: the stored credential revoked before the replica holding it is deleted. A
 * refusal (4xx: already revoked, the member removed, the session gone) leaves nothing to
 * withdraw; no answer (no network, `signal` aborted) or a server error (5xx) rejects, and
 * sign-out asks whether to go on without it (offline it stays valid until it expires, as a lost
 * device's would; the replica holding it goes anyway).
 */
export async function revokeCredential(
  replica: Replica,
  requests: Pick<CredentialRequests, 'revoke'>,
  signal?: AbortSignal,
): Promise<void> {
  const credential = await getStored(replica.db, 'credential').catch(() => undefined);
  if (!credential) return;
  try {
    await requests.revoke(credential.id, signal);
  } catch (err) {
    if (err instanceof CredentialRequestError && err.status < 500) return;
    throw err;
  }
}
