import { useLayoutEffect, useRef } from 'react';
import { can, type Action, type Role, type RowEntity } from '@outpost/shared';

/**
 * A key `?` lists. `needs`: what the shared permission table must let the person do for the key
 * to do anything (it is left out of their list otherwise); `g` keys are listed for the sections
 * the person has.
 */
export interface Shortcut {
  keys: string[];
  what: string;
  needs?: readonly [Action, RowEntity];
}

/** The keys of `list` this person can use: each is listed only to those it works for. */
export function usableShortcuts(
  list: readonly Shortcut[],
  person: { role: Role; sections: readonly string[] },
): Shortcut[] {
  return list.filter((s) => {
    const first = s.keys[0]!;
    if (first.startsWith('g ')) return person.sections.includes(first.slice(2));
    return !s.needs || can(person.role, ...s.needs);
  });
}

/** True when the key belongs to what the user is typing into. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/** True for controls that act on Enter themselves (buttons, links, summaries). */
export function isControl(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    target.closest('button, a[href], summary, [role="button"]') !== null
  );
}

/**
 * A key no shortcut takes: already handled, held with Ctrl/⌘/Alt (the browser's), typed into a
 * field, or pressed in a modal dialog (it owns the keyboard: nothing behind it acts).
 */
function notAShortcut(e: KeyboardEvent): boolean {
  return (
    e.defaultPrevented ||
    e.ctrlKey ||
    e.metaKey ||
    e.altKey ||
    isTypingTarget(e.target) ||
    (e.target instanceof Element && e.target.closest('dialog[open]') !== null)
  );
}

/**
 * Single-key shortcuts on the document (Linear style). None fires while typing in a field or
 * with Ctrl/⌘/Alt held (those belong to the browser).
 */
export function useShortcuts(
  map: Record<string, (e: KeyboardEvent) => boolean | void>,
  enabled = true,
): void {
  const ref = useRef(map);
  ref.current = map;
  // Listening from the commit that puts the screen in the page, not from React's passive
  // effects a frame or more later (on a busy phone a key pressed as the screen showed was lost),
  // and no longer once it leaves.
  useLayoutEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (notAShortcut(e)) return;
      const fn = ref.current[e.key];
      // A handler returning false leaves the key to the browser (e.g. Enter on a button).
      if (fn && fn(e) !== false) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** How long after the lead key (`g`) its second key still counts. */
const SEQUENCE_MS = 1500;

/**
 * Two-key shortcuts led by `lead` (Linear's `g p`: go to Projects). Listened to before the
 * single-key shortcuts, so a second key that is also one of those (`p` moves the open task)
 * only does the sequence's work. Same rules as `useShortcuts`: not while typing, not in a
 * dialog, not with Ctrl/⌘/Alt.
 */
export function useKeySequence(
  lead: string,
  map: Record<string, () => void>,
  enabled = true,
): void {
  const ref = useRef(map);
  ref.current = map;
  // From the commit, as `useShortcuts`.
  useLayoutEffect(() => {
    if (!enabled) return;
    let ledAt = -Infinity;
    const onKey = (e: KeyboardEvent) => {
      if (notAShortcut(e)) return;
      if (e.timeStamp - ledAt < SEQUENCE_MS) {
        ledAt = -Infinity;
        const fn = ref.current[e.key];
        if (!fn) return;
        e.preventDefault();
        fn();
      } else if (e.key === lead && !e.repeat) {
        ledAt = e.timeStamp;
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [lead, enabled]);
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['c', 'n'], what: 'New task' },
  { keys: ['j'], what: 'Next task' },
  { keys: ['k'], what: 'Previous task' },
  { keys: ['↓', '↑'], what: 'Next or previous task (from a task in the list)' },
  { keys: ['Home', 'End'], what: 'First or last task (in the list)' },
  { keys: ['Page Down', 'Page Up'], what: 'A page of tasks down or up (in the list)' },
  { keys: ['x'], what: 'Complete or reopen the current task' },
  { keys: ['Enter'], what: 'Open the current task' },
  { keys: ['Space'], what: 'Select the task (or leave it out), for acting on several at once' },
  { keys: ['Shift+j', 'Shift+k'], what: 'Select down or up from the task (Shift+↓/↑ too)' },
  { keys: ['Ctrl+A', '⌘A'], what: 'Select every task shown (the search and filters apply)' },
  {
    keys: ['s'],
    what: 'Set the status of the open task, the selected tasks or the task you are on',
  },
  { keys: ['a'], what: 'Assign the open task, the selected tasks or the task you are on' },
  {
    keys: ['d'],
    what: 'Set the due date of the open task, the selected tasks or the task you are on — type it in words: fri, tomorrow, dec 24',
  },
  { keys: ['p'], what: 'Move the open task, the selected tasks or the task you are on' },
  {
    keys: ['Delete', 'Backspace'],
    what: 'Delete the open task, the selected tasks or the task you are on (asked first, with Undo)',
    needs: ['delete', 'task'],
  },
  { keys: ['i'], what: 'Assign the open task to me' },
  { keys: ['m'], what: 'Only tasks assigned to me (press again for everyone’s)' },
  { keys: ['/'], what: 'Search tasks (in a project: that project; elsewhere: every project)' },
  { keys: ['Esc'], what: 'Clear the selection, cancel an edit, close a panel' },
  { keys: ['Ctrl+Z', '⌘Z'], what: 'Undo what the last toast offers to undo' },
  { keys: ['g p'], what: 'Go to Projects' },
  { keys: ['g a'], what: 'Go to Activity' },
  { keys: ['g s'], what: 'Go to Sync' },
  { keys: ['g r'], what: 'Go to Resources' },
  { keys: ['g m'], what: 'Go to Members' },
  { keys: ['?'], what: 'Show these shortcuts' },
];

/**
 * The keys every screen takes (the shell's): what `?` lists on a screen with no keys of its own
 * (Activity, Sync, Members), after a screen's own keys elsewhere.
 */
export const EVERYWHERE_SHORTCUTS: readonly Shortcut[] = SHORTCUTS.filter(
  (s) => ['/', '?', 'Ctrl+Z'].includes(s.keys[0]!) || s.keys[0]!.startsWith('g '),
);

/** What a key of the task lists does on the search, where it acts on the open task only. */
const SEARCH_WHAT: Readonly<Record<string, string>> = {
  s: 'Set the status of the open task',
  a: 'Assign the open task',
  d: 'Set the due date of the open task — type it in words: fri, tomorrow, dec 24',
  p: 'Move the open task to another project',
  Delete: 'Delete the open task (asked first, with Undo)',
  Esc: 'Cancel an edit, close a panel',
};

/**
 * The search's keys (every project's tasks): a project's list's, less what the search does not
 * take — no new task there, no selecting several — and s, a, d, p, Delete for the open task only.
 */
export const SEARCH_SHORTCUTS: readonly Shortcut[] = SHORTCUTS.filter(
  (s) => !['c', 'Space', 'Shift+j', 'Ctrl+A'].includes(s.keys[0]!),
).map((s) => {
  const what = SEARCH_WHAT[s.keys[0]!];
  return what ? { ...s, what } : s;
});

/** The projects list's own keys, then the keys that work everywhere (what `?` lists there). */
export const PROJECT_LIST_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['c', 'n'], what: 'New project', needs: ['create', 'project'] },
  { keys: ['j'], what: 'Next project' },
  { keys: ['k'], what: 'Previous project' },
  { keys: ['Enter'], what: 'Open the project' },
  ...EVERYWHERE_SHORTCUTS,
];

/** The shared resources' list and detail keys, then the keys that work everywhere. */
export const RESOURCE_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['↓', '↑'], what: 'Next or previous resource (from a resource in the list)' },
  { keys: ['j'], what: 'Next resource' },
  { keys: ['k'], what: 'Previous resource' },
  { keys: ['Page Down', 'Page Up'], what: 'A page of resources down or up' },
  { keys: ['Home', 'End'], what: 'First or last resource loaded' },
  { keys: ['Enter'], what: 'Open the resource' },
  { keys: ['Esc'], what: 'Close the resource, back on its row in the list' },
  ...EVERYWHERE_SHORTCUTS,
];

/**
 * Focuses a field once the shortcut's key is released: focused during keydown, the field
 * would receive the shortcut's own character (Chromium delivers it as a separate event).
 */
export function focusSoon(el: HTMLElement | null): void {
  if (!el) return;
  const focus = () => {
    clearTimeout(fallback);
    document.removeEventListener('keyup', focus, true);
    el.focus();
  };
  // A key held down (or a synthetic keydown without keyup) still gets there.
  const fallback = setTimeout(focus, 400);
  document.addEventListener('keyup', focus, true);
}
