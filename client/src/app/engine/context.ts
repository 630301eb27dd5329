import { can, type Role } from '@outpost/shared';
import { createContext, useContext } from 'react';
import type { Session } from '../auth/session';
import type { Replica, SyncClient } from '@outpost/sync';
import type { UnsentWrite } from './unsent-journal';
import type { Edits, KeepingEdits, KeptUnsaved } from './kept-edits';
import type { CacheFreshness } from '../../data/cache-freshness';

/** The sync engine as the screens write through it: a field's save says what it edited from. */
export type AppClient = Omit<SyncClient, keyof Edits> & KeepingEdits;

/**
 * What every workspace screen and data hook needs: who is signed in, their replica, and the
 * sync engine. The one React context for the client.
 */
export interface Engine {
  session: Session;
  replica: Replica;
  client: AppClient;
  /** Unsent writes of a database the browser evicted (empty otherwise), for the notice. */
  unsentBeforeEviction: readonly UnsentWrite[];
  /**
   * Text typed as the page last closed that this start could not write (its task or project
   * deleted meanwhile, or refused): the screens that say what was not saved show it, to copy.
   */
  keptUnsaved: readonly KeptUnsaved[];
  /** Whether the query cache may be stored for the next start (`client`'s writes counted). */
  cacheFreshness: CacheFreshness;
}

export const EngineContext = createContext<Engine | null>(null);

export function useEngine(): Engine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine() outside <EngineProvider>');
  return engine;
}

/** The sync client (for the data hooks). */
export function useSyncClient(): AppClient {
  return useEngine().client;
}

/** Roles that may delete tasks (and manage projects): the shared permission table decides. */
export function canManage(role: Role): boolean {
  return can(role, 'delete', 'task');
}
