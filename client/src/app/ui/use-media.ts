import { useCallback, useSyncExternalStore } from 'react';

/** The phone layout's width (the stylesheets' `max-width: 560px`). */
export const NARROW = '(max-width: 560px)';

/** One list per query for the page's life: a snapshot read makes no new one. */
const lists = new Map<string, MediaQueryList>();
function list(query: string): MediaQueryList {
  let media = lists.get(query);
  if (!media) lists.set(query, (media = window.matchMedia(query)));
  return media;
}

/** Whether `query` matches now; the component renders again when that changes. */
export function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const media = list(query);
      media.addEventListener('change', changed);
      return () => media.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => list(query).matches);
}
