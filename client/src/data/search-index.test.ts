// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { v7 as uuidv7 } from 'uuid';
import { OutpostDb } from '@outpost/sync';
import { taskRow } from '../../test/helpers/task-row';
import { BUILD_PAGE, createTaskSearchIndex, HURRIED_PAGE, type SearchEntry } from './search-index';
import { changedKeys } from './task-view';
import { matchTasks, NO_QUERY } from '../app/screens/tasks/filter';

const TODAY = '2026-12-07';

const PROJECT = uuidv7();
function task(title: string, over: Record<string, unknown> = {}) {
  return taskRow({ projectId: PROJECT, title, ...over });
}

const dbs: OutpostDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

/** Resolves with the index's entries once `ready` holds for them. */
function until(
  index: ReturnType<typeof createTaskSearchIndex>,
  ready: (entries: readonly SearchEntry[]) => boolean,
): Promise<readonly SearchEntry[]> {
  return new Promise((resolve) => {
    const check = () => {
      const e = index.getSnapshot().entries;
      if (e && ready(e)) {
        stop();
        resolve(e);
      }
    };
    const stop = index.subscribe(check);
    check();
  });
}

describe('the in-memory task search index', () => {
  it('is read once, then follows single writes, deletes and bulk writes', async () => {
    const db = new OutpostDb(`search-${uuidv7()}`);
    dbs.push(db);
    const a = task('Book the Venue', { notes: 'PROJECTOR' });
    const b = task('Order badges');
    await db.tasks.bulkPut([a, b] as never[]);
    const index = createTaskSearchIndex(db);
    const stop = index.subscribe(() => undefined);

    const first = await until(index, (e) => e.length === 2);
    expect(first.find((e) => e.id === a.id)).toMatchObject({
      projectId: PROJECT,
      status: 'todo',
      text: 'book the venue\nprojector',
    });

    // One row changed: patched by key (the other entry keeps its identity).
    await db.tasks.put({ ...b, title: 'Order name badges', status: 'done' } as never);
    const patched = await until(index, (e) => e.some((x) => x.text === 'order name badges\n'));
    expect(patched.find((e) => e.id === b.id)?.status).toBe('done');
    expect(patched.find((e) => e.id === a.id)).toBe(first.find((e) => e.id === a.id));

    await db.tasks.delete(a.id as never);
    await until(index, (e) => e.length === 1 && e[0]!.id === b.id);

    // 60 rows at once: Dexie reports the whole table, and the index reads it again.
    const many = Array.from({ length: 60 }, (_, i) => task(`bulk ${i}`));
    await db.tasks.bulkPut(many as never[]);
    await until(index, (e) => e.length === 61);
    await db.tasks.clear();
    await until(index, (e) => e.length === 0);
    stop();
  });

  it('is built in pages, so no read holds the main thread long; a write during the build lands', async () => {
    const db = new OutpostDb(`search-${uuidv7()}`);
    dbs.push(db);
    const n = 410;
    const tasks = Array.from({ length: n }, (_, i) => task(`row ${i}`));
    await db.tasks.bulkPut(tasks as never[]);
    const sizes: number[] = [];
    const original = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...a) {
      const req = original.apply(this, a);
      // The task pages (the stored copy's check reads the outbox too).
      if (this.name === 'tasks')
        req.addEventListener('success', () => sizes.push((req.result as unknown[]).length));
      return req;
    };
    let entries: readonly SearchEntry[];
    try {
      const index = createTaskSearchIndex(db);
      const stop = index.subscribe(() => undefined);
      // Written while the first page is being read: patched in (or read) by the end.
      await db.tasks.put({ ...tasks[n - 1]!, title: 'Renamed during the build' } as never);
      entries = await until(index, (e) => e.some((x) => x.text.startsWith('renamed')));
      stop();
    } finally {
      IDBObjectStore.prototype.getAll = original;
    }
    expect(entries.length).toBe(n);
    expect(entries.map((e) => e.id)).toEqual(tasks.map((t) => t.id));
    // Three pages of 200 at most (pages of 500 made the whole read twice as long in Chromium),
    // each asked for before the one before it was parsed; the write, if it came after its page
    // was read, is patched in by key.
    expect(HURRIED_PAGE).toBe(200);
    expect(sizes).toEqual([200, 200, 10]);
  });

  it('read for someone waiting on it, is one snapshot: a bulk write during the read is never shown half applied', async () => {
    const db = new OutpostDb(`search-${uuidv7()}`);
    dbs.push(db);
    const n = 2 * BUILD_PAGE + 10;
    const tasks = Array.from({ length: n }, (_, i) => task(`row ${i}`));
    await db.tasks.bulkPut(tasks as never[]);
    let firstPage!: () => void;
    const reading = new Promise<void>((resolve) => (firstPage = resolve));
    const original = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...a) {
      if (this.name === 'tasks') firstPage();
      return original.apply(this, a);
    };
    const index = createTaskSearchIndex(db);
    const doneSeen: number[] = [];
    const stop = index.subscribe(() => {
      const e = index.getSnapshot().entries;
      if (e) doneSeen.push(e.filter((x) => x.status === 'done').length);
    });
    // A bulk complete (a selection's one write) placed while the index reads its first page
    // (after its check of a stored copy).
    await reading;
    IDBObjectStore.prototype.getAll = original;
    // (Awaited from inside the read's transaction: written outside it.)
    await Dexie.ignoreTransaction(() =>
      db.tasks.bulkPut(tasks.map((t) => ({ ...t, status: 'done' })) as never[]),
    );
    await until(index, (e) => e.every((x) => x.status === 'done'));
    stop();
    // Before the write, or after it: never a list with some of the selection done. Read a
    // page per transaction, the pages after the write said done and the first did not.
    expect(doneSeen.every((d) => d === 0 || d === n)).toBe(true);
    expect(doneSeen.at(-1)).toBe(n);
  });

  it('is built ahead by warm() with no reader, and kept in step until warm is stopped', async () => {
    const db = new OutpostDb(`search-${uuidv7()}`);
    dbs.push(db);
    const tasks = Array.from({ length: BUILD_PAGE + 5 }, (_, i) => task(`row ${i}`));
    await db.tasks.bulkPut(tasks as never[]);
    const index = createTaskSearchIndex(db);
    expect(index.getSnapshot().entries).toBeNull();
    const stop = index.warm();
    await vi.waitFor(() => expect(index.getSnapshot().entries?.length).toBe(BUILD_PAGE + 5));
    await db.tasks.put({ ...tasks[0]!, title: 'Renamed' } as never);
    await vi.waitFor(() => expect(index.getSnapshot().entries?.[0]?.text).toBe('renamed\n'));
    stop();
  });

  it('is built ahead by warm() while the main thread is never idle (a list opening, scrolling)', async () => {
    const db = new OutpostDb(`search-${uuidv7()}`);
    dbs.push(db);
    const tasks = Array.from({ length: 3 * BUILD_PAGE + 5 }, (_, i) => task(`row ${i}`));
    await db.tasks.bulkPut(tasks as never[]);
    // Idle callbacks that never run: each page waiting for one (up to 100 ms at 10,000 tasks
    // under load) left the index half read when the first keystroke came.
    vi.stubGlobal('requestIdleCallback', () => 1);
    vi.stubGlobal('cancelIdleCallback', () => undefined);
    try {
      const index = createTaskSearchIndex(db);
      const stopWarm = index.warm();
      await vi.waitFor(() => expect(index.getSnapshot().entries?.length).toBe(tasks.length), {
        timeout: 5000,
      });
      expect(index.getSnapshot().entries!.map((e) => e.id)).toEqual(tasks.map((t) => t.id));
      // A search starting now finds it built.
      const stop = index.subscribe(() => undefined);
      expect(index.getSnapshot().entries?.length).toBe(tasks.length);
      stop();
      stopWarm();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("built ahead, answers as a fresh read would after renames, another device's adds and deletes, and an undo", async () => {
    const db = new OutpostDb(`search-${uuidv7()}`);
    dbs.push(db);
    const tasks = Array.from({ length: BUILD_PAGE + 5 }, (_, i) =>
      task(`row ${i}`, { notes: i % 2 ? 'Café notes' : '' }),
    );
    await db.tasks.bulkPut(tasks as never[]);
    const warm = createTaskSearchIndex(db);
    const stopWarm = warm.warm();
    await vi.waitFor(() => expect(warm.getSnapshot().entries?.length).toBe(tasks.length));
    const sameAsFresh = async () => {
      const fresh = createTaskSearchIndex(db);
      const entries = await until(fresh, () => true);
      const byId = (xs: readonly SearchEntry[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
      await vi.waitFor(() => expect(byId(warm.getSnapshot().entries!)).toEqual(byId(entries)));
      for (const text of ['row 1', 'cafe', 'renamed', 'from elsewhere', 'Écrit ailleurs'])
        expect(matchTasks(warm.getSnapshot().entries!, { ...NO_QUERY, text }, TODAY)).toEqual(
          matchTasks(entries, { ...NO_QUERY, text }, TODAY),
        );
    };
    // A title renamed after the index was built.
    const renamed = {
      ...tasks[3]!,
      title: 'Renamed in the list',
      updatedAt: new Date().toISOString(),
    };
    await db.tasks.put(renamed as never);
    await sameAsFresh();
    // Another device's tasks arrive (a sync's small batch), and one of ours is deleted there.
    const theirs = [task('Written from elsewhere'), task('Écrit ailleurs', { status: 'done' })];
    await db.tasks.bulkPut(theirs as never[]);
    await db.tasks.delete(tasks[4]!.id as never);
    await sameAsFresh();
    // Undo: the rename's old row and the deleted task written back.
    await db.tasks.bulkPut([tasks[3]!, tasks[4]!] as never[]);
    await sameAsFresh();
    expect(
      matchTasks(warm.getSnapshot().entries!, { ...NO_QUERY, text: 'renamed' }, TODAY),
    ).toEqual([]);
    stopWarm();
  });

  it('tells single keys from ranges in a mutation set', () => {
    expect(changedKeys({ from: 'a', to: 'a', d: 1 })).toEqual(['a']);
    expect(
      changedKeys({
        from: 'b',
        to: 'b',
        d: 2,
        l: { from: 'a', to: 'a', d: 1 },
        r: { from: 'c', to: 'c', d: 1 },
      }).toString(),
    ).toBe('b,a,c');
    expect(changedKeys({ from: 'a', to: 'z', d: 1 })).toBe('all');
    expect(changedKeys({ from: -Infinity, to: [[]], d: 1 })).toBe('all');
    expect(changedKeys({ d: 0 })).toEqual([]);
  });
});
