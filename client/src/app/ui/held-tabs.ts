import { FOCUS_REQUEST_TTL_MS } from './focus';

/**
 * Tab pressed while a panel is opening (the key that opened it is still being handled, its
 * fields are being read) has nowhere to go yet: it would walk the screen behind, then the panel
 * takes focus and the Tab is lost. Between `holdTabs()` and `releaseTabs()` Tab is held and
 * counted (Shift+Tab counts back); the panel moves focus that many steps once it is ready.
 */
let held: { tabs: number; at: number } | null = null;

function onKey(e: KeyboardEvent): void {
  if (e.key !== 'Tab' || !held) return;
  // Never longer than a focus request waits: a panel that does not come gives the key back.
  if (Date.now() - held.at >= FOCUS_REQUEST_TTL_MS) return void releaseTabs();
  e.preventDefault();
  e.stopPropagation();
  held.tabs += e.shiftKey ? -1 : 1;
}

export function holdTabs(): void {
  if (!held) document.addEventListener('keydown', onKey, true);
  held = { tabs: 0, at: Date.now() };
}

/** Stops holding; returns the Tabs held (net of Shift+Tab). */
export function releaseTabs(): number {
  const tabs = held?.tabs ?? 0;
  held = null;
  document.removeEventListener('keydown', onKey, true);
  return tabs;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Moves focus `steps` Tabs forward from the start of `root` (as the held Tabs would have). */
export function tabInto(root: HTMLElement, steps: number): void {
  if (steps <= 0) return;
  const stops = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.tabIndex >= 0 && el.getClientRects().length > 0,
  );
  stops[Math.min(steps, stops.length) - 1]?.focus();
}
