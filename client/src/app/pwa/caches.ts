/** Runtime caches of API answers made by the service worker (see src/sw.ts); wiped on sign-out. */
export const RUNTIME_API_CACHE_PREFIX = 'outpost-api-';
export const RUNTIME_API_CACHE = `${RUNTIME_API_CACHE_PREFIX}v1`;
/** Set by the service worker on an API answer it served from its copy instead of the network. */
export const OFFLINE_COPY_HEADER = 'X-Outpost-Offline-Copy';
