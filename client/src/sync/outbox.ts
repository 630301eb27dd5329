import Dexie from 'dexie';
import type { MutationResult, PushResponse } from '@outpost/shared';
import type { OutboxEntry } from './db';
import { rebaseRows, refsOf } from './mirror';
import {
  dropEntries,
  entriesOf,
  lastAssigned,
  numberingOf,
  readNumbering,
  readThrough,
  saveRecords,
  withDerived,
  type Numbering,
  type Stored,
} from './outbox-ids';
import type { Replica } from './replica';

/**
 * The outbox: local mutations waiting for the server, one record per write call
 * (`WriteRecord`; ids in `outbox-ids.ts`). A mutation is *unsent* until a push answer covers
 * it, then *acked* and kept — rebase keeps re-applying it, which is idempotent — until a pull
 * brings its effect into the server state; then it leaves. Each function is one transaction.
 */

/**
 * The counter and the first `limit` open records (in the current transaction). The unnumbered
 * records are the last open ones, so those among these are every unnumbered record up to the
 * last one read: enough to derive their ids.
 */
async function readOpen({ db }: Replica, limit: number): Promise<{ n: Numbering; open: Stored[] }> {
  const [row, open] = await Dexie.Promise.all([
    db.meta.get('lastMutationId'),
    db.writes.where('open').equals(1).limit(limit).toArray() as Promise<Stored[]>,
  ]);
  return {
    n: numberingOf(
      row,
      open.filter((r) => r.last === 0),
    ),
    open,
  };
}

/**
 * Unsent entries, oldest first (a batch may end inside a record); with `after`, only those
 * past that id — the next batch while the one ending at `after` (at most `max` entries) is
 * still in flight.
 */
export async function unsentBatch(
  replica: Replica,
  max: number,
  after = 0,
): Promise<OutboxEntry[]> {
  const { db } = replica;
  return db.transaction('r', [db.writes, db.meta], async () => {
    // Each open record holds at least one unsent mutation: `max` records hold the batch,
    // twice that when the `max` before it are still unsent.
    const { n, open } = await readOpen(replica, after ? 2 * max : max);
    return entriesOf(open, n)
      .filter((e) => e.acked === 0 && e.mutationId > after)
      .slice(0, max);
  });
}

/**
 * How many mutations are unsent: the open records, counted by their index (no record read),
 * plus what the few records of several unsent mutations hold past one (`extra`).
 */
export async function countUnsent(replica: Replica): Promise<number> {
  const { db } = replica;
  return db.transaction('r', db.writes, async () => {
    const [open, extras] = await Dexie.Promise.all([
      db.writes.where('open').equals(1).count(),
      db.writes.where('extra').above(0).toArray(),
    ]);
    return open + extras.reduce((n, r) => n + (r.open === 1 ? (r.extra ?? 0) : 0), 0);
  });
}

/** The last mutation id this database assigned (numbered or derived). */
export async function lastAssignedId(replica: Replica): Promise<number> {
  const { db } = replica;
  return db.transaction('r', [db.writes, db.meta], async () =>
    lastAssigned(await readNumbering(db)),
  );
}

export type Rejection = {
  entry: OutboxEntry;
  result: Extract<MutationResult, { status: 'rejected' }> | undefined;
};

/**
 * Records a push answer. Rejected mutations leave the outbox at once and their rows are
 * rebased (rolling back the optimistic effect; the rest of their record stays). Applied and
 * duplicate ones are marked acked but kept until a pull brings their effect into `base`, so
 * the UI never flickers back to the old value in between. Returns null, recording nothing,
 * when the answer's `lastMutationId` is above every id this database assigned (it is older
 * than the server's record of it: taking the answer as an ack would drop real writes as
 * "duplicates"). One transaction, its reads in one round: the lane's next push waits for it.
 */
export async function settlePush(
  replica: Replica,
  res: PushResponse,
  firstId: number,
): Promise<{ rejected: Rejection[]; settled: number } | null> {
  const { db } = replica;
  return db.transaction('rw', [db.writes, db.base, db.projects, db.tasks, db.meta], async () => {
    // Only the pushed batch's records: each open record holds at least one unsent id from
    // `firstId` on, so this many hold every id the answer covers.
    const limit = Math.max(1, res.lastMutationId - firstId + 1);
    const { n, open } = await readOpen(replica, limit);
    const entries = entriesOf(open, n);
    const localLast = Math.max(n.base, entries.at(-1)?.mutationId ?? 0);
    if (open.length < limit && res.lastMutationId > localLast) return null;
    const covered = entries.filter(
      (e) => e.mutationId >= firstId && e.mutationId <= res.lastMutationId,
    );
    const refused = new Map(
      res.results.flatMap((r) => (r.status === 'rejected' ? [[r.id as number, r] as const] : [])),
    );
    const rejected = covered.filter((e) => refused.has(e.mutationId));
    const changed = new Map<number, { keep: (id: number) => boolean; ackedThrough: number }>();
    for (const e of covered) {
      changed.set(e.seq, {
        keep: (id) => !refused.has(id),
        ackedThrough: res.lastMutationId,
      });
    }
    await saveRecords(db, n, new Map(open.map((r) => [r.seq, r])), changed);
    if (rejected.length) await rebaseRows(replica, refsOf(rejected));
    return {
      rejected: rejected.map((entry) => ({ entry, result: refused.get(entry.mutationId) })),
      // Unsent until now: a pull (or an echo) may have taken them out before this answer.
      settled: covered.filter((e) => e.acked === 0).length,
    };
  });
}

/**
 * After a complete pull: every mutation the server has processed (id ≤ lastMutationId) is in
 * `base` now, so it leaves the outbox and its rows are rebased. This alone acknowledges a push
 * whose answer was lost in a crash. Returns how many entries left.
 */
export async function ackThrough(replica: Replica, lastMutationId: number): Promise<number> {
  const { db } = replica;
  return db.transaction('rw', [db.writes, db.base, db.projects, db.tasks, db.meta], async () => {
    const { entries, n, loaded } = await readThrough(db, lastMutationId);
    if (entries.length === 0) return 0;
    await dropEntries(db, n, loaded, entries);
    // What stays pending of those rows is read once, beside their `base` entries.
    await rebaseRows(replica, refsOf(entries));
    return entries.length;
  });
}

/** Counts a failed attempt on the records of a batch (the sync inspector shows it). */
export async function recordAttempt(
  replica: Replica,
  entries: readonly OutboxEntry[],
  error: string | null,
): Promise<void> {
  const seqs = [...new Set(entries.map((e) => e.seq))];
  await replica.db.writes
    .where(':id')
    .anyOf(seqs)
    .modify((r) => {
      r.attempts += 1;
      r.lastError = error;
    });
}

/**
 * Gives the unsent entries new ids starting at `firstId` (in order) and sets the mutation
 * counter after them. Used when the server has processed ids this database does not know
 * about (restored from an older copy) or has not seen ids assigned before an eviction:
 * reusing those ids would make the server answer "duplicate" and silently drop real writes.
 * The unsent part of each record moves to a new, numbered record at the end (same order);
 * what was acked stays. Returns how many entries were renumbered.
 */
export async function renumberUnsent(replica: Replica, firstId: number): Promise<number> {
  const { db } = replica;
  return db.transaction('rw', [db.writes, db.meta], async () => {
    const [n, open] = await Dexie.Promise.all([
      readNumbering(db),
      db.writes.where('open').equals(1).toArray() as Promise<Stored[]>,
    ]);
    const entries = entriesOf(open, n);
    const unsent = entries.filter((e) => e.acked === 0);
    const row = n.row;
    // The counter is set, not raised: ids above the server's last one were never seen by it.
    await db.meta.put({ ...row, key: 'lastMutationId', value: firstId - 1 + unsent.length });
    if (unsent.length === 0) return 0;
    const acked = entries.filter((e) => e.acked === 1);
    const keptBySeq = new Map<number, OutboxEntry[]>();
    for (const e of acked) keptBySeq.set(e.seq, [...(keptBySeq.get(e.seq) ?? []), e]);
    await db.writes.bulkDelete(open.map((r) => r.seq));
    const rest = open.filter((r) => keptBySeq.has(r.seq));
    await db.writes.bulkAdd(
      rest.map((r) => {
        const kept = keptBySeq.get(r.seq)!;
        const { seq: _seq, ...record } = r;
        return withDerived({
          ...record,
          mutations: kept.map((e) => e.mutation),
        });
      }),
    );
    // One record per old record, in order, numbered from `firstId`.
    let id = firstId;
    const bySeq = new Map<number, OutboxEntry[]>();
    for (const e of unsent) bySeq.set(e.seq, [...(bySeq.get(e.seq) ?? []), e]);
    await db.writes.bulkAdd(
      [...bySeq.values()].map((list) => {
        const mutations = list.map((e) => ({ ...e.mutation, id: id++ }) as typeof e.mutation);
        const first = list[0]!;
        return withDerived({
          clientId: first.clientId,
          createdAt: first.createdAt,
          mutations,
          ackedThrough: 0,
          attempts: first.attempts,
          lastError: first.lastError,
        });
      }),
    );
    return unsent.length;
  });
}
