import { useLayoutEffect, useRef, type RefObject } from 'react';
import { closing, parseRoute } from '../../shell/router';
import { pageCovered } from '../../ui/sheet-inert';
import { focusSoon, isControl, isTypingTarget, useShortcuts } from '../../ui/shortcuts';
import type { BulkField } from './BulkBar';
import { listCommands, type ListCommand } from './list-commands';
import type { TaskListHandle } from './TaskList';

interface Options {
  list: RefObject<TaskListHandle | null>;
  search: RefObject<HTMLInputElement | null>;
  /** The open task's id, if a detail is open (Escape closes it). */
  openId: string | null;
  open(id: string): void;
  close(): void;
  onSearch?(): void;
  onHelp(): void;
  /**
   * Screen-specific keys (c/n to create in a project), taking their turn after the list's keys;
   * `focus` puts focus in a field without the key's own character reaching it.
   */
  extra?: Record<string, (focus: (el: HTMLElement | null) => void) => void>;
  enabled: boolean;
  /**
   * s, a, d, p, Delete with no task open (a project's list): set the status of, assign, date,
   * move or delete the selected rows, else the cursor's (`cursor`, null for none). The open task's panel takes
   * these keys while it is open.
   */
  pick?(field: BulkField, cursor: string | null): void;
  /**
   * Rows can be selected (a project's list): Shift+j/k and Shift+↓/↑ extend the selection,
   * Space selects the cursor's row, Ctrl/⌘+A selects every row shown, and Escape clears the
   * selection before it closes anything.
   */
  selection?: {
    /** Rows are selected (Escape clears them first). */
    any: boolean;
    selectAll(): void;
    clear(): void;
  };
}

/** A key pressed in a modal dialog, a field or the open task's panel is theirs. */
const elsewhere = (target: EventTarget | null) =>
  isTypingTarget(target) ||
  (target instanceof Element && target.closest('dialog[open], .task-detail') !== null);

/** Focus is on the task list (a row, or the list itself): Home/End are the list's then. */
const inList = (target: EventTarget | null) =>
  target instanceof Element && target.closest('.task-list') !== null;

/**
 * The keys every task list answers (j/k, Home/End, Page Down/Up, x, Enter, Escape, /, ?),
 * wherever the list is shown.
 */
export function useTaskListShortcuts(o: Options): void {
  // Keys act in the order pressed, each once the list shows what came before it.
  const command = (c: ListCommand) => {
    listCommands.push(c, document.activeElement);
    o.list.current?.drain();
  };
  // Its listeners (layout effects, as useShortcuts') hold from the commit that shows the list
  // to the one that takes it away: a key pressed just after is neither lost nor cleared later.
  useLayoutEffect(() => () => listCommands.clear(), []);
  // Every key and click is counted before anything handles it: a key pressed before the list's
  // rows were drawn acts once they are only if the user has done nothing else since.
  useLayoutEffect(() => {
    const input = () => listCommands.input();
    window.addEventListener('keydown', input, true);
    window.addEventListener('pointerdown', input, true);
    return () => {
      window.removeEventListener('keydown', input, true);
      window.removeEventListener('pointerdown', input, true);
    };
  }, []);
  // A key run after its press acts on the screen as it is then.
  const latest = useRef(o);
  latest.current = o;
  // A task is open as the key is handled: the screen drops a closed task only once its route
  // has followed (the Back that closes it lands a moment later, a busy device's later still),
  // and a j pressed meanwhile opened the next task instead of moving in the list. (The route may
  // name another task than the screen: j opened it, and the screen follows.)
  const taskOpen = () => {
    if (!latest.current.openId || closing()) return false;
    const route = parseRoute(window.location.hash);
    return 'taskId' in route && route.taskId !== undefined;
  };
  // The screen's own keys take their turn after the list's keys pressed before them. Run in
  // the key's own press, a field is focused once the key is up (focusSoon); run later, at once.
  const inTurn = (act: (late: boolean) => void) => {
    if (!o.list.current) return act(false);
    let pressing = true;
    listCommands.act(() => act(!pressing));
    o.list.current.drain();
    pressing = false;
  };
  const focusField = (el: HTMLElement | null, late: boolean) =>
    late ? el?.focus() : focusSoon(el);
  const extra = Object.fromEntries(
    Object.entries(o.extra ?? {}).map(([key, fn]) => [
      key,
      () => inTurn((late) => fn((el) => focusField(el, late))),
    ]),
  );
  // With a task open beside the list (a wide screen), j/k (Home/End) open the next or previous
  // (first or last) task itself, as Linear's do: the cursor and the open task stay one. On a
  // phone the open task covers the list, and the keys move the cursor behind it.
  const go = (c: 'next' | 'previous' | 'first' | 'last' | 'page-down' | 'page-up') => {
    command(c);
    if (taskOpen() && !pageCovered()) command('open');
  };
  const selecting = o.selection !== undefined;
  // Ctrl/⌘+A and Escape: not single keys (useShortcuts leaves Ctrl/⌘ to the browser), and
  // Escape is taken before anything on the page closes on it (the task's panel, a menu).
  useLayoutEffect(() => {
    if (!selecting || !o.enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const selection = latest.current.selection;
      if (!selection || e.defaultPrevented || e.altKey) return;
      if (e.key === 'Escape' && selection.any && !e.ctrlKey && !e.metaKey) {
        if (isTypingTarget(e.target) || (e.target as Element).closest?.('dialog[open]')) return;
        e.preventDefault();
        e.stopPropagation();
        selection.clear();
      } else if (e.key.toLowerCase() === 'a' && (e.ctrlKey || e.metaKey) && !e.shiftKey) {
        if (elsewhere(e.target)) return;
        e.preventDefault();
        selection.selectAll();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [selecting, o.enabled]);
  const extend = (c: 'extend-next' | 'extend-previous') => (e: KeyboardEvent) => {
    if (!e.shiftKey) return false;
    command(c);
  };
  // In turn after j/k pressed before it ("j j s" sets the status of the row two down), and
  // left to the open task's panel (its own s/a/d/p) while one is open.
  const pickKey = (field: BulkField) => () => {
    if (!o.pick || taskOpen()) return false;
    inTurn(() => {
      if (!taskOpen()) latest.current.pick?.(field, o.list.current?.cursor() ?? null);
    });
  };
  const pickKeys: Parameters<typeof useShortcuts>[0] = o.pick
    ? {
        s: pickKey('status'),
        a: pickKey('assign'),
        d: pickKey('due'),
        p: pickKey('move'),
        // Delete, and Backspace (a Mac's delete key): asked first, then one Undo.
        Delete: pickKey('delete'),
        Backspace: pickKey('delete'),
      }
    : {};
  // ↓/↑ with focus in the list (a row, or the list itself): the next or previous row, as j/k —
  // the list is one Tab stop, its rows reached with these keys. Elsewhere the page scrolls.
  // Shift+↓/↑ extend the selection, where rows can be selected.
  const arrow = (c: 'next' | 'previous') => (e: KeyboardEvent) => {
    if (e.shiftKey) {
      if (!selecting) return false;
      return void command(c === 'next' ? 'extend-next' : 'extend-previous');
    }
    if (!inList(e.target)) return false;
    go(c);
  };
  const selectKeys: Parameters<typeof useShortcuts>[0] = selecting
    ? {
        J: extend('extend-next'),
        K: extend('extend-previous'),
        // On a row's title only: Space on a box (complete, select) or a button ticks or presses it.
        ' ': (e) => {
          const el = e.target instanceof Element ? e.target : null;
          if (!el?.matches('[data-task-id] .task-title') || e.shiftKey) return false;
          command('select');
        },
      }
    : {};
  useShortcuts(
    {
      ...extra,
      ...selectKeys,
      ...pickKeys,
      '/': () =>
        inTurn((late) => {
          o.onSearch?.();
          focusField(o.search.current, late);
        }),
      j: () => go('next'),
      k: () => go('previous'),
      ArrowDown: arrow('next'),
      ArrowUp: arrow('previous'),
      // Home/End with focus in the list (Linear): the cursor and focus go to the first or last
      // task, scrolled into view, rather than the page scrolling away from the focused row.
      Home: (e) => {
        if (!inList(e.target)) return false;
        go('first');
      },
      End: (e) => {
        if (!inList(e.target)) return false;
        go('last');
      },
      // Page Down/Up with focus in the list (Linear): the cursor and focus go a page of rows down
      // or up; the page scrolled, leaving focus on a row out of sight.
      PageDown: (e) => {
        if (!inList(e.target)) return false;
        go('page-down');
      },
      PageUp: (e) => {
        if (!inList(e.target)) return false;
        go('page-up');
      },
      // A task open over the whole screen (a phone) takes x itself: the list's row is out of sight.
      x: () => {
        if (taskOpen() && pageCovered()) return false;
        command('toggle');
      },
      // Enter opens the task under the cursor, unless a control outside the rows has focus (it
      // acts itself). A row's own title opens through the cursor too, so an Enter pressed before
      // focus reached the row j moved to opens that row, not the one focus was on.
      Enter: (e) => {
        if (isControl(e.target) && !(e.target as HTMLElement).closest('[data-task-id]'))
          return false;
        command('open');
      },
      // Behind keys still waiting (Enter opening a task), Escape takes its turn and closes
      // whatever is open by then.
      Escape: () => {
        if (!taskOpen() && !listCommands.waiting()) return false;
        inTurn(() => {
          if (taskOpen()) latest.current.close();
        });
      },
      '?': () => inTurn(() => o.onHelp()),
    },
    o.enabled,
  );
}
