import { anySignal } from './platform';
import { backoffDelay, sleep, type Timers } from './timers';

/**
 * How a step of the loop ended, which decides when the next one runs:
 * - `ok`: after the slow timer (or the next wake-up);
 * - `retry`: a transient failure — exponential backoff;
 * - `refused`: a failure retrying soon cannot fix — backoff, but never faster than the slow timer;
 * - `wait`: the slow timer, without counting a failure (e.g. the server is too old);
 * - `stop`: only a wake-up runs it again (e.g. this client is too old: only an update helps).
 */
export type StepResult = 'ok' | 'retry' | 'refused' | 'wait' | 'stop';

/** Why a step runs: woken (a write, a poke, Sync now, …) or its timer ran out (slow sync, retry). */
export type StepCause = 'wake' | 'timer';

export interface LoopOptions {
  timers: Timers;
  random: () => number;
  /** Background resync interval while nothing else triggers one. */
  slowSyncMs: number;
  /** Told how long the loop waits after each step, and whether that wait is a retry. */
  onWait?: (delayMs: number, retrying: boolean) => void;
  /** After a failure: the least the server asked to wait (its `Retry-After`), else 0. */
  retryAfter?: () => number;
}

/**
 * The scheduler of the sync loop (in the spirit of Replicache's connection loop): runs a step
 * whenever woken, backs off after failures, and stops when the signal aborts. It knows
 * nothing about what a step does.
 */
export function createLoop(options: LoopOptions) {
  const { timers, random, slowSyncMs } = options;
  let dirty = false;
  /** Sync now was asked for while a step ran: the next step runs as soon as it ends. */
  let asked = false;
  let failures = 0;
  let wakeWaiter: (() => void) | null = null;

  function delayAfter(result: StepResult): number {
    switch (result) {
      case 'ok':
        failures = 0;
        return slowSyncMs;
      case 'retry':
        return Math.max(backoffDelay(++failures, random), options.retryAfter?.() ?? 0);
      case 'refused':
        return Math.max(slowSyncMs, backoffDelay(++failures, random), options.retryAfter?.() ?? 0);
      case 'wait':
        return slowSyncMs;
      case 'stop':
        return Number.POSITIVE_INFINITY;
    }
  }

  /** Resolves with whether a wake-up (not the timer) ended the wait. */
  async function waitForWake(delay: number, signal: AbortSignal): Promise<boolean> {
    const ctl = new AbortController();
    const over = anySignal([signal, ctl.signal]);
    let woken = false;
    wakeWaiter = () => {
      woken = true;
      ctl.abort();
    };
    try {
      if (Number.isFinite(delay)) await sleep(timers, delay, over);
      else
        await new Promise<void>((r) => over.addEventListener('abort', () => r(), { once: true }));
    } finally {
      wakeWaiter = null;
      // Done with `over`: made by hand (anySignal), it stops listening to `signal`.
      ctl.abort();
    }
    return woken;
  }

  /**
   * Asks for a step soon. `urgent` wake-ups (Sync now, back online, a poke) cut a backoff
   * short; a local write while the server is failing waits for the backoff instead of
   * hammering it.
   */
  function wake(urgent: boolean): void {
    dirty = true;
    if (urgent || failures === 0) wakeWaiter?.();
  }

  return {
    /** Failures since the last success: the loop is backing off. */
    get failing(): boolean {
      return failures > 0;
    },
    wake,
    /**
     * A person asked to sync now: a fresh step runs at once, or as soon as the running one
     * ends — even when that one fails (its backoff is for the next failure, not this request).
     */
    syncNow(): void {
      asked = true;
      wake(true);
    },

    /** Runs `step` until `signal` aborts. */
    async run(
      signal: AbortSignal,
      step: (signal: AbortSignal, cause: StepCause) => Promise<StepResult>,
    ) {
      failures = 0;
      let cause: StepCause = 'wake';
      while (!signal.aborted) {
        dirty = false;
        asked = false;
        const result = await step(signal, cause);
        const delay = delayAfter(result);
        if (signal.aborted) break;
        const retrying = result === 'retry' || result === 'refused';
        cause = 'wake';
        // The status says when the next attempt is: now, when it is not waited for.
        if (asked || (dirty && failures === 0)) {
          options.onWait?.(0, retrying);
          continue;
        }
        options.onWait?.(delay, retrying);
        if (!(await waitForWake(delay, signal))) cause = 'timer';
        // Cut short (Sync now, back online, a poke): the retry is now, not when it was due.
        else if (retrying) options.onWait?.(0, true);
      }
    },
  };
}
