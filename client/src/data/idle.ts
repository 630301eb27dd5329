/**
 * Runs `fn` once the main thread is idle (or after `timeoutMs` at the latest); returns a
 * cancel. Without `requestIdleCallback` (tests, older Safari) it runs on the next task.
 */
export function whenIdle(fn: () => void, timeoutMs = 2000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(() => fn(), { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(fn, 0);
  return () => clearTimeout(timer);
}

/** How long `afterPaint` waits at most for a frame (a hidden tab paints none). */
const PAINT_WAIT_MS = 100;

/**
 * Runs `fn` in a task after the next frame (what was just rendered is on screen), or after
 * `PAINT_WAIT_MS` if no frame comes; returns a cancel. Without `requestAnimationFrame` (tests)
 * it runs on the next task.
 */
export function afterPaint(fn: () => void): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cancel();
    fn();
  };
  const timers: ReturnType<typeof setTimeout>[] = [];
  let frame: number | undefined;
  const cancel = () => {
    done = true;
    timers.forEach(clearTimeout);
    if (frame !== undefined) cancelAnimationFrame(frame);
  };
  if (typeof requestAnimationFrame !== 'function') timers.push(setTimeout(run, 0));
  else {
    frame = requestAnimationFrame(() => {
      frame = undefined;
      timers.push(setTimeout(run, 0));
    });
    timers.push(setTimeout(run, PAINT_WAIT_MS));
  }
  return cancel;
}
