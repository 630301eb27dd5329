import { useEffect, useRef, type RefObject } from 'react';
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
  /**
   * Screen-specific keys (c/n to create in a project), taking their turn after the list's keys;
   * `focus` puts focus in a field without the key's own character reaching it.
   */
  extra?: Record<string, (focus: (el: HTMLElement | null) => void) => void>;
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
  // A key run after its press acts on the screen as it is then.
  const latest = useRef(o);
  latest.current = o;
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
  useShortcuts(
    {
      ...extra,
      '/': () =>
        inTurn((late) => {
          o.onSearch?.();
          focusField(o.search.current, late);
        }),
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
      // Behind keys still waiting (Enter opening a task), Escape takes its turn and closes
      // whatever is open by then.
      Escape: () => {
        if (!o.openId && !listCommands.waiting()) return false;
        inTurn(() => {
          if (latest.current.openId) latest.current.close();
        });
      },
      '?': () => inTurn(() => o.onHelp()),
    },
    o.enabled,
  );
}
