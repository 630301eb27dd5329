import CircuitBreaker from 'opossum';
import { AppError } from '../errors.js';

export interface ResilienceOptions {
  /** Per attempt; the attempt's AbortSignal fires when it passes. */
  timeoutMs: number;
  /** Extra attempts after a transient failure (0 = no retry). */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Failures within the rolling window before the breaker may open. */
  volumeThreshold: number;
  errorThresholdPercentage: number;
  rollingWindowMs: number;
  /** Open → half-open after this long; one trial call then closes or reopens it. */
  resetTimeoutMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  timeoutMs: 3_000,
  retries: 2,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
  volumeThreshold: 5,
  errorThresholdPercentage: 50,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 15_000,
};

export interface GuardDeps {
  /** Waits between retries; tests pass one that records and returns at once. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). */
  random: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** A source error worth retrying (the test doubles throw it; Mongo errors are classified below). */
export class TransientSourceError extends Error {
  override name = 'TransientSourceError';
}

export class SourceTimeoutError extends Error {
  override name = 'SourceTimeoutError';
  constructor(ms: number) {
    super(`The external source did not answer within ${ms} ms`);
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

type Op = (signal: AbortSignal) => Promise<unknown>;

/**
 * Every call to the external source goes through here: a timeout per attempt, retries with
 * exponential backoff and jitter for transient errors, and a circuit breaker (opossum) that
 * fails fast while the source is down so requests fall back to stale copies at once.
 */
export class SourceGuard {
  readonly #breaker: CircuitBreaker<[Op], unknown>;
  readonly #opts: ResilienceOptions;
  readonly #deps: GuardDeps;

  constructor(opts: ResilienceOptions, deps: GuardDeps) {
    this.#opts = opts;
    this.#deps = deps;
    this.#breaker = new CircuitBreaker<[Op], unknown>((op) => this.#attempt(op), {
      name: 'external-data',
      // Timeouts are ours (per attempt, with an AbortSignal); opossum's would abort a shared controller.
      timeout: false,
      volumeThreshold: opts.volumeThreshold,
      errorThresholdPercentage: opts.errorThresholdPercentage,
      rollingCountTimeout: opts.rollingWindowMs,
      resetTimeout: opts.resetTimeoutMs,
      // A bad cursor or other client error says nothing about the source's health.
      errorFilter: (err: unknown) => err instanceof AppError,
    });
    this.#breaker.on('open', () =>
      deps.log.warn({ breaker: 'external-data' }, 'external source circuit opened'),
    );
    this.#breaker.on('halfOpen', () =>
      deps.log.info({ breaker: 'external-data' }, 'external source circuit half-open'),
    );
    this.#breaker.on('close', () =>
      deps.log.info({ breaker: 'external-data' }, 'external source circuit closed'),
    );
  }

  get state(): BreakerState {
    if (this.#breaker.opened) return 'open';
    if (this.#breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Subscribes to breaker transitions (for metrics, and for tests to await a state). */
  onStateChange(listener: (state: BreakerState) => void): () => void {
    const open = () => listener('open');
    const half = () => listener('half-open');
    const close = () => listener('closed');
    this.#breaker.on('open', open);
    this.#breaker.on('halfOpen', half);
    this.#breaker.on('close', close);
    return () => {
      this.#breaker.off('open', open);
      this.#breaker.off('halfOpen', half);
      this.#breaker.off('close', close);
    };
  }

  async run<T>(op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.#breaker.fire(op)) as T;
      } catch (err) {
        if (attempt >= this.#opts.retries || !isTransient(err)) throw err;
        const ceiling = Math.min(this.#opts.backoffMaxMs, this.#opts.backoffBaseMs * 2 ** attempt);
        // "Equal jitter": at least half the ceiling, so retries from many requests spread out.
        await this.#deps.sleep(Math.round(ceiling / 2 + (ceiling / 2) * this.#deps.random()));
      }
    }
  }

  shutdown(): void {
    this.#breaker.shutdown();
  }

  #attempt(op: Op): Promise<unknown> {
    const controller = new AbortController();
    const ms = this.#opts.timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = this.#deps.setTimeout(() => {
        const err = new SourceTimeoutError(ms);
        controller.abort(err);
        reject(err);
      }, ms);
      op(controller.signal).then(
        (value) => {
          this.#deps.clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          this.#deps.clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}

/** Whether another attempt may succeed: network trouble, timeouts, and errors the driver labels retryable. */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransientSourceError || err instanceof SourceTimeoutError) return true;
  const classes = driverClasses(err);
  if (classes.has('MongoNetworkError') || classes.has('MongoServerSelectionError')) return true;
  if (classes.has('MongoOperationTimeoutError')) return true;
  if (classes.has('MongoError')) {
    const labelled = err as { hasErrorLabel(label: string): boolean };
    return labelled.hasErrorLabel('RetryableReadError') || labelled.hasErrorLabel('ResetPool');
  }
  return false;
}

/**
 * The names of the driver's error classes `err` is an instance of (its prototype chain):
 * `instanceof` would need the driver loaded, which only a MongoDB source does.
 */
function driverClasses(err: unknown): Set<string> {
  const names = new Set<string>();
  if (!(err instanceof Error)) return names;
  for (let p: unknown = Object.getPrototypeOf(err); p && p !== Error.prototype;) {
    const name = (p as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name.startsWith('Mongo')) names.add(name);
    p = Object.getPrototypeOf(p);
  }
  return names;
}

export const realTimers = {
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    }),
};
