/**
 * A seeded PRNG (mulberry32): every random choice of a chaos run comes from one seed, so a
 * failing schedule is replayed with `SEED=…`. (Process timing is not seeded: a kill lands
 * wherever the server happens to be, which is the point.)
 */
export class Rng {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.int(items.length)]!;
  }

  /** A child generator for an independent stream (one per replica, one per schedule). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 2 ** 32));
  }
}

/** A fresh seed when none is given (printed, so the run can be replayed). */
export function seedFrom(env: string | undefined): number {
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32)
      throw new Error(`SEED must be an integer in [0, 2^32), got "${env}"`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 32);
}
