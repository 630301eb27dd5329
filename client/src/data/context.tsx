import { createContext, useContext, type ReactNode } from 'react';
import type { SyncClient } from '../sync/client';

const SyncClientContext = createContext<SyncClient | null>(null);

/** Makes the signed-in user's sync client (and its replica) available to the data hooks. */
export function SyncProvider({ client, children }: { client: SyncClient; children: ReactNode }) {
  return <SyncClientContext.Provider value={client}>{children}</SyncClientContext.Provider>;
}

export function useSyncClient(): SyncClient {
  const client = useContext(SyncClientContext);
  if (!client) throw new Error('Data hooks need <SyncProvider client={…}> above them');
  return client;
}
