import { z } from './schema.js';

/**
 * Hybrid logical clock (Kulkarni et al.): physical milliseconds + a logical counter + the
 * node (client) id. Serialized as a fixed-width string so that plain string comparison is
 * the total order, with the node id as the final tiebreak:
 *
 *   000001732300000000-0000a-<node id>
 *   └─ wall ms (15) ──┘ └counter (base 36, 5)┘
 */
const WALL_DIGITS = 15;
const COUNTER_DIGITS = 5;
const MAX_COUNTER = 36 ** COUNTER_DIGITS - 1;

/** A serialized HLC timestamp (parseHlc tests it directly, without zod's runtime). */
const HLC_PATTERN = /^\d{15}-[0-9a-z]{5}-[A-Za-z0-9_-]{1,64}$/;

// Pure: the sync engine runs this module's clock, and a bundler without the client build's
// settings would keep the schema (and zod with it) however unused.
export const hlcStringSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(HLC_PATTERN, 'must be a serialized HLC timestamp')).brand<'Hlc'>())();
export type HlcString = z.infer<typeof hlcStringSchema>;

export interface HlcTimestamp {
  readonly wall: number;
  readonly counter: number;
  readonly node: string;
}

export class HlcError extends Error {
  override name = 'HlcError';
}

export function serializeHlc(ts: HlcTimestamp): HlcString {
  if (!Number.isSafeInteger(ts.wall) || ts.wall < 0 || ts.wall >= 10 ** WALL_DIGITS) {
    throw new HlcError(`HLC wall time out of range: ${ts.wall}`);
  }
  if (ts.counter > MAX_COUNTER) throw new HlcError('HLC counter overflow');
  return `${String(ts.wall).padStart(WALL_DIGITS, '0')}-${ts.counter
    .toString(36)
    .padStart(COUNTER_DIGITS, '0')}-${ts.node}` as HlcString;
}

export function parseHlc(s: string): HlcTimestamp {
  if (!HLC_PATTERN.test(s)) throw new HlcError(`Not an HLC timestamp: ${s}`);
  const wall = hlcWallMs(s as HlcString);
  const counter = parseInt(s.slice(WALL_DIGITS + 1, WALL_DIGITS + 1 + COUNTER_DIGITS), 36);
  const node = s.slice(WALL_DIGITS + COUNTER_DIGITS + 2);
  return { wall, counter, node };
}

/** The wall-clock milliseconds of a stamp (already validated, e.g. by `hlcStringSchema`). */
export function hlcWallMs(hlc: HlcString): number {
  return Number(hlc.slice(0, WALL_DIGITS));
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The later of two stamps; an absent one (null or undefined) yields the other. */
export function laterHlc<T extends HlcString | null | undefined>(a: T, b: T): T {
  if (a === null || a === undefined) return b;
  if (b === null || b === undefined) return a;
  return compareHlc(a, b) >= 0 ? a : b;
}

export interface HlcOptions {
  /** Wall clock in ms; injected so tests can skew it or run it backwards. */
  now?: () => number;
}

/**
 * The clock of one node. `now()` stamps a local event; `receive()` folds in a remote
 * timestamp so that everything this node stamps afterwards sorts after it.
 */
export class HybridLogicalClock {
  /** The last timestamp issued or received (its node is this clock's). */
  #last: HlcTimestamp;
  readonly #now: () => number;

  constructor(node: string, options: HlcOptions = {}, last?: string) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(node)) throw new HlcError(`Invalid HLC node id: ${node}`);
    this.#now = options.now ?? Date.now;
    this.#last = last ? { ...parseHlc(last), node } : { wall: 0, counter: 0, node };
  }

  now(): HlcString {
    // No remote stamp: a wall of -1 is behind every clock.
    return this.#tick(-1, 0);
  }

  receive(remote: string): HlcString {
    const r = parseHlc(remote);
    return this.#tick(r.wall, r.counter);
  }

  /**
   * The next stamp: the latest wall of the physical clock, the last stamp and the remote one;
   * its counter one past the highest counter among those at that wall (0 if only physical).
   */
  #tick(remoteWall: number, remoteCounter: number): HlcString {
    const last = this.#last;
    const wall = Math.max(Math.floor(this.#now()), last.wall, remoteWall);
    const counter =
      Math.max(wall === last.wall ? last.counter : -1, wall === remoteWall ? remoteCounter : -1) +
      1;
    // Counter overflow only happens with > 60M events inside one millisecond; move the
    // wall forward rather than break monotonicity.
    this.#last =
      counter > MAX_COUNTER
        ? { wall: wall + 1, counter: 0, node: last.node }
        : { wall, counter, node: last.node };
    return serializeHlc(this.#last);
  }
}
