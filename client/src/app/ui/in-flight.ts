import { useCallback, useRef, useState } from 'react';

/**
 * A one-shot action that must not act twice (Add, Use mine): while one run is in flight, a
 * second (Enter twice, a double click — both land before the first write resolves) does
 * nothing. `busy` is for the button to say it is working ("Adding…", `aria-disabled`: focus
 * stays on it, so a failure can be retried from where the person is). The ref, not the state,
 * is the guard: two submits in one frame both see the state from before the first.
 */
export function useInFlight(): {
  busy: boolean;
  run(fn: () => Promise<unknown>): Promise<void>;
} {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await fn();
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, run };
}
