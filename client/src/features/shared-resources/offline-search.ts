import { useMemo } from 'react';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { ResourceItem, ResourcePage, ResourceSearch, SharedResource } from './api';
import { sharedResourceKeys } from './query-keys';

export interface CachedMatches {
  /** Resources this device holds that the search would match, by name. */
  matches: SharedResource[];
  /** Distinct resources held at all: what the matches are based on. */
  held: number;
}

/** The server's matching: trimmed, spaces collapsed, case-insensitive substring of the name. */
export function normalizeSearch(q: string): string {
  return q.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A search answered from what this device already holds — every list page and resource it
 * has loaded (the query cache, persisted across reloads) — for when the library cannot be
 * asked. Each resource counts once; the order is the server's (by id).
 */
export function cachedMatches(
  pages: readonly (readonly SharedResource[])[],
  search: ResourceSearch,
): CachedMatches {
  const byId = new Map<string, SharedResource>();
  for (const rows of pages) for (const r of rows) if (!byId.has(r.id)) byId.set(r.id, r);
  const q = normalizeSearch(search.q);
  const matches = [...byId.values()]
    .filter(
      (r) =>
        (!q || r.name.toLowerCase().includes(q)) &&
        (!search.kind || r.data['kind'] === search.kind),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { matches, held: byId.size };
}

/** `cachedMatches` over this app's query cache; computed only while `enabled`. */
export function useCachedMatches(search: ResourceSearch, enabled: boolean): CachedMatches | null {
  const client = useQueryClient();
  return useMemo(() => {
    if (!enabled) return null;
    const lists = client
      .getQueriesData<InfiniteData<ResourcePage>>({ queryKey: sharedResourceKeys.lists() })
      .flatMap(([, data]) => data?.pages.map((p) => p.data) ?? []);
    const details = client
      .getQueriesData<ResourceItem>({ queryKey: [...sharedResourceKeys.all, 'detail'] })
      .flatMap(([, data]) => (data ? [[data.data]] : []));
    return cachedMatches([...lists, ...details], search);
  }, [client, search, enabled]);
}
