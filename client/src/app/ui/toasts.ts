import { createStore } from './store';

export interface Toast {
  id: number;
  message: string;
  action?: { label: string; run(): void };
  /** Shown this long, then gone (the undo window). */
  durationMs: number;
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

const store = createStore<readonly Toast[]>([]);
let seq = 0;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

/** Short-lived messages with one action ("Deleted “X”. Undo"), above the status bar. */
export const toasts = {
  subscribe: store.subscribe,
  getSnapshot: store.getSnapshot,
  show(toast: Omit<Toast, 'id'>): number {
    const id = ++seq;
    // One undo at a time, as in most task apps: a new one replaces the old message.
    store.set([...store.getSnapshot().slice(-2), { ...toast, id }]);
    timers.set(
      id,
      setTimeout(() => toasts.dismiss(id), toast.durationMs),
    );
    return id;
  },
  /**
   * Runs the newest toast's Undo (Ctrl/⌘+Z), as its button would, and dismisses it. False when
   * no toast shown offers one: the key is then the browser's.
   */
  undoLatest(): boolean {
    const t = store.getSnapshot().findLast((x) => x.action?.label === 'Undo');
    if (!t) return false;
    t.action!.run();
    toasts.dismiss(t.id);
    return true;
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
  dismiss(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    store.set(store.getSnapshot().filter((t) => t.id !== id));
  },
};

function buildsOn(own: NonNullable<Toast['write']>, refused: RefusedWrite): boolean {
  if (!own.rows.includes(refused.row)) return false;
  return !own.fields || !refused.fields || own.fields.some((f) => refused.fields!.includes(f));
}
