import type { ResourceSearch } from './api';

/** Query key factory: every key of this feature starts with `['shared-resources']`. */
export const sharedResourceKeys = {
  all: ['shared-resources'] as const,
  lists: () => [...sharedResourceKeys.all, 'list'] as const,
  list: (search: ResourceSearch) =>
    [...sharedResourceKeys.lists(), { q: search.q, kind: search.kind }] as const,
  detail: (id: string) => [...sharedResourceKeys.all, 'detail', id] as const,
};
