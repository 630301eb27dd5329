import type { RefObject } from 'react';
import { focusSoon, isControl, useShortcuts } from '../../ui/shortcuts';
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
  /** Screen-specific keys (c/n to create in a project). */
  extra?: Record<string, (e: KeyboardEvent) => boolean | void>;
  enabled: boolean;
}

/** The keys every task list answers (j/k, x, Enter, Escape, /, ?), wherever the list is shown. */
export function useTaskListShortcuts(o: Options): void {
  useShortcuts(
    {
      ...o.extra,
      '/': () => {
        o.onSearch?.();
        focusSoon(o.search.current);
      },
      j: () => o.list.current?.move(1),
      k: () => o.list.current?.move(-1),
      x: () => {
        const id = o.list.current?.activeId();
        const box = id
          ? document.querySelector<HTMLInputElement>(
              `[data-task-id="${id}"] input[type="checkbox"]`,
            )
          : null;
        box?.click();
      },
      // Enter opens the task under the cursor, unless a control has focus (it acts itself).
      Enter: (e) => {
        if (isControl(e.target)) return false;
        const id = o.list.current?.activeId();
        if (!id) return false;
        o.open(id);
      },
      Escape: () => {
        if (!o.openId) return false;
        o.close();
      },
      '?': () => o.onHelp(),
    },
    o.enabled,
  );
}
