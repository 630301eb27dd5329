import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedRepository } from '../src/external/embedded-repository.js';
import { LruResponseCache } from '../src/external/cache.js';
import { ExternalDataService } from '../src/external/service.js';
import { DocumentValidator } from '../src/external/validate.js';
import {
  SourceGuard,
  SourceTimeoutError,
  TransientSourceError,
  isTransient,
  realTimers,
  type BreakerState,
  type ResilienceOptions,
} from '../src/external/resilience.js';
import { AppError } from '../src/errors.js';
import {
  MongoError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
} from 'mongodb';
import { sampleDocs, silentLog, SwitchableRepository, breakerState } from './external-fixtures.js';

const guards: SourceGuard[] = [];
afterEach(() => {
  for (const g of guards.splice(0)) g.shutdown();
});

function makeGuard(overrides: Partial<ResilienceOptions> = {}) {
  const sleeps: number[] = [];
  const guard = new SourceGuard(
    {
      timeoutMs: 1_000,
      retries: 2,
      backoffBaseMs: 100,
      backoffMaxMs: 1_000,
      volumeThreshold: 3,
      errorThresholdPercentage: 50,
      rollingWindowMs: 60_000,
      resetTimeoutMs: 60_000,
      ...overrides,
    },
    { ...realTimers, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, log: silentLog },
  );
  guards.push(guard);
  return { guard, sleeps };
}

describe('SourceGuard', () => {
  it('retries transient failures with exponential backoff, then returns the result', async () => {
    const { guard, sleeps } = makeGuard({ volumeThreshold: 100 });
    let calls = 0;
    const result = await guard.run(async () => {
      calls++;
      if (calls < 3) throw new TransientSourceError('blip');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    // Equal jitter with random() = 0.5: ¾ of 100, then of 200.
    expect(sleeps).toEqual([75, 150]);
  });

  it('does not retry an error that is not transient', async () => {
    const { guard, sleeps } = makeGuard();
    let calls = 0;
    await expect(
      guard.run(async () => {
        calls++;
        throw new Error('bad query');
      }),
    ).rejects.toThrow('bad query');
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('aborts an attempt that outlives its timeout, and retries it', async () => {
    const { guard } = makeGuard({ timeoutMs: 20, retries: 1, volumeThreshold: 100 });
    const signals: AbortSignal[] = [];
    const err = await guard
      .run((signal) => {
        signals.push(signal);
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceTimeoutError);
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('opens after repeated failures, fails fast while open, half-opens after the reset timeout and closes on success', async () => {
    const { guard } = makeGuard({ retries: 0, volumeThreshold: 3, resetTimeoutMs: 400 });
    const states: BreakerState[] = [];
    guard.onStateChange((s) => states.push(s));
    let calls = 0;
    let failing = true;
    const op = async () => {
      calls++;
      if (failing) throw new TransientSourceError('down');
      return 'up';
    };
    for (let i = 0; i < 3; i++)
      await expect(guard.run(op)).rejects.toBeInstanceOf(TransientSourceError);
    expect(guard.state).toBe('open');
    await expect(guard.run(op)).rejects.toMatchObject({ code: 'EOPENBREAKER' });
    expect(calls).toBe(3);

    await breakerState(guard, 'half-open');
    failing = false;
    expect(await guard.run(op)).toBe('up');
    expect(guard.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('reopens when the half-open trial fails', async () => {
    const { guard } = makeGuard({ retries: 0, volumeThreshold: 1, resetTimeoutMs: 30 });
    const op = async () => {
      throw new TransientSourceError('still down');
    };
    await expect(guard.run(op)).rejects.toThrow();
    await breakerState(guard, 'half-open');
    await expect(guard.run(op)).rejects.toBeInstanceOf(TransientSourceError);
    expect(guard.state).toBe('open');
  });

  it('does not count client errors (a bad cursor) against the source', async () => {
    const { guard } = makeGuard({ retries: 0, volumeThreshold: 1 });
    await expect(
      guard.run(async () => Promise.reject(new AppError('BAD_CURSOR'))),
    ).rejects.toBeInstanceOf(AppError);
    expect(guard.state).toBe('closed');
  });
});

describe('isTransient (without loading the driver itself)', () => {
  it("knows the driver's transient errors by class, subclasses included, and retryable labels", () => {
    expect(isTransient(new MongoNetworkError('reset'))).toBe(true);
    expect(isTransient(new MongoNetworkTimeoutError('slow'))).toBe(true);
    expect(isTransient(new MongoServerSelectionError('no primary', {} as never))).toBe(true);
    expect(isTransient(new MongoOperationTimeoutError('timed out'))).toBe(true);
    const labelled = new MongoError('pool reset');
    labelled.addErrorLabel('ResetPool');
    expect(isTransient(labelled)).toBe(true);
    expect(isTransient(new MongoError('duplicate key'))).toBe(false);
    expect(isTransient(new Error('MongoNetworkError'))).toBe(false);
    expect(isTransient(new TransientSourceError('down'))).toBe(true);
  });
});

describe('ExternalDataService (cache-aside, stale fallback)', () => {
  function setup() {
    let now = 1_000_000;
    const source = new SwitchableRepository(
      new EmbeddedRepository(sampleDocs(25), new DocumentValidator(silentLog)),
    );
    const { guard } = makeGuard({ retries: 0, volumeThreshold: 100 });
    const service = new ExternalDataService(
      source,
      guard,
      new LruResponseCache({ max: 100, retentionMs: 86_400_000 }),
      {
        freshMs: 60_000,
        now: () => now,
        log: silentLog,
      },
    );
    return { service, source, advance: (ms: number) => (now += ms) };
  }

  it('serves a fresh cached page without asking the source, and asks again after the TTL', async () => {
    const { service, source, advance } = setup();
    const first = await service.list({ limit: 10 });
    expect(first.value.total).toBe(25);
    const calls = source.calls;
    const again = await service.list({ limit: 10, q: undefined });
    expect(source.calls).toBe(calls);
    expect(again.etag).toBe(first.etag);
    advance(60_001);
    await service.list({ limit: 10 });
    expect(source.calls).toBeGreaterThan(calls);
  });

  it('shares one cache entry between searches that differ only in case and spacing', async () => {
    const { service, source } = setup();
    await service.list({ q: 'Drill', limit: 5 });
    const calls = source.calls;
    const b = await service.list({ q: '  dRILL ', limit: 5 });
    expect(source.calls).toBe(calls);
    expect(b.value.data.every((r) => /drill/i.test(r.name))).toBe(true);
  });

  it('serves the last good copy flagged stale with its age when the source fails', async () => {
    const { service, source, advance } = setup();
    const fresh = await service.list({ limit: 10 });
    advance(90_000);
    source.mode = 'fail';
    const stale = await service.list({ limit: 10 });
    expect(stale.stale).toBe(true);
    expect(stale.staleAgeMs).toBe(90_000);
    expect(stale.value).toEqual(fresh.value);
  });

  it('throws UNAVAILABLE (503) when the source fails and nothing is cached', async () => {
    const { service, source } = setup();
    source.mode = 'fail';
    await expect(service.list({ limit: 10 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      status: 503,
    });
  });

  it('makes one source call for concurrent misses of the same page', async () => {
    const { service, source } = setup();
    const pages = await Promise.all([
      service.list({ limit: 7 }),
      service.list({ limit: 7 }),
      service.list({ limit: 7 }),
    ]);
    // list + count for the first page, once.
    expect(source.calls).toBe(2);
    expect(new Set(pages.map((p) => p.etag)).size).toBe(1);
  });
});
