import Dexie from 'dexie';
import { laterHlc, type Mutation } from '@outpost/shared';
import { check } from './check';
import type { MetaEntry, OutboxEntry, OutpostDb as OutboxDb, WriteRecord } from './db';

/**
 * Mutation ids of the outbox's records (`WriteRecord`). A write stores its record without
 * ids (no counter read on the write path); an unnumbered record's ids follow from its place:
 * `meta.lastMutationId` + 1 for the first unnumbered record, then on in `seq` order. Records
 * are added in commit order (`seq` is the store's key generator) and a record is numbered only
 * together with every unnumbered record before it, so the ids a push sends are a function of
 * what is stored: a push retried after a crash sends the same ids (the server answers
 * "duplicate"), and writing the ids into the records never changes them.
 */

export type Stored = WriteRecord & { seq: number };

/** The counter row and every unnumbered record, read in the current transaction. */
export interface Numbering {
  /** `meta.lastMutationId`: the id of the last numbered mutation. */
  base: number;
  row: MetaEntry | undefined;
  /** Every unnumbered record, in seq order (null: not read). */
  unnumbered: Stored[] | null;
}

export function numberingOf(row: MetaEntry | undefined, unnumbered: Stored[] | null): Numbering {
  return {
    base: check.meta.lastMutationId.safeParse(row?.value).data ?? 0,
    row,
    unnumbered,
  };
}

/** Reads the counter and every unnumbered record (in the current transaction). */
export async function readNumbering(db: OutboxDb): Promise<Numbering> {
  const [row, unnumbered] = await Dexie.Promise.all([
    db.meta.get('lastMutationId'),
    db.writes.where('last').equals(0).toArray() as Promise<Stored[]>,
  ]);
  return numberingOf(row, unnumbered);
}

/** The first id of each unnumbered record (requires `unnumbered`). */
function firstIds(n: Numbering): Map<number, number> {
  const ids = new Map<number, number>();
  let next = n.base + 1;
  for (const r of n.unnumbered ?? []) {
    ids.set(r.seq, next);
    next += r.mutations.length;
  }
  return ids;
}

/** The last id this database assigned: numbered or derived. */
export function lastAssigned(n: Numbering): number {
  let last = n.base;
  for (const r of n.unnumbered ?? []) last += r.mutations.length;
  return last;
}

/**
 * The entries of `records` (any order), in id order. An unnumbered record's ids come from
 * `firstId` when given (its first id), else from `n.unnumbered`; a record whose ids are not
 * known is left out.
 */
export function entriesOf(
  records: readonly Stored[],
  n: Numbering | null,
  firstId?: (seq: number) => number | undefined,
): OutboxEntry[] {
  const derived = n?.unnumbered ? firstIds(n) : null;
  const out: OutboxEntry[] = [];
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    const first = r.last > 0 ? null : (firstId?.(r.seq) ?? derived?.get(r.seq));
    if (r.last === 0 && first === undefined) continue;
    r.mutations.forEach((m, i) => {
      const id = first === null ? m.id : first! + i;
      out.push({
        mutationId: id,
        seq: r.seq,
        clientId: r.clientId,
        entityId: m.entityId,
        mutation: first === null ? m : ({ ...m, id } as Mutation),
        createdAt: r.createdAt,
        attempts: r.attempts,
        lastError: r.lastError,
        acked: id <= r.ackedThrough ? 1 : 0,
        closes: i === r.mutations.length - 1,
      });
    });
  }
  return out.sort((a, b) => a.mutationId - b.mutationId);
}

/** Rows' pending mutations in order, from records that write them (ids not needed). */
export function mutationsByEntity(
  records: readonly Stored[],
  keep: (m: Mutation, seq: number) => boolean = () => true,
): Map<string, Mutation[]> {
  const byEntity = new Map<string, Mutation[]>();
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    for (const m of r.mutations) {
      if (!keep(m, r.seq)) continue;
      const list = byEntity.get(m.entityId);
      if (list) list.push(m);
      else byEntity.set(m.entityId, [m]);
    }
  }
  return byEntity;
}

/**
 * Reads the records that write any of `ids` (in the current transaction). A pulled page's
 * rows are usually one run of ids (UUIDv7 follow creation) whose records are one run of seqs:
 * the keys of every record writing an id in the page's range, then those records by their
 * seq range — two requests where walking the index key by key took one per row. When the
 * range holds many more records than rows (others' rows beside a long outbox), the walk.
 */
export async function recordsOf(db: OutboxDb, ids: readonly string[]): Promise<Stored[]> {
  if (ids.length === 0) return [];
  const sorted = [...new Set(ids)].sort();
  const keys = await db.writes
    .where('entityIds')
    .between(sorted[0]!, sorted.at(-1)!, true, true)
    .primaryKeys();
  const seqs = [...new Set(keys)].sort((a, b) => a - b);
  if (seqs.length > 2 * sorted.length + 16)
    return (await db.writes.where('entityIds').anyOf(sorted).distinct().toArray()) as Stored[];
  const wanted = new Set(sorted);
  return (await readRecords(db, seqs)).filter((r) => r.entityIds.some((id) => wanted.has(id)));
}

/**
 * The records of `seqs` (ascending, no repeats) that exist, in the current transaction: one
 * request for the seq range when they fill at least half of it, else one per record.
 */
export async function readRecords(db: OutboxDb, seqs: readonly number[]): Promise<Stored[]> {
  if (seqs.length === 0) return [];
  const lo = seqs[0]!;
  const hi = seqs.at(-1)!;
  const read = (
    hi - lo + 1 <= 2 * seqs.length
      ? await db.writes.where(':id').between(lo, hi, true, true).toArray()
      : await db.writes.bulkGet([...seqs])
  ) as (Stored | undefined)[];
  const wanted = new Set(seqs);
  return read.filter((r): r is Stored => !!r && wanted.has(r.seq));
}

/**
 * Writes record changes in the current transaction: `changed` records (by seq) replace the
 * stored ones, and every unnumbered record up to the last one changed or dropped is numbered
 * first (requires `n.unnumbered` when any of them is unnumbered), so no other record's ids
 * move. A record left with no mutation is deleted. `changed` maps seq → its new mutation list
 * and acknowledgement (ids as `entriesOf` gave them).
 */
export function saveRecords(
  db: OutboxDb,
  n: Numbering,
  loaded: ReadonlyMap<number, Stored>,
  changed: ReadonlyMap<number, { keep: (id: number) => boolean; ackedThrough?: number }>,
): PromiseLike<unknown> {
  if (changed.size === 0) return Dexie.Promise.resolve();
  const maxSeq = Math.max(...changed.keys());
  const derived = firstIds(n);
  const puts: WriteRecord[] = [];
  const deletes: number[] = [];
  let base = n.base;
  let hlc = check.meta.lastHlc.safeParse(n.row?.hlc).data;
  const touch = (r: Stored, first: number | null) => {
    const ids = r.mutations.map((m, i) => (first === null ? m.id : first + i));
    const change = changed.get(r.seq);
    const mutations: Mutation[] = [];
    r.mutations.forEach((m, i) => {
      const id = ids[i]!;
      if (change && !change.keep(id)) return;
      mutations.push(first === null ? m : ({ ...m, id } as Mutation));
    });
    if (first !== null) {
      base = Math.max(base, ids.at(-1)!);
      for (const m of r.mutations) hlc = laterHlc(hlc, m.hlc);
    }
    if (mutations.length === 0) {
      deletes.push(r.seq);
      return;
    }
    const ackedThrough = Math.max(r.ackedThrough, change?.ackedThrough ?? 0);
    puts.push(withDerived({ ...r, mutations, ackedThrough }));
  };
  for (const r of n.unnumbered ?? []) if (r.seq <= maxSeq) touch(r, derived.get(r.seq)!);
  for (const [seq] of changed) {
    const r = loaded.get(seq);
    if (!r) throw new Error(`outbox record ${seq} was not read`);
    if (r.last === 0) {
      if (!derived.has(seq)) throw new Error(`outbox record ${seq} is unnumbered and not derived`);
      continue; // numbered above
    }
    touch(r, null);
  }
  const meta: MetaEntry[] =
    base > n.base ? [{ key: 'lastMutationId', value: base, ...(hlc ? { hlc } : {}) }] : [];
  return Dexie.Promise.all([
    puts.length ? db.writes.bulkPut(puts) : undefined,
    deletes.length ? deleteRecords(db, deletes) : undefined,
    meta.length ? db.meta.bulkPut(meta) : undefined,
  ]);
}

/**
 * Deletes records by seq: each run of consecutive seqs as one key-range request (seqs are
 * unique integers, so the run is exactly its range) — taking back an upload deletes hundreds
 * of records a page, which one request per key made as many requests.
 */
export function deleteRecords(db: OutboxDb, seqs: readonly number[]): PromiseLike<unknown> {
  const sorted = [...seqs].sort((a, b) => a - b);
  const requests: PromiseLike<unknown>[] = [];
  const single: number[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j > i)
      requests.push(db.writes.where(':id').between(sorted[i]!, sorted[j]!, true, true).delete());
    else single.push(sorted[i]!);
    i = j + 1;
  }
  if (single.length) requests.push(db.writes.bulkDelete(single));
  return Dexie.Promise.all(requests);
}

/**
 * Reads, in the current transaction, every entry with an id up to `lastId` and what taking
 * them out needs (`dropEntries`). `known`: the counter row, when already read.
 */
export async function readThrough(
  db: OutboxDb,
  lastId: number,
  known?: Numbering,
): Promise<{ entries: OutboxEntry[]; n: Numbering; loaded: Map<number, Stored> }> {
  const [row, through] = await Dexie.Promise.all([
    known ? known.row : db.meta.get('lastMutationId'),
    numberedThrough(db, lastId),
  ]);
  let n = known ?? numberingOf(row, null);
  // Ids past the counter are derived: only then are the unnumbered records needed.
  if (lastId > n.base && !n.unnumbered) n = await readNumbering(db);
  return throughOf(lastId, n, through);
}

/** The numbered records `readThrough` reads (in the current transaction). */
export function numberedThrough(db: OutboxDb, lastId: number): PromiseLike<NumberedThrough> {
  return Dexie.Promise.all([
    db.writes.where('last').between(1, lastId, true, true).toArray() as Promise<Stored[]>,
    // A numbered record may end past `lastId` and begin before it (a batch ended inside it).
    db.writes.where('last').above(lastId).first() as Promise<Stored | undefined>,
  ]).then(([numbered, straddling]) => ({ numbered, straddling }));
}

export interface NumberedThrough {
  numbered: Stored[];
  straddling: Stored | undefined;
}

/** An outbox of at most this many records is read whole by a settle (`settleReads`). */
export const SMALL_OUTBOX = 16;

/**
 * What a settle through `lastId` reads (in the current transaction): the records that write
 * any of `ids` (`recordsOf`), the numbered records through `lastId` (`numberedThrough`) and
 * every unnumbered record in seq order. An outbox of at most SMALL_OUTBOX records — a device's
 * own echo settles one or two — is read whole in ONE request and split here; five requests in
 * two rounds by index did it. A larger one is then read by index, one round later.
 */
export function settleReads(
  db: OutboxDb,
  ids: readonly string[],
  lastId: number,
): PromiseLike<[Stored[], [NumberedThrough, Stored[]]]> {
  return (db.writes.limit(SMALL_OUTBOX + 1).toArray() as Promise<Stored[]>).then((all) => {
    if (all.length > SMALL_OUTBOX)
      return Dexie.Promise.all([
        recordsOf(db, ids),
        Dexie.Promise.all([
          numberedThrough(db, lastId),
          db.writes.where('last').equals(0).toArray() as Promise<Stored[]>,
        ]),
      ]);
    const wanted = new Set(ids);
    // As the `last` index orders them: by `last`, then seq (`all` is in seq order).
    const above = all.filter((r) => r.last > lastId).sort((a, b) => a.last - b.last);
    return [
      all.filter((r) => r.entityIds.some((id) => wanted.has(id))),
      [
        { numbered: all.filter((r) => r.last >= 1 && r.last <= lastId), straddling: above[0] },
        all.filter((r) => r.last === 0),
      ],
    ];
  });
}

/** `readThrough`'s answer from its reads (`n` holds the unnumbered records when ids pass it). */
export function throughOf(
  lastId: number,
  n: Numbering,
  { numbered, straddling }: NumberedThrough,
): { entries: OutboxEntry[]; n: Numbering; loaded: Map<number, Stored> } {
  const records = [...numbered, ...(straddling ? [straddling] : []), ...(n.unnumbered ?? [])];
  const entries = entriesOf(records, n).filter((e) => e.mutationId <= lastId);
  return { entries, n, loaded: new Map(records.map((r) => [r.seq, r])) };
}

/** Takes `entries` out of their records (in the current transaction; see `saveRecords`). */
export function dropEntries(
  db: OutboxDb,
  n: Numbering,
  loaded: ReadonlyMap<number, Stored>,
  entries: readonly OutboxEntry[],
): PromiseLike<unknown> {
  const dropped = new Set(entries.map((e) => e.mutationId));
  const changed = new Map<number, { keep: (id: number) => boolean }>();
  for (const e of entries) changed.set(e.seq, { keep: (id) => !dropped.has(id) });
  return saveRecords(db, n, loaded, changed);
}

/** Every entry of the outbox, in id order (one read-only transaction; the sync inspector). */
export function readOutboxEntries(db: OutboxDb): Promise<OutboxEntry[]> {
  return db.transaction('r', [db.writes, db.meta], async () => {
    const [row, records] = await Dexie.Promise.all([
      db.meta.get('lastMutationId'),
      db.writes.toArray() as Promise<Stored[]>,
    ]);
    return entriesOf(
      records,
      numberingOf(
        row,
        records.filter((r) => r.last === 0),
      ),
    );
  });
}

/** How many of a record's mutations are unsent. */
export function unsentIn(r: WriteRecord): number {
  return r.last === 0
    ? r.mutations.length
    : r.mutations.filter((m) => m.id > r.ackedThrough).length;
}

/** A record's fields that follow from its mutations (see WriteRecord). */
type Derived = 'last' | 'open' | 'entityIds' | 'extra';

/**
 * The record with what follows from its mutations and acknowledgement set: `last` (its last
 * mutation's id, 0 while unnumbered), `open`, `entityIds` and `extra` (see WriteRecord).
 */
export function withDerived<R extends WriteRecord>(
  r: Omit<R, Derived> & Partial<Pick<R, Derived>>,
): R {
  const { extra: _extra, ...rest } = r;
  const { mutations } = r;
  const last = mutations.at(-1)!.id as number;
  const unsent = unsentIn({ ...r, last } as WriteRecord);
  return {
    ...rest,
    last,
    open: unsent > 0 ? 1 : 0,
    entityIds: [...new Set(mutations.map((m) => m.entityId as string))],
    ...(unsent > 1 ? { extra: unsent - 1 } : {}),
  } as R;
}
