import { hasCurrentAccount } from '../auth/accounts-key';

// The workspace (sync engine, Dexie, TanStack Query) is its own chunk: a first visit paints the
// sign-in form without waiting for it.
let loading: ReturnType<typeof load> | null = null;
const load = () => import('./Workspace');

/** The workspace's chunk, fetched and run once (a failed load is tried again on the next call). */
export function loadWorkspace(): ReturnType<typeof load> {
  loading ??= load().catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

/**
 * Someone is signed in on this device: the workspace is the first screen, so its chunk is asked
 * for before the rest of the app's code runs (React, the shell) rather than once React first
 * renders — a returning person's boot waited ~0.3 s more for it (docs/performance.md).
 */
export function loadWorkspaceIfSignedIn(storage: Pick<Storage, 'getItem'> | null): void {
  if (storage && hasCurrentAccount(storage)) loadWorkspace().catch(() => undefined);
}
