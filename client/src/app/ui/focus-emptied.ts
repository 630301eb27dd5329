import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Focus that was inside `scope` (a list, the detail beside it) when its element went away, with
 * no row left to take it — the last task deleted or completed, the last result filtered out —
 * goes to `fallback()` (the field the empty state points to) instead of falling to the page.
 * A list that still has rows moves focus itself (TaskList's focus requests).
 */
export function useFocusWhenEmptied(
  scope: RefObject<HTMLElement | null>,
  empty: boolean,
  fallback: () => HTMLElement | null,
): void {
  // The element focus last went to, if it was inside the scope.
  const last = useRef<Element | null>(null);
  useEffect(() => {
    const focused = (e: FocusEvent) => {
      const el = e.target instanceof Element ? e.target : null;
      last.current = el && scope.current?.contains(el) ? el : null;
    };
    document.addEventListener('focusin', focused);
    return () => document.removeEventListener('focusin', focused);
  }, [scope]);
  // After every commit: the element may have gone in this one, or the list emptied in it.
  useLayoutEffect(() => {
    const el = last.current;
    const active = document.activeElement;
    if (!empty || !el || el.isConnected || (active && active !== document.body)) return;
    last.current = null;
    fallback()?.focus();
  });
}
