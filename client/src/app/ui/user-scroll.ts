import { isTypingTarget } from './shortcuts';

/**
 * Keys that move the page or the task list's cursor (j/k, Home/End: see list-shortcuts.ts).
 * Space scrolls only from the page itself (on a control it presses it).
 */
const MOVING_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown']);
const CURSOR_KEYS = new Set(['j', 'k', 'J', 'K']);

/**
 * Calls `moved` when the person moves the window themselves: a wheel, a touch drag, a key that
 * scrolls or moves the list's cursor, a press on the page's scrollbar. The page's own scrolls
 * (a script's `scrollTo`, focus brought into view, the browser restoring a Back) are not input
 * and do not count, where a `scroll` event could not tell them apart. Returns the unsubscribe.
 */
export function watchUserScroll(moved: () => void): () => void {
  const key = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
    const page = e.target === document.body || e.target === document.documentElement;
    if (MOVING_KEYS.has(e.key) || CURSOR_KEYS.has(e.key) || (e.key === ' ' && page)) moved();
  };
  // The page's own scrollbar: a press on it lands on the root element.
  const press = (e: PointerEvent) => {
    if (e.target === document.documentElement) moved();
  };
  const opts = { capture: true, passive: true } as const;
  window.addEventListener('wheel', moved, opts);
  window.addEventListener('touchmove', moved, opts);
  window.addEventListener('keydown', key, opts);
  window.addEventListener('pointerdown', press, opts);
  return () => {
    window.removeEventListener('wheel', moved, opts);
    window.removeEventListener('touchmove', moved, opts);
    window.removeEventListener('keydown', key, opts);
    window.removeEventListener('pointerdown', press, opts);
  };
}
