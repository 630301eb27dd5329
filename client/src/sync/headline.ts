import { unreachable } from '@outpost/shared';
import type { SyncStatus } from './status';

/**
 * The one sync state a person is shown at a time, derived purely from `SyncStatus` (itself
 * changed only through `statusReducer`). The first matching rule wins, so two states can
 * never show together; developer detail (the last error, storage) stays in the inspector.
 */
export type SyncHeadline =
  | { kind: 'action-needed'; reason: 'update-app' | 'sign-in' | 'server-outdated' }
  | { kind: 'offline'; unsent: number }
  | { kind: 'unreachable'; unsent: number; retryAt: number | null }
  | {
      kind: 'syncing';
      /** Changes still to send, or rows still to download during a first sync. */
      left: number;
      download: { done: number; total: number } | null;
    }
  | { kind: 'synced'; at: number };

export type SyncHeadlineKind = SyncHeadline['kind'];

/** Error names and codes that only signing in again fixes (after the first retry failed too). */
const SIGN_IN_CODES = new Set(['UNAUTHENTICATED']);
const SIGN_IN_NAMES = new Set(['AuthRequestError', 'NotSignedInError']);

/** A failure counts once the first retry failed too: one blip, fixed by a retry, is not news. */
export const SHOWN_AFTER_FAILURES = 2;

export function syncHeadline(s: SyncStatus): SyncHeadline {
  if (s.protocol === 'client_too_old') return { kind: 'action-needed', reason: 'update-app' };
  const lasting = s.failures >= SHOWN_AFTER_FAILURES && s.lastError !== null;
  if (
    lasting &&
    (SIGN_IN_CODES.has(s.lastError!.code ?? '') || SIGN_IN_NAMES.has(s.lastError!.name))
  )
    return { kind: 'action-needed', reason: 'sign-in' };
  if (!s.online) return { kind: 'offline', unsent: s.pending };
  if (s.protocol === 'server_too_old') return { kind: 'action-needed', reason: 'server-outdated' };
  if (lasting) return { kind: 'unreachable', unsent: s.pending, retryAt: s.retryAt };
  if (s.initialSync)
    return {
      kind: 'syncing',
      left: Math.max(0, s.initialSync.total - s.initialSync.done),
      download: s.initialSync,
    };
  if (s.pending > 0 || s.lastSyncedAt === null)
    return { kind: 'syncing', left: s.pending, download: null };
  return { kind: 'synced', at: s.lastSyncedAt };
}

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** "in 8 s" / "in 2 min" / "now". */
function inTime(at: number, now: number): string {
  const s = Math.ceil((at - now) / 1000);
  if (s <= 0) return 'now';
  return s < 90 ? `in ${s} s` : `in ${Math.round(s / 60)} min`;
}

/** "just now" / "2 min ago" / a time of day. */
export function syncedAgo(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (s < 45) return 'just now';
  if (s < 60 * 60) return `${Math.max(1, Math.round(s / 60))} min ago`;
  return `at ${new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

/** The status line's words for a headline. */
export function headlineText(h: SyncHeadline, now: number): string {
  switch (h.kind) {
    case 'action-needed':
      return h.reason === 'update-app'
        ? 'Action needed — update the app (reload); unsent changes are kept'
        : h.reason === 'sign-in'
          ? 'Action needed — sign in again to keep syncing'
          : 'Action needed — the server must be updated; changes stay on this device';
    case 'offline':
      return h.unsent > 0 ? `Offline — ${plural(h.unsent, 'unsent change')}` : 'Offline';
    case 'unreachable':
      return `Can\u2019t reach server — retrying ${h.retryAt === null ? 'soon' : inTime(h.retryAt, now)}`;
    case 'syncing':
      if (h.download) return `Syncing — ${count(h.download.done)} of ${count(h.download.total)}`;
      return h.left > 0 ? `Syncing — ${count(h.left)} left` : 'Syncing…';
    case 'synced':
      return `Synced ${syncedAgo(h.at, now)}`;
    default:
      return unreachable(h);
  }
}

/** What "Sync now" answers in each state, so the button never seems to do nothing. */
export function syncNowFeedback(h: SyncHeadline): string {
  switch (h.kind) {
    case 'action-needed':
      return h.reason === 'sign-in'
        ? 'Trying again — if it fails, sign in again.'
        : 'Syncing can\u2019t continue until the app or server is updated.';
    case 'offline':
      return 'You\u2019re offline — changes will sync when the connection is back.';
    case 'unreachable':
      return 'Retrying now…';
    case 'syncing':
      return 'Already syncing — checking again now.';
    case 'synced':
      return 'Checking for changes…';
    default:
      return unreachable(h);
  }
}
