/**
 * A FIFO async mutex. better-sqlite3 is synchronous but the store's transaction API is async
 * (it is shared with MongoDB), so one process must not interleave two transactions on its
 * single write connection.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
