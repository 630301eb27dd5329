import type { TaskStatus } from '@outpost/shared';

export interface TaskFilter {
  projectId?: string | undefined;
  status?: TaskStatus | undefined;
  assigneeId?: string | undefined;
}

/**
 * Query key factories: every key starts with the org, so switching orgs never mixes caches,
 * and `invalidateQueries({ queryKey: queryKeys.tasks.all(orgId) })` reaches every task list.
 */
export const queryKeys = {
  all: ['outpost'] as const,
  org: (orgId: string) => ['outpost', orgId] as const,
  projects: {
    all: (orgId: string) => ['outpost', orgId, 'projects'] as const,
    list: (orgId: string) => ['outpost', orgId, 'projects', 'list'] as const,
    detail: (orgId: string, id: string) => ['outpost', orgId, 'projects', 'detail', id] as const,
  },
  tasks: {
    all: (orgId: string) => ['outpost', orgId, 'tasks'] as const,
    list: (orgId: string, filter: TaskFilter) =>
      [
        'outpost',
        orgId,
        'tasks',
        'list',
        {
          projectId: filter.projectId ?? null,
          status: filter.status ?? null,
          assigneeId: filter.assigneeId ?? null,
        },
      ] as const,
    /** Ids only, in creation order, of one project and status (an index range). */
    ids: (orgId: string, projectId: string, status: TaskStatus) =>
      ['outpost', orgId, 'tasks', 'ids', projectId, status] as const,
    /** The first rows of one project's open sections (the first screen). */
    head: (orgId: string, projectId: string) =>
      ['outpost', orgId, 'tasks', 'head', projectId] as const,
    /** Per-status counts of one project (index counts, no rows read). */
    counts: (orgId: string, projectId: string) =>
      ['outpost', orgId, 'tasks', 'counts', projectId] as const,
    detail: (orgId: string, id: string) => ['outpost', orgId, 'tasks', 'detail', id] as const,
  },
  activities: {
    all: (orgId: string) => ['outpost', orgId, 'activities'] as const,
    list: (orgId: string, options: { limit: number }) =>
      ['outpost', orgId, 'activities', 'list', options] as const,
    /** One row's own history (by the activities' `entityId` index). */
    entity: (orgId: string, entityId: string) =>
      ['outpost', orgId, 'activities', 'entity', entityId] as const,
    /** Several rows' own histories, by id. */
    entities: (orgId: string, ids: readonly string[]) =>
      ['outpost', orgId, 'activities', 'entities', ids.join(',')] as const,
  },
  users: {
    all: (orgId: string) => ['outpost', orgId, 'users'] as const,
    list: (orgId: string) => ['outpost', orgId, 'users', 'list'] as const,
  },
  /** The engine's own tables, for the sync inspector and "not synced yet" marks. */
  outbox: {
    all: (orgId: string) => ['outpost', orgId, 'outbox'] as const,
    list: (orgId: string) => ['outpost', orgId, 'outbox', 'list'] as const,
    unsentIds: (orgId: string) => ['outpost', orgId, 'outbox', 'unsent-ids'] as const,
  },
  /** `GET /api/v1/me` for this user: what the server lets their role reach. */
  me: (orgId: string, userId: string) => ['outpost', orgId, 'me', userId] as const,
  /** A conflict notice's row, with whether the mirror is past the conflict (`readConflictRow`). */
  conflictRow: (orgId: string, activityId: string) =>
    ['outpost', orgId, 'conflictRow', activityId] as const,
  names: (orgId: string, ids: readonly string[]) =>
    ['outpost', orgId, 'names', ids.join(',')] as const,
  taskProjects: (orgId: string, ids: readonly string[]) =>
    ['outpost', orgId, 'taskProjects', ids.join(',')] as const,
  deletedWithProject: (orgId: string, ids: readonly string[]) =>
    ['outpost', orgId, 'deletedWithProject', ids.join(',')] as const,
} as const;
