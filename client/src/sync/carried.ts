import Dexie from 'dexie';
import type { HlcString, PokeCarried } from '@outpost/shared';
import type { MetaEntry } from './db';
import type { SyncEvent } from './events';
import { getMeta, parseMetas } from './meta';
import {
  applyPage,
  foldedClock,
  mirrorOf,
  PUT_SLICE,
  putAndDelete,
  putOrDelete,
  splitPage,
  storedClock,
} from './mirror';
import { clocked } from './records';
import type { Replica } from './replica';

/** The changes a poke carried: every log entry of `(from, cursor]`. */
export interface CarriedPage extends PokeCarried {
  cursor: number;
}

/**
 * This client's pushes that were answered but not yet seen come back: a push's mutations
 * are in the server state at the head it committed at (its answer's `cursor`), so once the
 * replica's cursor reaches that head they can leave the outbox — as a pull's ack would do.
 */
export class PushEchoes {
  #pushes: { cursor: number; lastMutationId: number }[] = [];

  add(cursor: number, lastMutationId: number): void {
    this.#pushes.push({ cursor, lastMutationId });
  }

  /**
   * The highest mutation id a replica at `cursor` holds the effect of, or null; those pushes
   * are forgotten at once (one step, so a push answered meanwhile is never dropped unacked).
   * The caller acks through it; if that fails, the pull that follows every failure does.
   */
  take(cursor: number): number | null {
    let id: number | null = null;
    for (const p of this.#pushes) if (p.cursor <= cursor) id = Math.max(id ?? 0, p.lastMutationId);
    if (id !== null) this.#pushes = this.#pushes.filter((p) => p.cursor > cursor);
    return id;
  }

  /** Whether a push is still waiting for its changes to come back. */
  get waiting(): boolean {
    return this.#pushes.length > 0;
  }

  clear(): void {
    this.#pushes = [];
  }
}

/**
 * Applies changes carried by pokes, oldest first, each in one transaction (with the ack of
 * this client's pushes it completes, `settled`). A page applies only when it continues the
 * stored cursor exactly; one already covered is skipped. Returns whether a pull is needed (a
 * page that does not continue the cursor: something between was not carried).
 */
export async function* applyCarried(
  replica: Replica,
  pages: readonly CarriedPage[],
  state: { cursor: () => number; echoes: PushEchoes; now: () => number; stored: StoredMeta },
): AsyncGenerator<SyncEvent, boolean> {
  for (const page of pages) {
    const cursor = state.cursor();
    if (page.cursor <= cursor) continue;
    if (page.from !== cursor) return true;
    const ackId = state.echoes.take(page.cursor);
    const atOnce =
      ackId === null ? await applyAtOnce(replica, page, state.now, state.stored) : 'unsure';
    const acked =
      atOnce === 'applied'
        ? 0
        : atOnce === 'moved'
          ? null
          : await applyPage(replica, page, {
              reset: false,
              now: state.now,
              expectCursor: page.from,
              ...(ackId !== null ? { settled: ackId } : {}),
            });
    // The stored cursor moved under us (it never should: only the leader writes it).
    if (acked === null) return true;
    yield { type: 'pulled', page, progress: undefined, notify: true };
    if (acked > 0) yield { type: 'acked' };
  }
  return false;
}

/**
 * What the replica's `meta` held as of the last carried page this leader applied (what it
 * read, plus what it wrote): the next page's clock is planned from it (`applyAtOnce`).
 */
export interface StoredMeta {
  /** The later of `lastHlc` and the last stamp a local write issued (`storedClock`). */
  clock: HlcString | undefined;
  /** The activity floor as last read or raised here (a pull may have raised it since). */
  activityFloor?: number;
}

/** The replica was not as `applyAtOnce` assumed: nothing was written. */
class Unexpected extends Error {
  constructor(readonly moved: boolean) {
    super(moved ? 'the stored cursor moved' : 'the replica was not as assumed');
  }
}

/**
 * A carried page in ONE round trip: its writes are placed beside the reads they depend on
 * (the stored cursor and clock, the page's rows' outbox entries), planned as if the cursor is
 * `page.from`, no row has pending writes and the clock is as `stored` says. The reads were
 * placed first, so they are answered before the transaction can commit: when they show
 * otherwise it aborts, nothing is written, and the page is applied the general way
 * (`applyPage`: reads, then writes). `moved`: the stored cursor is not `page.from`.
 *
 * It spans no `base` (a row without pending writes is written straight into the mirror).
 * A raised activity floor trims after the commit, in a transaction of its own (`trimBelow`).
 */
export async function applyAtOnce(
  replica: Replica,
  page: CarriedPage,
  now: () => number,
  stored: StoredMeta,
): Promise<'applied' | 'moved' | 'unsure'> {
  if (page.changes.length > PUT_SLICE) return 'unsure';
  const { db } = replica;
  const { serverRows, users, activities, clocks } = splitPage(page.changes);
  // One instant for the plan and its check: the folded clock is a function of it.
  const at = now();
  const frozen = () => at;
  const assumed = stored.clock;
  const clock = foldedClock(replica, frozen, assumed, clocks);
  const has = (kind: 'project' | 'task') => serverRows.some((b) => b.entity === kind);
  const scope = [
    db.meta,
    ...(activities.length ? [db.activities] : []),
    ...(users.length ? [db.users] : []),
    ...(serverRows.length ? [db.writes] : []),
    ...(has('project') ? [db.projects] : []),
    ...(has('task') ? [db.tasks] : []),
  ];
  try {
    await db.transaction('rw', scope, () => {
      // Placed first: answered before any write below lands.
      const reads = Dexie.Promise.all([
        readCounters(replica),
        Dexie.Promise.all(
          serverRows.map((b) => db.writes.where('entityIds').equals(b.id).primaryKeys()),
        ),
      ]).then(([metaRows, pending]) => {
        const meta = parseMetas(COUNTERS, metaRows);
        stored.clock = storedClock(meta.lastHlc, metaRows[2]);
        if ((meta.cursor ?? 0) !== page.from) throw new Unexpected(true);
        // The same stored clock folds to the same value (one instant): no second fold.
        const realClock =
          stored.clock === assumed ? clock : foldedClock(replica, frozen, stored.clock, clocks);
        if (realClock !== clock || pending.some((keys) => keys.length > 0))
          throw new Unexpected(false);
      });
      const writes: PromiseLike<unknown>[] = [];
      if (users.length) writes.push(putOrDelete(db.users, users));
      // The stored floor may be lower: these are kept either way (the run stays contiguous).
      const kept = activities.filter((c) => c.row.version >= page.activityFloor);
      if (kept.length) writes.push(putOrDelete(db.activities, kept));
      for (const kind of ['project', 'task'] as const) {
        const rows = serverRows.filter((b) => b.entity === kind);
        if (rows.length === 0) continue;
        const live = rows.filter((b) => b.deleted === null).map((b) => clocked(b.row, b.clocks));
        const dead = rows.filter((b) => b.deleted !== null).map((b) => b.id);
        writes.push(putAndDelete(mirrorOf(replica, kind), live, dead));
      }
      const metaPuts: MetaEntry[] = [{ key: 'cursor', value: page.cursor }];
      if (clock) metaPuts.push({ key: 'lastHlc', value: clock });
      writes.push(db.meta.bulkPut(metaPuts));
      return Dexie.Promise.all([reads, ...writes]);
    });
  } catch (err) {
    if (err instanceof Unexpected) return err.moved ? 'moved' : 'unsure';
    throw err;
  }
  if (clock) stored.clock = clock;
  // Unknown, or raised by this page: the trim reads the stored floor and acts on it.
  if (page.activityFloor > (stored.activityFloor ?? -1))
    stored.activityFloor = await trimBelow(replica, page.activityFloor);
  return 'applied';
}

/**
 * Raises the activity window's floor: activities below it leave. Apart from the page: until
 * it commits the replica holds the window from the older floor up, still one contiguous run
 * (what the floor promises), and trimming by the `version` index is a read, then a delete.
 * Returns the stored floor after it (a pull may have raised it further: never lowered).
 */
async function trimBelow(replica: Replica, floor: number): Promise<number> {
  const { db } = replica;
  return db.transaction('rw', [db.meta, db.activities], async () => {
    const stored = (await getMeta(db, 'activityFloor')) ?? 0;
    if (floor <= stored) return stored;
    await Dexie.Promise.all([
      db.activities.where('version').below(floor).delete(),
      db.meta.put({ key: 'activityFloor', value: floor }),
    ]);
    return floor;
  });
}

/** The meta keys a carried page's writes depend on, as `readCounters` answers them. */
const COUNTERS = ['cursor', 'lastHlc'] as const;

/**
 * `cursor`, `lastHlc` and `lastMutationId` (in that order, as `meta.bulkGet` would answer them)
 * in one request: no other key sorts between `cursor` and `lastMutationId`.
 */
function readCounters(replica: Replica): PromiseLike<(MetaEntry | undefined)[]> {
  return replica.db.meta
    .where(':id')
    .between('cursor', 'lastMutationId', true, true)
    .toArray()
    .then((run) =>
      (['cursor', 'lastHlc', 'lastMutationId'] as const).map((k) => run.find((e) => e.key === k)),
    );
}
