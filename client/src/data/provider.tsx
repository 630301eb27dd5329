import type { QueryClient } from '@tanstack/react-query';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import type { ReactNode } from 'react';
import type { SyncClient } from '../sync/client';
import { SyncProvider } from './context';
import { QueryDevtools } from './devtools';
import { createPersistOptions } from './queryClient';

/**
 * Everything the data hooks need, for one signed-in user: the persisted QueryClient (create
 * one per user with `createQueryClient()`) and the user's sync client.
 */
export function OutpostDataProvider(props: { client: SyncClient; queryClient: QueryClient; appVersion: string; children: ReactNode }) {
  const persistOptions = createPersistOptions({ userId: props.client.replica.userId, appVersion: props.appVersion });
  return (
    <PersistQueryClientProvider client={props.queryClient} persistOptions={persistOptions}>
      <SyncProvider client={props.client}>
        {props.children}
        <QueryDevtools />
      </SyncProvider>
    </PersistQueryClientProvider>
  );
}
