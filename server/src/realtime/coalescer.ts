import type { OrgId, PokeCarried } from '@outpost/shared';
import { realTimers, type Timers } from './timers.js';

interface Window {
  /** Highest cursor delivered for the org in this window. */
  last: number;
  /** Highest cursor offered since the last delivery, if newer. */
  pending: number | null;
  /** The changes of `(last, pending]` when every commit folded in carried its own. */
  carried: PokeCarried | null;
  /** Deliveries that may still go out at once (one comes back per window). */
  credit: number;
  handle: unknown;
}

const FOLD_MAX_ENTRIES = 256;

/**
 * Deliveries per org that go out at once before commits are folded: two commits a few ms
 * apart (a write pushed as the previous push is answered) are not a burst, and holding the
 * second for the trailing delivery was up to a whole window on a teammate's screen.
 */
export const POKE_BURST = 3;

export type PokeDeliver = (orgId: OrgId, cursor: number, carried: PokeCarried | null) => void;

/**
 * Per-org poke coalescing, a token bucket of `POKE_BURST` deliveries refilled one per
 * `windowMs`: while the org has credit and nothing is held, a cursor is delivered at once (no
 * added latency); past it, cursors are folded into one trailing delivery carrying the newest,
 * sent at the next refill. So a burst lasting D ms yields at most ⌈D / windowMs⌉ + POKE_BURST
 * deliveries per org, and the last one always carries the latest cursor. Stale or repeated
 * cursors are dropped. Carried changes survive folding only while the folded commits form one
 * unbroken range.
 */
export class PokeCoalescer {
  readonly #windows = new Map<OrgId, Window>();

  constructor(
    private readonly deliver: PokeDeliver,
    private readonly windowMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  offer(orgId: OrgId, cursor: number, carried: PokeCarried | null = null): void {
    const w = this.#windows.get(orgId);
    if (!w) {
      this.deliver(orgId, cursor, carried);
      if (this.windowMs > 0) this.#open(orgId, cursor, POKE_BURST - 1);
      return;
    }
    if (cursor <= w.last || (w.pending !== null && cursor <= w.pending)) return;
    if (w.pending === null && w.credit > 0) {
      w.credit--;
      w.last = cursor;
      this.deliver(orgId, cursor, carried);
      return;
    }
    const chained = w.pending === null ? w.last : w.pending;
    w.carried =
      carried && carried.from === chained && (w.pending === null || w.carried)
        ? fold(w.carried, carried)
        : null;
    w.pending = cursor;
  }

  /** Orgs with an open window (for tests and metrics). */
  get openWindows(): number {
    return this.#windows.size;
  }

  close(): void {
    for (const w of this.#windows.values()) this.timers.clearTimeout(w.handle);
    this.#windows.clear();
  }

  #open(orgId: OrgId, last: number, credit: number): void {
    const handle = this.timers.setTimeout(() => this.#refill(orgId), this.windowMs);
    this.#windows.set(orgId, { last, pending: null, carried: null, credit, handle });
  }

  /** A window passed: the held cursor goes out on the new credit, or the credit is kept. */
  #refill(orgId: OrgId): void {
    const w = this.#windows.get(orgId);
    if (!w) return;
    this.#windows.delete(orgId);
    if (w.pending !== null) {
      this.deliver(orgId, w.pending, w.carried);
      this.#open(orgId, w.pending, w.credit);
    } else if (w.credit + 1 < POKE_BURST) this.#open(orgId, w.last, w.credit + 1);
  }
}

/**
 * Two consecutive ranges as one: a row written in both appears once, at its later seq (as the
 * compacted log holds it). An activity of the earlier range below the later window would
 * reach a pull only as one client's notice: then nothing is carried.
 */
function fold(earlier: PokeCarried | null, later: PokeCarried): PokeCarried | null {
  if (!earlier) return later;
  // Far past what fits in a poke (`POKE_CARRY_MAX_BYTES`): stop holding them.
  if (earlier.changes.length + later.changes.length > FOLD_MAX_ENTRIES) return null;
  if (earlier.changes.some((c) => c.entity === 'activity' && c.seq < later.activityFloor))
    return null;
  const laterIds = new Set(later.changes.map((c) => c.entityId));
  return {
    from: earlier.from,
    changes: [...earlier.changes.filter((c) => !laterIds.has(c.entityId)), ...later.changes],
    activityFloor: later.activityFloor,
  };
}
