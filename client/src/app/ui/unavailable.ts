import type { KeyboardEvent, MouseEvent } from 'react';

/**
 * A control unavailable for a while (offline, say) that keeps keyboard focus: it looks and acts
 * disabled (`aria-disabled`, greyed by styles.css) and is described by the element saying why.
 * `disabled` would drop focus to the page the moment it became unavailable. Its handlers must
 * still do nothing while it is unavailable.
 */
export function unavailableProps(unavailable: boolean, reasonId: string, describedBy?: string) {
  const ids = [describedBy, unavailable ? reasonId : undefined].filter(Boolean).join(' ');
  return {
    'aria-disabled': unavailable || undefined,
    'aria-describedby': ids || undefined,
  };
}

/** Keys that change a closed `<select>` or open its list (type-ahead included). */
const CHANGING_KEYS = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Enter',
]);

/**
 * The same for a `<select>`, which `aria-disabled` alone does not stop: the keys and the press
 * that would change it or open its list do nothing (Tab still moves on, shortcuts still work).
 */
export function unavailableSelectProps(
  unavailable: boolean,
  reasonId: string,
  describedBy?: string,
) {
  return {
    ...unavailableProps(unavailable, reasonId, describedBy),
    onKeyDown: unavailable
      ? (e: KeyboardEvent<HTMLSelectElement>) => {
          if (e.ctrlKey || e.metaKey) return;
          if (e.key.length === 1 || CHANGING_KEYS.has(e.key)) e.preventDefault();
        }
      : undefined,
    onMouseDown: unavailable
      ? (e: MouseEvent<HTMLSelectElement>) => {
          // No list opens; focus still goes to it, as a press on a control does.
          e.preventDefault();
          e.currentTarget.focus();
        }
      : undefined,
  };
}
