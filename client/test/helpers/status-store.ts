import type { SyncStatus } from '@outpost/sync';

/** A sync status store as the engine's: listeners told synchronously on every change. */
export function statusStore(initial: Partial<SyncStatus>) {
  let value = { pending: 0, setUp: true, protocol: 'ok', ...initial } as SyncStatus;
  const listeners = new Set<() => void>();
  return {
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => value,
    set(patch: Partial<SyncStatus>) {
      value = { ...value, ...patch };
      for (const l of [...listeners]) l();
    },
  };
}

export type StatusStore = ReturnType<typeof statusStore>;
