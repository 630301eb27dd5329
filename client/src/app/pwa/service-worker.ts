import { Workbox } from 'workbox-window';
import { createStore, type Store } from '../ui/store';

export interface PwaState {
  /** A new build is installed and waiting: offer "reload". */
  updateReady: boolean;
  /** The service worker controls the page (the app shell is cached for offline starts). */
  offlineReady: boolean;
  registrationError: string | null;
}

export interface Pwa extends Store<PwaState> {
  /** Activates the waiting worker, then reloads once it controls the page (else reloads). */
  applyUpdate(): void;
  /**
   * This page's code is older than its database (another tab upgraded it): offer the reload
   * as for a new deploy.
   */
  requireReload(): void;
  /** Asks the browser to check for a new sw.js now (also done on focus and hourly). */
  checkForUpdate(): Promise<void>;
  registration(): Promise<ServiceWorkerRegistration | null>;
}

/**
 * Registers /sw.js through workbox-window. Nothing happens where service workers are not
 * available (plain http on a LAN address, some private modes): the app still runs, it just
 * will not open offline.
 */
export function registerServiceWorker(
  opts: { url?: string; reload?: () => void; updateCheckMs?: number } = {},
): Pwa {
  const store = createStore<PwaState>({
    updateReady: false,
    offlineReady: false,
    registrationError: null,
  });
  const patch = (p: Partial<PwaState>) => store.set({ ...store.getSnapshot(), ...p });
  const reload = opts.reload ?? (() => window.location.reload());
  const supported = typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
  const wb = supported ? new Workbox(opts.url ?? '/sw.js', { scope: '/' }) : null;
  let registered: Promise<ServiceWorkerRegistration | null> = Promise.resolve(null);

  /** A new worker is installed and waiting to take over. */
  let waiting = false;
  if (wb) {
    wb.addEventListener('waiting', () => {
      waiting = true;
      patch({ updateReady: true });
    });
    wb.addEventListener('activated', (e) => {
      if (!e.isUpdate) patch({ offlineReady: true });
    });
    if (navigator.serviceWorker.controller) patch({ offlineReady: true });
    registered = wb.register().then(
      (r) => r ?? null,
      (err: unknown) => {
        patch({ registrationError: err instanceof Error ? err.message : String(err) });
        return null;
      },
    );
    // A long-lived tab still notices a deploy: check when it regains focus, and hourly.
    const check = () => void wb.update().catch(() => undefined);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') check();
    });
    setInterval(check, opts.updateCheckMs ?? 60 * 60_000);
  }

  return {
    subscribe: store.subscribe,
    getSnapshot: store.getSnapshot,
    applyUpdate() {
      if (!wb || !waiting) return reload();
      // Reload only once the new worker controls the page, so the reload gets the new shell.
      wb.addEventListener('controlling', () => reload());
      wb.messageSkipWaiting();
    },
    requireReload() {
      patch({ updateReady: true });
    },
    async checkForUpdate() {
      await wb?.update();
    },
    registration: () => registered,
  };
}
