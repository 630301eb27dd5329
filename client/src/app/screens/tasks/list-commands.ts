import type { Task } from '@outpost/shared';
import { FOCUS_REQUEST_TTL_MS } from '../../ui/focus';

/**
 * The keys that act on the task list's cursor row (j, k, x, Enter; Home/End go to the first or
 * last task, Page Down/Up a page of rows down or up; Shift+j/k extend the selection to the next or previous row, Space selects the
 * cursor's row).
 */
export type ListCommand =
  | 'next'
  | 'previous'
  | 'first'
  | 'last'
  | 'page-down'
  | 'page-up'
  | 'extend-next'
  | 'extend-previous'
  | 'select'
  | 'toggle'
  | 'open';

/** What a wait is settled by: the list as last rendered. */
export interface ListView {
  has(id: string): boolean;
  row(id: string): Task | undefined;
}

/** Keys and waits older than this are dropped: a key must not act seconds after it was pressed. */
export const KEY_WAIT_MS = FOCUS_REQUEST_TTL_MS;

/** A list key as pressed: where focus was then, and which input it was (see `input`). */
export interface Press {
  from: unknown;
  input: number;
}

/**
 * The task list's keys, run in the order they were pressed against the list as it is once this
 * screen's own writes show in it. A quick add or a completion is written to IndexedDB and
 * reaches the list a few milliseconds later (live query, then a render): keys pressed in
 * between (a script's Esc j j x) wait for it, so j counts the new row and x acts on the row
 * the cursor shows, not on the list as it was before the write.
 */
export function createListCommands(now: () => number = Date.now) {
  // A key of the list (j, k, x, Enter) or a screen's own key (/, ?, c, Escape) run in turn.
  let queue: { command: ListCommand | (() => void); at: number; press: Press }[] = [];
  let waits: { settled(view: ListView): boolean; done: boolean; at: number }[] = [];
  let version = 0;
  // Inputs (keys pressed, clicks) counted, the last that queued a list key, and the last before
  // it that did not (see `untouched`).
  let inputs = 0;
  let keyed = -1;
  let lastOther = -1;
  const listeners = new Set<() => void>();
  const changed = () => {
    version++;
    for (const l of [...listeners]) l();
  };
  const waitFor = (settled: (view: ListView) => boolean): (() => void) => {
    // Not told to the list: a wait only holds keys back, so there is nothing to run until it
    // settles. Telling it rendered the whole list at the end of a tick's click, before the
    // write had opened its transaction.
    const wait = { settled, done: false, at: now() };
    waits.push(wait);
    return () => {
      wait.done = true;
      changed();
    };
  };
  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Changes whenever a key or a wait is added or settled (the list then drains). */
    getSnapshot: () => version,
    /** A list key pressed (`from`: where focus was at the press). */
    push(command: ListCommand, from: unknown = null): void {
      keyed = inputs;
      queue.push({ command, at: now(), press: { from, input: inputs } });
      changed();
    },
    /**
     * A key pressed or a click, told before anything handles it (the list keys among them are
     * then `push`ed in the same input).
     */
    input(): void {
      if (keyed !== inputs) lastOther = inputs;
      inputs++;
    },
    /** The inputs counted so far: a press with a lower or equal `input` came before now. */
    inputs: (): number => inputs,
    /**
     * Nothing but list keys was pressed, and nothing clicked, since `press`: the user has not
     * done anything else meanwhile (a key pressed before the rows were there may still act).
     */
    untouched(press: Press): boolean {
      const other = keyed === inputs ? lastOther : inputs;
      return other < press.input;
    },
    /**
     * A screen's own key (search, help, new task, close) in the same line: it acts once the
     * keys pressed before it have, not before them.
     */
    act(action: () => void): void {
      queue.push({ command: action, at: now(), press: { from: null, input: inputs } });
      changed();
    },
    /**
     * Keys wait until `settled` holds for the list (or `KEY_WAIT_MS` passed); the returned
     * function ends the wait at once (the write failed).
     */
    waitFor,
    /** A quick add under way: keys wait until its row is listed. Settle with its id, null if refused. */
    adding(): (id: string | null) => void {
      let created: string | null | undefined;
      const end = waitFor((view) => typeof created === 'string' && view.has(created));
      return (id) => {
        created = id;
        if (id === null) end();
        else changed();
      };
    },
    /**
     * Runs the queued keys in order while nothing is awaited (`busy`: a focus request still
     * waiting for its row). A key `run` cannot carry out yet (its row is still being read)
     * stays first and is tried again on the next call.
     */
    drain(
      view: ListView,
      busy: () => boolean,
      run: (command: ListCommand, press: Press) => boolean,
    ): void {
      const t = now();
      waits = waits.filter((w) => !w.done && t - w.at < KEY_WAIT_MS && !w.settled(view));
      queue = queue.filter((q) => t - q.at < KEY_WAIT_MS);
      while (queue.length && waits.length === 0 && !busy()) {
        const { command, press } = queue[0]!;
        if (typeof command === 'function') command();
        else if (!run(command, press)) break;
        queue.shift();
        // A key may start a write of its own (x): the next one waits for it.
        waits = waits.filter((w) => !w.done && !w.settled(view));
      }
    },
    /** Keys are queued, waiting for the list. */
    waiting: (): boolean => queue.length > 0,
    /** The screen left: nothing carries over to the next one. */
    clear(): void {
      queue = [];
      waits = [];
    },
  };
}

export type ListCommands = ReturnType<typeof createListCommands>;

/** The one task list on screen takes these (like focus requests, there is one at a time). */
export const listCommands = createListCommands();
