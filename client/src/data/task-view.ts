import Dexie, { type IntervalTree, type ObservabilitySet } from 'dexie';
import type { OutpostDb } from '@outpost/sync';
import { publishSoon } from './publish-soon';
import { writtenTasks } from './written-rows';

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

/** How a view is read in full, and patched when some rows changed. */
export interface TaskViewSpec<S> {
  read(db: OutpostDb): Promise<S>;
  /** The view after these rows changed (`rows[i]` undefined: `ids[i]` was deleted). */
  patch(state: S, ids: readonly string[], rows: readonly unknown[]): S;
  /**
   * Whether a change to this id can change the view (absent: any id can). A change to no id it
   * concerns is neither read nor patched: a window of rows ignores the rows around it.
   */
  concerns?(id: string): boolean;
  /**
   * Views with the same key answer full reads asked for in one turn together (see `readInStep`):
   * a project's section lists. Without one, a view's read is answered when it is done.
   */
  inStep?: string;
}

export interface TaskView<S> {
  /** While anyone listens, the view is read and kept in step with the mirror. */
  subscribe(listener: () => void): () => void;
  /** Undefined until the first read is done. */
  getSnapshot(): S | undefined;
}

/** Past this many changed rows at once, one full read is cheaper than patching. */
const PATCH_LIMIT = 500;

/** Row reads asked for in this turn of the event loop, per database (see `readChanged`). */
const asked = new WeakMap<OutpostDb, { ids: Set<string>; rows: Promise<Map<string, unknown>> }>();

/**
 * The rows of these ids. Every view of a database hears a change event at the same moment, so
 * the reads its views ask for in one turn are one `bulkGet` of their ids together: a tick is
 * one read transaction however many views watch the table (the open sections' id lists, the
 * search index), not one per view.
 */
function readChanged(db: OutpostDb, ids: readonly string[]): Promise<unknown[]> {
  let batch = asked.get(db);
  if (!batch) {
    const wanted = new Set<string>();
    const rows = Promise.resolve().then(async () => {
      asked.delete(db);
      const keys = [...wanted];
      const got = await db.tasks.bulkGet(keys as never[]);
      return new Map(keys.map((k, i) => [k, got[i]]));
    });
    asked.set(db, (batch = { ids: wanted, rows }));
  }
  for (const id of ids) batch.ids.add(id);
  return batch.rows.then((byId) => ids.map((id) => byId.get(id)));
}

/** Full reads asked for in this turn of the event loop, per database and key (see `readInStep`). */
const reading = new WeakMap<
  OutpostDb,
  Map<string, { reads: Promise<unknown>[]; all: Promise<unknown> }>
>();

/**
 * A view's full read, answered together with the other full reads of its key (a project's
 * section lists) asked for in the same turn, so they publish one change at once: a bulk write
 * (50 rows or more, read in full) that takes tasks from To do to In progress is never rendered
 * with the tasks in neither list, which would read as rows leaving (the selection drops them,
 * the cursor moves on). Each read is its own transaction; only their answers wait. The search
 * index has no key: the lists never wait for its read of every task.
 */
function readInStep<S>(db: OutpostDb, key: string, read: () => Promise<S>): Promise<S> {
  let byKey = reading.get(db);
  if (!byKey) reading.set(db, (byKey = new Map()));
  let batch = byKey.get(key);
  if (!batch) {
    const reads: Promise<unknown>[] = [];
    const all = Promise.resolve().then(() => {
      byKey.delete(key);
      return Promise.allSettled(reads);
    });
    byKey.set(key, (batch = { reads, all }));
  }
  const mine = read();
  batch.reads.push(mine);
  return batch.all.then(() => mine);
}

/**
 * An in-memory view of the tasks table kept up to date by the changed keys in Dexie's change
 * events (this tab's writes and other tabs'): one row changed costs a read of that row, not a
 * new read of everything the view holds. Kept `keepMs` after its last listener leaves.
 */
export function createTaskView<S>(
  db: OutpostDb,
  spec: TaskViewSpec<S>,
  keepMs: number,
  /** Called when the view is dropped (`keepMs` after its last listener left). */
  onDrop?: () => void,
): TaskView<S> {
  const part = `idb://${db.name}/tasks/`;
  let state: S | undefined;
  // Changes not applied yet: seen while a read ran, or while nobody listened.
  let dirty: Set<string> | 'all' = new Set();
  let running = false;
  // Bumped when the view is dropped: a read still in flight then belongs to no one.
  let generation = 0;
  const listeners = new Set<() => void>();
  const publish = () => {
    for (const l of [...listeners]) l();
  };

  async function refresh(): Promise<void> {
    if (running || listeners.size === 0) return;
    running = true;
    const gen = generation;
    try {
      while (listeners.size > 0 && (state === undefined || dirty === 'all' || dirty.size > 0)) {
        if (state === undefined || dirty === 'all') {
          dirty = new Set();
          const { inStep } = spec;
          const next = await (inStep === undefined
            ? spec.read(db)
            : readInStep(db, inStep, () => spec.read(db)));
          if (gen !== generation) return;
          state = next;
        } else {
          const ids = [...dirty];
          dirty = new Set();
          const rows = await readChanged(db, ids);
          if (gen !== generation || state === undefined) return;
          state = spec.patch(state, ids, rows);
        }
        publish();
      }
    } catch (err) {
      if (gen !== generation) return;
      // A failed read is retried in full on the next change or listener.
      dirty = 'all';
      console.error('task view: reading the tasks failed', err);
    } finally {
      running = false;
      // Dropped and listened to again while this read ran: start over for the new listener.
      if (gen !== generation) void refresh();
    }
  }

  const onMutated = (parts: ObservabilitySet) => {
    const tree = parts[part];
    if (!tree) return;
    const all = changedKeys(tree);
    const { concerns } = spec;
    const keys = all === 'all' || !concerns ? all : all.filter((k) => concerns(k));
    if (keys !== 'all' && keys.length === 0) return;
    // The rows are known (written through Dexie in this tab, written-rows.ts) and nothing is
    // being read: patch now, in the commit's own event, instead of reading them back. With a
    // read in flight they wait for it (it may return rows older than these).
    const known = keys === 'all' ? undefined : writtenTasks(parts);
    if (
      known &&
      !running &&
      state !== undefined &&
      dirty !== 'all' &&
      dirty.size === 0 &&
      listeners.size > 0 &&
      keys !== 'all' &&
      keys.every((k) => known.has(k))
    ) {
      const next = spec.patch(
        state,
        keys,
        keys.map((k) => known.get(k)),
      );
      if (next !== state) {
        state = next;
        publishSoon(publish);
      }
      return;
    }
    if (dirty !== 'all') {
      if (keys === 'all') dirty = 'all';
      else for (const k of keys) dirty.add(k);
      if (dirty !== 'all' && dirty.size > PATCH_LIMIT) dirty = 'all';
    }
    void refresh();
  };

  let watching = false;
  let dropTimer: ReturnType<typeof setTimeout> | undefined;
  const drop = () => {
    Dexie.on('storagemutated').unsubscribe(onMutated);
    watching = false;
    generation++;
    state = undefined;
    dirty = new Set();
    onDrop?.();
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
        if (listeners.size === 0) dropTimer = setTimeout(drop, keepMs);
      };
    },
    getSnapshot: () => state,
  };
}
