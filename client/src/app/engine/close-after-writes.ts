import { wrapWrites, type Writes } from './removed';

/**
 * The client with its local writes counted while they are in flight, and a close that waits for
 * them. A field going away with the workspace (switching org, here or in another tab) saves its
 * text as it unmounts, which React runs after the workspace has told the engine to close: closed
 * at once, the database refused that write (Dexie's `DatabaseClosedError`) and a task's notes
 * typed just before the switch were gone, unsaid.
 */
export function closeAfterWrites<C extends Writes>(
  client: C,
  close: () => void,
): { client: C; close: () => Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  const counted = wrapWrites(client, (write) => (...args) => {
    const written = write(...args);
    inFlight.add(written);
    const done = () => void inFlight.delete(written);
    written.then(done, done);
    return written;
  });
  return {
    client: counted,
    async close() {
      // A write started while waiting (another field's save) is waited for too.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      close();
    },
  };
}
