import { createStore } from './store';

/**
 * A person's name in a toast's words, set apart (Unicode's first-strong isolate ... pop
 * isolate, which also keeps a right-to-left name from reordering the words around it) so the
 * toast can keep it to one line, cut with an ellipsis, as it does a quoted title: a name can be
 * 200 characters, and unquoted it wrapped "Assigned 3 tasks to …" over three lines on a phone.
 * The marks are not shown or read out.
 */
export const named = (name: string): string => `\u2068${name}\u2069`;

export interface Toast {
  id: number;
  message: string;
  action?: { label: string; run(): void };
  /**
   * Shown this long, then gone (the undo window). The time stands still while the toasts are
   * paused (see `toasts.pause`).
   */
  durationMs: number;
  /**
   * A timer that must keep time with this toast's (a held delete's undo window): paused when
   * the toast is, resumed with the time the toast has left, and resumed too if the toast goes
   * while paused (✕). So the toast never offers to undo what its timer already did.
   */
  hold?: { pause(): void; resume(leftMs: number): void };
  /**
   * The task this toast leads to (an added task's Show): once that task is open, whichever way
   * it was opened, the toast has nothing left to offer and goes (`toasts.opened`).
   */
  leadsTo?: string;
  /**
   * It says an Undo was done ("Undone: …"): an Undo that found nothing still its own to undo
   * (teammates changed it all meanwhile) takes it away (`toasts.notUndone`) and says that instead.
   */
  undone?: boolean;
  /**
   * The write the action builds on: these rows' `fields` (any field when absent). The server
   * refusing it takes the toast away: its action would undo (or show) what was already undone.
   */
  write?: {
    rows: readonly string[];
    fields?: readonly string[];
    /**
     * A write over several rows (a selection) the server may refuse only in part: the toast for
     * the rows still applied, which it becomes (same place and time left) until none are.
     * Without it, one refused row takes the toast away.
     */
    rest?(applied: readonly string[]): Pick<Toast, 'message' | 'action'>;
  };
}

/** A write the server refused: its row, and the fields it wrote (null: not known). */
export interface RefusedWrite {
  row: string;
  fields: readonly string[] | null;
}

/** Why the toasts are paused: the pointer is over them, focus is in them, the page is hidden. */
export type ToastPause = 'pointer' | 'focus' | 'hidden';

/**
 * The least a toast has left when it resumes: time to read it again after the pointer or
 * focus leaves it (or the page shows again), however little of its window was left.
 */
export const TOAST_RESUME_MIN_MS = 1_000;

/** A toast's own clock: running until `due`, or paused with `left` ms to go. */
interface Clock {
  left: number;
  due: number | null;
  timer?: ReturnType<typeof setTimeout>;
}

const store = createStore<readonly Toast[]>([]);
let seq = 0;
const clocks = new Map<number, Clock>();
const pausedFor = new Set<ToastPause>();

function run(id: number, clock: Clock): void {
  clock.due = Date.now() + clock.left;
  clock.timer = setTimeout(() => toasts.dismiss(id), clock.left);
}

function halt(clock: Clock): void {
  clearTimeout(clock.timer);
  if (clock.due !== null) clock.left = Math.max(0, clock.due - Date.now());
  clock.due = null;
}

/** Short-lived messages with one action ("Deleted “X”. Undo"), above the status bar. */
export const toasts = {
  subscribe: store.subscribe,
  getSnapshot: store.getSnapshot,
  show(toast: Omit<Toast, 'id'>): number {
    const id = ++seq;
    // One undo at a time, as in most task apps: a new one replaces the old message.
    for (const old of store.getSnapshot().slice(0, -2)) toasts.dismiss(old.id);
    store.set([...store.getSnapshot(), { ...toast, id }]);
    const clock: Clock = { left: toast.durationMs, due: null };
    clocks.set(id, clock);
    // Shown while the others are paused (a key pressed with focus in them), it waits with them.
    if (pausedFor.size > 0) toast.hold?.pause();
    else run(id, clock);
    return id;
  },
  /**
   * The toasts stop counting down, all together, while the pointer is over them, focus is in
   * them or the page is hidden (WCAG 2.2.1, as Sonner and Radix do); their holds with them.
   */
  pause(reason: ToastPause): void {
    if (pausedFor.has(reason)) return;
    pausedFor.add(reason);
    if (pausedFor.size > 1) return;
    for (const t of store.getSnapshot()) {
      const clock = clocks.get(t.id);
      if (!clock) continue;
      halt(clock);
      t.hold?.pause();
    }
  },
  /**
   * That reason is over; with none left the toasts count down again from the time they had
   * left (at least `TOAST_RESUME_MIN_MS`), not from a fresh window.
   */
  resume(reason: ToastPause): void {
    if (!pausedFor.delete(reason) || pausedFor.size > 0) return;
    for (const t of store.getSnapshot()) {
      const clock = clocks.get(t.id);
      if (!clock || clock.due !== null) continue;
      clock.left = Math.max(clock.left, TOAST_RESUME_MIN_MS);
      t.hold?.resume(clock.left);
      run(t.id, clock);
    }
  },
  /** The time a toast has left (ms), counting down or paused; null once it is gone. */
  left(id: number): number | null {
    const clock = clocks.get(id);
    if (!clock) return null;
    return clock.due === null ? clock.left : Math.max(0, clock.due - Date.now());
  },
  /**
   * Runs the newest toast's Undo (Ctrl/⌘+Z), as its button would, dismisses it and returns it.
   * Undefined when no toast shown offers one: the key is then the browser's.
   */
  undoLatest(): Toast | undefined {
    const t = store.getSnapshot().findLast((x) => x.action?.label === 'Undo');
    if (!t) return undefined;
    t.action!.run();
    toasts.dismiss(t.id);
    return t;
  },
  /**
   * The server refused `write`: the toasts whose action builds on it go, or, over several rows,
   * say and offer only what is left applied.
   */
  refused(write: RefusedWrite): void {
    for (const t of store.getSnapshot()) {
      if (!t.write || !buildsOn(t.write, write)) continue;
      const applied = t.write.rows.filter((row) => row !== write.row);
      if (applied.length === 0 || !t.write.rest) {
        toasts.dismiss(t.id);
        continue;
      }
      const now: Toast = { ...t, ...t.write.rest(applied), write: { ...t.write, rows: applied } };
      store.set(store.getSnapshot().map((x) => (x.id === t.id ? now : x)));
    }
  },
  /** An Undo undid nothing after all: a toast saying it did ("Undone: …") goes. */
  notUndone(): void {
    for (const t of store.getSnapshot()) if (t.undone) toasts.dismiss(t.id);
  },
  /**
   * Every toast goes: the workspace that showed them went (another org, signed out), and what
   * they say and undo is that workspace's. A held delete stays as it is, committed when that
   * workspace opens again (pending-deletes.ts).
   */
  clear(): void {
    for (const t of store.getSnapshot()) toasts.dismiss(t.id);
  },
  /**
   * Says something new in a toast's place (a count that grew: "Ana assigned you 2 tasks" where
   * "… assigned “X” to you" was), with a fresh window, so news that keeps coming is one toast
   * rather than a stack. Gone meanwhile, it is shown anew. Its hold, if any, is the new
   * toast's (a burst of deletes holds them all, with the fresh window they were given): paused
   * at once while the toasts are.
   */
  update(id: number, toast: Omit<Toast, 'id'>): number {
    const clock = clocks.get(id);
    if (!clock) return toasts.show(toast);
    clearTimeout(clock.timer);
    clock.left = toast.durationMs;
    clock.due = null;
    store.set(store.getSnapshot().map((t) => (t.id === id ? { ...toast, id } : t)));
    if (pausedFor.size === 0) run(id, clock);
    else toast.hold?.pause();
    return id;
  },
  /** A task was opened: the toasts that only led to it go. */
  opened(taskId: string): void {
    for (const t of store.getSnapshot()) if (t.leadsTo === taskId) toasts.dismiss(t.id);
  },
  dismiss(id: number): void {
    const clock = clocks.get(id);
    if (!clock) return;
    clocks.delete(id);
    clearTimeout(clock.timer);
    // Closed while paused: its hold counts down again, to where the toast's window would end.
    if (clock.due === null)
      store
        .getSnapshot()
        .find((t) => t.id === id)
        ?.hold?.resume(clock.left);
    store.set(store.getSnapshot().filter((t) => t.id !== id));
  },
};

function buildsOn(own: NonNullable<Toast['write']>, refused: RefusedWrite): boolean {
  if (!own.rows.includes(refused.row)) return false;
  return !own.fields || !refused.fields || own.fields.some((f) => refused.fields!.includes(f));
}
