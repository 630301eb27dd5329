type PostTask = (task: () => void, options: { priority: 'user-blocking' }) => Promise<unknown>;

let queued: Set<() => void> | null = null;

function runQueued(): void {
  const listeners = queued!;
  queued = null;
  for (const listener of listeners) listener();
}

/**
 * Calls `listener` in a task of its own, right after the current one (a user-blocking task
 * where the browser has `scheduler.postTask`), with every other listener queued meanwhile — one
 * React render for them all.
 *
 * A view patched in a commit's own event tells React here rather than at once: React renders
 * what a store told it in a microtask, and the commit of a local write is also where the
 * engine's follow-up starts — its push, which leaves in the microtasks after the commit. Told
 * at once, the writer rendered its list (~10 ms, 3 React commits on a 2,000-task project)
 * before its push left; told here, the push leaves first and the render follows at once.
 */
export function publishSoon(listener: () => void): void {
  if (queued) {
    queued.add(listener);
    return;
  }
  queued = new Set([listener]);
  const postTask = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler?.postTask;
  if (postTask) {
    void postTask.call((globalThis as { scheduler?: unknown }).scheduler, runQueued, {
      priority: 'user-blocking',
    });
    return;
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    runQueued();
  };
  channel.port2.postMessage(null);
}
