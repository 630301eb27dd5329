import { taskSchema, type Task, type TaskStatus } from '@outpost/shared';
import { z } from 'zod/mini';
import { unclocked, type OutpostDb } from '@outpost/sync';
import { parseRows } from './live';
import {
  copyIsOf,
  readMark,
  readSnapshot,
  writeSnapshot,
  writeSnapshotSoon,
} from './search-snapshot';
import { createTaskView, type TaskViewSpec } from './task-view';

/** What local search and filters look at: one entry per task, held in memory. */
export interface SearchEntry {
  id: string;
  projectId: string;
  status: TaskStatus;
  assigneeId: string | null;
  dueDate: string | null;
  /** The title as written (a list sorted by title compares it). */
  title: string;
  /** When the row last changed (a list sorted by "Recently updated"). */
  updatedAt: string;
  /** Title and notes folded once (`searchText`), so a keystroke only runs `includes`. */
  text: string;
}

export interface SearchSnapshot {
  /** Every task of the workspace in creation order; null until the first build has read them. */
  entries: readonly SearchEntry[] | null;
}

export interface TaskSearchIndex {
  /** While anyone listens, the index is built and kept in step with the mirror. */
  subscribe(listener: () => void): () => void;
  /**
   * Builds the index ahead of its first search (in pages, each its own read transaction) and
   * keeps it in step until the returned function is called; meanwhile, each time the page goes
   * hidden, stores a copy of it if the stored one is out of date (`refreshStoredCopy`).
   */
  warm(): () => void;
  getSnapshot(): SearchSnapshot;
}

/**
 * What search compares, for the entries and the words typed alike: lower case without accents
 * and other marks, ß as ss — "cafe" finds "Café", "ecole" "ÉCOLE", "strasse" "Straße".
 */
export function searchText(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().replace(/ß/g, 'ss');
}

const entrySchema = z.pick(taskSchema, {
  id: true,
  projectId: true,
  title: true,
  notes: true,
  status: true,
  assigneeId: true,
  dueDate: true,
  updatedAt: true,
});

function toEntries(rows: readonly unknown[]): SearchEntry[] {
  // `pick` keeps the schema strict: the row's other fields are dropped before parsing.
  const picked = rows.map((r) => {
    const { id, projectId, title, notes, status, assigneeId, dueDate, updatedAt } = unclocked(
      r as Record<string, unknown>,
    );
    return { id, projectId, title, notes, status, assigneeId, dueDate, updatedAt };
  });
  return parseRows(entrySchema, picked).map(searchEntry);
}

/** What search compares of one task: its status, assignee, due date, and its text (and what a list sorts by). */
export function searchEntry(
  t: Pick<
    Task,
    'id' | 'projectId' | 'title' | 'notes' | 'status' | 'assigneeId' | 'dueDate' | 'updatedAt'
  >,
): SearchEntry {
  return {
    id: t.id,
    projectId: t.projectId,
    status: t.status,
    assigneeId: t.assigneeId,
    dueDate: t.dueDate,
    title: t.title,
    updatedAt: t.updatedAt,
    text: searchText(`${t.title}\n${t.notes}`),
  };
}

/**
 * The index's entries by id, changed in place by each patch: a new state object per change
 * (so subscribers see one), and the entries' array is built only when someone reads it — a
 * tick while nobody searches costs one row, not a copy of every entry.
 */
interface IndexState {
  map: Map<string, SearchEntry>;
}

/** Rows read (and parsed) per task while the index is built ahead (`warm`). */
export const BUILD_PAGE = 200;
/**
 * The same while someone waits on the index. Not larger: in Chromium, at 10,000 tasks, the
 * whole read took 870 ms median in pages of 500 against 404 ms in pages of 200 (a page's rows
 * cost more each past a size; 100 was no faster than 200).
 */
export const HURRIED_PAGE = 200;

/**
 * The index read from its stored copy when that is current, else from the rows (`readRows`),
 * then patched by key (task-view.ts).
 */
function indexSpec(hurry: () => boolean): TaskViewSpec<IndexState> {
  return {
    async read(db) {
      // The stored copy, when no task row changed since it was written (search-snapshot.ts):
      // one read instead of every row. Its mark is read before the rows: a copy of what they
      // give is stored only if it still holds when it is written.
      const { entries: kept, mark } = await readSnapshot(db).catch(() => ({
        entries: undefined,
        mark: undefined,
      }));
      if (kept) return { map: kept };
      const built = await readRows(db, hurry);
      if (mark !== undefined) writeSnapshotSoon(db, [...built.map.values()], mark);
      return built;
    },
    patch({ map }, ids, rows) {
      const fresh = new Map(toEntries(rows.filter((r) => r !== undefined)).map((e) => [e.id, e]));
      for (const id of ids) {
        const e = fresh.get(id);
        if (e) map.set(id, e);
        else map.delete(id);
      }
      return { map };
    },
  };
}

/**
 * Reads the index in pages by key, each parsed in its own task: 10,000 rows read at once hold
 * the main thread for a frame or more. While only `warm` holds the index, each page is its own
 * read transaction; once someone searches or filters, the rest is read in one. A row written
 * meanwhile is in a page read after it, or patched after the build (task-view.ts).
 */
async function readRows(db: OutpostDb, hurry: () => boolean): Promise<IndexState> {
  const map = new Map<string, SearchEntry>();
  let after: string | null = null;
  /** The next `size` rows after `after` (not parsed yet). */
  const read = (size: number) =>
    (after === null ? db.tasks.orderBy(':id') : db.tasks.where(':id').above(after))
      .limit(size)
      .toArray() as Promise<{ id: string }[]>;
  const add = (rows: { id: string }[]) => {
    for (const e of toEntries(rows)) map.set(e.id, e);
    after = rows.at(-1)?.id ?? after;
  };
  // Unhurried (only `warm` holds it): each page its own transaction, so a write waits for
  // one page at most; the next page asked for as soon as this one is here, so IndexedDB
  // reads while the main thread parses (a page of 200 is a few ms of the main thread, a task
  // of its own). Each page used to wait for an idle moment first: with a list being opened
  // or scrolled that was one page per frame or per 100 ms, and the index of 10,000 tasks was
  // still being read seconds after the project opened, so its first keystroke waited for it.
  let next: Promise<{ id: string }[]> | null = hurry() ? null : read(BUILD_PAGE);
  while (next) {
    const rows = await next;
    const full = rows.length === BUILD_PAGE;
    if (full) after = rows.at(-1)!.id;
    next = full && !hurry() ? read(BUILD_PAGE) : null;
    add(rows);
    if (!full) return { map };
  }
  // Someone is waiting on it (a filter, a search): the rest in one read transaction, its
  // pages back to back, each parsed in its own task — the next page asked for before this
  // one is parsed, so IndexedDB reads while the main thread parses. A page per transaction
  // queued each one behind every write of a sync in flight: after a bulk write of 3,750 tasks
  // a filtered list waited 3.5 s for its index, read torn across the writes between its pages.
  await db.transaction('r', db.tasks, async () => {
    let rows = await read(HURRIED_PAGE);
    for (;;) {
      const full = rows.length === HURRIED_PAGE;
      if (full) after = rows.at(-1)!.id;
      const next = full ? read(HURRIED_PAGE) : null;
      add(rows);
      if (!next) break;
      rows = await next;
    }
  });
  return { map };
}

/**
 * Stores a new copy of the index when the stored one is not of the rows as they are now (a
 * task changed since): read from the rows in pages, as `warm` does, then written if no row
 * changed meanwhile. Called as the page goes hidden, so the next start reads the copy; costs
 * one cheap read when the copy is current. Returns whether it wrote one.
 */
export async function refreshStoredCopy(db: OutpostDb): Promise<boolean> {
  const mark = await readMark(db);
  if (mark === undefined || copyIsOf(db, mark)) return false;
  const { map } = await readRows(db, () => false);
  return writeSnapshot(db, [...map.values()], mark);
}

const EMPTY: SearchSnapshot = { entries: null };
/** How long an unwatched index stays in memory (reopening search is then instant). */
const KEEP_MS = 5 * 60_000;

/**
 * An in-memory index of every task's searchable text, so a keystroke never reads IndexedDB:
 * built once by reading the table in pages, then patched from Dexie's change events (see
 * task-view.ts) — a tick re-reads one row, not the workspace.
 */
export function createTaskSearchIndex(db: OutpostDb): TaskSearchIndex {
  let readers = 0;
  // A copy being stored as the page went hidden (one at a time, however many hold `warm`).
  let refreshing = false;
  let built: { state: IndexState; snapshot: SearchSnapshot } | undefined;
  const view = createTaskView(
    db,
    indexSpec(() => readers > 0),
    KEEP_MS,
  );
  return {
    subscribe(listener) {
      readers++;
      const stop = view.subscribe(listener);
      return () => {
        readers--;
        stop();
      };
    },
    warm() {
      const stop = view.subscribe(() => undefined);
      // As the page goes hidden (a tab switch, closing, a phone's lock), a copy of the rows as
      // they are then is stored if the stored one is out of date, so the next start reads it.
      const doc = typeof document === 'undefined' ? undefined : document;
      const onHidden = () => {
        if (doc?.visibilityState !== 'hidden' || refreshing) return;
        refreshing = true;
        refreshStoredCopy(db)
          .catch((err: unknown) => {
            if ((err as { name?: unknown } | null)?.name === 'DatabaseClosedError') return;
            console.warn('search index: storing its copy failed', err);
          })
          .finally(() => (refreshing = false));
      };
      doc?.addEventListener('visibilitychange', onHidden);
      return () => {
        doc?.removeEventListener('visibilitychange', onHidden);
        stop();
      };
    },
    getSnapshot() {
      const state = view.getSnapshot();
      if (!state) return EMPTY;
      if (built?.state !== state) built = { state, snapshot: { entries: [...state.map.values()] } };
      return built.snapshot;
    },
  };
}

const indexes = new WeakMap<OutpostDb, TaskSearchIndex>();

/** One index per mirror database (so per signed-in org). */
export function taskSearchIndex(db: OutpostDb): TaskSearchIndex {
  let index = indexes.get(db);
  if (!index) indexes.set(db, (index = createTaskSearchIndex(db)));
  return index;
}
