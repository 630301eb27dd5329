import { unreachable, type PushResponse } from '@outpost/shared';
import { applyCarried, type CarriedPage, type PushEchoes, type StoredMeta } from './carried';
import { MutationGapError } from './errors';
import type { SyncEvent } from './events';
import { pullAll, type PullOptions } from './pull';
import type { OutboxEntry } from './db';
import { appliedInFull, PUSH_BATCH_SIZE, sendBatch, settleBatch, type Sent } from './push';
import { ackThrough, unsentBatch } from './outbox';
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
  /** See `PushOptions.applyEcho`. */
  applyEcho?: (res: PushResponse) => Promise<boolean>;
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
  /** A restored copy re-downloads from 0, and a push that failed leaves gaps: a pull's job. */
  let mustPull = false;
  /** A push whose entries did not come back with its answer. */
  let unechoed = false;
  /**
   * The last push's entries came back with its answer and are applied: the replica holds
   * the log up to that push's commit, which came after this cycle began — what a pull asked
   * for before it would bring is here.
   */
  let caughtUp = false;
  if (!options.pushPaused) {
    const release = await options.pushLock.acquire();
    try {
      for await (const event of pushAll(replica, transport, signal, options)) {
        if (event.type === 'pushed') {
          unechoed ||= !event.echoed;
          caughtUp = event.echoed;
        }
        mustPull ||= event.type === 'restored-copy';
        yield event;
      }
    } catch (error) {
      if (signal.aborted) throw error;
      pushError = { error };
      mustPull = true;
    } finally {
      release();
    }
  }
  // Pushes whose changes came back before their answer did: acknowledge them now.
  const covered = options.echoes.take(options.cursor());
  if (covered !== null && (await ackThrough(replica, covered)) > 0) yield { type: 'acked' };
  if (mustPull || (pull && !caughtUp) || (unechoed && !options.pokesLive))
    yield* pullAll(replica, transport, signal, options);
  if (pushError) throw pushError.error;
}

/**
 * Pushes batch after batch until the outbox is empty (the caller holds the push lock). While
 * full batches follow, the next one is read while the one before is in flight and sent as
 * soon as that one is answered in full, before it is recorded: recording (applying its echo)
 * overlaps the server's work on the next. Still one push in flight at a time, in id order.
 */
export async function* pushAll(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: Pick<CycleOptions, 'pushBatchSize' | 'now' | 'recordedByEcho' | 'applyEcho'> & {
    /** The oldest unsent entries, held in memory: the first push sends them without a read. */
    written?: readonly OutboxEntry[];
  },
): AsyncGenerator<SyncEvent, void> {
  const max = options.pushBatchSize ?? PUSH_BATCH_SIZE;
  // A batch from memory holds what this tab wrote; a write elsewhere woke the leader.
  const fromMemory = options.written !== undefined;
  let batch = options.written ?? (await unsentBatch(replica, max));
  let sending: Promise<Sent> | null = null;
  for (;;) {
    if (signal.aborted || batch.length === 0) return;
    sending ??= sendBatch(replica, transport, signal, batch);
    const last = batch.at(-1)!.mutationId;
    // A short batch emptied the outbox as of its read; a write since then wakes the loop.
    const more = !fromMemory && batch.length === max;
    const reading = more ? unsentBatch(replica, max, last) : null;
    // Awaited only if the answer lets the next batch go; its failure then is the push's.
    reading?.catch(() => undefined);
    const sent = await sending;
    sending = null;
    let next: OutboxEntry[] | null = null;
    if (reading && 'res' in sent && appliedInFull(sent.res, batch.length, last)) {
      next = await reading;
      if (next.length > 0) sending = sendBatch(replica, transport, signal, next);
    }
    const outcome = await settleBatch(replica, batch, sent, options);
    switch (outcome.type) {
      case 'server-ahead':
        yield await recoverFromOlderReplica(replica, outcome.serverLastMutationId, options.now);
        batch = await unsentBatch(replica, max);
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
        yield outcome;
        // The server processed nothing of this batch: stop rather than resend it forever.
        if (outcome.lastMutationId < outcome.record.mutations[0]!.id) return;
        if (!more) return;
        batch = next ?? (await unsentBatch(replica, max));
        continue;
      default:
        unreachable(outcome);
    }
  }
}
