import type { OrgId } from '@outpost/shared';
import { realTimers, type Timers } from './timers.js';

interface Window {
  /** Highest cursor delivered for the org in this window. */
  last: number;
  /** Highest cursor offered since the last delivery, if newer. */
  pending: number | null;
  handle: unknown;
}

/**
 * Per-org poke coalescing. The first cursor of a quiet org is delivered at once (no added
 * latency); later cursors within `windowMs` are folded into one trailing delivery carrying the
 * newest cursor. So a burst lasting D ms yields at most ⌈D / windowMs⌉ + 1 deliveries per org,
 * and the last one always carries the latest cursor. Stale or repeated cursors are dropped.
 */
export class PokeCoalescer {
  readonly #windows = new Map<OrgId, Window>();

  constructor(
    private readonly deliver: (orgId: OrgId, cursor: number) => void,
    private readonly windowMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  offer(orgId: OrgId, cursor: number): void {
    const w = this.#windows.get(orgId);
    if (!w) {
      this.deliver(orgId, cursor);
      if (this.windowMs > 0) this.#open(orgId, cursor);
      return;
    }
    if (cursor <= w.last || (w.pending !== null && cursor <= w.pending)) return;
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

  #open(orgId: OrgId, last: number): void {
    const handle = this.timers.setTimeout(() => this.#flush(orgId), this.windowMs);
    this.#windows.set(orgId, { last, pending: null, handle });
  }

  #flush(orgId: OrgId): void {
    const w = this.#windows.get(orgId);
    this.#windows.delete(orgId);
    if (w?.pending == null) return;
    this.deliver(orgId, w.pending);
    this.#open(orgId, w.pending);
  }
}
