import { taskSchema, type Task } from '@outpost/shared';
import { unclocked, type OutpostDb } from '@outpost/sync';
import { parseRows } from './live';
import { readTaskWindow } from './reads';
import { createTaskView, type TaskView, type TaskViewSpec } from './task-view';

/**
 * A window of rows (`readTaskWindow`: the rows of these ids, in their order, missing or invalid
 * ones absent), read once and then patched with the rows of its ids that changed: a row a pulled
 * page or a poke wrote replaces the window's copy at the commit (written-rows.ts), instead of
 * the window's 50 rows (and the range around them) being read and parsed again. Rows not
 * changed keep their identity, so memoized list rows do not render again. Changes to rows
 * outside the window are ignored; rows written by another tab are read by key.
 */
export function taskWindowSpec(ids: readonly string[]): TaskViewSpec<readonly Task[]> {
  const wanted = new Set(ids);
  return {
    read: (db) => readTaskWindow(db, ids),
    concerns: (id) => wanted.has(id),
    patch(state, changed, rows) {
      let byId: Map<string, Task> | null = null;
      changed.forEach((id, i) => {
        if (!wanted.has(id)) return;
        const row = rows[i];
        byId ??= new Map(state.map((t) => [t.id, t]));
        // Parsed as the window's read parses: a row that does not fit the schema is absent.
        const parsed =
          row === undefined ? undefined : parseRows(taskSchema, [unclocked(row as object)])[0];
        if (parsed) byId.set(id, parsed);
        else byId.delete(id);
      });
      if (byId === null) return state;
      const now: ReadonlyMap<string, Task> = byId;
      return ids.flatMap((id) => {
        const t = now.get(id);
        return t ? [t] : [];
      });
    },
  };
}

/** Kept a little after the list scrolls away from it: scrolling back is instant. */
const KEEP_MS = 30_000;
const windows = new WeakMap<OutpostDb, Map<string, TaskView<readonly Task[]>>>();

/** The shared window of these ids in this mirror (one read and subscription for all readers). */
export function taskWindow(db: OutpostDb, ids: readonly string[]): TaskView<readonly Task[]> {
  let byKey = windows.get(db);
  if (!byKey) windows.set(db, (byKey = new Map()));
  const key = ids.join(',');
  let view = byKey.get(key);
  if (!view) {
    const made = createTaskView(db, taskWindowSpec(ids), KEEP_MS, () => {
      if (byKey.get(key) === made) byKey.delete(key);
    });
    byKey.set(key, (view = made));
  }
  return view;
}
