import type { Timers } from '@outpost/shared';

export type { Timers };

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending poke or expiry must never keep the process alive on shutdown.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => {
    const t = handle as NodeJS.Timeout;
    // Node (20) drops the per-duration list of a cleared timer only if the timer is ref'd: a
    // cleared unref'd one leaves its empty list queued until the original delay ends. A
    // session's expiry timer has a delay of its own (the token's remaining life, up to weeks
    // for a sync credential), so every closed socket left one behind (~240 B). ref() first:
    // the list goes at once, and the cleared timer holds nothing open.
    t.ref();
    clearTimeout(t);
  },
};

/** setTimeout overflows (fires at once) past 2^31-1 ms; long waits are clamped and re-armed. */
export const MAX_TIMER_MS = 2_147_483_647;
