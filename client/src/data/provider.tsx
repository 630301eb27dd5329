import type { QueryClient } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import type { ReactNode } from 'react';
import type { SyncClient } from '@outpost/sync';
import { QueryDevtools } from './devtools';
import { PendingDeletesProvider } from './pending-context';
import { createPersistOptions } from './queryClient';
import { usePersistAsPageGoes } from './persist-as-page-goes';
import { judgeCache, type CacheFreshness } from './cache-freshness';

/**
 * Everything the data hooks need, for one signed-in user: the persisted QueryClient (create
 * one per user with `createQueryClient()`) and their pending deletes; the data hooks read the
 * sync client from the engine context.
 */
export function OutpostDataProvider(props: {
  client: SyncClient;
  queryClient: QueryClient;
  /** Whether the cache may be stored for the next start (the engine counts its writes). */
  cacheFreshness: CacheFreshness;
  appVersion: string;
  onError?: (error: unknown) => void;
  children: ReactNode;
}) {
  const input = { userId: props.client.replica.userId, appVersion: props.appVersion };
  // The live reads that fill this cache are counted too (`subscribeLive`).
  judgeCache(props.queryClient, props.cacheFreshness);
  const { storage, restored } = usePersistAsPageGoes(
    props.queryClient,
    { ...input, freshness: props.cacheFreshness },
    props.client.replica.db,
  );
  const persistOptions = createPersistOptions({ ...input, storage });
  return (
    <PersistQueryClientProvider
      client={props.queryClient}
      persistOptions={persistOptions}
      onSuccess={restored}
    >
      <PendingDeletesProvider
        client={props.client}
        {...(props.onError ? { onError: props.onError } : {})}
      >
        {props.children}
      </PendingDeletesProvider>
      <QueryDevtools />
    </PersistQueryClientProvider>
  );
}
