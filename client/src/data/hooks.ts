import type { UseQueryResult } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { Activity, Project, Task, User } from '@outpost/shared';
import type { Notice, PushRecord, ReadableStore, SyncStatus } from '@outpost/sync';
import { useSyncClient } from './context';
import { useLiveData } from './live';
import { queryKeys, type TaskFilter } from './queryKeys';
import {
  readActivities,
  readConflictRow,
  readProject,
  readProjects,
  readTask,
  readTasks,
  readUsers,
} from './reads';

/** All projects of the org, by name. */
export function useProjects(): UseQueryResult<Project[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.projects.list(replica.orgId), () => readProjects(replica.db));
}

/** One project; `data` is null when it does not exist (or was deleted), undefined while loading. */
export function useProject(id: string): UseQueryResult<Project | null> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.projects.detail(replica.orgId, id), () =>
    readProject(replica.db, id),
  );
}

/**
 * A task or a project as this device has it now (its pending writes on top), by the entity's
 * name as sync reports it (`project`, else a task); `data` is null when it is not here. Shares `useTask`'s and
 * `useProject`'s queries.
 */
export function useTaskOrProject(
  entity: string,
  id: string,
): UseQueryResult<Task | Project | null> {
  const { replica } = useSyncClient();
  return useLiveData<Task | Project | null>(
    entity === 'project'
      ? queryKeys.projects.detail(replica.orgId, id)
      : queryKeys.tasks.detail(replica.orgId, id),
    () => (entity === 'project' ? readProject(replica.db, id) : readTask(replica.db, id)),
  );
}

/**
 * A conflict notice's row now (pending writes on top) and whether this state is past the
 * conflict (`readConflictRow`): only then does a row holding the lost value mean it was set back.
 * Read fresh, not from the persisted cache, in any tab and whenever it opened.
 */
export function useConflictRow(conflict: {
  entity: string;
  entityId: string;
  activityId: string;
  version?: number | undefined;
}): UseQueryResult<{ row: Task | Project | null; past: boolean }> {
  const { replica } = useSyncClient();
  return useLiveData(
    queryKeys.conflictRow(replica.orgId, conflict.activityId),
    () => readConflictRow(replica.db, conflict),
    { persist: false },
  );
}

/** Tasks filtered by project, status and/or assignee, in creation order. */
export function useTasks(filter: TaskFilter): UseQueryResult<Task[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.tasks.list(replica.orgId, filter), () =>
    readTasks(replica.db, filter),
  );
}

/** The newest activities first. */
export function useActivities(options: { limit: number }): UseQueryResult<Activity[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.activities.list(replica.orgId, options), () =>
    readActivities(replica.db, options.limit),
  );
}

export function useUsers(): UseQueryResult<User[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.users.list(replica.orgId), () => readUsers(replica.db));
}

const laterSubscribe = new WeakMap<
  ReadableStore<SyncStatus>,
  ReadableStore<SyncStatus>['subscribe']
>();

/**
 * `store.subscribe`, with its changes told one task later (several changes in one task, once).
 * React renders a store's change in a microtask, and a write's pending count changes in the
 * microtask chain that sends its push: the status bar's render ran before the push left
 * (`bench:ui:remote` counts React commits before it). A task later the push is on the wire
 * first; what is shown lags by one task, well under a frame.
 */
function subscribeLater(store: ReadableStore<SyncStatus>): ReadableStore<SyncStatus>['subscribe'] {
  let subscribe = laterSubscribe.get(store);
  if (!subscribe) {
    subscribe = (listener) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stop = store.subscribe(() => {
        timer ??= setTimeout(() => {
          timer = undefined;
          listener();
        }, 0);
      });
      return () => {
        stop();
        clearTimeout(timer);
      };
    };
    laterSubscribe.set(store, subscribe);
  }
  return subscribe;
}

/**
 * The whole sync status, for what shows it (the status bar, the inspector): the component
 * renders again on every change, a task after it (see `subscribeLater`).
 */
export function useSyncStatus(): SyncStatus {
  const { status } = useSyncClient();
  return useSyncExternalStore(subscribeLater(status), status.getSnapshot);
}

/**
 * One value of a sync status store; the component renders again only when that value changes.
 * React renders a store's change at once, in a microtask: a screen that re-rendered on every
 * status change re-rendered on every write's pending count, before the write's push left
 * (`bench:ui:remote`). `select` must return a primitive or a value the status already holds.
 */
export function useStatusOf<T>(status: ReadableStore<SyncStatus>, select: (s: SyncStatus) => T): T {
  return useSyncExternalStore(status.subscribe, () => select(status.getSnapshot()));
}

/**
 * One value of a sync status store, rendered a task after it changes, with the status bar
 * (`subscribeLater`): for what a write's pending count changes, which must not render before
 * the write's push has left.
 */
export function useStatusOfLater<T>(
  status: ReadableStore<SyncStatus>,
  select: (s: SyncStatus) => T,
): T {
  return useSyncExternalStore(subscribeLater(status), () => select(status.getSnapshot()));
}

/** Whether this device has completed a sync (until then an empty list means "not here yet"). */
export function useSetUp(): boolean {
  return useStatusOf(useSyncClient().status, (s) => s.setUp === true);
}

export function useNotices(): {
  notices: readonly Notice[];
  history: readonly PushRecord[];
  dismiss: (id: string) => void;
} {
  const { notices } = useSyncClient();
  const list = useSyncExternalStore(notices.subscribe, notices.getSnapshot);
  const history = useSyncExternalStore(notices.history.subscribe, notices.history.getSnapshot);
  return { notices: list, history, dismiss: notices.dismiss };
}
