/** Counts the changes in `(after, upTo]` of one org's log (the store's `countChanges`). */
export type CountRange = (after: number, upTo: number) => Promise<number>;

/** The log as a pull page saw it: same org, head, tombstone cut and purge horizon. */
export interface LogState {
  orgId: string;
  head: number;
  liveThrough: number;
  horizon: number;
}

/**
 * A pull page's `remaining` (changes still to come after its cursor), counted once per sync
 * instead of once per page. Counting `(cursor, head]` walks everything still to come, so a first
 * sync of n rows in pages of p counted about n²/2p entries: at 50,000 tasks that was seconds of
 * the server's time. The log under one head and one purge horizon does not change (a write moves
 * the head, a purge the horizon), so the next page of the same sync subtracts its own entries —
 * `(previous cursor, cursor]`, one page — from the last count. Anything else counts in full.
 * A few hundred syncs at once are remembered, the oldest forgotten first.
 */
export class RemainingCounts {
  readonly #last = new Map<string, { cursor: number; n: number }>();

  constructor(private readonly capacity = 256) {}

  async after(cursor: number, log: LogState, count: CountRange): Promise<number> {
    if (cursor >= log.head) return 0;
    const key = `${log.orgId}\n${log.head}\n${log.liveThrough}\n${log.horizon}`;
    const last = this.#last.get(key);
    const n =
      last && last.cursor <= cursor
        ? last.n - (last.cursor === cursor ? 0 : await count(last.cursor, cursor))
        : await count(cursor, log.head);
    this.#last.delete(key);
    this.#last.set(key, { cursor, n });
    if (this.#last.size > this.capacity) this.#last.delete(this.#last.keys().next().value!);
    return n;
  }
}
