import { liveQuery } from 'dexie';
import { hashKey, useQuery, useQueryClient, type QueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { z } from 'zod';

/**
 * Mirror-backed queries: the queryFn reads Dexie (never the network), and a Dexie
 * `liveQuery` pushes every later change into the cache with `setQueryData` — so components
 * render from the local mirror at once and update live, in this tab and in others.
 */
export function liveQueryOptions<T>(queryKey: QueryKey, read: () => Promise<T>) {
  return {
    queryKey,
    queryFn: read,
    // IndexedDB works offline: never pause these queries for the network.
    networkMode: 'always' as const,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  };
}

/** Feeds every emission of a Dexie live query into the cache entry; returns the unsubscribe. */
export function subscribeLive<T>(queryClient: QueryClient, queryKey: QueryKey, read: () => Promise<T>): () => void {
  const sub = liveQuery(read).subscribe({
    next: (data) => queryClient.setQueryData(queryKey, data),
    error: (error: unknown) => {
      // Surface through the query (error boundary / `error` field) instead of swallowing.
      void queryClient.fetchQuery({ ...liveQueryOptions(queryKey, () => Promise.reject(error)), staleTime: 0 }).catch(() => undefined);
    },
  });
  return () => sub.unsubscribe();
}

export function useLiveData<T>(queryKey: QueryKey, read: () => Promise<T>): UseQueryResult<T> {
  const queryClient = useQueryClient();
  const readRef = useRef(read);
  readRef.current = read;
  const result = useQuery(liveQueryOptions(queryKey, read));
  // Re-subscribe only when the key changes (the latest `read` is used through the ref).
  const hash = hashKey(queryKey);
  useEffect(() => subscribeLive(queryClient, queryKey, () => readRef.current()), [queryClient, hash]);
  return result;
}

/**
 * Rows are parsed when read: a row written by an older app version that no longer fits the
 * schema is skipped (and reported) instead of reaching a component with the wrong shape.
 */
export function parseRows<S extends z.ZodType>(schema: S, rows: readonly unknown[], onInvalid?: (row: unknown, error: z.ZodError) => void): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else onInvalid?.(row, parsed.error);
  }
  return out;
}
