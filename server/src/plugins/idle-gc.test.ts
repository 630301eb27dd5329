import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import idleGc, { IdleCollector } from './idle-gc.js';

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

  it('collects fully once after QUIET_MS, then stays still', () => {
    const { gc, calls } = recordingGc();
    const collector = new IdleCollector(gc, QUIET_MS);
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['major']);
    vi.advanceTimersByTime(10 * QUIET_MS);
    expect(calls).toEqual(['major']);
    collector.stop();
  });

  it('waits while requests keep finishing; the next burst is followed by its own collection', () => {
    const { gc, calls } = recordingGc();
    const collector = new IdleCollector(gc, QUIET_MS);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(QUIET_MS / 2);
      collector.activity();
    }
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(QUIET_MS);
    expect(calls).toEqual(['major']);
    collector.activity();
    vi.advanceTimersByTime(QUIET_MS - 1);
    collector.activity();
    vi.advanceTimersByTime(QUIET_MS - 1);
    expect(calls).toEqual(['major']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['major', 'major']);
    vi.advanceTimersByTime(10 * QUIET_MS);
    expect(calls).toEqual(['major', 'major']);
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
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['major']);
    await app.close();
    collectorGone(calls);
  });

  it('counts work outside HTTP requests (app.noteActivity: a socket push) as activity', async () => {
    const { gc, calls } = recordingGc();
    const app = Fastify();
    await app.register(idleGc, { gc, quietMs: QUIET_MS });
    await app.ready();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(QUIET_MS / 2);
      app.noteActivity();
    }
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(QUIET_MS);
    expect(calls).toEqual(['major']);
    await app.close();
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
      app.noteActivity();
      expect(vi.getTimerCount()).toBe(0);
      await app.close();
    }
    expect(calls).toEqual([]);
  });
});

/** After close the timers are gone: nothing more is collected. */
function collectorGone(calls: string[]): void {
  const before = calls.length;
  vi.advanceTimersByTime(10 * QUIET_MS);
  expect(calls.length).toBe(before);
  expect(vi.getTimerCount()).toBe(0);
}
