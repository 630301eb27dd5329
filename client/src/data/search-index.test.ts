// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { OutpostDb } from '@outpost/sync';
import { createTaskSearchIndex, type SearchEntry } from './search-index';
import { changedKeys } from './task-view';

const PROJECT = uuidv7();
const now = new Date().toISOString();
function task(title: string, over: Record<string, unknown> = {}) {
  return {
    id: uuidv7(),
    orgId: 'org',
    createdAt: now,
    updatedAt: now,
    version: 1,
    projectId: PROJECT,
    title,
    notes: '',
    status: 'todo',
    assigneeId: null,
    dueDate: null,
    ...over,
  };
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
