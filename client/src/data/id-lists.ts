import type { TaskStatus } from '@outpost/shared';
import type { OutpostDb } from '@outpost/sync';
import { readTaskIds } from './reads';
import { createTaskView, type TaskView, type TaskViewSpec } from './task-view';

/** First index in sorted `ids` whose id is not below `id` (UUIDv7 ids sort by creation). */
function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One project's ids in one status, read once from the index and then patched with the rows
 * that changed: a tick moves one id between two lists instead of re-reading 6,000 ids.
 */
export function idListSpec(projectId: string, status: TaskStatus): TaskViewSpec<readonly string[]> {
  return {
    // A project's sections change together: a task set In progress leaves one as it joins another.
    inStep: `ids/${projectId}`,
    read: (db) => readTaskIds(db, projectId, status),
    patch(state, ids, rows) {
      let out: string[] | null = null;
      ids.forEach((id, i) => {
        const row = rows[i] as { projectId?: unknown; status?: unknown } | undefined;
        // Only membership is read here; the rows themselves are parsed where they are shown.
        const belongs = row !== undefined && row.projectId === projectId && row.status === status;
        const list: readonly string[] = out ?? state;
        const at = lowerBound(list, id);
        if (belongs === (list[at] === id)) return;
        out ??= [...state];
        if (belongs) out.splice(at, 0, id);
        else out.splice(at, 1);
      });
      return out ?? state;
    },
  };
}

/** Kept a little after the list closes: going back to a project is instant. */
const KEEP_MS = 30_000;
const lists = new WeakMap<OutpostDb, Map<string, TaskView<readonly string[]>>>();

/** The shared id list of one project and status in this mirror. */
export function taskIdList(
  db: OutpostDb,
  projectId: string,
  status: TaskStatus,
): TaskView<readonly string[]> {
  let byKey = lists.get(db);
  if (!byKey) lists.set(db, (byKey = new Map()));
  const key = `${projectId}/${status}`;
  let view = byKey.get(key);
  if (!view) byKey.set(key, (view = createTaskView(db, idListSpec(projectId, status), KEEP_MS)));
  return view;
}
