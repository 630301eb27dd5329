import { readOutboxRecords, type OutpostDb } from '@outpost/sync';

// The task list's unsent marks (`readUnsentIds`): the app's read of the engine's outbox
// records (`WriteRecord`: the `open` index, `entityIds`), which it reads by seq through
// `readOutboxRecords` (one range request when the seqs are dense, else one per record).

/**
 * The rows each open record was stored with, by seq, per database. A stored record's rows
 * never grow (taking mutations out may shrink them) and a seq is never reused, so a record is
 * read once while it is open.
 */
const rowsOfOpen = new WeakMap<OutpostDb, Map<number, readonly string[]>>();

/**
 * Ids of rows with writes this device has not sent yet: the rows of every open record (one
 * read-only transaction). Re-read after every outbox change, so it reads the `open` index's
 * keys and only the open records it has not read before — one per new write. (Walking the
 * `entityIds` index read every queued write's keys on each write: a burst of N writes read
 * N²/2 index entries.) A record marks all the rows it was stored with until none of it is
 * unsent — one sent partway, or with a mutation refused, marks them until the rest is sent.
 */
export async function unsentRowIds(db: OutpostDb): Promise<Set<string>> {
  const known = rowsOfOpen.get(db) ?? new Map<number, readonly string[]>();
  rowsOfOpen.set(db, known);
  return db.transaction('r', db.writes, async () => {
    const open = await db.writes.where('open').equals(1).primaryKeys();
    const rows = new Map<number, readonly string[]>();
    const unread: number[] = [];
    for (const seq of open) {
      const ids = known.get(seq);
      if (ids) rows.set(seq, ids);
      else unread.push(seq);
    }
    for (const r of await readOutboxRecords(db, unread)) rows.set(r.seq, r.entityIds);
    // Records no longer open are forgotten.
    known.clear();
    for (const [seq, ids] of rows) known.set(seq, ids);
    const out = new Set<string>();
    for (const ids of rows.values()) for (const id of ids) out.add(id);
    return out;
  });
}
