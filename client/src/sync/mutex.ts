/**
 * One holder at a time, in arrival order: the leader's push lane and its loop both push, and
 * two pushes in flight at once could reach the server out of order (a mutation gap).
 */
export function createMutex() {
  let tail: Promise<void> = Promise.resolve();
  return {
    /** Resolves with `release` once every earlier holder has released. */
    async acquire(): Promise<() => void> {
      let release!: () => void;
      const mine = new Promise<void>((r) => (release = r));
      const before = tail;
      tail = tail.then(() => mine);
      await before;
      return release;
    },
  };
}

export type Mutex = ReturnType<typeof createMutex>;
