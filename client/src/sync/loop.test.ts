import { describe, expect, it } from 'vitest';
import { createLoop, type StepResult } from './loop';
import { backoffDelay, MAX_BACKOFF_MS, type Timers } from './timers';

/** Timers that record each wait and fire only when the test says so. */
function manualTimers() {
  const waits: { ms: number; fire: () => void }[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const w = { ms, fire: fn };
      waits.push(w);
      return w;
    },
    clearTimeout: (h) => {
      const i = waits.indexOf(h as (typeof waits)[number]);
      if (i >= 0) waits.splice(i, 1);
    },
  };
  return { timers, waits };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await tick();
  if (!cond()) throw new Error('condition never became true');
}

describe('backoffDelay', () => {
  it('doubles per attempt from 1 s, half fixed and half jitter, capped at 30 s', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(20, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(20, () => 0)).toBe(MAX_BACKOFF_MS / 2);
  });
});

describe('the sync loop scheduler', () => {
  function start(results: StepResult[]) {
    const { timers, waits } = manualTimers();
    const loop = createLoop({ timers, random: () => 0, slowSyncMs: 60_000 });
    const ctl = new AbortController();
    let steps = 0;
    const done = loop.run(ctl.signal, async () => results[steps++] ?? 'ok');
    return { loop, waits, ctl, done, steps: () => steps };
  }

  it('backs off exponentially after failures, waits the slow timer after a success', async () => {
    const s = start(['retry', 'retry', 'refused', 'ok']);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await until(() => s.waits.length === 1);
      delays.push(s.waits[0]!.ms);
      s.waits.shift()!.fire();
    }
    // 'refused' never retries faster than the slow timer; 'ok' resets the failure count.
    expect(delays).toEqual([500, 1000, 60_000, 60_000]);
    s.ctl.abort();
    await s.done;
  });

  it('waits at least what the server asked for (Retry-After) after a failure', async () => {
    const { timers, waits } = manualTimers();
    const asked = [5_000, 0, 90_000];
    const loop = createLoop({
      timers,
      random: () => 0,
      slowSyncMs: 60_000,
      retryAfter: () => asked.shift() ?? 0,
    });
    const ctl = new AbortController();
    const results: StepResult[] = ['retry', 'retry', 'refused', 'ok'];
    let steps = 0;
    const done = loop.run(ctl.signal, async () => results[steps++] ?? 'ok');
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await until(() => waits.length === 1);
      delays.push(waits[0]!.ms);
      waits.shift()!.fire();
    }
    // 5 s asked beats the 500 ms backoff; none asked: the backoff; 90 s beats the slow timer.
    expect(delays).toEqual([5_000, 1_000, 90_000, 60_000]);
    ctl.abort();
    await done;
  });

  it('an urgent wake cuts a backoff short; a plain one waits it out', async () => {
    const s = start(['retry', 'ok']);
    await until(() => s.waits.length === 1);
    s.loop.wake(false);
    await tick();
    expect(s.steps()).toBe(1);
    s.loop.wake(true);
    await until(() => s.steps() === 2);
    s.ctl.abort();
    await s.done;
  });

  it('Sync now pressed while a failing step runs: the next attempt starts when it ends, not after the backoff', async () => {
    const { timers, waits } = manualTimers();
    const told: [number, boolean][] = [];
    const loop = createLoop({
      timers,
      random: () => 1,
      slowSyncMs: 60_000,
      onWait: (ms, retrying) => told.push([ms, retrying]),
    });
    const ctl = new AbortController();
    // Each step hangs until the test ends it, as a request to a server that is down.
    const ends: ((r: StepResult) => void)[] = [];
    const done = loop.run(ctl.signal, () => new Promise<StepResult>((r) => ends.push(r)));
    await until(() => ends.length === 1);
    ends[0]!('retry');
    await until(() => waits.length === 1);
    expect(waits[0]!.ms).toBe(1_000);
    // During the backoff: Sync now starts the attempt at once (the wait is cleared).
    loop.syncNow();
    await until(() => ends.length === 2);
    expect(waits).toHaveLength(0);
    expect(told).toEqual([
      [1_000, true],
      [0, true], // The retry is now: "retrying now", not "in 1 s".
    ]);
    // During the failing attempt: pressed (twice), then the request fails.
    loop.syncNow();
    loop.syncNow();
    ends[1]!('retry');
    await until(() => ends.length === 3);
    // No backoff timer was waited for; the status was told the retry is now.
    expect(waits).toHaveLength(0);
    expect(told.at(-1)).toEqual([0, true]);
    // The presses were one request: this attempt's failure backs off again (doubled).
    ends[2]!('retry');
    await until(() => waits.length === 1);
    expect(waits[0]!.ms).toBe(4_000);
    // A write during a failing attempt still waits for the backoff.
    waits.shift()!.fire();
    await until(() => ends.length === 4);
    loop.wake(false);
    ends[3]!('retry');
    await until(() => waits.length === 1);
    expect(waits[0]!.ms).toBe(8_000);
    expect(ends).toHaveLength(4);
    ctl.abort();
    await done;
  });

  it("'stop' waits for a wake-up without a timer, and abort ends the loop", async () => {
    const s = start(['stop']);
    await until(() => s.steps() === 1);
    await tick();
    expect(s.waits).toHaveLength(0);
    s.ctl.abort();
    await s.done;
    expect(s.steps()).toBe(1);
  });
});
