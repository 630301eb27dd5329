import { PROTOCOL_VERSION, type PushResponse } from '@outpost/shared';
import { describeError } from './errors';
import type { OutboxEntry } from './db';
import type { PushRecord } from './notices';
import { recordAttempt, settlePush, unsentBatch, type Rejection } from './outbox';
import type { Replica } from './replica';
import type { SyncTransport } from './transport';

/** Mutations per push (≤ 500 by protocol). */
export const PUSH_BATCH_SIZE = 100;

export type PushOutcome =
  /** Nothing unsent. */
  | { type: 'empty' }
  /** The server answered; acks and rejections are recorded. */
  | {
      type: 'pushed';
      record: PushRecord;
      rejected: Rejection[];
      /** How many of the batch's mutations this answer took from unsent (acked or rejected). */
      settled: number;
      lastMutationId: number;
      /** The answer ended at the end of this record (seq, last id): see `Settled`. */
      tail: { seq: number; id: number } | null;
      /** The org's head right after this push committed. */
      cursor: number;
      /** The answer's own entries (`echo`) were applied with its ack: no pull brings them. */
      echoed: boolean;
    }
  /** No answer (or an error answer); the entries stay unsent. */
  | { type: 'failed'; record: PushRecord; error: unknown }
  /**
   * The server has processed mutation ids this database never assigned: the database is older
   * than the server's record of it (restored from a copy, or partly cleared). Nothing was
   * acked — taking that answer as an ack would drop real writes as "duplicates".
   */
  | { type: 'server-ahead'; serverLastMutationId: number };

export interface PushOptions {
  now?: () => number;
  /**
   * Whether this answer is recorded by its echo instead: asked only of an answer that applied
   * the whole batch; true when the caller already holds the page that brings it back and
   * applies it next, taking the batch out of the outbox in that page's own transaction
   * (`applyPage`'s `settled`). Nothing is written here then — recording it first was one more
   * read-write transaction per push, which the echo's waited for.
   */
  recordedByEcho?: (res: PushResponse) => boolean;
  /**
   * Applies the answer's `echo` (its own log entries) with the ack of its batch, in one
   * transaction, asked only of an answer that applied the whole batch: true when applied
   * (nothing is recorded here then), false when the echo does not continue the replica's
   * cursor — the answer is recorded as usual, and a pull brings the rows back.
   */
  applyEcho?: (res: PushResponse) => Promise<boolean>;
}

/**
 * Pushes the oldest unsent outbox entries once and records the answer. The one push path:
 * the leader tab's sync loop and the service worker's Background Sync replay both call it,
 * so every guard here protects both. Throws only when `signal` aborts.
 */
export async function pushBatch(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  options: PushOptions = {},
): Promise<PushOutcome> {
  const batch = await unsentBatch(replica, PUSH_BATCH_SIZE);
  if (batch.length === 0) return { type: 'empty' };
  return settleBatch(replica, batch, await sendBatch(replica, transport, signal, batch), options);
}

/** A push's answer, or why there is none; `aborted`: `signal` aborted (nothing to record). */
export type Sent = { res: PushResponse } | { error: unknown; aborted: boolean };

/** Sends `batch` (never rejects: an error comes back as `Sent`). */
export async function sendBatch(
  replica: Replica,
  transport: SyncTransport,
  signal: AbortSignal,
  batch: readonly OutboxEntry[],
): Promise<Sent> {
  try {
    const res = await transport.push(
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId: replica.clientId,
        mutations: batch.map((e) => e.mutation),
      },
      { userId: replica.userId, signal },
    );
    return { res };
  } catch (error) {
    return { error, aborted: signal.aborted };
  }
}

/** Records what `sent` says of `batch` (`pushBatch`'s second half). Throws if it aborted. */
export async function settleBatch(
  replica: Replica,
  batch: readonly OutboxEntry[],
  sent: Sent,
  options: PushOptions = {},
): Promise<Exclude<PushOutcome, { type: 'empty' }>> {
  const now = options.now ?? Date.now;
  const mutations = batch.map((e) => ({
    id: e.mutationId,
    type: e.mutation.type,
    entityId: e.entityId,
  }));
  if (!('res' in sent)) {
    if (sent.aborted) throw sent.error;
    const message = describeError(sent.error);
    await recordAttempt(replica, batch, message);
    return {
      type: 'failed',
      error: sent.error,
      record: { at: now(), mutations, results: [], error: message },
    };
  }
  const { res } = sent;
  const last = batch.at(-1)!;
  // Applied in full: this database assigned every id the answer names (never server-ahead),
  // and the whole batch, unsent as read, leaves the unsent count.
  const inFull = appliedInFull(res, batch.length, last.mutationId);
  const byEcho = inFull && options.recordedByEcho?.(res) === true;
  const echoed = inFull && !byEcho && !!res.echo && (await options.applyEcho?.(res)) === true;
  const settled =
    byEcho || echoed
      ? { rejected: [], settled: batch.length }
      : await settlePush(replica, res, batch[0]!.mutationId);
  if (settled === null) return { type: 'server-ahead', serverLastMutationId: res.lastMutationId };
  return {
    type: 'pushed',
    rejected: settled.rejected,
    settled: settled.settled,
    // Known from the batch, whichever of this answer and its echo is recorded first.
    tail:
      last.closes && res.lastMutationId === last.mutationId
        ? { seq: last.seq, id: last.mutationId }
        : null,
    lastMutationId: res.lastMutationId,
    cursor: res.cursor,
    echoed,
    record: { at: now(), mutations, results: res.results, error: null },
  };
}

/** The server applied every mutation of a batch of `size` ending at `lastId`, and only them. */
export function appliedInFull(res: PushResponse, size: number, lastId: number): boolean {
  return (
    res.lastMutationId === lastId &&
    res.results.length === size &&
    res.results.every((r) => r.status === 'applied')
  );
}
