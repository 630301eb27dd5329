import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import idleGc, { IdleCollector, SETTLE_MS } from './idle-gc.js';

const QUIET_MS = 1_000;

/** A stand-in for node's gc() that records which collections were asked for. */
function recordingGc() {
  const calls: string[] = [];
  const gc = ((options?: NodeJS.GCOptions) => {
    calls.push(options?.type ?? 'major');
  }) as NodeJS.GCFunction;
  return { gc, calls };
}

describe('collecting once the server is quiet', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('scavenges after QUIET_MS, collects fully SETTLE_MS later, then stays still', () => {
    const { gc, calls } = recordingGc();
    const collector = new IdleCollector(gc, QUIET_MS);
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['minor']);
    vi.advanceTimersByTime(SETTLE_MS);
    expect(calls).toEqual(['minor', 'major']);
    vi.advanceTimersByTime(10 * SETTLE_MS);
    expect(calls).toEqual(['minor', 'major']);
    collector.stop();
  });

  it('waits while requests keep finishing, and a request while settling restarts the wait', () => {
    const { gc, calls } = recordingGc();
    const collector = new IdleCollector(gc, QUIET_MS);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(QUIET_MS / 2);
      collector.activity();
    }
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(QUIET_MS);
    expect(calls).toEqual(['minor']);
    vi.advanceTimersByTime(SETTLE_MS - 1);
    collector.activity();
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['minor']);
    vi.advanceTimersByTime(QUIET_MS);
    expect(calls).toEqual(['minor', 'minor']);
    vi.advanceTimersByTime(SETTLE_MS);
    expect(calls).toEqual(['minor', 'minor', 'major']);
    // After the full collection, the next burst is followed by its own pair.
    collector.activity();
    vi.advanceTimersByTime(QUIET_MS + SETTLE_MS);
    expect(calls).toEqual(['minor', 'minor', 'major', 'minor', 'major']);
    collector.stop();
  });

  it('counts the start and every answered request as activity in the plugin', async () => {
    const { gc, calls } = recordingGc();
    const app = Fastify();
    await app.register(idleGc, { gc, quietMs: QUIET_MS });
    app.get('/', async () => 'ok');
    await app.ready();
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect((await app.inject('/')).statusCode).toBe(200);
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1 + SETTLE_MS);
    expect(calls).toEqual(['minor', 'major']);
    await app.close();
    collectorGone(calls);
  });

  it('is off with IDLE_GC_MS=0, and without gc (node started without --expose-gc)', async () => {
    const { gc, calls } = recordingGc();
    for (const options of [
      { gc, quietMs: 0 },
      { gc: undefined, quietMs: QUIET_MS },
    ]) {
      const app = Fastify({ logger: false });
      await app.register(idleGc, options);
      await app.ready();
      expect(vi.getTimerCount()).toBe(0);
      await app.close();
    }
    expect(calls).toEqual([]);
  });
});

/** After close the timers are gone: nothing more is collected. */
function collectorGone(calls: string[]): void {
  const before = calls.length;
  vi.advanceTimersByTime(10 * (QUIET_MS + SETTLE_MS));
  expect(calls.length).toBe(before);
  expect(vi.getTimerCount()).toBe(0);
}
