import type { Timers } from '@outpost/shared';

export type { Timers };

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending poke or expiry must never keep the process alive on shutdown.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout overflows (fires at once) past 2^31-1 ms; long waits are clamped and re-armed. */
export const MAX_TIMER_MS = 2_147_483_647;
