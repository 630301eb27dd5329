import { describe, expect, it } from 'vitest';
import { createCacheFreshness, type ScheduleTask } from './cache-freshness';

/** Tasks run by hand: `runTask()` runs the oldest scheduled one. */
function tasks() {
  const queue: (() => void)[] = [];
  const schedule: ScheduleTask = (run) => void queue.push(run);
  return {
    schedule,
    runTask: () => queue.shift()?.(),
    get size() {
      return queue.length;
    },
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets the promise callbacks queued so far run (the microtasks of one task). */
const microtasks = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const settle = async () => {
  for (let i = 0; i < 5; i++) await microtasks();
};

describe('createCacheFreshness', () => {
  it('is fresh at first, and drops the stored cache as a write starts', () => {
    let drops = 0;
    const freshness = createCacheFreshness(() => drops++, tasks().schedule);
    expect(freshness.fresh()).toBe(true);
    void freshness.write(() => new Promise(() => undefined));
    expect(drops).toBe(1);
    expect(freshness.fresh()).toBe(false);
  });

  it('is not fresh from a write until two tasks with nothing settled have passed after it', async () => {
    const t = tasks();
    const freshness = createCacheFreshness(() => undefined, t.schedule);
    const write = deferred();
    const written = freshness.write(() => write.promise);
    write.resolve();
    await written;
    // Settled: Dexie's commit may still be handing the change to the live queries.
    expect(freshness.fresh()).toBe(false);
    t.runTask();
    expect(freshness.fresh()).toBe(false);
    t.runTask();
    expect(freshness.fresh()).toBe(true);
    expect(t.size).toBe(0);
  });

  it('waits for a live read the write set off, and the tasks after it', async () => {
    const t = tasks();
    const freshness = createCacheFreshness(() => undefined, t.schedule);
    await freshness.write(() => Promise.resolve());
    // The live query re-reads a task after the commit.
    t.runTask();
    const read = deferred();
    const reading = freshness.read(() => read.promise);
    t.runTask();
    expect(freshness.fresh()).toBe(false);
    read.resolve();
    await reading;
    expect(freshness.fresh()).toBe(false);
    t.runTask();
    t.runTask();
    expect(freshness.fresh()).toBe(true);
  });

  it('counts a write that fails, or throws as it is called, as settled', async () => {
    const t = tasks();
    const freshness = createCacheFreshness(() => undefined, t.schedule);
    await expect(freshness.write(() => Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
    await expect(
      freshness.write(() => {
        throw new Error('closed');
      }),
    ).rejects.toThrow('closed');
    await settle();
    t.runTask();
    t.runTask();
    expect(freshness.fresh()).toBe(true);
  });

  it('is not fresh while any of several writes is in flight', async () => {
    const t = tasks();
    const freshness = createCacheFreshness(() => undefined, t.schedule);
    const first = deferred();
    const second = deferred();
    const one = freshness.write(() => first.promise);
    void freshness.write(() => second.promise);
    first.resolve();
    await one;
    t.runTask();
    t.runTask();
    expect(freshness.fresh()).toBe(false);
  });
});
