import type { SharedResource } from '@outpost/shared';
import {
  TransientSourceError,
  type BreakerState,
  type SourceGuard,
} from '../src/external/resilience.js';
import type {
  ResourceCriteria,
  ResourceListQuery,
  ResourcePage,
  SharedResourceRepository,
} from '../src/external/repository.js';

export const silentLog = { warn: () => {}, info: () => {}, error: () => {} };

/** Captures warn calls so a test can assert what was logged. */
export function recordingLog() {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  return {
    warnings,
    warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
    info: () => {},
  };
}

export type FailMode = 'ok' | 'fail' | 'hang';

/**
 * Wraps a real repository and fails on command: `fail` throws a transient error, `hang`
 * never answers (until the attempt's signal aborts). Counts calls that reached it.
 */
export class SwitchableRepository implements SharedResourceRepository {
  mode: FailMode = 'ok';
  calls = 0;

  constructor(private readonly inner: SharedResourceRepository) {}

  get kind() {
    return this.inner.kind;
  }
  get invalidCount() {
    return this.inner.invalidCount;
  }

  list(query: ResourceListQuery, signal?: AbortSignal): Promise<ResourcePage> {
    return this.#gate(signal, () => this.inner.list(query, signal));
  }
  get(id: string, signal?: AbortSignal): Promise<SharedResource | null> {
    return this.#gate(signal, () => this.inner.get(id, signal));
  }
  count(criteria: ResourceCriteria, signal?: AbortSignal): Promise<number> {
    return this.#gate(signal, () => this.inner.count(criteria, signal));
  }
  close() {
    return this.inner.close();
  }

  #gate<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    this.calls++;
    switch (this.mode) {
      case 'ok':
        return run();
      case 'fail':
        return Promise.reject(new TransientSourceError('source down (test)'));
      case 'hang':
        return new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
    }
  }
}

/** A small valid dataset with predictable ids and names. */
export function sampleDocs(n: number): SharedResource[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `r${String(i).padStart(4, '0')}`,
    name: i % 3 === 0 ? `Drill ${i}` : `Manual ${i}`,
    data: { kind: i % 2 === 0 ? 'equipment' : 'document' },
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  }));
}

/** Resolves when the breaker is in `state` (at once if it already is); rejects after `ms`. */
export function breakerState(guard: SourceGuard, state: BreakerState, ms = 5_000): Promise<void> {
  if (guard.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`breaker did not become ${state} within ${ms} ms (is ${guard.state})`));
    }, ms);
    const stop = guard.onStateChange((s) => {
      if (s !== state) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
