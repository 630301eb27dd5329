import { useEffect, type RefObject } from 'react';
import { focusSoon, isControl, useShortcuts } from '../../ui/shortcuts';
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
  /** Screen-specific keys (c/n to create in a project). */
  extra?: Record<string, (e: KeyboardEvent) => boolean | void>;
  enabled: boolean;
}

/** The keys every task list answers (j/k, x, Enter, Escape, /, ?), wherever the list is shown. */
export function useTaskListShortcuts(o: Options): void {
  // Keys act in the order pressed, each once the list shows what came before it.
  const command = (c: ListCommand) => {
    listCommands.push(c);
    o.list.current?.drain();
  };
  useEffect(() => () => listCommands.clear(), []);
  useShortcuts(
    {
      ...o.extra,
      '/': () => {
        o.onSearch?.();
        focusSoon(o.search.current);
      },
      j: () => command('next'),
      k: () => command('previous'),
      x: () => command('toggle'),
      // Enter opens the task under the cursor, unless a control outside the rows has focus (it
      // acts itself). A row's own title opens through the cursor too, so an Enter pressed before
      // focus reached the row j moved to opens that row, not the one focus was on.
      Enter: (e) => {
        if (isControl(e.target) && !(e.target as HTMLElement).closest('[data-task-id]'))
          return false;
        command('open');
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
