import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { persistNow } from './queryClient';

/**
 * The cache is written as the page is hidden or goes (`persistNow`), so the next start paints
 * what was last shown, never an older value still waiting for the persister's throttle (a
 * project's description saved, then the page reloaded within the second, showed its old text
 * first). Not before the stored cache was restored (that would replace it with an empty one),
 * nor once the database is closed (signed out: the device's copy is gone). Returns the
 * callback to call once the restore is done (`PersistQueryClientProvider`'s `onSuccess`).
 */
export function usePersistAsPageGoes(
  queryClient: QueryClient,
  input: { userId: string; appVersion: string; storage?: Storage | null },
  db: { isOpen(): boolean },
): () => void {
  const restored = useRef(false);
  const { userId, appVersion, storage } = input;
  useEffect(() => {
    const save = () => {
      if (restored.current && db.isOpen())
        persistNow(queryClient, {
          userId,
          appVersion,
          ...(storage !== undefined ? { storage } : {}),
        });
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [queryClient, userId, appVersion, storage, db]);
  return () => {
    restored.current = true;
  };
}
