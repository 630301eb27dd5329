// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { OutpostDb, type WriteRecord } from '@outpost/sync';
import { mountApp } from '../../test/helpers/mount-app';
import { statusStore } from '../../test/helpers/status-store';
import { useUnsentIds } from './task-hooks';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** One unsent write of row `entityId`, as the outbox stores it. */
const unsentWrite = (entityId: string): WriteRecord =>
  ({
    clientId: 'c1',
    createdAt: new Date().toISOString(),
    mutations: [{ id: 1, type: 'task.update', entityId }],
    last: 1,
    ackedThrough: 0,
    open: 1,
    entityIds: [entityId],
    attempts: 0,
    lastError: null,
  }) as unknown as WriteRecord;

describe('useUnsentIds', () => {
  it('marks nothing once the status counts nothing unsent, before the outbox is read again', async () => {
    const db = new OutpostDb(`unsent-${uuidv7()}`);
    cleanup.push(() => db.delete());
    const row = uuidv7();
    await db.writes.add(unsentWrite(row));
    const status = statusStore({ pending: 1 });
    const seen: (ReadonlySet<string> | undefined)[] = [];
    function Marks() {
      seen.push(useUnsentIds());
      return null;
    }
    cleanup.push(mountApp(db, status, Marks));
    while (!seen.at(-1)?.has(row)) await act(() => new Promise((r) => setTimeout(r, 5)));

    // The push answer's ack: the status counts 0 at once; the outbox still holds the record
    // here (in the app its re-read comes after the ack's transaction is announced).
    await act(async () => {
      status.set({ pending: 0 });
      await nextTask();
    });
    expect(seen.at(-1)?.size).toBe(0);
    // Counted again (another write, or the count corrected): the read's marks are back.
    await act(async () => {
      status.set({ pending: 1 });
      await nextTask();
    });
    expect([...(seen.at(-1) ?? [])]).toEqual([row]);
  });

  it('renders a count change a task later, with the status bar, not before the write’s push', async () => {
    const db = new OutpostDb(`unsent-${uuidv7()}`);
    cleanup.push(() => db.delete());
    const status = statusStore({ pending: 0 });
    let renders = 0;
    function Marks() {
      useUnsentIds();
      renders++;
      return null;
    }
    cleanup.push(mountApp(db, status, Marks));
    await act(() => nextTask());
    // React's own scheduling from here (as in the browser), not act's queue.
    const env = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    env.IS_REACT_ACT_ENVIRONMENT = false;
    try {
      const before = renders;
      // A write counts itself (0 → 1); its push leaves in the microtasks after.
      status.set({ pending: 1 });
      await Promise.resolve();
      await Promise.resolve();
      expect(renders).toBe(before);
      await nextTask();
      await nextTask();
      expect(renders).toBeGreaterThan(before);
    } finally {
      env.IS_REACT_ACT_ENVIRONMENT = true;
    }
  });
});
