import { activityPageSchema, type Activity } from '@outpost/shared';
import { useCallback, useRef, useState } from 'react';
import { useEngine } from '../../engine/context';

const PAGE = 50;
const TIMEOUT_MS = 15_000;

export type OlderState = 'idle' | 'loading' | 'offline' | 'failed' | 'end';

/**
 * Activity older than what this device keeps (the pull sends a recent window only), paged
 * from `GET /api/v1/activities?before=` on demand. Online only: offline it says so at once
 * instead of waiting, and a request never spins for more than 15 s.
 */
export function useOlderActivity(entityId?: string) {
  const { session } = useEngine();
  const [items, setItems] = useState<Activity[]>([]);
  const [state, setState] = useState<OlderState>('idle');
  const [error, setError] = useState<string | null>(null);
  /** How many entries the last page brought (announced to screen readers). */
  const [loaded, setLoaded] = useState(0);
  const busy = useRef(false);

  /** A page of entries older than `before` (without it, the newest) from the server. */
  const fetchPage = useCallback(
    async (before: number | undefined, limit: number) => {
      const token = await session.getToken();
      const query = new URLSearchParams({ limit: String(limit) });
      if (before !== undefined) query.set('before', String(before));
      if (entityId !== undefined) query.set('entityId', entityId);
      const res = await fetch(`/api/v1/activities?${query}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      return activityPageSchema.parse(await res.json());
    },
    [session, entityId],
  );

  const load = useCallback(
    /** Entries older than `before`; without it, the newest. */
    async (before?: number) => {
      if (busy.current) return;
      if (!navigator.onLine) {
        setState('offline');
        return;
      }
      busy.current = true;
      setState('loading');
      try {
        const page = await fetchPage(before, PAGE);
        setItems((prev) => [...prev, ...page.data]);
        setLoaded(page.data.length);
        setState(page.nextBefore === null ? 'end' : 'idle');
        setError(null);
      } catch (err) {
        const name = err instanceof Error ? err.name : '';
        // A failed fetch (TypeError) or a token that cannot be refreshed: no connection.
        if (!navigator.onLine || name === 'TypeError' || name === 'NetworkError') {
          setState('offline');
        } else {
          setState('failed');
          setError(name === 'TimeoutError' ? 'the server did not answer in time' : String(err));
        }
      } finally {
        busy.current = false;
      }
    },
    [fetchPage],
  );

  /**
   * Asks the server whether it keeps anything older than `before` (one entry, not shown): when
   * it keeps nothing, the feed ends ('end') instead of offering a button that would find
   * nothing — a new org's feed. Quiet: offline, or when the question fails, the button stays.
   */
  const probe = useCallback(
    async (before?: number) => {
      if (!navigator.onLine) return;
      try {
        const page = await fetchPage(before, 1);
        if (page.data.length === 0) setState((s) => (s === 'idle' ? 'end' : s));
      } catch {
        // The button stays; a click asks again and says what went wrong.
      }
    },
    [fetchPage],
  );

  return { items, state, error, loaded, load, probe };
}
