import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { KEYBOARD_LIKELY } from './keyboard-likely';

/** Marks the empty state's own line, which takes focus where a field would raise a keyboard. */
export const EMPTIED_FOCUS = { 'data-emptied-focus': true, tabIndex: -1 } as const;

/**
 * Focus that was inside `scope` (a list, the detail beside it) when its element went away, with
 * no row left to take it — the last task deleted or completed, the last result filtered out —
 * goes to `fallback()` (the field the empty state points to) instead of falling to the page.
 * A list that still has rows moves focus itself (TaskList's focus requests).
 * On a touch screen or a phone-sized window, focus goes to the empty state's line instead
 * (marked with `EMPTIED_FOCUS`): a field focused there raises the on-screen keyboard unasked.
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
    // The empty state's line may come a commit later (the counts are a read of their own).
    const target = window.matchMedia(KEYBOARD_LIKELY).matches
      ? fallback()
      : scope.current?.querySelector<HTMLElement>('[data-emptied-focus]');
    if (!target) return;
    last.current = null;
    target.focus();
  });
}
