import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Focus on a control inside `scope` (a notice's OK, Keep theirs, Use mine) when that control
 * goes with what it answered goes back to where it came into the scope from — else to the
 * scope's next control, else the screen's heading — instead of falling to the page, where the
 * next Tab starts from the top.
 */
export function useFocusBackWhenGone(scope: RefObject<HTMLElement | null>): void {
  // The element focus last went to inside the scope, and where it was before it came in.
  const last = useRef<Element | null>(null);
  const cameFrom = useRef<Element | null>(null);
  useEffect(() => {
    const focused = (e: FocusEvent) => {
      const el = e.target instanceof Element ? e.target : null;
      const inside = el !== null && scope.current?.contains(el) === true;
      const from = e.relatedTarget instanceof Element ? e.relatedTarget : null;
      if (inside && !(from && scope.current?.contains(from))) cameFrom.current = from;
      last.current = inside ? el : null;
    };
    document.addEventListener('focusin', focused);
    return () => document.removeEventListener('focusin', focused);
  }, [scope]);
  // After every commit: the control may have gone in this one.
  useLayoutEffect(() => {
    const was = last.current;
    const active = document.activeElement;
    if (!was || was.isConnected || (active && active !== document.body)) return;
    last.current = null;
    const from = cameFrom.current;
    const target =
      (from instanceof HTMLElement && from.isConnected ? from : null) ??
      scope.current?.querySelector<HTMLElement>('button:not(:disabled), a[href]') ??
      document.querySelector<HTMLElement>('main h2[tabindex]');
    target?.focus({ preventScroll: true });
  });
}
