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
