import { PROTOCOL_VERSION, unreachable, type PullResponse } from '@outpost/shared';
import { activityNotices } from './activity-notices';
import { applyPullPage } from './mirror';
import { ackThrough, countUnsent, renumberUnsent } from './outbox';
import { pushBatch } from './push';
import { applySnapshot } from './resync';
import {
  BadCursorError,
  ResyncRequiredError,
  describeError,
  isQuotaError,
  MutationGapError,
} from './errors';
import { getMeta, setMeta } from './meta';
import type { Notice, PushRecord } from './notices';
import type { Replica } from './replica';
import { writeSentinel } from './sentinel';
import type { StatusAction } from './status';
import { sleep, type Timers } from './timers';
import type { SyncTransport } from './transport';

export interface CycleDeps {
  replica: Replica;
  transport: SyncTransport;
  now: () => number;
  timers: Timers;
  pushBatchSize: number;
  pullLimit: number;
  raise: (kind: Notice['kind'], message: string, detail: unknown, id?: string) => void;
  dispatch: (action: StatusAction) => void;
  recordPush: (record: PushRecord) => void;
}

/**
 * One sync cycle's steps, run by the leader's loop (`client.ts`): push the outbox, pull the
 * log in pages, acknowledge and rebase, and recover when the database and the server disagree
 * about what this client has sent.
 */
export function createSyncCycle(d: CycleDeps) {
  const { replica, transport, now, timers, pushBatchSize, pullLimit, raise, dispatch } = d;
  const ctx = () => ({ userId: replica.userId });
  let gapBlocked = false;

  // ---- push -----------------------------------------------------------------------------
  async function pushAll(signal: AbortSignal): Promise<void> {
    if (gapBlocked) return;
    for (;;) {
      if (signal.aborted) return;
      const outcome = await pushBatch(replica, transport, signal, { max: pushBatchSize, now });
      switch (outcome.type) {
        case 'empty':
          return;
        case 'server-ahead':
          await recoverFromOlderReplica(outcome.serverLastMutationId, signal);
          continue;
        case 'failed':
          d.recordPush(outcome.record);
          if (outcome.error instanceof MutationGapError) await handleGap(outcome.error);
          throw outcome.error;
        case 'pushed':
          d.recordPush(outcome.record);
          for (const { entry: e, result: r } of outcome.rejected) {
            raise(
              'rejected',
              `The server refused ${describeMutation(e.mutation.type)}: ${r?.reason ?? 'no reason given'}. The change was undone.`,
              { mutation: e.mutation, code: r?.code ?? null, reason: r?.reason ?? null },
              `rejected:${replica.clientId}:${e.mutationId}`,
            );
          }
          await refreshPending();
          // The server processed nothing of this batch: stop rather than resend it forever.
          if (outcome.lastMutationId < outcome.record.mutations[0]!.id) return;
          break;
        default:
          unreachable(outcome);
      }
    }
  }

  async function handleGap(err: MutationGapError): Promise<void> {
    const vanished = await getMeta(replica.db, 'vanished');
    if (vanished && err.expected !== null) {
      // Known eviction: mutations the old database had not sent are gone; continue after
      // what the server has.
      await renumberUnsent(replica, err.expected);
      return;
    }
    gapBlocked = true;
    raise(
      'sync-blocked',
      'The server has not received some of this device\u2019s earlier changes (it may have been restored from a backup). Sending is paused so nothing is applied out of order.',
      { expected: err.expected },
      `gap:${err.expected}`,
    );
  }

  // ---- pull -----------------------------------------------------------------------------
  async function pullAll(signal: AbortSignal): Promise<void> {
    let cursor = (await getMeta(replica.db, 'cursor')) ?? 0;
    let horizon = (await getMeta(replica.db, 'purgeHorizon')) ?? 0;
    // While a resync downloads the live snapshot, its pages are held here and applied at the
    // end in one transaction (until then the replica stays as it was, at its old cursor).
    let snapshot: PullResponse['changes'] | null = null;
    let reset = false;
    let start = cursor;
    let first = true;
    let last: PullResponse | null = null;
    let pages = 0;
    for (;;) {
      if (signal.aborted) return;
      let page: PullResponse;
      try {
        page = await transport.pull(
          {
            protocolVersion: PROTOCOL_VERSION,
            clientId: replica.clientId,
            cursor,
            limit: pullLimit,
            purgeHorizon: horizon,
          },
          { ...ctx(), signal },
        );
      } catch (err) {
        if (err instanceof BadCursorError && cursor !== 0) {
          // Our cursor is ahead of the server's log (server restored): start over.
          cursor = 0;
          start = 0;
          reset = true;
          continue;
        }
        if (err instanceof ResyncRequiredError && cursor !== 0) {
          // Deletions we never received were purged: re-download the live rows, keep the
          // outbox (rebased on top as always), then drop the rows the snapshot lacks.
          snapshot = [];
          cursor = 0;
          start = 0;
          continue;
        }
        throw err;
      }
      if (first) {
        first = false;
        const restart = await checkReplicaAgainstServer(page.lastMutationId, signal);
        if (restart && cursor !== 0) {
          cursor = 0;
          start = 0;
          reset = true;
          continue;
        }
        if (restart) reset = true;
      }
      try {
        if (snapshot) snapshot.push(...page.changes);
        if (snapshot && !page.hasMore)
          await applySnapshot(replica, { ...page, changes: snapshot }, { reset, now });
        else if (!snapshot) await applyPullPage(replica, page, { reset, now });
      } catch (err) {
        if (isQuotaError(err)) quotaNotice(err);
        throw err;
      }
      reset = false;
      if (start > 0)
        for (const n of activityNotices(page, replica)) raise(n.kind, n.message, n.detail, n.id);
      cursor = page.cursor;
      horizon = page.purgeHorizon;
      last = page;
      pages++;
      if (page.hasMore || pages > 1) {
        const total = Math.max(page.headCursor - start, 1);
        dispatch({
          type: 'initialSync',
          progress: page.hasMore ? { done: Math.min(cursor - start, total), total } : null,
        });
      }
      if (!page.hasMore) break;
      // Yield between pages so a large initial sync never blocks the UI for long.
      await sleep(timers, 0, signal);
    }
    if (last) {
      await ackThrough(replica, last.lastMutationId);
      await refreshPending();
    }
  }

  /** True when the local state must be rebuilt from cursor 0. */
  async function checkReplicaAgainstServer(
    serverLast: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    const vanished = await getMeta(replica.db, 'vanished');
    if (vanished) {
      const lost = Math.max(0, vanished.lastMutationId - serverLast);
      await renumberUnsent(replica, serverLast + 1);
      await replica.db.meta.delete('vanished');
      syncSentinel();
      raise(
        'evicted',
        lost > 0
          ? `This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server, but ${lost} change${lost === 1 ? '' : 's'} made on this device that had not been sent yet ${lost === 1 ? 'was' : 'were'} lost.`
          : 'This browser cleared Outpost\u2019s offline data. Everything was downloaded again from the server; no unsent changes were lost.',
        { lostChanges: lost, serverLastMutationId: serverLast },
      );
      return true;
    }
    const localLast = (await getMeta(replica.db, 'lastMutationId')) ?? 0;
    if (serverLast > localLast) {
      await recoverFromOlderReplica(serverLast, signal);
      return true;
    }
    return false;
  }

  async function recoverFromOlderReplica(serverLast: number, _signal: AbortSignal): Promise<void> {
    const kept = await renumberUnsent(replica, serverLast + 1);
    await setMeta(replica.db, 'cursor', 0);
    syncSentinel();
    raise(
      'evicted',
      `This device\u2019s offline data was older than the server\u2019s record of it (restored or partly cleared). It is being downloaded again.${kept > 0 ? ` ${kept} unsent change${kept === 1 ? ' is' : 's are'} kept and will be sent.` : ''} Changes made on this device after that copy was taken and never sent cannot be recovered.`,
      { serverLastMutationId: serverLast, keptChanges: kept },
    );
  }

  function syncSentinel(): void {
    if (!replica.sentinel) return;
    void getMeta(replica.db, 'lastMutationId').then((last) => {
      if (replica.sentinel)
        writeSentinel(replica.sentinel, replica.userId, {
          clientId: replica.clientId,
          lastMutationId: last ?? 0,
        });
    });
  }

  function quotaNotice(err: unknown): void {
    raise(
      'quota',
      'The device is out of storage space for Outpost\u2019s offline data. Free some space; changes may not be saved.',
      { error: describeError(err) },
      'quota',
    );
  }

  async function refreshPending(): Promise<void> {
    dispatch({ type: 'pending', pending: await countUnsent(replica) });
  }

  return {
    pushAll,
    pullAll,
    refreshPending,
    quotaNotice,
    /** Lets a push paused by a mutation gap try again (`syncNow`). */
    unblock(): void {
      gapBlocked = false;
    },
  };
}

function describeMutation(type: string): string {
  const [entity, kind] = type.split('.');
  const verb = kind === 'create' ? 'creating' : kind === 'update' ? 'editing' : 'deleting';
  return `${verb} a ${entity}`;
}
