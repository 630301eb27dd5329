import { describe, expect, it } from 'vitest';
import { RemainingCounts, type LogState } from './remaining.js';

/** A log of live entries at these seqs, counted as the store does: `(after, upTo]`. */
function log(seqs: number[]) {
  const ranges: [number, number][] = [];
  const count = async (after: number, upTo: number) => {
    ranges.push([after, upTo]);
    return seqs.filter((s) => s > after && s <= upTo).length;
  };
  return { count, ranges };
}

const state = (head: number, more: Partial<LogState> = {}): LogState => ({
  orgId: 'org_a',
  head,
  liveThrough: 0,
  horizon: 0,
  ...more,
});

describe('RemainingCounts', () => {
  const seqs = [2, 3, 5, 8, 9, 12, 15, 16, 20];

  it('counts a sync once, then subtracts each page, with the same figures as a full count', async () => {
    const counts = new RemainingCounts();
    const { count, ranges } = log(seqs);
    const cursors = [3, 8, 12, 16];
    const got = [];
    for (const c of cursors) got.push(await counts.after(c, state(20), count));
    expect(got).toEqual(cursors.map((c) => seqs.filter((s) => s > c).length));
    // One full count, then one page each — never the whole rest again.
    expect(ranges).toEqual([
      [3, 20],
      [3, 8],
      [8, 12],
      [12, 16],
    ]);
    expect(await counts.after(20, state(20), count)).toBe(0);
  });

  it('counts in full when the log may have changed or the cursor went back', async () => {
    const counts = new RemainingCounts();
    const { count, ranges } = log(seqs);
    await counts.after(12, state(20), count);
    // A write moved the head; a purge moved the horizon; another tombstone cut; another org.
    await counts.after(8, state(21), count);
    await counts.after(12, state(21, { horizon: 4 }), count);
    await counts.after(12, state(21, { horizon: 4, liveThrough: 9 }), count);
    await counts.after(12, state(21, { horizon: 4, liveThrough: 9, orgId: 'org_b' }), count);
    // A replica that starts again from an earlier cursor under the same log.
    expect(await counts.after(5, state(20), count)).toBe(seqs.filter((s) => s > 5).length);
    expect(ranges).toEqual([
      [12, 20],
      [8, 21],
      [12, 21],
      [12, 21],
      [12, 21],
      [5, 20],
    ]);
  });

  it('remembers a bounded number of syncs, forgetting the oldest', async () => {
    const counts = new RemainingCounts(2);
    const { count, ranges } = log(seqs);
    await counts.after(3, state(20, { orgId: 'a' }), count);
    await counts.after(3, state(20, { orgId: 'b' }), count);
    await counts.after(3, state(20, { orgId: 'c' }), count);
    await counts.after(8, state(20, { orgId: 'c' }), count);
    await counts.after(8, state(20, { orgId: 'a' }), count);
    expect(ranges.slice(3)).toEqual([
      [3, 8],
      [8, 20],
    ]);
  });
});
