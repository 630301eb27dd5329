import type { KeyboardEvent } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]';

/**
 * Tab (Shift+Tab) on a date field goes on to the next (previous) stop in `root`, as from any
 * other field: Chromium gives a date's month, day and year a Tab stop each, so with its ✕ the
 * due date took four Tabs where Linear's and Things' take one. Its parts are still reached with
 * ← and →, as the browser has it. True when it moved focus (the key is then taken).
 */
export function tabPastParts(e: KeyboardEvent<HTMLInputElement>, root: Element | null): boolean {
  if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey || !root) return false;
  const stops = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.tabIndex >= 0 && !el.closest('[hidden], [inert]'),
  );
  const at = stops.indexOf(e.currentTarget);
  const next = at < 0 ? undefined : stops[at + (e.shiftKey ? -1 : 1)];
  if (!next) return false;
  e.preventDefault();
  next.focus();
  return true;
}
