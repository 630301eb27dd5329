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
      ['outpost', orgId, 'tasks', 'list', { projectId: filter.projectId ?? null, status: filter.status ?? null, assigneeId: filter.assigneeId ?? null }] as const,
    detail: (orgId: string, id: string) => ['outpost', orgId, 'tasks', 'detail', id] as const,
  },
  activities: {
    all: (orgId: string) => ['outpost', orgId, 'activities'] as const,
    list: (orgId: string, options: { limit: number }) => ['outpost', orgId, 'activities', 'list', options] as const,
  },
  users: {
    all: (orgId: string) => ['outpost', orgId, 'users'] as const,
    list: (orgId: string) => ['outpost', orgId, 'users', 'list'] as const,
  },
  /** Server data (not mirrored): fetched over the network, refetched on window focus. */
  sharedResources: {
    all: (orgId: string) => ['outpost', orgId, 'shared-resources'] as const,
    list: (orgId: string, params: { q?: string | undefined; limit?: number | undefined }) =>
      ['outpost', orgId, 'shared-resources', 'list', { q: params.q ?? null, limit: params.limit ?? null }] as const,
    detail: (orgId: string, id: string) => ['outpost', orgId, 'shared-resources', 'detail', id] as const,
  },
} as const;
