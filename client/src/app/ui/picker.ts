import type { KeyboardEvent as ReactKeyboardEvent } from 'react';

/**
 * Selects a shortcut key (s, a, p) opened, until a choice is made or focus leaves them: true
 * once their list was closed with Escape. The list takes the Escape's keydown (the page never
 * sees it); its keyup reaches the select, and says the list is closed with focus still there.
 */
const openedByKey = new WeakMap<HTMLSelectElement, boolean>();

/**
 * Opens a native control's picker (a select's list, a date's calendar) where the browser can.
 * `byKey`: a shortcut asked for it (see `keyAfterPicker`). `onEscaped`: the list it opened was
 * closed with Escape, nothing chosen — focus can go back where the key was pressed, so the next
 * key acts there at once (as in Linear) instead of landing on the select.
 */
export function openPicker(
  el: HTMLInputElement | HTMLSelectElement,
  byKey = false,
  onEscaped?: () => void,
): void {
  if (byKey && el instanceof HTMLSelectElement && !openedByKey.has(el)) {
    openedByKey.set(el, false);
    const closed = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || !openedByKey.has(el)) return;
      if (!onEscaped) return void openedByKey.set(el, true);
      forget();
      onEscaped();
    };
    const forget = () => {
      openedByKey.delete(el);
      el.removeEventListener('keyup', closed);
      el.removeEventListener('change', forget);
      el.removeEventListener('blur', forget);
    };
    el.addEventListener('keyup', closed);
    el.addEventListener('change', forget);
    el.addEventListener('blur', forget);
  }
  try {
    el.showPicker();
  } catch {
    // Not here (no user gesture, or not supported): the control still takes keys and taps.
  }
}

/**
 * A letter typed on a select a shortcut opened, once its list closed without a choice: Escape
 * closes the list only and focus stays on the select, where a letter is its type-ahead — it
 * would pick and write the first option starting with that letter ("s", Escape, "c": Completed).
 * Such a letter is taken to mean the person has left the choice: nothing is picked and focus
 * goes where `leave` puts it (where the shortcut was pressed), for the next key. True when the
 * key was taken.
 */
export function keyAfterPicker(e: ReactKeyboardEvent<HTMLElement>, leave: () => void): boolean {
  const el = e.currentTarget;
  if (!(el instanceof HTMLSelectElement) || openedByKey.get(el) !== true) return false;
  // Space and arrows open or move through the list: still the select's.
  if (e.key.length !== 1 || e.key === ' ' || e.ctrlKey || e.metaKey || e.altKey) return false;
  e.preventDefault();
  e.stopPropagation();
  openedByKey.delete(el);
  leave();
  return true;
}
