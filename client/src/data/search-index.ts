import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie';
import { taskSchema, type TaskStatus } from '@outpost/shared';
import { unclocked, type OutpostDb } from '@outpost/sync';
import { parseRows } from './live';

/** What local search and filters look at: one entry per task, held in memory. */
export interface SearchEntry {
  id: string;
  projectId: string;
  status: TaskStatus;
  assigneeId: string | null;
  dueDate: string | null;
  /** Title and notes, lower-cased once, so a keystroke only runs `includes`. */
  text: string;
}

export interface SearchSnapshot {
  /** Every task of the workspace in creation order; null until the first build has read them. */
  entries: readonly SearchEntry[] | null;
}

export interface TaskSearchIndex {
  /** While anyone listens, the index is built and kept in step with the mirror. */
  subscribe(listener: () => void): () => void;
  getSnapshot(): SearchSnapshot;
}

const entrySchema = taskSchema.pick({
  id: true,
  projectId: true,
  title: true,
  notes: true,
  status: true,
  assigneeId: true,
  dueDate: true,
});

function toEntries(rows: readonly unknown[]): SearchEntry[] {
  // `pick` keeps the schema strict: the row's other fields are dropped before parsing.
  const picked = rows.map((r) => {
    const { id, projectId, title, notes, status, assigneeId, dueDate } = unclocked(
      r as Record<string, unknown>,
    );
    return { id, projectId, title, notes, status, assigneeId, dueDate };
  });
  return parseRows(entrySchema, picked).map((t) => ({
    id: t.id,
    projectId: t.projectId,
    status: t.status,
    assigneeId: t.assigneeId,
    dueDate: t.dueDate,
    text: `${t.title}\n${t.notes}`.toLocaleLowerCase(),
  }));
}

/**
 * The changed task ids in a Dexie mutation set (single keys), or 'all' when the change is a
 * range (a clear, a bulk write of 50 rows or more: Dexie then reports the whole table).
 */
export function changedKeys(tree: IntervalTree): string[] | 'all' {
  const out: string[] = [];
  const walk = (node: IntervalTree | null | undefined): boolean => {
    if (!node || !('from' in node)) return true;
    if (typeof node.from !== 'string' || node.from !== node.to) return false;
    out.push(node.from);
    return walk(node.l) && walk(node.r);
  };
  return walk(tree) ? out : 'all';
}

/** Past this many changed rows at once, one full read is cheaper than patching. */
const PATCH_LIMIT = 500;
/** How long an unwatched index stays in memory. */
const KEEP_MS = 5 * 60_000;

/**
 * An in-memory index of every task's searchable text, so a keystroke never reads IndexedDB:
 * built once by one table read, then patched from Dexie's change events (this tab's writes and
 * other tabs', by the changed keys) — a tick re-reads one row, not the workspace.
 */
export function createTaskSearchIndex(db: OutpostDb): TaskSearchIndex {
  const part = `idb://${db.name}/tasks/`;
  let entries: Map<string, SearchEntry> | null = null;
  let snapshot: SearchSnapshot = { entries: null };
  // Changes seen while nobody listened or a read was running.
  let dirty: Set<string> | 'all' = new Set();
  let running = false;
  // Bumped when the index is dropped: a read still in flight then belongs to no one.
  let generation = 0;
  const listeners = new Set<() => void>();

  const publish = () => {
    snapshot = { entries: entries ? [...entries.values()] : null };
    for (const l of [...listeners]) l();
  };

  async function refresh(): Promise<void> {
    if (running || listeners.size === 0) return;
    running = true;
    const gen = generation;
    try {
      while (listeners.size > 0 && (entries === null || dirty === 'all' || dirty.size > 0)) {
        if (entries === null || dirty === 'all') {
          dirty = new Set();
          const all = toEntries(await db.tasks.toArray());
          if (gen !== generation) return;
          entries = new Map(all.map((e) => [e.id, e]));
        } else {
          const ids = [...dirty];
          dirty = new Set();
          const rows = await db.tasks.bulkGet(ids as never[]);
          if (gen !== generation || entries === null) return;
          const fresh = new Map(
            toEntries(rows.filter((r) => r !== undefined)).map((e) => [e.id, e]),
          );
          for (const id of ids) {
            const e = fresh.get(id);
            if (e) entries.set(id, e);
            else entries.delete(id);
          }
        }
        publish();
      }
    } catch (err) {
      if (gen !== generation) return;
      // A failed read leaves the index to be rebuilt on the next change or listener.
      entries = null;
      dirty = 'all';
      console.error('search index: reading the tasks failed', err);
    } finally {
      running = false;
      // Dropped and listened to again while this read ran: start over for the new listener.
      if (gen !== generation) void refresh();
    }
  }

  const onMutated = (parts: ObservabilitySet) => {
    const tree = parts[part];
    if (!tree) return;
    const keys = changedKeys(tree);
    if (dirty !== 'all') {
      if (keys === 'all') dirty = 'all';
      else for (const k of keys) dirty.add(k);
      if (dirty !== 'all' && dirty.size > PATCH_LIMIT) dirty = 'all';
    }
    void refresh();
  };

  // Kept (and watched) a while after the last listener leaves: reopening search is instant.
  let watching = false;
  let dropTimer: ReturnType<typeof setTimeout> | undefined;
  const drop = () => {
    Dexie.on('storagemutated').unsubscribe(onMutated);
    watching = false;
    generation++;
    entries = null;
    snapshot = { entries: null };
    dirty = new Set();
  };

  return {
    subscribe(listener) {
      clearTimeout(dropTimer);
      if (!watching) Dexie.on('storagemutated', onMutated);
      watching = true;
      listeners.add(listener);
      void refresh();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) dropTimer = setTimeout(drop, KEEP_MS);
      };
    },
    getSnapshot: () => snapshot,
  };
}

const indexes = new WeakMap<OutpostDb, TaskSearchIndex>();

/** One index per mirror database (so per signed-in org). */
export function taskSearchIndex(db: OutpostDb): TaskSearchIndex {
  let index = indexes.get(db);
  if (!index) indexes.set(db, (index = createTaskSearchIndex(db)));
  return index;
}
