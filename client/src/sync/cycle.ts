import { unreachable } from '@outpost/shared';
import { MutationGapError } from './errors';
import type { SyncEvent } from './events';
import { pullAll, type PullOptions } from './pull';
import { pushBatch } from './push';
import { recoverFromOlderReplica, resolveGap } from './recovery';
import type { Replica } from './replica';
import type { SyncTransport } from './transport';

export interface CycleOptions extends PullOptions {
  pushBatchSize?: number;
  /** Pull before pushing: on start, to learn whether the server knows more of this replica. */
  pullFirst: boolean;
  /** Pushing is paused (a mutation gap) until the user asks to sync again. */
  pushPaused: boolean;
}

/**
 * One sync cycle, run by the leader's loop: push the outbox, then pull the log. A push that
 * cannot go through does not stop the pull (others' changes still arrive); its error is
 * thrown after the pull. Yields what happened (see `events.ts`).
 */
export async function* syncCycle(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: CycleOptions,
): AsyncGenerator<SyncEvent, void> {
  if (options.pullFirst) yield* pullAll(replica, transport, signal, options);
  let pushError: { error: unknown } | null = null;
  if (!options.pushPaused) {
    try {
      yield* pushAll(replica, transport, signal, options);
    } catch (error) {
      if (signal.aborted) throw error;
      pushError = { error };
    }
  }
  yield* pullAll(replica, transport, signal, options);
  if (pushError) throw pushError.error;
}

async function* pushAll(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: CycleOptions,
): AsyncGenerator<SyncEvent, void> {
  for (;;) {
    if (signal.aborted) return;
    const outcome = await pushBatch(replica, transport, signal, {
      ...(options.pushBatchSize ? { max: options.pushBatchSize } : {}),
      now: options.now,
    });
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
        yield { type: 'pushed', record: outcome.record, rejected: outcome.rejected };
        // The server processed nothing of this batch: stop rather than resend it forever.
        if (outcome.lastMutationId < outcome.record.mutations[0]!.id) return;
        continue;
      default:
        unreachable(outcome);
    }
  }
}
