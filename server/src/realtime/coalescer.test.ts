import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrgId } from '@outpost/shared';
import { POKE_BURST, PokeCoalescer } from './coalescer.js';
import type { Timers } from './timers.js';

/** Hand-driven time: timers fire only when the test advances the clock. */
class ManualTimers implements Timers {
  now = 0;
  #next = 1;
  readonly #due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.#due.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.#due.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = until;
  }
  get pending(): number {
    return this.#due.size;
  }
}

const A = 'org_a' as OrgId;
const B = 'org_b' as OrgId;

function setup(windowMs = 10) {
  const timers = new ManualTimers();
  const out: { org: OrgId; cursor: number; at: number }[] = [];
  const c = new PokeCoalescer(
    (org, cursor) => out.push({ org, cursor, at: timers.now }),
    windowMs,
    timers,
  );
  return { timers, out, c };
}

describe('PokeCoalescer', () => {
  it('delivers the first cursor of a quiet org at once', () => {
    const { c, out } = setup();
    c.offer(A, 1);
    expect(out).toEqual([{ org: A, cursor: 1, at: 0 }]);
  });

  it('delivers a commit a few ms after the previous one at once: two are not a burst', () => {
    const { c, out, timers } = setup();
    c.offer(A, 1);
    timers.advance(4);
    c.offer(A, 2);
    expect(out).toEqual([
      { org: A, cursor: 1, at: 0 },
      { org: A, cursor: 2, at: 4 },
    ]);
  });

  it('folds a burst past its credit into one trailing delivery with the newest cursor', () => {
    const { c, out, timers } = setup();
    for (let i = 1; i <= 100; i++) c.offer(A, i);
    const atOnce = Array.from({ length: POKE_BURST }, (_, i) => i + 1);
    expect(out.map((o) => o.cursor)).toEqual(atOnce);
    timers.advance(10);
    expect(out.map((o) => o.cursor)).toEqual([...atOnce, 100]);
    // The credit comes back one per window; then the org is quiet again (no timer left).
    timers.advance(10 * (POKE_BURST + 1));
    expect(out).toHaveLength(POKE_BURST + 1);
    expect(timers.pending).toBe(0);
    expect(c.openWindows).toBe(0);
    c.offer(A, 101);
    expect(out.at(-1)).toEqual({ org: A, cursor: 101, at: timers.now });
  });

  it('a held cursor waits at most one window', () => {
    const { c, out, timers } = setup();
    for (let i = 1; i <= POKE_BURST + 1; i++) c.offer(A, i);
    timers.advance(9);
    expect(out).toHaveLength(POKE_BURST);
    timers.advance(1);
    expect(out.at(-1)).toEqual({ org: A, cursor: POKE_BURST + 1, at: 10 });
  });

  it('keeps orgs independent', () => {
    const { c, out } = setup();
    c.offer(A, 5);
    c.offer(B, 1);
    expect(out.map((o) => [o.org, o.cursor])).toEqual([
      [A, 5],
      [B, 1],
    ]);
  });

  it('drops stale and repeated cursors', () => {
    const { c, out, timers } = setup();
    c.offer(A, 10);
    c.offer(A, 10);
    c.offer(A, 7);
    timers.advance(10);
    expect(out.map((o) => o.cursor)).toEqual([10]);
  });

  it('with a zero window delivers every cursor', () => {
    const { c, out, timers } = setup(0);
    c.offer(A, 1);
    c.offer(A, 2);
    expect(out.map((o) => o.cursor)).toEqual([1, 2]);
    expect(timers.pending).toBe(0);
  });

  it('close() cancels pending deliveries', () => {
    const { c, out, timers } = setup();
    for (let i = 1; i <= POKE_BURST + 1; i++) c.offer(A, i);
    c.close();
    timers.advance(100);
    expect(out).toHaveLength(POKE_BURST);
  });

  it('for any arrival pattern: at most POKE_BURST + 1 deliveries within a window, nothing left waiting, the max delivered', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 25 }),
            cursor: fc.integer({ min: 1, max: 1000 }),
          }),
          { minLength: 1, maxLength: 200 },
        ),
        (events) => {
          const { c, out, timers } = setup(10);
          for (const e of events) {
            timers.advance(e.gap);
            c.offer(A, e.cursor);
          }
          timers.advance(1000);
          const offered = new Set(events.map((e) => e.cursor));
          expect(out.every((o) => offered.has(o.cursor))).toBe(true);
          expect(out.map((o) => o.cursor)).toContain(Math.max(...offered));
          // The credit, and at most one refill inside any span shorter than a window.
          for (let i = POKE_BURST + 1; i < out.length; i++)
            expect(out[i]!.at - out[i - POKE_BURST - 1]!.at).toBeGreaterThanOrEqual(10);
          // Nothing held longer than a window: the newest cursor so far is out within 10 ms.
          let t = 0;
          let max = 0;
          for (const e of events) {
            t += e.gap;
            max = Math.max(max, e.cursor);
            expect(out.some((o) => o.cursor >= max && o.at <= t + 10)).toBe(true);
          }
          // (A stale cursor offered after a quiet window may be delivered again; each socket
          // drops cursors it has already seen.)
          expect(timers.pending).toBe(0);
        },
      ),
    );
  });
});
