import type { UseQueryResult } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Activity, Task, TaskStatus } from '@outpost/shared';
import { useSyncClient } from './context';
import { useStatusOfLater } from './hooks';
import { useLiveData } from './live';
import { usePendingDeletes } from './pending-context';
import { queryKeys } from './queryKeys';
import { taskIdList } from './id-lists';
import { whenIdle } from './idle';
import { writtenTaskStore, type WrittenTaskRows } from './written-task-rows';
import { taskSearchIndex, type SearchEntry } from './search-index';
import { taskWindow } from './task-windows';
import {
  readEntityActivities,
  readEntitiesActivities,
  readEntityNames,
  readTaskProjects,
  readDeletedWithProject,
  readOutbox,
  readTask,
  readTaskCounts,
  readTaskHead,
  readTasksByIds,
  readUnsentIds,
  type OutboxItem,
  type TaskCounts,
  type TaskHead,
} from './reads';

/** Rows the virtualized list reads at once: one Dexie read (and subscription) per window. */
export const ROW_WINDOW = 50;
const SHORT_GC = 30_000;

/** Ids hidden on this device while their delete waits out the undo window. */
export function useHiddenTaskIds(): ReadonlySet<string> {
  const pending = usePendingDeletes();
  return useSyncExternalStore(pending.subscribe, pending.getSnapshot);
}

/**
 * One project's task ids in one status, in creation order (index only; hidden ones left out),
 * patched in memory as rows change (see id-lists.ts). Not read while `enabled` is false (a
 * collapsed section needs only its count).
 */
export function useTaskIds(
  projectId: string,
  status: TaskStatus,
  enabled = true,
): { data: readonly string[] | undefined } {
  const { replica } = useSyncClient();
  const hidden = useHiddenTaskIds();
  const view = taskIdList(replica.db, projectId, status);
  const subscribe = useCallback(
    (listener: () => void) => (enabled ? view.subscribe(listener) : () => undefined),
    [view, enabled],
  );
  const ids = useSyncExternalStore(subscribe, view.getSnapshot);
  const data = useMemo(
    () => (ids && hidden.size ? ids.filter((id) => !hidden.has(id)) : ids),
    [ids, hidden],
  );
  return { data: enabled ? data : undefined };
}

/**
 * The first `ROW_WINDOW` rows of a project's open sections (hidden ones left out): the first
 * screen, while the sections' id lists are read. Off (`enabled` false) once they are: kept
 * live, it would read and parse 100 rows again after every write to the project.
 */
export function useTaskHead(
  projectId: string,
  enabled = true,
): { data: TaskHead | undefined; failed: boolean } {
  const { replica } = useSyncClient();
  const hidden = useHiddenTaskIds();
  const read = useLiveData(
    queryKeys.tasks.head(replica.orgId, projectId),
    () => readTaskHead(replica.db, projectId, ROW_WINDOW),
    {
      persist: false,
      gcTime: SHORT_GC,
      enabled,
    },
  );
  const head = read.data;
  const data = useMemo(
    () =>
      head && hidden.size
        ? {
            doing: head.doing.filter((t) => !hidden.has(t.id)),
            todo: head.todo.filter((t) => !hidden.has(t.id)),
          }
        : head,
    [head, hidden],
  );
  return { data, failed: read.isError };
}

/**
 * Per-status counts of a project, from index counts (no rows read), read again after every
 * change to the project while `enabled` (false: not read, the last counts read are kept).
 */
export function useTaskCounts(projectId: string, enabled = true): { data: TaskCounts | undefined } {
  const { replica } = useSyncClient();
  const pending = usePendingDeletes();
  const hidden = useHiddenTaskIds();
  const counts = useLiveData(
    queryKeys.tasks.counts(replica.orgId, projectId),
    () => readTaskCounts(replica.db, projectId),
    { enabled },
  ).data;
  const data = useMemo(() => {
    if (!counts || hidden.size === 0) return counts;
    const out = { ...counts };
    for (const i of pending.list())
      if (i.projectId === projectId && out[i.status] > 0) out[i.status]--;
    return out;
  }, [counts, hidden, pending, projectId]);
  return { data };
}

/**
 * The rows of the given windows of ids (`ROW_WINDOW` each), merged by id: what a virtualized
 * list has on screen. Rows of a window still being read are absent, unless this tab's commits
 * wrote them (written-task-rows.ts): a row just created, ticked or edited is shown at its
 * commit, not once its window has been read back — and not flipped back by a window's read
 * that began before it.
 */
export function useTaskWindows(windows: readonly (readonly string[])[]): ReadonlyMap<string, Task> {
  const { replica } = useSyncClient();
  // Each window read once, then patched from the rows commits wrote (task-windows.ts).
  const views = useMemo(
    () => windows.map((ids) => taskWindow(replica.db, ids)),
    [windows, replica],
  );
  const subscribeViews = useCallback(
    (listener: () => void) => {
      const stops = views.map((v) => v.subscribe(listener));
      return () => stops.forEach((stop) => stop());
    },
    [views],
  );
  const shown = useRef<(readonly Task[] | undefined)[]>([]);
  const getViews = useCallback(() => {
    const now = views.map((v) => v.getSnapshot());
    const was = shown.current;
    if (now.length === was.length && now.every((d, i) => d === was[i])) return was;
    return (shown.current = now);
  }, [views]);
  const datas = useSyncExternalStore(subscribeViews, getViews);
  // The written rows of these windows only: a commit elsewhere (another project, a row out of
  // sight) does not render the list again.
  const store = writtenTaskStore(replica.db);
  const subset = useRef<{ all: WrittenTaskRows; windows: unknown; rows: WrittenTaskRows }>({
    all: new Map(),
    windows: null,
    rows: new Map(),
  });
  const getWritten = useCallback(() => {
    const all = store.getSnapshot();
    const was = subset.current;
    if (all === was.all && windows === was.windows) return was.rows;
    const rows = new Map<string, Task | null>();
    if (all.size > 0)
      for (const ids of windows)
        for (const id of ids) {
          const row = all.get(id);
          if (row !== undefined) rows.set(id, row);
        }
    const same =
      rows.size === was.rows.size && [...rows].every(([id, r]) => was.rows.get(id) === r);
    subset.current = { all, windows, rows: same ? was.rows : rows };
    return subset.current.rows;
  }, [store, windows]);
  const written = useSyncExternalStore(store.subscribe, getWritten);
  // A new map only when some window's rows changed (a patched window keeps its other rows
  // identical), or the rows of these windows this tab's commits wrote did.
  const last = useRef<{
    datas: readonly (readonly Task[] | undefined)[];
    written: WrittenTaskRows;
    map: ReadonlyMap<string, Task>;
  }>({ datas: [], written: new Map(), map: new Map() });
  const prev = last.current;
  if (
    datas.length !== prev.datas.length ||
    datas.some((d, i) => d !== prev.datas[i]) ||
    written !== prev.written
  ) {
    const map = new Map<string, Task>();
    for (const rows of datas) for (const t of rows ?? []) map.set(t.id, t);
    for (const [id, row] of written) {
      if (row === null) map.delete(id);
      else map.set(id, row);
    }
    last.current = { datas, written, map };
  }
  return last.current.map;
}

/**
 * Task `id` as the database holds it now, read once for each `asked` (a focus request): undefined
 * while it is read (or for another `asked`), null when there is no such task. Read from the
 * database itself, not from the windows or the written rows (`useTaskWindows`): those follow
 * Dexie's announcements of commits, and a local write resolves at its commit, just before
 * Dexie announces it (`whenCommitted`, client/src/sync/README.md) — code that awaits a write
 * and then asks for its row would find them still holding the row as it was.
 */
export function useStoredTask(id: string | null, asked: unknown): Task | null | undefined {
  const { replica } = useSyncClient();
  const [read, setRead] = useState<{ asked: unknown; id: string; task: Task | null } | null>(null);
  useEffect(() => {
    if (id === null) return;
    let live = true;
    readTasksByIds(replica.db, [id]).then(
      (found) => {
        if (live) setRead({ asked, id, task: found.get(id) ?? null });
      },
      // Not known, then: whoever asked waits as for a row still being read.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id, asked, replica]);
  return read && read.id === id && read.asked === asked ? read.task : undefined;
}

/** One task; `data` is null when it does not exist (or is being deleted), undefined while loading. */
export function useTask(id: string): { data: Task | null | undefined } {
  const { replica } = useSyncClient();
  const hidden = useHiddenTaskIds();
  const task = useLiveData(queryKeys.tasks.detail(replica.orgId, id), () =>
    readTask(replica.db, id),
  ).data;
  return { data: task && hidden.has(task.id) ? null : task };
}

/**
 * Every task's searchable text, from the in-memory search index (built on first use, then
 * patched from the mirror's changes): a keystroke filters memory, never IndexedDB. Undefined
 * while the index is first read, or while not `enabled`.
 */
export function useSearchEntries(enabled: boolean): readonly SearchEntry[] | undefined {
  const { replica } = useSyncClient();
  const hidden = useHiddenTaskIds();
  const index = taskSearchIndex(replica.db);
  const subscribe = useCallback(
    (listener: () => void) => (enabled ? index.subscribe(listener) : () => undefined),
    [index, enabled],
  );
  const entries = useSyncExternalStore(subscribe, index.getSnapshot).entries;
  return useMemo(() => {
    if (!enabled || !entries) return undefined;
    return hidden.size ? entries.filter((e) => !hidden.has(e.id)) : entries;
  }, [enabled, entries, hidden]);
}

/**
 * Builds the search index in the main thread's idle time while `enabled` (the workspace, once
 * its first sync is done), so that the first keystroke of a search filters memory instead of
 * reading every task; it is then kept in step with the mirror.
 */
export function useWarmSearchIndex(enabled: boolean): void {
  const { replica } = useSyncClient();
  const index = taskSearchIndex(replica.db);
  useEffect(() => {
    if (!enabled) return;
    let stop: (() => void) | undefined;
    const cancel = whenIdle(() => (stop = index.warm()));
    return () => {
      cancel();
      stop?.();
    };
  }, [enabled, index]);
}

/** One row's own history, newest first. */
export function useEntityActivities(entityId: string): UseQueryResult<Activity[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.activities.entity(replica.orgId, entityId), () =>
    readEntityActivities(replica.db, entityId),
  );
}

/** Several rows' own histories (id → its activities, newest first). */
export function useEntitiesActivities(ids: readonly string[]): Map<string, Activity[]> | undefined {
  const { replica } = useSyncClient();
  const sorted = useMemo(() => [...new Set(ids)].sort(), [ids]);
  return useLiveData(
    queryKeys.activities.entities(replica.orgId, sorted),
    () => readEntitiesActivities(replica.db, sorted),
    { persist: false, gcTime: SHORT_GC },
  ).data;
}

/** Names of the given projects/tasks (for activity lines). */
export function useEntityNames(ids: readonly string[]): Map<string, string> | undefined {
  const { replica } = useSyncClient();
  const sorted = useMemo(() => [...new Set(ids)].sort(), [ids]);
  return useLiveData(
    queryKeys.names(replica.orgId, sorted),
    () => readEntityNames(replica.db, sorted),
    { persist: false, gcTime: SHORT_GC },
  ).data;
}

/** taskId → projectId for the tasks of these ids that are in the mirror. */
export function useTaskProjects(ids: readonly string[]): Map<string, string> | undefined {
  const { replica } = useSyncClient();
  const sorted = useMemo(() => [...new Set(ids)].sort(), [ids]);
  return useLiveData(
    queryKeys.taskProjects(replica.orgId, sorted),
    () => readTaskProjects(replica.db, sorted),
    { persist: false, gcTime: SHORT_GC },
  ).data;
}

/** taskId → the project whose delete took it with it, for these deleted tasks. */
export function useDeletedWithProject(ids: readonly string[]): Map<string, string> | undefined {
  const { replica } = useSyncClient();
  const sorted = useMemo(() => [...new Set(ids)].sort(), [ids]);
  return useLiveData(
    queryKeys.deletedWithProject(replica.orgId, sorted),
    () => readDeletedWithProject(replica.db, sorted),
    { persist: false, gcTime: SHORT_GC },
  ).data;
}

/** The outbox, in order (the sync inspector). */
export function useOutbox(): UseQueryResult<OutboxItem[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.outbox.list(replica.orgId), () => readOutbox(replica.db), {
    persist: false,
  });
}

/** What `useUnsentIds` shows while the status counts nothing unsent. */
const NONE_UNSENT: ReadonlySet<string> = new Set();

/**
 * Ids of rows with writes not yet sent from this device ("not synced yet" marks). None while
 * the sync status counts no unsent write: the status bar says "Synced" from that count, set at
 * the push answer's ack, while the ids are read again only after the ack's transaction is
 * announced (50–150 ms later back online), so the marks outlived "Synced" by that much.
 */
export function useUnsentIds(): ReadonlySet<string> | undefined {
  const { replica, status } = useSyncClient();
  // With the status bar, a task after the count changes: rendered at once, a write's count
  // (0 → 1) re-rendered the project's list before the write's push left.
  const noneCounted = useStatusOfLater(status, (s) => s.pending === 0);
  const read = useLiveData(
    queryKeys.outbox.unsentIds(replica.orgId),
    () => readUnsentIds(replica.db),
    { persist: false },
  ).data;
  return noneCounted && read && read.size > 0 ? NONE_UNSENT : read;
}
