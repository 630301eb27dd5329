import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SyncClient } from '@outpost/sync';
import { createPendingDeletes, type PendingDeletes } from './pending-deletes';

const PendingDeletesContext = createContext<PendingDeletes | null>(null);

/** One pending-delete list per signed-in user, resumed at start (see pending-deletes.ts). */
export function PendingDeletesProvider({
  client,
  onError,
  children,
}: {
  client: SyncClient;
  onError?: (error: unknown) => void;
  children: ReactNode;
}) {
  const [pending] = useState(() =>
    createPendingDeletes({
      userId: client.replica.userId,
      storage: typeof localStorage === 'undefined' ? null : localStorage,
      commit: (id) => client.deleteTask(id),
      onError: (err) => onError?.(err),
    }),
  );
  useEffect(() => pending.start(), [pending]);
  return (
    <PendingDeletesContext.Provider value={pending}>{children}</PendingDeletesContext.Provider>
  );
}

export function usePendingDeletes(): PendingDeletes {
  const pending = useContext(PendingDeletesContext);
  if (!pending) throw new Error('usePendingDeletes() needs <OutpostDataProvider> above it');
  return pending;
}
