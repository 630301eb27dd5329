import Dexie from 'dexie';
import type { MutationResult, PushResponse } from '@outpost/shared';
import type { OutboxEntry } from './db';
import { parseMetas } from './meta';
import { groupPending, rebaseRows, refsOf } from './mirror';
import type { Replica } from './replica';

/**
 * The outbox: local mutations waiting for the server. An entry is *unsent* (`acked: 0`) until
 * a push answer covers it, then *acked* (`acked: 1`) and kept — rebase keeps re-applying it,
 * which is idempotent — until a pull brings its effect into the server state; then it leaves.
 * Each function is one transaction.
 */

/** Entries still to send, oldest first. */
export async function unsentBatch(replica: Replica, max: number): Promise<OutboxEntry[]> {
  return replica.db.outbox.where('acked').equals(0).limit(max).sortBy('mutationId');
}

/**
 * Unsent entries always form one contiguous id range (ids are assigned consecutively and the
 * server acknowledges a prefix), so two index lookups count them: IndexedDB's `count()` walks
 * the whole range, which made every write O(outbox size).
 */
export async function countUnsent(replica: Replica): Promise<number> {
  const { outbox } = replica.db;
  // Both lookups in one transaction (each alone opened its own).
  return replica.db.transaction('r', outbox, async () => {
    const unsent = outbox.where('acked').equals(0);
    const [first, last] = await Dexie.Promise.all([unsent.first(), unsent.clone().last()]);
    return first && last ? last.mutationId - first.mutationId + 1 : 0;
  });
}

export type Rejection = {
  entry: OutboxEntry;
  result: Extract<MutationResult, { status: 'rejected' }> | undefined;
};

/**
 * Records a push answer. Rejected mutations leave the outbox at once and their rows are
 * rebased (rolling back the optimistic effect). Applied/duplicate ones are marked acked but
 * kept until a pull brings their effect into `base`, so the UI never flickers back to the old
 * value in between. Returns null, recording nothing, when the answer's `lastMutationId` is
 * above every id this database assigned (it is older than the server's record of it: taking
 * the answer as an ack would drop real writes as "duplicates"). One transaction, its reads in
 * one round: the lane's next push waits for it.
 */
export async function settlePush(
  replica: Replica,
  res: PushResponse,
  firstId: number,
): Promise<Rejection[] | null> {
  const { db } = replica;
  return db.transaction('rw', [db.outbox, db.base, db.projects, db.tasks, db.meta], async () => {
    // Only the pushed batch: entries below it were settled by earlier answers (reading them
    // again made acknowledging a long outbox quadratic).
    const [counter, covered] = await Dexie.Promise.all([
      db.meta.get('lastMutationId'),
      res.lastMutationId < firstId
        ? Dexie.Promise.resolve([] as OutboxEntry[])
        : db.outbox.where('mutationId').between(firstId, res.lastMutationId, true, true).toArray(),
    ]);
    const localLast = parseMetas(['lastMutationId'], [counter]).lastMutationId ?? 0;
    if (res.lastMutationId > localLast) return null;
    const refused = new Map(
      res.results.flatMap((r) => (r.status === 'rejected' ? [[r.id as number, r] as const] : [])),
    );
    const rejected = covered.filter((e) => refused.has(e.mutationId));
    const kept = covered.filter((e) => !refused.has(e.mutationId) && e.acked === 0);
    if (rejected.length) await db.outbox.bulkDelete(rejected.map((e) => e.mutationId));
    if (kept.length) await db.outbox.bulkPut(kept.map((e) => ({ ...e, acked: 1 as const })));
    if (rejected.length) await rebaseRows(replica, refsOf(rejected));
    return rejected.map((entry) => ({ entry, result: refused.get(entry.mutationId) }));
  });
}

/**
 * After a complete pull: every mutation the server has processed (id ≤ lastMutationId) is in
 * `base` now, so it leaves the outbox and its rows are rebased. This alone acknowledges a push
 * whose answer was lost in a crash. Returns how many entries left.
 */
export async function ackThrough(replica: Replica, lastMutationId: number): Promise<number> {
  const { db } = replica;
  return db.transaction('rw', [db.outbox, db.base, db.projects, db.tasks], async () => {
    const done = await db.outbox.where('mutationId').belowOrEqual(lastMutationId).toArray();
    if (done.length === 0) return 0;
    await db.outbox.bulkDelete(done.map((e) => e.mutationId));
    // What stays pending, read once (not one outbox query per rebased row).
    const left = await db.outbox.where('mutationId').above(lastMutationId).toArray();
    await rebaseRows(replica, refsOf(done), groupPending(left));
    return done.length;
  });
}

/** Counts a failed attempt on the entries of a batch (the sync inspector shows it). */
export async function recordAttempt(
  replica: Replica,
  ids: readonly number[],
  error: string | null,
): Promise<void> {
  const { db } = replica;
  await db.transaction('rw', db.outbox, async () => {
    const entries = (await db.outbox.bulkGet([...ids])).filter(
      (e): e is OutboxEntry => e !== undefined,
    );
    await db.outbox.bulkPut(
      entries.map((e) => ({ ...e, attempts: e.attempts + 1, lastError: error })),
    );
  });
}

/**
 * Gives the unsent entries new ids starting at `firstId` (in order) and sets the mutation
 * counter after them. Used when the server has processed ids this database does not know
 * about (restored from an older copy) or has not seen ids assigned before an eviction:
 * reusing those ids would make the server answer "duplicate" and silently drop real writes.
 * Returns how many entries were renumbered.
 */
export async function renumberUnsent(replica: Replica, firstId: number): Promise<number> {
  const { db } = replica;
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const unsent = await db.outbox.where('acked').equals(0).sortBy('mutationId');
    // The counter is set, not raised: ids above the server's last one were never seen by it.
    await db.meta.put({ key: 'lastMutationId', value: firstId - 1 + unsent.length });
    if (unsent.length === 0) return 0;
    await db.outbox.bulkDelete(unsent.map((e) => e.mutationId));
    await db.outbox.bulkAdd(
      unsent.map((e, i) => {
        const id = firstId + i;
        return { ...e, mutationId: id, mutation: { ...e.mutation, id: id as never } };
      }),
    );
    return unsent.length;
  });
}
