import type { ReadableStore, SyncStatus } from '@outpost/sync';
import { syncTagFor } from '../../sw/background-push';

/**
 * Asks the service worker to replay this user's outbox when connectivity returns, whenever a
 * push could not go out for lack of network. Chromium fires the `sync` event even after every
 * tab is closed. Where Background Sync is missing, the page's own loop covers it (it syncs on
 * open, `online` and visibility).
 */
export function registerBackgroundSyncOnFailure(opts: {
  userId: string;
  status: ReadableStore<SyncStatus>;
  registration: () => Promise<ServiceWorkerRegistration | null>;
  signal: AbortSignal;
}): void {
  let registeredFor: number | null = null;
  const check = () => {
    const s = opts.status.getSnapshot();
    const networkFailure = !s.online || s.lastError?.name === 'NetworkError';
    if (s.pending === 0 || !networkFailure) {
      registeredFor = null;
      return;
    }
    // One registration per failure episode is enough; the tag is idempotent anyway.
    if (registeredFor === s.pending) return;
    registeredFor = s.pending;
    void opts
      .registration()
      .then((reg) => reg?.sync?.register(syncTagFor(opts.userId)))
      .catch(() => undefined); // Permission denied or unsupported: the page loop is the fallback.
  };
  const unsubscribe = opts.status.subscribe(check);
  opts.signal.addEventListener('abort', unsubscribe, { once: true });
  check();
}
