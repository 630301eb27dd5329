import { can, type Role } from '@outpost/shared';
import { createContext, useContext } from 'react';
import type { Session } from '../auth/session';
import type { Replica, SyncClient } from '@outpost/sync';
import type { UnsentWrite } from './unsent-journal';

/**
 * What every workspace screen and data hook needs: who is signed in, their replica, and the
 * sync engine. The one React context for the client.
 */
export interface Engine {
  session: Session;
  replica: Replica;
  client: SyncClient;
  /** Unsent writes of a database the browser evicted (empty otherwise), for the notice. */
  unsentBeforeEviction: readonly UnsentWrite[];
}

export const EngineContext = createContext<Engine | null>(null);

export function useEngine(): Engine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine() outside <EngineProvider>');
  return engine;
}

/** The sync client (for the data hooks). */
export function useSyncClient(): SyncClient {
  return useEngine().client;
}

/** Roles that may delete tasks (and manage projects): the shared permission table decides. */
export function canManage(role: Role): boolean {
  return can(role, 'delete', 'task');
}
