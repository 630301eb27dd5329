import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { CacheFreshness } from './cache-freshness';
import {
  persistNow,
  queryCacheKey,
  storageOf,
  type CacheStorage,
  type PersistOptionsInput,
} from './queryClient';

/**
 * The cache is written as the page is hidden or goes (`persistNow`), so the next start paints
 * what was last shown, never an older value still waiting for the persister's throttle (a
 * project's description saved, then the page reloaded within the second, showed its old text
 * first). Not before the stored cache was restored (that would replace it with an empty one),
 * nor once the database is closed (signed out: the device's copy is gone), nor when nothing
 * changed since it was last stored (a tab switch would write the whole cache again for nothing).
 *
 * With `freshness`, the cache is stored only while it holds what the database does
 * (cache-freshness.ts): not fresh as the page goes, the stored cache is removed instead, and the
 * persister's own write is skipped then and made as soon as the cache is fresh again.
 *
 * Returns the storage to hand the persister (`createPersistOptions`) and the callback to call
 * once the restore is done (`PersistQueryClientProvider`'s `onSuccess`).
 */
export function usePersistAsPageGoes(
  queryClient: QueryClient,
  input: PersistOptionsInput & { freshness?: CacheFreshness },
  db: { isOpen(): boolean },
): { storage: CacheStorage | null; restored: () => void } {
  const restored = useRef(false);
  const { userId, appVersion, freshness } = input;
  const base = storageOf(input);
  /** What is stored: `writes` started before it, and whether the cache changed since. */
  const stored = useRef({ writes: -1, changed: true, owed: false });
  const storage = useMemo<CacheStorage | null>(
    () =>
      base && {
        getItem: (key) => base.getItem(key),
        removeItem: (key) => base.removeItem(key),
        setItem(key, value) {
          // The persister's write, a second after a change: the value may predate a write.
          if (freshness && !freshness.fresh()) {
            stored.current.owed = true;
            return;
          }
          base.setItem(key, value);
          stored.current = { writes: freshness?.writesStarted() ?? 0, changed: false, owed: false };
        },
      },
    [base, freshness],
  );
  useEffect(() => {
    if (!base) return;
    const save = () => {
      if (!restored.current || !db.isOpen()) return;
      if (freshness && !freshness.fresh()) {
        // A write in flight may commit as the page goes: no cache rather than an older one.
        base.removeItem(queryCacheKey(userId));
        stored.current.owed = true;
        return;
      }
      const writes = freshness?.writesStarted() ?? 0;
      // A write started since dropped what was stored (cache-freshness.ts).
      if (!stored.current.changed && stored.current.writes === writes) return;
      persistNow(queryClient, { userId, appVersion, storage: base });
      stored.current = { writes, changed: false, owed: false };
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    // The events the persister writes on (query-persist-client-core `isCacheableEventType`).
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'added' || event.type === 'removed' || event.type === 'updated')
        stored.current.changed = true;
    });
    const stopFresh = freshness?.onFresh(() => {
      if (stored.current.owed) save();
    });
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      unsubscribe();
      stopFresh?.();
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [queryClient, userId, appVersion, base, freshness, db]);
  return {
    storage,
    restored: () => {
      restored.current = true;
    },
  };
}
