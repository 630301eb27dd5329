import { liveQuery } from 'dexie';
import { useEffect, useState, type DependencyList } from 'react';

/**
 * Dexie's liveQuery as React state, for the few screens that read engine tables directly
 * (the sync inspector's outbox). `undefined` until the first result.
 */
export function useLiveQuery<T>(
  query: () => Promise<T>,
  deps: DependencyList,
): { data: T | undefined; error: Error | null } {
  const [state, setState] = useState<{ data: T | undefined; error: Error | null }>({
    data: undefined,
    error: null,
  });
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (data) => setState({ data, error: null }),
      error: (err: unknown) =>
        setState((s) => ({
          data: s.data,
          error: err instanceof Error ? err : new Error(String(err)),
        })),
    });
    return () => sub.unsubscribe();
  }, deps);
  return state;
}
