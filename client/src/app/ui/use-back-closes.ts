import { useEffect, useRef } from 'react';

/** Marks the history entry (at the same address) that stands for a mode while it is on. */
const MODE_ENTRY = 'outpost:mode';

function onModeEntry(): boolean {
  const state: unknown = window.history.state;
  return typeof state === 'object' && state !== null && MODE_ENTRY in state;
}

// Mounts holding the entry: StrictMode's second mount keeps the first one's entry.
let holders = 0;

/**
 * While `on`, a mode (a phone's Select) has a history entry of its own at the same address,
 * so Back, a phone's back gesture, calls `off` instead of leaving the screen. Left another
 * way (Done, Escape), the mode takes its entry back off, so Back then leaves as before.
 */
export function useBackCloses(on: boolean, off: () => void): void {
  const latest = useRef(off);
  latest.current = off;
  useEffect(() => {
    if (!on) return;
    if (!onModeEntry()) window.history.pushState({ [MODE_ENTRY]: true }, '');
    holders++;
    let popped = false;
    const onPop = () => {
      popped = true;
      latest.current();
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      holders--;
      queueMicrotask(() => {
        if (!popped && holders === 0 && onModeEntry()) window.history.back();
      });
    };
  }, [on]);
}
