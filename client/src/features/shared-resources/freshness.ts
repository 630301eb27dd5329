export interface FreshnessInput {
  /** Any loaded page said `stale: true`; the oldest such age. */
  staleAgeMs: number | null;
  online: boolean;
  /** The last refresh failed but earlier pages are still shown. */
  refreshFailed: boolean;
  hasData: boolean;
}

export type Freshness =
  { kind: 'live' } | { kind: 'offline'; text: string } | { kind: 'stale'; text: string };

/**
 * What the label over the list says. "Offline copy" when the device is offline (pages come from
 * the query cache or the service worker's copy); "Stale copy" when the server itself answered
 * with its last good copy because the source is down, or a refresh failed.
 */
export function freshnessOf(input: FreshnessInput): Freshness {
  if (!input.hasData) return { kind: 'live' };
  if (!input.online)
    return { kind: 'offline', text: 'Offline copy — showing resources you viewed before' };
  if (input.staleAgeMs !== null)
    return {
      kind: 'stale',
      text: `Stale copy — the source is unavailable; data from ${ago(input.staleAgeMs)}`,
    };
  if (input.refreshFailed)
    return { kind: 'stale', text: 'Stale copy — could not refresh; showing the last loaded data' };
  return { kind: 'live' };
}

export function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return 'less than a minute ago';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}
