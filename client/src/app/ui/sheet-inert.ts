import { useCallback, useLayoutEffect, useRef, type RefObject } from 'react';

/** The sheets covering the page now, each by the list of what it made inert. */
const covering = new Set<readonly Element[]>();
/** Told when a sheet comes over the page (the notice stack folds back). */
const coverListeners = new Set<() => void>();

/**
 * Whether a sheet covers the page now (a task open on a phone): what changes underneath, an
 * undone complete in the list, happens out of sight.
 */
export function pageCovered(): boolean {
  return covering.size > 0;
}

/** Calls `listener` each time a sheet comes to cover the page; returns the unsubscribe. */
export function onPageCovered(listener: () => void): () => void {
  coverListeners.add(listener);
  return () => coverListeners.delete(listener);
}

/**
 * While `sheet` covers the whole screen (`query` matches: the phone layout), everything it
 * covers is made `inert`, so Tab, a screen reader's cursor and taps stay in what can be seen.
 * Overlays that stay visible above it (the status bar, notices, toasts: fixed-position
 * siblings on its way up) are left alone. Undone when the sheet closes or the screen widens;
 * the returned `release` undoes it at once, for a close that sends focus back to what was
 * covered before the sheet has gone.
 */
export function useInertBehind(sheet: RefObject<HTMLElement | null>, query: string): () => void {
  const made = useRef<Element[]>([]);
  const release = useCallback(() => {
    for (const el of made.current) el.removeAttribute('inert');
    covering.delete(made.current);
    made.current = [];
  }, []);
  // A layout effect: released inside the commit that removes the sheet.
  useLayoutEffect(() => {
    const media = window.matchMedia(query);
    const apply = () => {
      release();
      const own = sheet.current;
      if (!own || !media.matches) return;
      for (let node: Element = own; node.parentElement && node !== document.body;) {
        const parent: Element = node.parentElement;
        for (const sibling of parent.children) {
          if (sibling === node || sibling.hasAttribute('inert')) continue;
          if (getComputedStyle(sibling).position === 'fixed') continue;
          sibling.setAttribute('inert', '');
          made.current.push(sibling);
        }
        node = parent;
      }
      covering.add(made.current);
      coverListeners.forEach((l) => l());
    };
    apply();
    media.addEventListener('change', apply);
    return () => {
      media.removeEventListener('change', apply);
      release();
    };
  }, [sheet, query, release]);
  return release;
}
