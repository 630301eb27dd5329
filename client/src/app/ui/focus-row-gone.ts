import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

const CONTROLS = 'a[href], button:not(:disabled), select:not(:disabled), input:not(:disabled)';

/**
 * Focus inside a list row of `scope` when the row goes (a member removed, an invitation
 * revoked — gone once the replica drops it) moves to the row now in its place, else the one
 * before it, else `fallback()` (the screen's heading), instead of falling to the page and
 * sending the next Tab back to the top.
 */
export function useFocusWhenRowGoes(
  scope: RefObject<HTMLElement | null>,
  fallback: () => HTMLElement | null,
): void {
  // The element focus last went to inside a row of the scope, its list and its place there.
  const last = useRef<{ el: Element; list: Element; at: number } | null>(null);
  useEffect(() => {
    const focused = (e: FocusEvent) => {
      const el = e.target instanceof Element ? e.target : null;
      const row = el && scope.current?.contains(el) ? el.closest('li') : null;
      last.current =
        el && row?.parentElement
          ? { el, list: row.parentElement, at: [...row.parentElement.children].indexOf(row) }
          : null;
    };
    document.addEventListener('focusin', focused);
    return () => document.removeEventListener('focusin', focused);
  }, [scope]);
  // After every commit: the row may have gone in this one.
  useLayoutEffect(() => {
    const was = last.current;
    const active = document.activeElement;
    if (!was || was.el.isConnected || (active && active !== document.body)) return;
    last.current = null;
    const rows = was.list.isConnected ? was.list.children : null;
    const row = rows?.[was.at] ?? rows?.[was.at - 1];
    const target = row?.querySelector<HTMLElement>(CONTROLS) ?? fallback();
    target?.focus();
  });
}
