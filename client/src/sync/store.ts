/** A tiny external store: `useSyncExternalStore`-compatible subscribe/getSnapshot. */
export interface ReadableStore<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

export function createStore<T, A>(initial: T, reducer: (state: T, action: A) => T) {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): T => state,
    /** Every state change goes through here; listeners hear about it once, only if it changed. */
    dispatch(action: A): void {
      const next = reducer(state, action);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
  };
}
