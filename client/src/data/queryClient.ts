import { dehydrate, QueryClient } from '@tanstack/react-query';
import { createSyncStoragePersister } from '@tanstack/query-sync-storage-persister';
import type {
  PersistedClient,
  PersistQueryClientOptions,
} from '@tanstack/react-query-persist-client';
import { backoffDelay } from '@outpost/sync';

export const MAX_RETRY_DELAY_MS = 30_000;

/** localStorage key of the user's persisted query cache (wiped on sign-out). */
export function queryCacheKey(userId: string): string {
  return `outpost-query-cache:${userId}`;
}
const MAX_RETRIES = 4;
/** How long a persisted cache may be restored (and so how long queries stay in memory). */
export const PERSIST_MAX_AGE_MS = 7 * 24 * 3600_000;

/** The HTTP status an error carries, if the fetch function put one there. */
export function statusOf(err: unknown): number | null {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number')
    return err.status;
  return null;
}

/** SPEC retry policy: never retry a 4xx (the request itself is wrong) except 429. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = statusOf(error);
  if (status !== null && status >= 400 && status < 500 && status !== 429) return false;
  return failureCount < MAX_RETRIES;
}

/** Exponential backoff capped at 30 s, with jitter so many tabs do not retry in lockstep. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  // The sync engine's backoff (its attempts count from 1).
  return backoffDelay(attempt + 1, random, 1000, MAX_RETRY_DELAY_MS);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => retryDelay(attempt),
        // Server data is refreshed when the user comes back to the window; mirror-backed
        // queries opt out (they are live already).
        refetchOnWindowFocus: true,
        staleTime: 30_000,
        // Must be at least the persister's maxAge or restored entries are dropped at once.
        gcTime: PERSIST_MAX_AGE_MS,
      },
      mutations: { retry: shouldRetry, retryDelay: (attempt) => retryDelay(attempt) },
    },
  });
}

/** Where the cache is stored: localStorage, or what stands in front of it. */
export type CacheStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface PersistOptionsInput {
  userId: string;
  /** The app's version: a new deploy starts with a fresh cache rather than misreading an old one. */
  appVersion: string;
  storage?: CacheStorage | null;
}

/**
 * Options for `<PersistQueryClientProvider persistOptions={…}>`: the cache lives in
 * localStorage under a per-user key, busted by app version + user, so a cold start paints
 * the last data instantly and never shows another user's.
 */
export function createPersistOptions(
  input: PersistOptionsInput,
): Omit<PersistQueryClientOptions, 'queryClient'> {
  const storage = storageOf(input);
  const persister = createSyncStoragePersister({
    storage,
    key: queryCacheKey(input.userId),
    throttleTime: 1000,
  });
  return {
    persister,
    buster: busterOf(input),
    maxAge: PERSIST_MAX_AGE_MS,
    dehydrateOptions: { shouldDehydrateQuery },
  };
}

/**
 * Writes the cache to storage now, as the persister would. The persister writes at most once a
 * second, a second after a change: a page closed within that second (a reload right after a
 * save) left the cache as it was before, and the next start painted the older value until the
 * database's read replaced it. Called as the page is hidden or goes (`OutpostDataProvider`).
 */
export function persistNow(queryClient: QueryClient, input: PersistOptionsInput): void {
  const storage = storageOf(input);
  if (!storage) return;
  const persisted: PersistedClient = {
    timestamp: Date.now(),
    buster: busterOf(input),
    clientState: dehydrate(queryClient, { shouldDehydrateQuery }),
  };
  try {
    storage.setItem(queryCacheKey(input.userId), JSON.stringify(persisted));
  } catch {
    // Storage full: the cache is a help for the first paint, never needed (as the persister).
  }
}

/** The storage `input` names, or the page's localStorage (none outside a page). */
export function storageOf(input: PersistOptionsInput): CacheStorage | null {
  if (input.storage !== undefined) return input.storage;
  return typeof localStorage === 'undefined' ? null : localStorage;
}

const busterOf = (input: PersistOptionsInput) => `${input.appVersion}:${input.userId}`;

/** Only successful results are worth painting from; big live windows opt out (LiveOptions.persist). */
function shouldDehydrateQuery(query: {
  state: { status: string };
  meta?: Record<string, unknown> | undefined;
}): boolean {
  return query.state.status === 'success' && query.meta?.['persist'] !== false;
}
