// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { Task } from '@outpost/shared';
import { OutpostDb } from '@outpost/sync';
import { appDatabases } from '../../test/helpers/app-db';
import { statusStore } from '../../test/helpers/status-store';
import { mountApp } from '../../test/helpers/mount-app';
import { taskRow } from '../../test/helpers/task-row';
import { viewSettled as settled } from '../../test/helpers/view-settled';
import { readTaskWindow } from './reads';
import { useTaskWindows } from './task-hooks';
import { taskWindow } from './task-windows';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const appDb = appDatabases();
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const PROJECT = uuidv7();

/** Rows of one project, in key order (as a section's window is). */
function rows(n: number) {
  return Array.from({ length: n }, () => taskRow({ projectId: PROJECT })).sort((a, b) =>
    a.id < b.id ? -1 : 1,
  );
}

/** Counts the read transactions opened on `db` from now on. */
function countReads(db: OutpostDb): () => number {
  const transaction = vi.spyOn(db, 'transaction');
  cleanup.push(() => transaction.mockRestore());
  return () => transaction.mock.calls.filter((args) => args[0] === 'r').length;
}

describe('useTaskWindows', () => {
  it('shows a pulled change to a row on screen without reading its window again', async () => {
    const db = await appDb();
    const listed = rows(3);
    await db.tasks.bulkPut(listed as never[]);
    const ids = listed.map((r) => r.id);
    const windows = [ids];
    const seen: ReadonlyMap<string, Task>[] = [];
    function List() {
      seen.push(useTaskWindows(windows));
      return null;
    }
    cleanup.push(mountApp(db, statusStore({}), List));
    while ((seen.at(-1)?.size ?? 0) < 3) await act(() => new Promise((r) => setTimeout(r, 5)));
    const before = seen.at(-1)!;
    const reads = countReads(db);

    // As a pulled page (or a poke's changes) stores a teammate's tick: Dexie calls in one
    // read-write transaction; the row is known at its commit (written-rows.ts).
    await act(async () => {
      await db.transaction('rw', db.tasks, db.meta, async () => {
        await db.tasks.put({ ...listed[1]!, status: 'done', version: 2 } as never);
        await db.meta.put({ key: 'cursor', value: 7 } as never);
      });
    });
    while (seen.at(-1)!.get(ids[1]!)?.status !== 'done')
      await act(() => new Promise((r) => setTimeout(r, 5)));
    const after = seen.at(-1)!;
    // The window was patched, not read again (it was: the 3 rows and the range around them).
    expect(reads()).toBe(0);
    // The rows that did not change are the same objects: their memoized rows do not render.
    expect(after.get(ids[0]!)).toBe(before.get(ids[0]!));
    expect(after.get(ids[2]!)).toBe(before.get(ids[2]!));
    expect([...after.values()]).toEqual(await readTaskWindow(db, ids));
  });
});

describe('taskWindow', () => {
  it('ignores changes to rows outside it, reads by key what another tab changed', async () => {
    const db = await appDb();
    const all = rows(5);
    await db.tasks.bulkPut(all as never[]);
    // A window of every other row: the rows between lie in its range of keys.
    const ids = [all[0]!.id, all[2]!.id, all[4]!.id];
    const view = taskWindow(db, ids);
    cleanup.push(view.subscribe(() => undefined));
    const first = await settled(view, () => true);
    expect(first.map((t) => t.id)).toEqual(ids);
    const reads = countReads(db);
    const bulkGet = vi.spyOn(db.tasks, 'bulkGet');
    cleanup.push(() => bulkGet.mockRestore());

    // A row between two of its rows changed (another section's): nothing read, nothing new.
    await db.tasks.put({ ...all[1]!, title: 'not in the window' } as never);
    await new Promise((r) => setTimeout(r, 0));
    expect(view.getSnapshot()).toBe(first);
    expect(reads()).toBe(0);
    expect(bulkGet).not.toHaveBeenCalled();

    // Another tab's write reaches this one as changed keys only: the row is read by key.
    const other = new OutpostDb(db.name);
    await other.open();
    cleanup.push(() => other.close());
    await other.tasks.put({ ...all[2]!, title: 'edited elsewhere', version: 2 } as never);
    const edited = await settled(view, (s) => s[1]!.title === 'edited elsewhere');
    expect(bulkGet).toHaveBeenCalledTimes(1);
    expect(edited[0]).toBe(first[0]);
    expect(edited).toEqual(await readTaskWindow(db, ids));

    // A row of it deleted, then put back: gone from the window, then in its place again.
    await db.tasks.delete(all[0]!.id as never);
    expect(view.getSnapshot()!.map((t) => t.id)).toEqual([ids[1], ids[2]]);
    await db.tasks.put(all[0]! as never);
    expect(view.getSnapshot()!.map((t) => t.id)).toEqual(ids);
    expect(view.getSnapshot()).toEqual(await readTaskWindow(db, ids));
  });
});
