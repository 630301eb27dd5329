import { unreachable } from '@outpost/shared';
import { createCredentialKeeper } from './credentials';
import { HttpError, ProtocolVersionError, SyncError } from './errors';
import type { SyncEvent } from './events';
import type { StepResult } from './loop';
import { setMeta } from './meta';
import { noticesFor, noticesForError, type NoticeDraft } from './notice-text';
import type { NoticesAction } from './notices';
import { countUnsent } from './outbox';
import { syncCycle } from './cycle';
import type { Replica } from './replica';
import type { StatusAction, SyncStatus } from './status';
import type { Timers } from './timers';
import type { SyncTransport } from './transport';

export interface RunnerDeps {
  replica: Replica;
  transport: SyncTransport;
  now: () => number;
  timers: Timers;
  pushBatchSize: number;
  pullLimit: number;
  status: { getSnapshot(): SyncStatus; dispatch(action: StatusAction): void };
  notices: { dispatch(action: NoticesAction): void };
  /** Raises notices in this tab and shares them with the others. */
  raise: (drafts: readonly NoticeDraft[]) => void;
  /** The replica's cursor after each applied page. */
  onCursor?: (cursor: number) => void;
}

/**
 * The leader's sync step: runs one cycle and reports what it did — status through the
 * reducer, notices from the returned events and errors — then tells the loop when to run
 * again. Also where credential upkeep happens (after a successful sync).
 */
export function createRunner(d: RunnerDeps) {
  const { replica, status } = d;
  const who = { userId: replica.userId, clientId: replica.clientId };
  const credential = createCredentialKeeper(replica, d.transport, d.now);
  let pushPaused = false;
  let pullFirst = true;

  async function refreshPending(): Promise<void> {
    status.dispatch({ type: 'pending', pending: await countUnsent(replica) });
  }

  async function report(event: SyncEvent): Promise<void> {
    switch (event.type) {
      case 'pushed':
        d.notices.dispatch({ type: 'pushed', record: event.record });
        await refreshPending();
        break;
      case 'push-failed':
        d.notices.dispatch({ type: 'pushed', record: event.record });
        break;
      case 'push-blocked':
        pushPaused = true;
        break;
      case 'pulled':
        d.onCursor?.(event.page.cursor);
        if (event.progress !== undefined)
          status.dispatch({ type: 'download', progress: event.progress });
        break;
      case 'acked':
      case 'resynced':
        await refreshPending();
        break;
      case 'restored-copy':
      case 'evicted':
        break;
      default:
        unreachable(event);
    }
    d.raise(noticesFor(event, who));
  }

  return {
    /** Starts a new leadership: pull before pushing, to learn what the server knows of us. */
    reset(): void {
      pullFirst = true;
    },
    /** Lets a push paused by a mutation gap try again (`syncNow`). */
    unpause(): void {
      pushPaused = false;
    },

    async step(signal: AbortSignal): Promise<StepResult> {
      if (status.getSnapshot().protocol === 'client_too_old') return 'stop'; // Only an update helps.
      status.dispatch({ type: 'syncStarted' });
      try {
        const events = syncCycle(replica, d.transport, signal, {
          pullFirst,
          pushPaused,
          pushBatchSize: d.pushBatchSize,
          limit: d.pullLimit,
          now: d.now,
          timers: d.timers,
        });
        for await (const event of events) await report(event);
        pullFirst = false;
        if (signal.aborted) return 'ok';
        // Strictly increasing, so "a sync completed after X" is observable.
        const at = Math.max(d.now(), (status.getSnapshot().lastSyncedAt ?? 0) + 1);
        await setMeta(replica.db, 'lastSyncedAt', at);
        status.dispatch({ type: 'syncSucceeded', at });
        credential.check();
        return 'ok';
      } catch (err) {
        if (signal.aborted) return 'ok';
        status.dispatch({ type: 'syncFailed', error: describeFailure(err, d.now()) });
        d.raise(noticesForError(err));
        if (err instanceof ProtocolVersionError) {
          status.dispatch({ type: 'protocol', protocol: err.which });
          return err.which === 'client_too_old' ? 'stop' : 'wait';
        }
        return err instanceof SyncError && err.retryable ? 'retry' : 'refused';
      }
    },
  };
}

function describeFailure(err: unknown, at: number): NonNullable<SyncStatus['lastError']> {
  return {
    name: err instanceof Error ? err.name : 'Error',
    message: err instanceof Error ? err.message : String(err),
    code: err instanceof HttpError ? err.code : null,
    at,
  };
}
