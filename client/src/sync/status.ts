import { unreachable } from '@outpost/shared';
import type { SharedStatus } from './tabs';

export type ProtocolState = 'ok' | 'client_too_old' | 'server_too_old';

export interface SyncStatus {
  online: boolean;
  isLeader: boolean;
  /** Outbox entries not yet acknowledged by the server. */
  pending: number;
  /** Epoch ms of the last complete push + pull. */
  lastSyncedAt: number | null;
  lastError: { name: string; message: string; code: string | null; at: number } | null;
  /** Present while a pull runs to more than one page (a first sync, a long catch-up). */
  download: DownloadProgress | null;
  /**
   * This device has completed a sync once, so its workspace is here (an empty list is really
   * empty). False during a first sync, also after a reload mid-way; null until read at start.
   */
  setUp: boolean | null;
  protocol: ProtocolState;
  /** A push/pull cycle is running. */
  syncing: boolean;
  /** Cycles failed in a row since the last success (one is a blip: the first retry may fix it). */
  failures: number;
  /** When the loop tries again after a failure (epoch ms), null when not waiting on one. */
  retryAt: number | null;
}

/** How far a multi-page pull is, in rows (log entries, not activities). */
export interface DownloadProgress {
  /** Rows this device already had when the pull started (a first sync resumed after a reload). */
  kept: number;
  /** Rows stored by this pull so far. */
  received: number;
  /** Rows the server still has to send (its `remaining`). */
  remaining: number;
  /** When this pull started and when its last page was stored (epoch ms): the rate so far. */
  startedAt: number;
  at: number;
}

export type StatusAction =
  | { type: 'online'; online: boolean }
  | { type: 'leader'; isLeader: boolean }
  | { type: 'pending'; pending: number }
  | { type: 'syncStarted' }
  | { type: 'syncSucceeded'; at: number }
  | { type: 'syncFailed'; error: NonNullable<SyncStatus['lastError']> }
  /**
   * The server answered mid-cycle (a push acknowledged, a page stored): a run of failures is
   * over even while the rest of the cycle (a long pull-back) still runs.
   */
  | { type: 'reached' }
  | { type: 'download'; progress: DownloadProgress | null }
  | { type: 'protocol'; protocol: ProtocolState }
  /** The loop scheduled its next attempt after a failure (null: no retry is scheduled). */
  | { type: 'retryAt'; at: number | null }
  /** The last sync time this database remembers, at start (null: it never completed one). */
  | { type: 'restored'; lastSyncedAt: number | null }
  /** A follower tab adopts the leader's view of the network side (`tabs.ts`). */
  | { type: 'fromLeader'; status: SharedStatus };

export const initialStatus = (online: boolean): SyncStatus => ({
  online,
  isLeader: false,
  pending: 0,
  lastSyncedAt: null,
  lastError: null,
  download: null,
  setUp: null,
  protocol: 'ok',
  syncing: false,
  failures: 0,
  retryAt: null,
});

/**
 * The protocol state after an answer says `next`. "Client too old" (the server's word, or this
 * tab's database upgraded by a newer tab and closed for good) is left only by a reload: a cycle
 * that was already running when it was said, or a leader's older status, succeeding after it
 * does not make this code new again (it showed "Synced" beside "update the app").
 */
const protocolAfter = (state: SyncStatus, next: ProtocolState): ProtocolState =>
  state.protocol === 'client_too_old' ? state.protocol : next;

/** The state with one field set: itself when the field already holds the value. */
function set<K extends keyof SyncStatus>(
  state: SyncStatus,
  key: K,
  value: SyncStatus[K],
): SyncStatus {
  return state[key] === value ? state : { ...state, [key]: value };
}

export function statusReducer(state: SyncStatus, action: StatusAction): SyncStatus {
  switch (action.type) {
    case 'online':
      // Failures while offline were the network's: back online they are not news (the loop
      // tries again at once), so "Can't reach server" does not flash before it answers. Any
      // other failure (a refusal, a sign-in) stays until an answer ends the run.
      if (action.online && !state.online && state.lastError?.name === 'NetworkError')
        return { ...state, online: true, failures: 0, lastError: null, retryAt: null };
      return set(state, 'online', action.online);
    case 'leader':
      return set(state, 'isLeader', action.isLeader);
    case 'pending':
      return set(state, 'pending', action.pending);
    case 'syncStarted':
      return set(state, 'syncing', true);
    case 'syncSucceeded':
      return {
        ...state,
        syncing: false,
        lastSyncedAt: action.at,
        // A cycle that ends on its first page reports no progress: the download is over anyway.
        download: null,
        setUp: true,
        lastError: null,
        protocol: protocolAfter(state, 'ok'),
        failures: 0,
        retryAt: null,
      };
    case 'reached':
      return state.failures === 0 && state.lastError === null && state.retryAt === null
        ? state
        : { ...state, lastError: null, failures: 0, retryAt: null };
    case 'syncFailed':
      return { ...state, syncing: false, lastError: action.error, failures: state.failures + 1 };
    case 'retryAt':
      return set(state, 'retryAt', action.at);
    case 'download':
      return { ...state, download: action.progress };
    case 'protocol':
      return set(state, 'protocol', action.protocol);
    case 'restored':
      return {
        ...state,
        lastSyncedAt: action.lastSyncedAt ?? state.lastSyncedAt,
        setUp: state.setUp === true || action.lastSyncedAt !== null,
      };
    case 'fromLeader':
      return {
        ...state,
        ...action.status,
        protocol: protocolAfter(state, action.status.protocol),
        // The leader completed a sync of this same database, so it is set up here too.
        setUp: state.setUp === true || action.status.lastSyncedAt !== null ? true : state.setUp,
      };
    default:
      return unreachable(action);
  }
}
