import { useEffect, useRef } from 'react';
import { takeWorkspaceFocus } from './workspace-focus';

/**
 * After the screen changes, focus that fell to the page body (the link or button that had it
 * left with the old screen) moves to the new screen's heading — to its main region while the
 * screen is still loading, then to the heading when it comes, unless focus moved meanwhile:
 * a keyboard or screen-reader user goes on from the screen they are on, not from the top of
 * the page. Focus that is still somewhere (a section tab, a task row) is left alone, and so
 * is the first screen after the page loads. A screen loaded on demand keeps the old screen in
 * the page, hidden, while it loads: focus on it, and its heading, count as gone.
 */
export function useRouteFocus(screen: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      // The first screen after the page loads keeps focus at the top; one opened by an org
      // switch or join takes it, as any other new screen does.
      if (!takeWorkspaceFocus('heading')) return;
    }
    const active = document.activeElement;
    const main = document.querySelector('main');
    if ((active && active !== document.body && shown(active)) || !main) return;
    const heading = () => [...main.querySelectorAll<HTMLElement>('h2')].find(shown) ?? null;
    const focus = (el: HTMLElement) => {
      if (!el.hasAttribute('tabindex')) el.tabIndex = -1;
      el.focus();
    };
    const now = heading();
    if (now) return focus(now);
    focus(main);
    // Until the heading comes, however long the screen's code takes (seconds on a slow network
    // or a busy phone), for as long as focus stays on the region: moved on, it is not taken back.
    const watch = new MutationObserver(() => {
      const h = heading();
      if (!h) return;
      stop();
      if (document.activeElement === main) focus(h);
    });
    const movedOn = (e: FocusEvent) => {
      if (e.target !== main) stop();
    };
    const stop = () => {
      watch.disconnect();
      document.removeEventListener('focusin', movedOn, true);
    };
    watch.observe(main, { childList: true, subtree: true });
    document.addEventListener('focusin', movedOn, true);
    return stop;
  }, [screen]);
}

/**
 * Focus the screen's heading (its `main` region's first shown h2), for when the element focus
 * should go back to is gone or was the page itself. False when there is no such heading.
 */
export function focusScreenHeading(): boolean {
  const heading = [...document.querySelectorAll<HTMLElement>('main h2')].find(shown);
  if (!heading) return false;
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus();
  return true;
}

/** False for an element hidden with what holds it (`display: none`): it cannot keep focus. */
function shown(el: Element): boolean {
  return el.getClientRects().length > 0;
}
