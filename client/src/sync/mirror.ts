import Dexie from 'dexie';
import {
  compareHlc,
  HybridLogicalClock,
  laterHlc,
  mutationEntity,
  type Change,
  type HlcString,
  type Mutation,
  type PullResponse,
} from '@outpost/shared';
import { check } from './check';
import type { BaseRow, MetaEntry, OutboxEntry, WritableKind } from './db';
import { getMetas, parseMetas } from './meta';
import {
  dropEntries,
  entriesOf,
  mutationsByEntity,
  numberingOf,
  readNumbering,
  throughOf,
  recordsOf,
  settleReads,
  type Numbering,
  type NumberedThrough,
  type Stored,
} from './outbox-ids';
import type { StoredMeta } from './carried';
import { clocked, materialize } from './records';
import type { Replica } from './replica';

/**
 * The mirror: what the UI reads (server state + pending local mutations). Rebuilds rows after
 * their pending mutations change (rebase), and applies a pulled page — in one transaction, so
 * a crash leaves either the old or the new state, never half a page.
 */

export type EntityRef = { kind: WritableKind; id: string };

/** Both mirror tables through one shape (ids are branded in the row types; keys are plain here). */
interface MirrorTable {
  bulkPut(rows: unknown[]): Promise<unknown>;
  bulkDelete(keys: string[]): Promise<void>;
}

export function mirrorOf(replica: Replica, kind: WritableKind): MirrorTable {
  return (kind === 'project' ? replica.db.projects : replica.db.tasks) as unknown as MirrorTable;
}

/**
 * Recomputes mirror rows after their pending mutations changed (call inside a transaction).
 * A row left without pending mutations drops its base entry: its mirror row is the server row.
 */
export async function rebaseRows(
  replica: Replica,
  refs: Iterable<EntityRef>,
  pendingByEntity?: Map<string, Mutation[]>,
): Promise<void> {
  const { db } = replica;
  const puts: Record<WritableKind, unknown[]> = { project: [], task: [] };
  const deletes: Record<WritableKind, string[]> = { project: [], task: [] };
  const clean: [WritableKind, string][] = [];
  const list = [...refs];
  // A given map holds every pending mutation of these rows (a row absent from it has none).
  const [bases, pendingOf] = await Dexie.Promise.all([
    db.base.bulkGet(list.map((r) => [r.kind, r.id] as [WritableKind, string])),
    pendingByEntity ??
      recordsOf(
        db,
        list.map((r) => r.id),
      ).then(mutationsByEntity),
  ]);
  for (let i = 0; i < list.length; i++) {
    const { kind, id } = list[i]!;
    const pending = pendingOf.get(id) ?? [];
    // No base entry while mutations were pending means the server never had this row
    // (a local create not yet pulled back): its server state is empty.
    const row = materialize(kind, id, replica.orgId, bases[i], pending);
    if (row) puts[kind].push(row);
    else deletes[kind].push(id);
    if (pending.length === 0 && bases[i]) clean.push([kind, id]);
  }
  for (const kind of ['project', 'task'] as const) {
    if (puts[kind].length) await mirrorOf(replica, kind).bulkPut(puts[kind]);
    if (deletes[kind].length) await mirrorOf(replica, kind).bulkDelete(deletes[kind]);
  }
  if (clean.length) await db.base.bulkDelete(clean);
}

/** The distinct rows touched by some outbox entries. */
export function refsOf(entries: readonly OutboxEntry[]): EntityRef[] {
  const seen = new Map<string, EntityRef>();
  for (const e of entries)
    seen.set(e.entityId, { kind: mutationEntity(e.mutation), id: e.entityId });
  return [...seen.values()];
}

/**
 * The clock after receiving a page's stamps, from the stored one; null when none is ahead of
 * it (e.g. the echo of our own writes): the next local stamp already sorts after them, and
 * rewriting `lastHlc` would make the next local write's assumed counters stale (a retry).
 */
export function foldedClock(
  replica: Replica,
  now: () => number,
  stored: HlcString | undefined,
  clocks: Iterable<HlcString>,
): HlcString | null {
  let max: HlcString | undefined;
  for (const c of clocks) max = laterHlc(max, c);
  if (max === undefined || (stored !== undefined && compareHlc(max, stored) <= 0)) return null;
  return new HybridLogicalClock(replica.clientId, { now }, stored).receive(max);
}

/** The later of the folded clock (`lastHlc`) and the last stamp a local write issued. */
export function storedClock(
  folded: HlcString | undefined,
  counterRow: MetaEntry | undefined,
): HlcString | undefined {
  return laterHlc(folded, check.meta.lastHlc.safeParse(counterRow?.hlc).data);
}

/**
 * What a page applies: a pulled page, or the changes a poke carried (which leave the purge
 * horizon as it was: the last pull's answer still holds).
 */
export type AppliedPage = Pick<PullResponse, 'changes' | 'cursor' | 'activityFloor'> &
  Partial<Pick<PullResponse, 'purgeHorizon' | 'liveThrough' | 'hasMore'>>;

export interface ApplyOptions {
  reset: boolean;
  now: () => number;
  /** Apply only if the stored cursor is this (carried changes continue exactly one cursor). */
  expectCursor?: number;
  /**
   * The pull answer's `lastMutationId`: the page's rows already reflect every mutation of
   * ours up to it (protocol: the server reads it before the page's rows), so the outbox
   * entries of those rows up to it leave in the page's transaction — taken back, not replayed.
   */
  ackThrough?: number;
  /**
   * Our pushes up to this mutation id are wholly in the state this page completes (a carried
   * page that reaches their answers' heads, or a pull's last page): every outbox entry up to
   * it leaves in the page's transaction, also those of rows the page does not hold (those
   * rows are rebased).
   */
  settled?: number;
  /**
   * Entries through this id already left the pending count (an answer counted without its
   * record, `PushEchoes.count`): not counted as still unsent when they leave.
   */
  counted?: number;
  /**
   * What `meta` held as of the last page this leader applied (with `expectCursor`, and
   * updated with what this page read and wrote): a small page that acknowledges nothing is
   * planned from it, as if its rows had no pending writes, and its writes are placed beside
   * the reads they depend on — ONE round trip. The reads were placed first, so they are
   * answered before the transaction can commit: when they show otherwise it aborts, nothing
   * is written, and the page is applied the general way (reads, then writes).
   */
  stored?: StoredMeta;
}

/**
 * Why a page's transaction aborted, nothing written (caught in `applyPage`, never seen outside
 * it): MOVED, the stored cursor is not the one expected; UNSURE, the replica was not as
 * `ApplyOptions.stored` said.
 */
const MOVED = new Error();
const UNSURE = new Error();

/**
 * Applies one pulled page in its own transaction: server rows into the mirror (or, for rows
 * with pending local mutations, into `base` and rebased), the read-only tables, then the
 * cursor. `reset` first clears everything the server owns (a pull from 0 after recovery).
 * Returns false (nothing written) when `expectCursor` is not the stored cursor. (The engine
 * calls `applyPage`; this form is the tests'.)
 */
export async function applyPullPage(
  replica: Replica,
  page: AppliedPage,
  options: ApplyOptions,
): Promise<boolean> {
  return (await applyPage(replica, page, options)) !== null;
}

/**
 * `applyPullPage`, telling how many of the outbox entries it took out (`ackThrough`,
 * `settled`) were still unsent — what changes the pending count: entries a push answer already
 * marked acked leave without changing it (taking back an upload: no recount per page). Null
 * when nothing was written (`expectCursor` is not the stored cursor).
 *
 * The transaction spans only the stores the page writes (it waits for every earlier one that
 * shares a store), reads what its writes depend on in one round, then — for a page of at most
 * PUT_SLICE changes, such as a poke's — places every write at once (IndexedDB runs a
 * transaction's requests in the order placed): two round trips however many tables it touches,
 * one when planned from `stored`. A larger page writes table after table, so cloning its rows
 * stays in short tasks. `guessing` false: the general way even with `stored`.
 */
export async function applyPage(
  replica: Replica,
  page: AppliedPage,
  options: ApplyOptions,
  guessing = true,
): Promise<number | null> {
  const { db } = replica;
  const { reset, settled, stored } = options;
  // Nothing new (a poll, Sync now): a read tells whether the page would write anything at all.
  if (page.changes.length === 0 && !reset) {
    const unchanged = await changesNothing(replica, page, options);
    if (unchanged !== false) return unchanged;
  }
  const split = splitPage(page.changes);
  const { serverRows, users, clocks } = split;
  const acking = options.ackThrough !== undefined || settled !== undefined;
  const guess =
    guessing && stored && !acking && !reset && page.changes.length <= PUT_SLICE ? stored : null;
  // A guess looks up only the outbox records of rows not created by another client in this page.
  const lookUp = guess ? rowsToLookUp(split, replica.clientId) : serverRows;
  // Settled entries may be of any row (rebased): both mirror tables, as a reset clears both.
  const every = reset || settled !== undefined;
  const has = (kind: WritableKind) => every || serverRows.some((b) => b.entity === kind);
  const scope = [
    db.meta,
    // The activity window's floor may move with any page.
    db.activities,
    ...(reset || users.length ? [db.users] : []),
    // A guess rebases nothing: it spans no `base`, and `writes` only to read records.
    ...(every || serverRows.length
      ? guess
        ? lookUp.length
          ? [db.writes]
          : []
        : [db.base, db.writes]
      : []),
    ...(has('project') ? [db.projects] : []),
    ...(has('task') ? [db.tasks] : []),
  ];
  try {
    return await db.transaction('rw', scope, async () => {
      // One round of reads, placed together: everything the writes below depend on. Only the
      // page's rows' pending mutations: reading the whole outbox on every page made pulling
      // back a long upload quadratic. (Dexie's own Promise keeps the transaction's zone.)
      const none = Dexie.Promise.resolve([]);
      const ids = lookUp.map((b) => b.id);
      // What a settle takes out (its records through `settled`, and the unnumbered ones whose
      // ids follow the counter), read with the page's rows' records, in one request when the
      // outbox is small, and with the rest rather than in rounds of their own.
      const settle = settled !== undefined ? settleReads(db, ids, settled) : null;
      const rowRecords: PromiseLike<Stored[]> = settle
        ? settle.then(([found]) => found)
        : ids.length
          ? recordsOf(db, ids)
          : none;
      const settleRead: PromiseLike<[NumberedThrough, Stored[]] | null> = settle
        ? settle.then(([, read]) => read)
        : Dexie.Promise.resolve(null);
      const reads = Dexie.Promise.all([
        readMeta(db),
        rowRecords,
        // `base` holds rows with pending writes only, and is usually empty: look before deleting.
        acking && serverRows.length ? db.base.limit(1).primaryKeys() : none,
        settleRead,
      ]);
      /** What `meta` holds (`stored` learns it at once); MOVED when the cursor moved. */
      const learn = (metaRows: (MetaEntry | undefined)[]): StoredMeta => {
        const meta = parseMetas(META_READ, metaRows);
        const known = {
          clock: storedClock(meta.lastHlc, metaRows[META_READ.length]),
          activityFloor: meta.activityFloor,
        };
        if (stored) Object.assign(stored, known);
        if (options.expectCursor !== undefined && (meta.cursor ?? 0) !== options.expectCursor)
          throw MOVED;
        return known;
      };
      /**
       * The stored cursor, when the page is behind it (only a reset takes the cursor back): a
       * pull answered before a push's echo or a carried page moved the cursor on. Pages continue
       * the cursor, so every row it brings is stored already at its state as of that cursor.
       */
      const ahead = (metaRows: (MetaEntry | undefined)[]): number | null => {
        const cursor = parseMetas(['cursor'], [metaRows[0]]).cursor ?? 0;
        return !reset && cursor > page.cursor ? cursor : null;
      };
      // Ids up to `through` leave; past the counter they are derived.
      const through = Math.max(options.ackThrough ?? 0, settled ?? 0);
      if (guess) {
        // One instant for the plan and its check: the folded clock is a function of it.
        const at = options.now();
        const plan = planPage(
          replica,
          page,
          split,
          () => at,
          guess,
          [],
          numberingOf(undefined, null),
        );
        const assumed = { ...guess };
        const check = reads.then(([metaRows, records]) => {
          const known = learn(metaRows);
          const raises = (floor?: number) => page.activityFloor > (floor ?? 0);
          if (
            records.length > 0 ||
            ahead(metaRows) !== null ||
            raises(known.activityFloor) !== raises(assumed.activityFloor) ||
            (known.clock !== assumed.clock &&
              foldedClock(replica, () => at, known.clock, clocks) !== plan.hlc)
          )
            throw UNSURE;
        });
        await Dexie.Promise.all([check, ...plan.steps.map((step) => step())]);
        remember(guess, page, plan.clock);
        return 0;
      }
      const [metaRows, records, baseKeys, settling] = await reads;
      let n = numberingOf(metaRows[META_READ.length], settling?.[1] ?? null);
      // Past the counter ids are derived (a second round of reads, only when an ack reaches
      // unnumbered records of the page's rows).
      if (through > n.base && !n.unnumbered && records.some((r) => r.last === 0))
        n = await readNumbering(db);
      const settledRead = settling ? throughOf(settled!, n, settling[0]) : null;
      // Behind the stored cursor: applied as a page of no changes at that cursor (its acks,
      // horizon and floor still hold), so the cursor never goes back and no row with it.
      const at = ahead(metaRows);
      const plan = planPage(
        replica,
        at === null ? page : { ...page, changes: [], cursor: at },
        at === null ? split : splitPage([]),
        options.now,
        learn(metaRows),
        records,
        n,
        through,
        settledRead,
        baseKeys.length === 0,
        reset,
        options.counted,
      );
      if (page.changes.length <= PUT_SLICE)
        await Dexie.Promise.all(plan.steps.map((step) => step()));
      else for (const step of plan.steps) await step();
      if (stored) remember(stored, page, plan.clock);
      return plan.unsent;
    });
  } catch (err) {
    if (err !== MOVED && err !== UNSURE) throw err;
    return err === MOVED ? null : applyPage(replica, page, options, false);
  }
}

/**
 * For a page without changes: whether applying it would write nothing — the stored cursor, purge
 * horizon and activity floor already are the page's (or past the cursor, above the floor), no
 * download's `liveThrough` to drop, and no outbox entry it would settle (the oldest record holds
 * the lowest ids). 0 (nothing to do: no read-write transaction), null (the stored cursor is not
 * `expectCursor`) or false (apply it). A read-only transaction over `meta` and `writes` instead of
 * a read-write one over the mirror's stores: every store a settle may touch, each waiting for
 * earlier transactions on it, and each read-write commit costing the browser a flush.
 */
async function changesNothing(
  replica: Replica,
  page: AppliedPage,
  options: ApplyOptions,
): Promise<0 | null | false> {
  const { db } = replica;
  const through = Math.max(options.ackThrough ?? 0, options.settled ?? 0);
  return db.transaction('r', db.meta, db.writes, async () => {
    const [meta, oldest] = await Dexie.Promise.all([
      getMetas(db, ['cursor', 'purgeHorizon', 'activityFloor', 'liveThrough', 'lastMutationId']),
      through > 0 ? (db.writes.orderBy(':id').first() as Promise<Stored | undefined>) : undefined,
    ]);
    const cursor = meta.cursor ?? 0;
    if (options.expectCursor !== undefined && cursor !== options.expectCursor) return null;
    // An unnumbered oldest record means every record is unnumbered: its ids follow the counter.
    const firstId = !oldest
      ? Infinity
      : oldest.last > 0
        ? oldest.mutations[0]!.id
        : (meta.lastMutationId ?? 0) + 1;
    const same =
      // A page behind the stored cursor leaves it where it is (`applyPage`).
      cursor >= page.cursor &&
      // Absent reads as 0 (`pullAll`).
      (page.purgeHorizon === undefined || (meta.purgeHorizon ?? 0) === page.purgeHorizon) &&
      page.activityFloor <= (meta.activityFloor ?? 0) &&
      // A download's bound is kept while it has pages to come, and dropped with its last one.
      (!page.liveThrough ||
        (page.hasMore ? meta.liveThrough === page.liveThrough : meta.liveThrough === undefined)) &&
      firstId > through;
    return same ? 0 : false;
  });
}

/** `stored` after `page` applied (the clock stored then: `clock`). */
function remember(stored: StoredMeta, page: AppliedPage, clock: HlcString | undefined): void {
  if (clock) stored.clock = clock;
  if (page.activityFloor > (stored.activityFloor ?? 0)) stored.activityFloor = page.activityFloor;
}

/**
 * A page's writes (`split` from its changes), each step placing its requests when called,
 * planned from what `meta` holds (`known`) and the page's rows' outbox records.
 */
function planPage(
  replica: Replica,
  page: AppliedPage,
  { serverRows, users, activities, clocks }: ReturnType<typeof splitPage>,
  now: () => number,
  known: StoredMeta,
  records: readonly Stored[],
  n: Numbering,
  through = 0,
  settledRead: { entries: OutboxEntry[]; loaded: Map<number, Stored> } | null = null,
  baseEmpty = true,
  reset = false,
  counted = 0,
): {
  steps: (() => PromiseLike<unknown>)[];
  hlc: HlcString | null;
  /** The clock stored once the page is applied (`StoredMeta.clock`). */
  clock: HlcString | undefined;
  unsent: number;
} {
  const { db } = replica;
  const steps: (() => PromiseLike<unknown>)[] = [];
  if (reset)
    steps.push(() =>
      Dexie.Promise.all([
        db.base.clear(),
        db.projects.clear(),
        db.tasks.clear(),
        db.users.clear(),
        db.activities.clear(),
      ]),
    );
  if (users.length) steps.push(() => putOrDelete(db.users, users));
  const metaPuts: MetaEntry[] = [{ key: 'cursor', value: page.cursor }];
  // The local activity log stays one contiguous run from the window's floor up: when the
  // floor moves up, older entries go (the feed pages them from the server on demand), so a
  // device back after a long time never shows a silent hole in it.
  if (page.activityFloor > (known.activityFloor ?? 0)) {
    steps.push(() => db.activities.where('version').below(page.activityFloor).delete());
    metaPuts.push({ key: 'activityFloor', value: page.activityFloor });
  }
  // Own notices below the window only raise notices; the feed pages them from the server.
  const kept = activities.filter((c) => c.row.version >= page.activityFloor);
  if (kept.length) steps.push(() => putOrDelete(db.activities, kept));

  // Rows with pending local mutations keep the server state in `base` and are rebased;
  // every other row is written once, straight into the mirror (the initial-sync path).
  const onPage = new Set(serverRows.map((b) => b.id));
  const { reflected, pending } = splitThrough(records, n, through, onPage);
  const rebased = serverRows.filter((b) => pending.has(b.id));
  const plain = pending.size === 0 ? serverRows : serverRows.filter((b) => !pending.has(b.id));
  // Settled mutations of rows this page does not hold (their changes came in earlier pages).
  const offPage = (settledRead?.entries ?? []).filter((e) => !onPage.has(e.entityId));
  const loaded = new Map([
    ...(settledRead?.loaded ?? []),
    ...records.map((r) => [r.seq, r] as const),
  ]);
  if (reflected.length || offPage.length)
    steps.push(() => dropReflected(replica, n, loaded, reflected, offPage, pending, baseEmpty));
  for (const kind of ['project', 'task'] as const) {
    const rows = plain.filter((b) => b.entity === kind);
    if (rows.length === 0) continue;
    const live = rows.filter((b) => b.deleted === null).map((b) => clocked(b.row, b.clocks));
    const dead = rows.filter((b) => b.deleted !== null).map((b) => b.id);
    steps.push(() => putAndDelete(mirrorOf(replica, kind), live, dead));
  }
  if (rebased.length) {
    steps.push(() => db.base.bulkPut(rebased));
    steps.push(() =>
      rebaseRows(
        replica,
        rebased.map((b) => ({ kind: b.entity, id: b.id })),
        pending,
      ),
    );
  }
  // The stamps of the records the settle numbers go on `lastMutationId` with the ids
  // (`saveRecords`): stored there, they need no `lastHlc` (the echo of our own write rewrote it).
  const covered = laterHlc(known.clock, numberedStamp(n, reflected, offPage));
  const hlc = foldedClock(replica, now, covered, clocks);
  if (hlc) metaPuts.push({ key: 'lastHlc', value: hlc });
  if (page.purgeHorizon !== undefined)
    metaPuts.push({ key: 'purgeHorizon', value: page.purgeHorizon });
  // A live-snapshot download resumes after a reload still without the old tombstones.
  if (page.liveThrough && page.hasMore)
    metaPuts.push({ key: 'liveThrough', value: page.liveThrough });
  else if (page.liveThrough) steps.push(() => db.meta.delete('liveThrough'));
  steps.push(() => db.meta.bulkPut(metaPuts));
  return {
    steps,
    hlc,
    clock: hlc ?? covered,
    unsent: stillUnsent(reflected, counted) + stillUnsent(offPage, counted),
  };
}

/**
 * The latest stamp of the unnumbered records that taking `entries` out numbers (every one up to
 * the last record they are in: `saveRecords`).
 */
function numberedStamp(
  n: Numbering,
  ...entries: (readonly OutboxEntry[])[]
): HlcString | undefined {
  let last = 0;
  for (const list of entries) for (const e of list) last = Math.max(last, e.seq);
  let stamp: HlcString | undefined;
  for (const r of n.unnumbered ?? []) {
    if (r.seq > last) break;
    for (const m of r.mutations) stamp = laterHlc(stamp, m.hlc);
  }
  return stamp;
}

function stillUnsent(entries: readonly OutboxEntry[], counted: number): number {
  return entries.reduce((n, e) => (e.acked === 0 && e.mutationId > counted ? n + 1 : n), 0);
}

/** The meta keys a page's writes depend on. */
export const META_READ = ['cursor', 'activityFloor', 'lastHlc'] as const;

/**
 * `META_READ` and `lastMutationId`, in that order, in ONE request (not one per key): only
 * `clientId` and `credential` sort between them too.
 */
function readMeta(db: Replica['db']): PromiseLike<(MetaEntry | undefined)[]> {
  return db.meta
    .where(':id')
    .between('activityFloor', 'lastMutationId', true, true)
    .toArray()
    .then((run) => {
      const byKey = new Map(run.map((e) => [e.key, e]));
      return [...META_READ, 'lastMutationId'].map((key) => byKey.get(key));
    });
}

/**
 * The page's rows whose outbox records a guess must read: all but those another client created
 * within the page. Such a row has none here: the server writes a `create` activity only when the
 * row did not exist (`prev` null; a purged id is refused), so it was nowhere in the state at the
 * page's `from`, which the guess checks is the stored cursor — not in the mirror, so no tab could
 * edit it (an edit of a row not in the replica is refused), and created by another client id
 * (UUIDs are not reused), so not by a write of ours. Our own creates (their activity carries our
 * client id) are looked up, as they come back with the writes still pending on them.
 */
function rowsToLookUp(
  { serverRows, activities }: ReturnType<typeof splitPage>,
  clientId: string,
): BaseRow[] {
  const created = new Set<string>();
  for (const c of activities) {
    if (c.entity !== 'activity') continue;
    const a = c.row;
    if (a.action === 'create' && a.clientId !== clientId) created.add(`${a.entity}:${a.entityId}`);
  }
  return created.size === 0
    ? serverRows
    : serverRows.filter((b) => !created.has(`${b.entity}:${b.id}`));
}

/** A page's changes by table, the last of each row only (each is a full state). */
export function splitPage(changes: readonly Change[]): {
  serverRows: BaseRow[];
  users: Change[];
  activities: Change[];
  /** Every clock of the page's writable rows (folded into the local clock). */
  clocks: HlcString[];
} {
  const latest = new Map<string, Change>();
  for (const c of changes) latest.set(`${c.entity}:${c.entityId}`, c);
  const serverRows: BaseRow[] = [];
  const users: Change[] = [];
  const activities: Change[] = [];
  const clocks: HlcString[] = [];
  for (const c of latest.values()) {
    switch (c.entity) {
      case 'project':
      case 'task':
        serverRows.push({
          entity: c.entity,
          id: c.entityId,
          row: c.row,
          clocks: c.clocks,
          deleted: c.deleted,
          seq: c.seq,
        });
        clocks.push(...Object.values(c.clocks));
        if (c.deleted) clocks.push(c.deleted);
        break;
      case 'user':
        users.push(c);
        break;
      case 'activity':
        activities.push(c);
        break;
    }
  }
  return { serverRows, users, activities, clocks };
}

/**
 * Takes acknowledged outbox entries out of the outbox (call inside the page's transaction):
 * `reflected` ones, whose rows the page holds (the caller writes those rows as plain server
 * rows; rows left with nothing pending lose their `base` entry, as a rebase would), and
 * `offPage` ones, whose rows are rebased on what stays pending.
 */
async function dropReflected(
  replica: Replica,
  n: Numbering,
  loaded: ReadonlyMap<number, Stored>,
  reflected: readonly OutboxEntry[],
  offPage: readonly OutboxEntry[],
  stillPending: ReadonlyMap<string, unknown>,
  baseEmpty: boolean,
): Promise<void> {
  const { db } = replica;
  const dropped = dropEntries(db, n, loaded, [...reflected, ...offPage]);
  const clean = baseEmpty ? [] : refsOf(reflected).filter((r) => !stillPending.has(r.id));
  await Dexie.Promise.all([
    dropped,
    clean.length
      ? db.base.bulkDelete(clean.map((r) => [r.kind, r.id] as [WritableKind, string]))
      : undefined,
  ]);
  // Read after the delete: what stays pending of those rows.
  if (offPage.length) await rebaseRows(replica, refsOf(offPage));
}

export function putOrDelete(table: unknown, changes: Change[]): PromiseLike<unknown> {
  const live = changes.filter((c) => c.deleted === null).map((c) => c.row);
  const dead = changes.filter((c) => c.deleted !== null).map((c) => c.entityId);
  return putAndDelete(table as MirrorTable, live, dead);
}

/** Puts `live` (in slices) and deletes `dead`, both placed at once (distinct keys). */
export function putAndDelete(
  table: MirrorTable,
  live: unknown[],
  dead: string[],
): PromiseLike<unknown> {
  return Dexie.Promise.all([
    putInSlices(table, live),
    dead.length ? table.bulkDelete(dead) : undefined,
  ]);
}

/** Rows put per request batch while applying a page (see `putInSlices`). */
export const PUT_SLICE = 100;

/**
 * Puts rows in slices of PUT_SLICE, each placed when the one before the previous is stored:
 * placing a request clones its row on the main thread, so a page's 500 rows at once were one
 * long task (over 50 ms under load); now each slice is cloned in its own task while IndexedDB
 * stores the previous one (never idle waiting for the next), and the pending requests keep
 * the page's transaction open.
 */
async function putInSlices(table: MirrorTable, rows: readonly unknown[]): Promise<void> {
  let previous: Promise<unknown> | null = null;
  for (let i = 0; i < rows.length; i += PUT_SLICE) {
    const placed = table.bulkPut(rows.slice(i, i + PUT_SLICE) as unknown[]);
    // Its failure is thrown where it is awaited; until then it is not "unhandled".
    placed.catch(() => undefined);
    if (previous) await previous;
    previous = placed;
  }
  await previous;
}

/**
 * The page rows' outbox entries up to `through` (their effect is in the page: they leave) and
 * every other pending mutation of those rows, by row, in order. Ids are needed only up to
 * `through`: an unnumbered record not derived in `n` is past the counter, so past it.
 */
function splitThrough(
  records: readonly Stored[],
  n: Numbering,
  through: number,
  onPage: ReadonlySet<string>,
): { reflected: OutboxEntry[]; pending: Map<string, Mutation[]> } {
  const reflected = through > 0 ? entriesOf(records, n) : [];
  const out = reflected.filter((e) => e.mutationId <= through && onPage.has(e.entityId));
  // A record's stamps are distinct (its clock issued them one after another).
  const gone = new Set(out.map((e) => `${e.seq}|${e.mutation.hlc}`));
  const pending = mutationsByEntity(
    records,
    (m, seq) => onPage.has(m.entityId) && !gone.has(`${seq}|${m.hlc}`),
  );
  return { reflected: out, pending };
}
