import type { UseQueryResult } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { Activity, Project, Task, User } from '@outpost/shared';
import type { Notice, PushRecord, SyncStatus } from '@outpost/sync';
import { useSyncClient } from './context';
import { useLiveData } from './live';
import { queryKeys, type TaskFilter } from './queryKeys';
import { readActivities, readProject, readProjects, readTasks, readUsers } from './reads';

/** All projects of the org, by name. */
export function useProjects(): UseQueryResult<Project[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.projects.list(replica.orgId), () => readProjects(replica.db));
}

/** One project; `data` is null when it does not exist (or was deleted), undefined while loading. */
export function useProject(id: string): UseQueryResult<Project | null> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.projects.detail(replica.orgId, id), () => readProject(replica.db, id));
}

/** Tasks filtered by project, status and/or assignee, in creation order. */
export function useTasks(filter: TaskFilter): UseQueryResult<Task[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.tasks.list(replica.orgId, filter), () => readTasks(replica.db, filter));
}

/** The newest activities first. */
export function useActivities(options: { limit: number }): UseQueryResult<Activity[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.activities.list(replica.orgId, options), () => readActivities(replica.db, options.limit));
}

export function useUsers(): UseQueryResult<User[]> {
  const { replica } = useSyncClient();
  return useLiveData(queryKeys.users.list(replica.orgId), () => readUsers(replica.db));
}

export function useSyncStatus(): SyncStatus {
  const { status } = useSyncClient();
  return useSyncExternalStore(status.subscribe, status.getSnapshot);
}

export function useNotices(): { notices: readonly Notice[]; history: readonly PushRecord[]; dismiss: (id: string) => void } {
  const { notices } = useSyncClient();
  const list = useSyncExternalStore(notices.subscribe, notices.getSnapshot);
  const history = useSyncExternalStore(notices.history.subscribe, notices.history.getSnapshot);
  return { notices: list, history, dismiss: notices.dismiss };
}
