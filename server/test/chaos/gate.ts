/**
 * A readers–writer gate for the soak: schedule steps (requests to the servers, final checks)
 * pass through `shared`; a purge takes `exclusive`, so it runs while no harness request is in
 * flight and what it removed can be recorded exactly. Writer-preferring: once a purge waits,
 * new steps wait behind it (otherwise twelve schedules in flight would starve it).
 */
export class Gate {
  #readers = 0;
  #writer = false;
  #writersWaiting = 0;
  #wakeups: (() => void)[] = [];

  #wake(): void {
    const w = this.#wakeups;
    this.#wakeups = [];
    for (const f of w) f();
  }

  async #wait(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((r) => this.#wakeups.push(r));
  }

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    await this.#wait(() => !this.#writer && this.#writersWaiting === 0);
    this.#readers++;
    try {
      return await fn();
    } finally {
      this.#readers--;
      this.#wake();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.#writersWaiting++;
    await this.#wait(() => !this.#writer && this.#readers === 0);
    this.#writersWaiting--;
    this.#writer = true;
    try {
      return await fn();
    } finally {
      this.#writer = false;
      this.#wake();
    }
  }
}
