// Dexie's liveQuery (what this replaced) needs an indexedDB global; keep it for a fair comparison.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import type { Timers } from './timers';
import { createLocalWriter } from './local-writes';
import { FOLLOWER_RECOUNT_MS, PENDING_RECOUNT_MS, watchPending } from './pending';
import { openReplica } from './replica';

const userId = '0190a0b0-0000-7000-8000-0000000000bb';

/** Timers that run only when the test says so (`delays`: each one's ms, as asked). */
function manualTimers() {
  const due: (() => void)[] = [];
  const delays: number[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      delays.push(ms);
      return due.push(fn);
    },
    clearTimeout: () => undefined,
  };
  return { timers, due, delays, fire: () => due.splice(0).forEach((fn) => fn()) };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
}

/** Opens replicas of one user over one in-memory database (each open: another tab). */
function sharedDatabase() {
  const indexedDB = new IDBFactory();
  return () =>
    openReplica({
      userId,
      orgId: orgIdSchema.parse('acme'),
      indexedDB,
      IDBKeyRange,
      sentinel: null,
    });
}

describe('pending count', () => {
  it('recounts the outbox once after a burst of writes, not after each, and sees other tabs', async () => {
    const open = sharedDatabase();
    const replica = await open();
    const { timers, due, fire } = manualTimers();
    const counts: number[] = [];
    const { stop } = watchPending(replica, timers, (n) => counts.push(n));
    await until(() => counts.length === 1);
    expect(counts).toEqual([0]);

    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    for (let i = 0; i < 19; i++) await writer.update('project', id, { name: `P${i}` });
    // Twenty writes, one recount waiting, none done.
    expect(counts).toEqual([0]);
    expect(due).toHaveLength(1);
    fire();
    await until(() => counts.length === 2);
    expect(counts).toEqual([0, 20]);

    // Another tab's write (its own connection to the same database) is counted too.
    const other = await open();
    await createLocalWriter({ replica: other, now: Date.now }).update('project', id, { name: 'X' });
    expect(due).toHaveLength(1);
    fire();
    await until(() => counts.length === 3);
    expect(counts.at(-1)).toBe(21);

    stop();
    await writer.update('project', id, { name: 'after stop' });
    expect(due).toHaveLength(0);
    other.close();
    replica.close();
  });

  it("does not recount a burst of the tab's own counted writes; recounts when another tab wrote too", async () => {
    const open = sharedDatabase();
    const replica = await open();
    const { timers, fire } = manualTimers();
    const counts: number[] = [];
    const watch = watchPending(replica, timers, (n) => counts.push(n));
    await until(() => counts.length === 1);
    const writer = createLocalWriter({ replica, now: Date.now });
    const own = async (write: Promise<unknown>) => {
      await write;
      watch.counted(); // as the client does once it has raised its count
    };
    const { id } = await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    watch.counted();
    for (let i = 0; i < 5; i++) await own(writer.update('project', id, { name: `P${i}` }));
    fire();
    await new Promise((r) => setTimeout(r, 20));
    expect(counts).toEqual([0]); // six writes, all counted by the tab itself: no read

    await own(writer.update('project', id, { name: 'mine' }));
    const other = await open();
    await createLocalWriter({ replica: other, now: Date.now }).update('project', id, { name: 'X' });
    fire();
    await until(() => counts.length === 2);
    expect(counts).toEqual([0, 8]);
    watch.stop();
    other.close();
    replica.close();
  });

  it('recounts sooner in a follower tab than in the leader, as leadership is when it schedules', async () => {
    const open = sharedDatabase();
    const replica = await open();
    const { timers, delays, fire } = manualTimers();
    let leading = false;
    const counts: number[] = [];
    const watch = watchPending(
      replica,
      timers,
      (n) => counts.push(n),
      () => leading,
    );
    await until(() => counts.length === 1);
    const other = await open();
    const elsewhere = createLocalWriter({ replica: other, now: Date.now });
    const { id } = await elsewhere.create('project', { name: 'P', ownerId: userId as EntityId });
    expect(delays).toEqual([FOLLOWER_RECOUNT_MS]);
    fire();
    await until(() => counts.length === 2);

    leading = true;
    await elsewhere.update('project', id, { name: 'Q' });
    expect(delays).toEqual([FOLLOWER_RECOUNT_MS, PENDING_RECOUNT_MS]);
    expect(FOLLOWER_RECOUNT_MS).toBeLessThan(PENDING_RECOUNT_MS);
    watch.stop();
    other.close();
    replica.close();
  });
});
