/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { ExpirationPlugin } from 'workbox-expiration';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { OFFLINE_COPY_HEADER, RUNTIME_API_CACHE } from './app/pwa/caches';
import { leaderLockName } from '@outpost/sync';
import { backgroundPush, userIdFromTag, type BackgroundPushResult } from './sw/background-push';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

/** Baked in at build time: a new version is a byte-different sw.js, so browsers see the update. */
const APP_VERSION = __APP_VERSION__;

// The app shell: every built asset, so the app opens with no network after one visit.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// On first install, take control of the open page at once (updates still wait for the user:
// the new worker only activates when the page posts SKIP_WAITING).
clientsClaim();

// Hash routes mean one document; still, any deep link opens the cached shell offline.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api\//, /^\/docs/, /^\/metrics/, /^\/openapi\.json/],
  }),
);

// API reads the local mirror does not hold (the external shared-resources library, the
// profile): network first, the last good answer when offline. Sync traffic (POST) and the
// WebSocket never pass through here.

const apiCacheOptions = {
  cacheName: RUNTIME_API_CACHE,
  networkTimeoutSeconds: 4,
  plugins: [new ExpirationPlugin({ maxEntries: 300, maxAgeSeconds: 7 * 24 * 3600 })],
};

// The external library answers `Vary: Authorization`, but offline (a reload, an expired token)
// the page has no token to send, so an exact match would never find the copy. The data is the
// same for every user (org-agnostic), the screen gates roles itself, and sign-out deletes this
// cache: matching regardless of the token is safe here. /me stays per-token.
registerRoute(
  ({ url, request }) =>
    request.method === 'GET' &&
    url.origin === self.location.origin &&
    url.pathname.startsWith('/api/v1/external-data/'),
  new NetworkFirst({
    ...apiCacheOptions,
    matchOptions: { ignoreVary: true },
    // NetworkFirst reads the cache only when the network failed: tell the page it is a copy, so
    // it can say so even when the browser still claims to be online.
    plugins: [
      ...apiCacheOptions.plugins,
      { cachedResponseWillBeUsed: async ({ cachedResponse }) => markOfflineCopy(cachedResponse) },
    ],
  }),
);

function markOfflineCopy(response: Response | undefined): Response | undefined {
  if (!response) return response;
  const headers = new Headers(response.headers);
  headers.set(OFFLINE_COPY_HEADER, '1');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

registerRoute(
  ({ url, request }) =>
    request.method === 'GET' &&
    url.origin === self.location.origin &&
    (url.pathname === '/api/v1/me' || url.pathname === '/api/v1/health'),
  new NetworkFirst(apiCacheOptions),
);

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null || !('type' in data)) return;
  if (data.type === 'SKIP_WAITING') void self.skipWaiting();
  if (data.type === 'GET_VERSION') event.ports[0]?.postMessage({ version: APP_VERSION });
});

/** How long a replay waits for an open tab to release the sync lock. */
const LOCK_WAIT_MS = 60_000;

// Background Sync: the page registers `outpost-push:<userId>` when a push fails for lack of
// network; the browser fires it once connectivity is back — even if every tab is closed.
self.addEventListener('sync', (event: SyncEvent) => {
  const userId = userIdFromTag(event.tag);
  if (!userId) return;
  const push = () => backgroundPush({ userId, baseUrl: self.location.origin });
  // A tab that leads this user's sync holds this lock and pushes on its own; don't race it.
  // Wait for it a while rather than give up at once: the event often fires just as the last
  // tab is closing, and a resolved event is not fired again.
  const locks = self.navigator.locks as LockManager | undefined;
  const viaLock = async (l: LockManager): Promise<BackgroundPushResult> => {
    const waiting = AbortSignal.timeout(LOCK_WAIT_MS);
    let started = false;
    try {
      return await l.request(leaderLockName(userId), { signal: waiting }, () => {
        started = true;
        return push();
      });
    } catch (err) {
      if (!started && waiting.aborted)
        return { status: 'skipped', reason: 'an open tab is syncing' };
      throw err;
    }
  };
  const work = locks ? viaLock(locks) : push();
  event.waitUntil(
    work.then((result) => {
      // Tell open pages (if any) so their status refreshes now rather than on the next timer.
      return self.clients.matchAll({ type: 'window' }).then((clients) => {
        for (const c of clients) c.postMessage({ type: 'BACKGROUND_PUSH', userId, result });
      });
    }),
  );
});
