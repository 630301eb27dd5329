import { useCallback, useState } from 'react';
import { reportClientError } from './report-error';

/**
 * Runs a local write and keeps its error for display. Local writes go to IndexedDB, so they
 * fail only on invalid input or a full disk — both worth telling the user in place.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      return true;
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      // A removed member's write: a toast already said why (engine/removed.ts).
      if (e.name === 'RemovedError') return false;
      if (e.name !== 'ValidationError') reportClientError(e, { where: 'local write' });
      setError(
        e.name === 'QuotaExceededError'
          ? 'This device is out of storage space: free some space and try again.'
          : e.message,
      );
      return false;
    }
  }, []);
  return { error, run, clear: () => setError(null) };
}
