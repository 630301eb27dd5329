import { unreachable, type PushResponse } from '@outpost/shared';
import { applyCarried, type CarriedPage, type PushEchoes, type StoredMeta } from './carried';
import { MutationGapError } from './errors';
import type { SyncEvent } from './events';
import { ackThrough } from './outbox';
import { pullAll, type PullOptions } from './pull';
import type { OutboxEntry } from './db';
import { PUSH_BATCH_SIZE, pushBatch } from './push';
import { recoverFromOlderReplica, resolveGap } from './recovery';
import type { Mutex } from './mutex';
import type { Replica } from './replica';
import type { SyncTransport } from './transport';

export interface CycleOptions extends PullOptions {
  pushBatchSize?: number;
  /** Pull before pushing: on start, to learn whether the server knows more of this replica. */
  pullFirst: boolean;
  /** Pushing is paused (a mutation gap) until the user asks to sync again. */
  pushPaused: boolean;
  /** Pull after pushing (a timer ran out, Sync now, a poke without its changes, …). */
  pull: boolean;
  /**
   * The poke socket is up: what this cycle pushes comes back on it (with its changes, or as a
   * poke that asks for a pull), so pushing alone does not call for a pull.
   */
  pokesLive: boolean;
  /** Changes pokes carried since the last cycle, oldest first. */
  carried: readonly CarriedPage[];
  /** The replica's cursor as of the last applied page (-1: not known yet). */
  cursor: () => number;
  echoes: PushEchoes;
  /** `meta` as the last carried page left it: the next one is planned from it. */
  stored: StoredMeta;
  /** Held while pushing: the leader's push lane pushes too, never at the same time. */
  pushLock: Mutex;
  /** See `PushOptions.recordedByEcho`. */
  recordedByEcho?: (res: PushResponse) => boolean;
}

/**
 * One sync cycle, run by the leader's loop: apply what pokes carried, push the outbox, then
 * pull the log when something calls for it. A push that cannot go through does not stop the
 * pull (others' changes still arrive); its error is thrown after the pull. Yields what
 * happened (see `events.ts`).
 */
export async function* syncCycle(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: CycleOptions,
): AsyncGenerator<SyncEvent, void> {
  if (options.pullFirst) yield* pullAll(replica, transport, signal, options);
  let pull = options.pull && !options.pullFirst;
  if (options.carried.length > 0) {
    const gap = yield* applyCarried(replica, options.carried, options);
    pull ||= gap;
  }
  let pushError: { error: unknown } | null = null;
  let pushed = false;
  if (!options.pushPaused) {
    const release = await options.pushLock.acquire();
    try {
      for await (const event of pushAll(replica, transport, signal, options)) {
        pushed ||= event.type === 'pushed' || event.type === 'restored-copy';
        // A restored copy re-downloads from 0, which only a pull does.
        pull ||= event.type === 'restored-copy';
        yield event;
      }
    } catch (error) {
      if (signal.aborted) throw error;
      pushError = { error };
      pull = true;
    } finally {
      release();
    }
  }
  // Pushes whose changes came back before their answer did: acknowledge them now.
  const covered = options.echoes.take(options.cursor());
  if (covered !== null && (await ackThrough(replica, covered)) > 0) yield { type: 'acked' };
  if (pull || (pushed && !options.pokesLive)) yield* pullAll(replica, transport, signal, options);
  if (pushError) throw pushError.error;
}

/** Pushes batch after batch until the outbox is empty (the caller holds the push lock). */
export async function* pushAll(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: Pick<CycleOptions, 'pushBatchSize' | 'now' | 'recordedByEcho'> & {
    /** The oldest unsent entries, held in memory: the first push sends them without a read. */
    written?: readonly OutboxEntry[];
  },
): AsyncGenerator<SyncEvent, void> {
  const max = options.pushBatchSize;
  let written = options.written;
  for (;;) {
    if (signal.aborted) return;
    const outcome = await pushBatch(replica, transport, signal, {
      ...(max ? { max } : {}),
      now: options.now,
      ...(written ? { batch: written } : {}),
      ...(options.recordedByEcho ? { recordedByEcho: options.recordedByEcho } : {}),
    });
    const fromMemory = written !== undefined;
    written = undefined;
    switch (outcome.type) {
      case 'empty':
        return;
      case 'server-ahead':
        yield await recoverFromOlderReplica(replica, outcome.serverLastMutationId);
        continue;
      case 'failed': {
        yield { type: 'push-failed', record: outcome.record };
        const blocked =
          outcome.error instanceof MutationGapError
            ? await resolveGap(replica, outcome.error)
            : null;
        if (blocked) yield blocked;
        throw outcome.error;
      }
      case 'pushed':
        yield {
          type: 'pushed',
          record: outcome.record,
          rejected: outcome.rejected,
          settled: outcome.settled,
          cursor: outcome.cursor,
          lastMutationId: outcome.lastMutationId,
          tail: outcome.tail,
        };
        // The server processed nothing of this batch: stop rather than resend it forever.
        if (outcome.lastMutationId < outcome.record.mutations[0]!.id) return;
        // A short batch emptied the outbox as of its read; a write since then wakes the loop.
        // A batch from memory held what this tab wrote; a write elsewhere woke the leader.
        if (fromMemory || outcome.record.mutations.length < (max ?? PUSH_BATCH_SIZE)) return;
        continue;
      default:
        unreachable(outcome);
    }
  }
}
