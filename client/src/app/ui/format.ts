/** "just now", "5 min ago", "3 h ago", else a date: short enough for a 360 px status bar. */
export function relativeTime(at: number | string | Date, now: number = Date.now()): string {
  const t = typeof at === 'number' ? at : new Date(at).getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

/** Shows any JSON-ish value briefly (conflict losers can be strings, null, dates …). */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '(empty)';
  if (typeof v === 'string') return v === '' ? '(empty)' : `“${v}”`;
  return JSON.stringify(v);
}

/**
 * The value that won a conflict. The server records it as `to`; when it is absent the winner
 * was an empty value (a winning clock exists) or the row's deletion (no winning clock).
 */
export function keptValue(change: { to?: unknown; wonHlc?: string | undefined }): string {
  if (change.to !== undefined) return showValue(change.to);
  return change.wonHlc ? '(empty)' : '(the row was deleted)';
}
