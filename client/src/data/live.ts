import { liveQuery } from 'dexie';
import {
  hashKey,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { z } from 'zod/mini';
import { freshnessOf } from './cache-freshness';

export interface LiveOptions {
  /**
   * Large or short-lived reads (a project's first rows, conflict rows) are not written to the
   * persisted cache: serialising them on every change would cost more than re-reading them.
   */
  persist?: boolean;
  /** How long an unused entry stays in memory (ms); short for per-window reads. */
  gcTime?: number;
  /** False: not read and not kept live (what was last read, if anything, stays as it was). */
  enabled?: boolean;
}

/**
 * Mirror-backed queries: the queryFn reads Dexie (never the network), and a Dexie
 * `liveQuery` pushes every later change into the cache with `setQueryData` — so components
 * render from the local mirror at once and update live, in this tab and in others.
 */
export function liveQueryOptions<T>(
  queryKey: QueryKey,
  read: () => Promise<T>,
  options: LiveOptions = {},
) {
  return {
    queryKey,
    queryFn: read,
    // IndexedDB works offline: never pause these queries for the network.
    networkMode: 'always' as const,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
    meta: { persist: options.persist !== false },
    ...(options.gcTime !== undefined ? { gcTime: options.gcTime } : {}),
  };
}

/** Feeds every emission of a Dexie live query into the cache entry; returns the unsubscribe. */
export function subscribeLive<T>(
  queryClient: QueryClient,
  queryKey: QueryKey,
  read: () => Promise<T>,
  onValue?: (data: T) => void,
  onError?: (error: unknown) => void,
): () => void {
  // Counted while they run: the cache is not stored for the next start until they are in it.
  const freshness = freshnessOf(queryClient);
  const sub = liveQuery(freshness ? () => freshness.read(read) : read).subscribe({
    next: (data) => {
      onValue?.(data);
      queryClient.setQueryData(queryKey, data);
    },
    error: (error: unknown) => {
      onError?.(error);
      // Surface through the query (error boundary / `error` field) instead of swallowing.
      void queryClient
        .fetchQuery({ ...liveQueryOptions(queryKey, () => Promise.reject(error)), staleTime: 0 })
        .catch(() => undefined);
    },
  });
  return () => sub.unsubscribe();
}

interface Shared {
  users: number;
  stop: () => void;
  /** The subscription's latest value, once it has emitted. */
  latest: { value: unknown } | null;
  waiting: { resolve: (v: unknown) => void; reject: (e: unknown) => void }[];
}

/**
 * One Dexie subscription per query key and QueryClient, however many components read it (a
 * project read by the screen and by its header is one read). The query's own fetch waits for that
 * subscription's first value instead of reading the same thing a second time.
 */
const shared = new WeakMap<QueryClient, Map<string, Shared>>();

function retain(
  queryClient: QueryClient,
  queryKey: QueryKey,
  hash: string,
  read: { current: () => Promise<unknown> },
): () => void {
  let byKey = shared.get(queryClient);
  if (!byKey) shared.set(queryClient, (byKey = new Map()));
  let entry = byKey.get(hash);
  if (!entry) {
    const e: Shared = { users: 0, stop: () => undefined, latest: null, waiting: [] };
    // Readers of one key read the same thing: the first one's (latest) read function serves all.
    e.stop = subscribeLive(
      queryClient,
      queryKey,
      () => read.current(),
      (value) => {
        e.latest = { value };
        for (const w of e.waiting.splice(0)) w.resolve(value);
      },
      (error) => {
        for (const w of e.waiting.splice(0)) w.reject(error);
      },
    );
    entry = e;
    byKey.set(hash, entry);
  }
  entry.users++;
  const held = entry;
  return () => {
    held.users--;
    if (held.users === 0) {
      held.stop();
      byKey.delete(hash);
    }
  };
}

/** A query's fetch: the shared subscription's value (held open until it arrives). */
function readShared(
  queryClient: QueryClient,
  queryKey: QueryKey,
  hash: string,
  read: { current: () => Promise<unknown> },
): Promise<unknown> {
  const release = retain(queryClient, queryKey, hash, read);
  const entry = shared.get(queryClient)!.get(hash)!;
  const value = entry.latest
    ? Promise.resolve(entry.latest.value)
    : new Promise((resolve, reject) => entry.waiting.push({ resolve, reject }));
  // Released a task later: the component's own hold (taken in the same commit) keeps it open.
  return value.finally(() => setTimeout(release, 0));
}

/**
 * THE live read hook of the app: every screen reads the mirror through it (via the hooks in
 * this folder), and every read function parses what it returns — so nothing unparsed reaches
 * a component.
 */
export function useLiveData<T>(
  queryKey: QueryKey,
  read: () => Promise<T>,
  options: LiveOptions = {},
): UseQueryResult<T> {
  const queryClient = useQueryClient();
  const readRef = useRef<() => Promise<unknown>>(read);
  readRef.current = read;
  // Re-subscribe only when the key changes (the latest `read` is used through the ref).
  const hash = hashKey(queryKey);
  const enabled = options.enabled !== false;
  const result = useQuery({
    ...liveQueryOptions(queryKey, read, options),
    queryFn: () => readShared(queryClient, queryKey, hash, readRef) as Promise<T>,
    enabled,
  });
  useEffect(
    () => (enabled ? retain(queryClient, queryKey, hash, readRef) : undefined),
    [queryClient, hash, enabled],
  );
  return result;
}

/**
 * Rows are parsed when read: a row written by an older app version that no longer fits the
 * schema is skipped (and reported) instead of reaching a component with the wrong shape.
 */
export function parseRows<S extends z.ZodMiniType>(
  schema: S,
  rows: readonly unknown[],
  onInvalid?: (row: unknown, error: z.core.$ZodError) => void,
): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else onInvalid?.(row, parsed.error);
  }
  return out;
}
