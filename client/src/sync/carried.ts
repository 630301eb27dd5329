import type { HlcString, PokeCarried } from '@outpost/shared';
import type { SyncEvent } from './events';
import { applyPage } from './mirror';
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
  #counted = 0;

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

  /**
   * An answer through `lastMutationId` was counted off `pending` but not recorded: its echo,
   * already here, takes its entries out (`PushOptions.recordedByEcho`).
   */
  count(lastMutationId: number): void {
    this.#counted = Math.max(this.#counted, lastMutationId);
  }

  /** Entries through this id left the pending count already: taking them out changes nothing. */
  get counted(): number {
    return this.#counted;
  }

  clear(): void {
    this.#pushes = [];
    this.#counted = 0;
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
    // Planned from `stored` (one round trip) unless it settles pushes.
    const acked = await applyPage(replica, page, {
      reset: false,
      now: state.now,
      expectCursor: page.from,
      stored: state.stored,
      ...(ackId !== null ? { settled: ackId, counted: state.echoes.counted } : {}),
    });
    // The stored cursor moved under us (it never should: only the leader writes it).
    if (acked === null) return true;
    yield { type: 'pulled', page, progress: undefined, notify: true };
    if (acked > 0) yield { type: 'acked' };
  }
  return false;
}

/**
 * What the replica's `meta` held as of the last page this leader applied (what it read, plus
 * what it wrote): the next carried page is planned from it (`ApplyOptions.stored`).
 */
export interface StoredMeta {
  /** The later of `lastHlc` and the last stamp a local write issued (`storedClock`). */
  clock: HlcString | undefined;
  /** The activity floor as last read or raised here (a pull may have raised it since). */
  activityFloor?: number;
}
