import type { EnvironmentLike } from '@outpost/sync';

/**
 * A device's network switch: while off, its HTTP requests fail the way a dropped connection
 * does, and the engine hears `offline`/`online` like a browser's window events (going online
 * wakes the sync loop at once). The poke socket is left alone: a poke that arrives while
 * offline only causes a pull that fails and is retried.
 */
export interface Network {
  readonly fetch: typeof fetch;
  readonly environment: EnvironmentLike;
  set(online: boolean): void;
}

export function createNetwork(): Network {
  let online = true;
  const listeners = new Set<(event: 'online' | 'offline' | 'visible') => void>();
  return {
    fetch: (input, init) =>
      online ? fetch(input, init) : Promise.reject(new TypeError('fetch failed (offline)')),
    environment: {
      isOnline: () => online,
      subscribe(onChange) {
        listeners.add(onChange);
        return () => void listeners.delete(onChange);
      },
    },
    set(next) {
      if (next === online) return;
      online = next;
      for (const fn of listeners) fn(next ? 'online' : 'offline');
    },
  };
}
