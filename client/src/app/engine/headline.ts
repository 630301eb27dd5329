import { unreachable } from '@outpost/shared';
import type { DownloadProgress, SyncStatus } from '@outpost/sync';
import { count, whenLabel } from '../ui/format';

/**
 * The one sync state a person is shown at a time, derived purely from `SyncStatus` (itself
 * changed only through `statusReducer`). The first matching rule wins, so two states can
 * never show together; developer detail (the last error, storage) stays in the inspector.
 */
export type SyncHeadline =
  | { kind: 'action-needed'; reason: 'update-app' | 'sign-in' | 'server-outdated' }
  /** Removed from the org: what this device wrote and never sent waits here, unsent. */
  | { kind: 'action-needed'; reason: 'removed'; unsent: number }
  /**
   * Refused 403 `EMAIL_IN_USE`: another member of the org has this account's email under
   * another sign-in, so the server lets it in as no one. What it wrote waits here, unsent.
   */
  | { kind: 'action-needed'; reason: 'email-in-use'; unsent: number }
  /** `lastSynced`: when this device last completed a sync (null: never) — what it shows is as of then. */
  | { kind: 'offline'; unsent: number; lastSynced: number | null }
  | { kind: 'unreachable'; unsent: number; retryAt: number | null; lastSynced: number | null }
  | {
      kind: 'syncing';
      /** Changes still to send, or rows still to download during a multi-page pull. */
      left: number;
      download: DownloadView | null;
      /** This device has never completed a sync: its workspace is still arriving. */
      firstSync: boolean;
    }
  /**
   * Nothing left to send but changes held back on this device: deletes waiting out their undo
   * window (data/pending-deletes.ts), sent once it ends — not synced yet, and nothing is sending.
   */
  | { kind: 'held'; held: number }
  | { kind: 'synced'; at: number };

export type SyncHeadlineKind = SyncHeadline['kind'];

/** A download as a person reads it: "3,400 of 10,000 (34%) · about 20 s left". */
export interface DownloadView {
  done: number;
  total: number;
  /** Whole percent, floored (100 only when nothing is left). */
  percent: number;
  /** From the rate so far in this pull; null until a page has been timed. */
  etaMs: number | null;
}

export function downloadView(p: DownloadProgress): DownloadView {
  const done = p.kept + p.received;
  const total = done + p.remaining;
  const elapsed = p.at - p.startedAt;
  return {
    done,
    total,
    percent: total === 0 ? 100 : Math.floor((done / total) * 100),
    etaMs: p.received > 0 && elapsed > 0 ? Math.round((p.remaining * elapsed) / p.received) : null,
  };
}

/** Error names and codes that only signing in again fixes (after the first retry failed too). */
const SIGN_IN_CODES = new Set(['UNAUTHENTICATED']);
const SIGN_IN_NAMES = new Set(['AuthRequestError', 'NotSignedInError']);

/** A failure counts once the first retry failed too: one blip, fixed by a retry, is not news. */
export const SHOWN_AFTER_FAILURES = 2;

/**
 * `held`: changes this device holds back before they reach the outbox (deletes in their undo
 * window). Unsent all the same: counted with the outbox's, and never shown as synced.
 */
export function syncHeadline(s: SyncStatus, held = 0): SyncHeadline {
  const unsent = s.pending + held;
  if (s.protocol === 'client_too_old') return { kind: 'action-needed', reason: 'update-app' };
  // Not a blip that a retry may fix: shown at the first refusal.
  if (s.lastError?.code === 'MEMBER_REMOVED')
    return { kind: 'action-needed', reason: 'removed', unsent };
  // Nor is this: retrying (or signing in again as the same account) is refused alike.
  if (s.lastError?.code === 'EMAIL_IN_USE')
    return { kind: 'action-needed', reason: 'email-in-use', unsent };
  const lasting = s.failures >= SHOWN_AFTER_FAILURES && s.lastError !== null;
  if (
    lasting &&
    (SIGN_IN_CODES.has(s.lastError!.code ?? '') || SIGN_IN_NAMES.has(s.lastError!.name))
  )
    return { kind: 'action-needed', reason: 'sign-in' };
  if (!s.online) return { kind: 'offline', unsent, lastSynced: s.lastSyncedAt };
  if (s.protocol === 'server_too_old') return { kind: 'action-needed', reason: 'server-outdated' };
  if (lasting)
    return {
      kind: 'unreachable',
      unsent,
      retryAt: s.retryAt,
      lastSynced: s.lastSyncedAt,
    };
  const firstSync = s.setUp === false;
  if (s.download)
    return {
      kind: 'syncing',
      left: s.download.remaining,
      download: downloadView(s.download),
      firstSync,
    };
  if (s.pending > 0 || s.lastSyncedAt === null)
    return { kind: 'syncing', left: s.pending, download: null, firstSync };
  if (held > 0) return { kind: 'held', held };
  return { kind: 'synced', at: s.lastSyncedAt };
}

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

/** "in 8 s" / "in 2 min" / "now". */
function inTime(at: number, now: number): string {
  const s = Math.ceil((at - now) / 1000);
  if (s <= 0) return 'now';
  return s < 90 ? `in ${s} s` : `in ${Math.round(s / 60)} min`;
}

/** "just now" / "2 min ago" / "at 9:05 PM" / "yesterday at 9:05 PM" / "on Dec 2". */
export function syncedAgo(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (s < 45) return 'just now';
  if (s < 60 * 60) return `${Math.max(1, Math.round(s / 60))} min ago`;
  return whenLabel(at, now);
}

/** "about 20 s left" / "about 3 min left" / "a few seconds left". */
export function etaText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 5) return 'a few seconds left';
  if (s < 90) return `about ${Math.ceil(s / 5) * 5} s left`;
  return `about ${Math.round(s / 60)} min left`;
}

/** "3,400 of 10,000 (34%) · about 20 s left". */
export function downloadText(d: DownloadView): string {
  const eta = d.etaMs === null ? '' : ` · ${etaText(d.etaMs)}`;
  return `${count(d.done)} of ${count(d.total)} (${d.percent}%)${eta}`;
}

/**
 * " · last synced 25 min ago" when the device has not synced for a while (offline, or the
 * server out of reach): what is shown is as of then. Nothing in the first 45 s, when it reads the
 * same as a network lost a second ago.
 */
function lastSyncedText(at: number | null, now: number): string {
  const ago = at === null ? 'just now' : syncedAgo(at, now);
  return ago === 'just now' ? '' : ` · last synced ${ago}`;
}

/** The status line's words for a headline. */
export function headlineText(h: SyncHeadline, now: number): string {
  switch (h.kind) {
    case 'action-needed':
      return h.reason === 'update-app'
        ? 'Action needed — update the app (reload); unsent changes are kept'
        : h.reason === 'sign-in'
          ? 'Action needed — sign in again to keep syncing'
          : h.reason === 'removed'
            ? `Action needed — you were removed from this organization: ask an admin to add you again${
                // Said, or the changes written since look sent to someone who cannot sync them.
                h.unsent > 0 ? ` (${plural(h.unsent, 'unsent change')} kept on this device)` : ''
              }`
            : h.reason === 'email-in-use'
              ? `Action needed — another member of this organization has your email under another sign-in: sign in with that member\u2019s account, or ask an admin to remove that member so you can be added${
                  h.unsent > 0 ? ` (${plural(h.unsent, 'unsent change')} kept on this device)` : ''
                }`
              : 'Action needed — the server must be updated; changes stay on this device';
    case 'offline': {
      const text = h.unsent > 0 ? `Offline — ${plural(h.unsent, 'unsent change')}` : 'Offline';
      // Offline for a while, what is shown is as of the last sync: say when that was (a device
      // offline all afternoon otherwise reads the same as one that lost the network a second ago).
      return text + lastSyncedText(h.lastSynced, now);
    }
    case 'unreachable': {
      // What was written meanwhile is waiting here, as offline says: not lost, not sent.
      const waiting = h.unsent > 0 ? `${plural(h.unsent, 'unsent change')}, ` : '';
      const retry = h.retryAt === null ? 'soon' : inTime(h.retryAt, now);
      return `Can\u2019t reach server — ${waiting}retrying ${retry}${lastSyncedText(h.lastSynced, now)}`;
    }
    case 'syncing':
      if (h.firstSync)
        return h.download
          ? `Setting up this device — ${downloadText(h.download)}`
          : 'Setting up this device…';
      if (h.download) return `Syncing — ${downloadText(h.download)}`;
      return h.left > 0 ? `Syncing — ${count(h.left)} left` : 'Syncing…';
    case 'held':
      return `${plural(h.held, 'unsent change')} — sent when Undo closes`;
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
        : h.reason === 'removed'
          ? 'Checking again — syncing resumes once an admin adds you back.'
          : h.reason === 'email-in-use'
            ? 'Checking again — syncing starts once no other member has your email.'
            : 'Syncing can\u2019t continue until the app or server is updated.';
    case 'offline':
      return 'You\u2019re offline — changes will sync when the connection is back.';
    case 'unreachable':
      return 'Retrying now…';
    case 'syncing':
      return 'Already syncing — checking again now.';
    case 'held':
      return 'Checking for changes — a delete is sent once its Undo closes.';
    case 'synced':
      return 'Checking for changes…';
    default:
      return unreachable(h);
  }
}
