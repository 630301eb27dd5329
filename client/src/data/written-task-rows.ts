import Dexie, { type ObservabilitySet } from 'dexie';
import { taskSchema, type Task } from '@outpost/shared';
import { unclocked, type OutpostDb } from '@outpost/sync';
import { publishSoon } from './publish-soon';
import { changedKeys } from './task-view';
import { writtenTasks } from './written-rows';

/**
 * Task rows as this tab's commits wrote them (the engine's local writes, pulled pages, undo:
 * see written-rows.ts), parsed as `readTaskWindow` parses them: by id, the row, or null when
 * the commit deleted it. A row absent here is not known: read it.
 */
export type WrittenTaskRows = ReadonlyMap<string, Task | null>;

export interface WrittenTaskStore {
  /** While anyone listens, the store follows every commit to the tasks table. */
  subscribe(listener: () => void): () => void;
  /** A new map after each commit that changed a task row (empty while nobody listens). */
  getSnapshot(): WrittenTaskRows;
}

/** Rows kept at most: the oldest go first (their windows have read them back long since). */
const KEEP = 1000;

/**
 * What IndexedDB holds for the task rows this tab's commits wrote, as they commit: a row the
 * app just created, ticked or edited is shown from here at once (`useTaskWindows`), without
 * waiting for its window to be read back behind other reads.
 *
 * It holds exactly what the mirror holds, or nothing: every change event of the tasks table
 * either gives the rows its commit wrote (they replace what was here) or, when they are not
 * known (another tab's commit, a range delete or a bulk write of 50 rows or more, a transaction
 * that wrote task rows both ways), drops those ids (all of them for a range) so they are read
 * again. Nothing is kept from a write that did not commit: the change event comes at the commit
 * only. Kept only while someone listens (a commit missed meanwhile would leave it stale).
 */
export function createWrittenTaskStore(db: OutpostDb): WrittenTaskStore {
  const part = `idb://${db.name}/tasks/`;
  let rows: Map<string, Task | null> = new Map();
  const listeners = new Set<() => void>();
  const publish = () => {
    for (const l of [...listeners]) l();
  };

  const onMutated = (parts: ObservabilitySet) => {
    const tree = parts[part];
    if (!tree) return;
    const keys = changedKeys(tree);
    const known = keys === 'all' ? undefined : writtenTasks(parts);
    let next: Map<string, Task | null>;
    if (keys === 'all') {
      if (rows.size === 0) return;
      next = new Map();
    } else {
      next = new Map(rows);
      for (const id of keys) {
        // Moved to the end: the last written is the last to go.
        next.delete(id);
        if (!known?.has(id)) continue;
        const row = known.get(id);
        if (row === undefined) {
          next.set(id, null);
          continue;
        }
        // A row that does not parse is skipped by the reads too: not known here, read it.
        const parsed = taskSchema.safeParse(unclocked(row as object));
        if (parsed.success) next.set(id, parsed.data);
      }
      for (const id of next.keys()) {
        if (next.size <= KEEP) break;
        next.delete(id);
      }
    }
    rows = next;
    // Told with the task views, after the commit's follow-up (the writer's push): publish-soon.ts.
    publishSoon(publish);
  };

  return {
    subscribe(listener) {
      if (listeners.size === 0) Dexie.on('storagemutated', onMutated);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        Dexie.on('storagemutated').unsubscribe(onMutated);
        rows = new Map();
      };
    },
    getSnapshot: () => rows,
  };
}

const stores = new WeakMap<OutpostDb, WrittenTaskStore>();

/** The shared store of this mirror's written task rows. */
export function writtenTaskStore(db: OutpostDb): WrittenTaskStore {
  let store = stores.get(db);
  if (!store) stores.set(db, (store = createWrittenTaskStore(db)));
  return store;
}
