import { useCallback, useSyncExternalStore } from 'react';

/** The phone layout's width (the stylesheets' `max-width: 560px`). */
export const NARROW = '(max-width: 560px)';

/** Whether `query` matches now; the component renders again when that changes. */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const media = window.matchMedia(query);
      media.addEventListener('change', changed);
      return () => media.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
