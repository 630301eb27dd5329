import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  onlineManager,
  useInfiniteQuery,
  useQuery,
  type InfiniteData,
} from '@tanstack/react-query';
import {
  fetchResource,
  fetchResourcePage,
  type FetchJson,
  type ResourcePage,
  type ResourceSearch,
  type SharedResource,
} from './api';
import { retryDelay, shouldRetry } from '../../data';
import { sharedResourceKeys } from './query-keys';

/** The value, once it has stopped changing for `ms` (search as you type without a request per key). */
export function useDebouncedValue<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

// TanStack's onlineManager assumes "online" until an `offline` event: on a cold start without
// network that event never comes, so start from what the browser says.
if (typeof navigator !== 'undefined' && navigator.onLine === false) onlineManager.setOnline(false);

/** TanStack Query's view of connectivity (the app shell may drive it). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (notify) => onlineManager.subscribe(notify),
    () => onlineManager.isOnline(),
    () => true,
  );
}

const sharedOptions = {
  // Try the request even when offline: the service worker may answer from its copy.
  networkMode: 'offlineFirst' as const,
  staleTime: 60_000,
  gcTime: 24 * 60 * 60_000,
  // The app-wide policy: no retry on a 4xx but 429, the sync engine's jittered backoff.
  retry: shouldRetry,
  retryDelay: (attempt: number) => retryDelay(attempt),
};

export function useSharedResources(fetchJson: FetchJson, search: ResourceSearch) {
  return useInfiniteQuery<
    ResourcePage,
    Error,
    InfiniteData<ResourcePage, string | undefined>,
    ReturnType<typeof sharedResourceKeys.list>,
    string | undefined
  >({
    queryKey: sharedResourceKeys.list(search),
    queryFn: ({ pageParam, signal }) => fetchResourcePage(fetchJson, search, pageParam, signal),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...sharedOptions,
  });
}

/** One resource; `known` (the row from the list) shows at once while it refreshes. */
export function useSharedResource(
  fetchJson: FetchJson,
  id: string | null,
  known: SharedResource | undefined,
) {
  return useQuery({
    queryKey: sharedResourceKeys.detail(id ?? ''),
    queryFn: ({ signal }) => fetchResource(fetchJson, id ?? '', signal),
    enabled: id !== null,
    placeholderData: known ? { data: known, stale: false } : undefined,
    ...sharedOptions,
  });
}
