// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { OutpostDb, type WriteRecord } from '@outpost/sync';
import { taskRow } from '../../test/helpers/task-row';
import { createTaskSearchIndex, refreshStoredCopy, type SearchEntry } from './search-index';
import { readMark, readSnapshot, SNAPSHOT_KEY, writeSnapshot } from './search-snapshot';

const PROJECT = uuidv7();
const task = (title: string, over: Record<string, unknown> = {}) =>
  taskRow({ projectId: PROJECT, title, ...over });

const dbs: OutpostDb[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of dbs.splice(0)) await db.delete();
});

/** A user's database as a synced start leaves it: who it belongs to, a cursor, rows. */
async function workspace(name = `search-snap-${uuidv7()}`, orgId = 'org-a') {
  const db = new OutpostDb(name);
  dbs.push(db);
  await db.meta.bulkPut([
    { key: 'clientId', value: 'client-1' },
    { key: 'user', value: { id: 'u1', orgId } },
    { key: 'cursor', value: 10 },
    { key: 'lastMutationId', value: 0 },
  ]);
  return db;
}

/** The index's first entries of a fresh start on `db` (a new index, as after a reload). */
async function firstEntries(db: OutpostDb): Promise<readonly SearchEntry[]> {
  const index = createTaskSearchIndex(db);
  return new Promise((resolve) => {
    const stop = index.subscribe(() => {
      const e = index.getSnapshot().entries;
      if (e) {
        stop();
        resolve(e);
      }
    });
  });
}

/** A start that builds the index from the rows, and the copy it stores afterwards. */
async function startAndStore(db: OutpostDb) {
  await firstEntries(db);
  await vi.waitFor(async () => expect(await db.meta.get(SNAPSHOT_KEY)).toBeDefined());
}

/** Until the copy a start stores after reading the rows is written (a valid one is there). */
const stored = (db: OutpostDb) =>
  vi.waitFor(async () => expect((await readSnapshot(db)).entries).toBeDefined());

const titles = (e: readonly SearchEntry[]) => e.map((x) => x.title).sort();

/** Whether a start read the task rows (the build reads them by key: `orderBy(':id')`). */
function spyRowReads(db: OutpostDb) {
  return vi.spyOn(db.tasks, 'orderBy');
}

function writeRecord(entityId: string, over: Partial<WriteRecord> = {}): WriteRecord {
  return {
    clientId: 'client-1',
    createdAt: new Date().toISOString(),
    mutations: [],
    last: 0,
    ackedThrough: 0,
    open: 1,
    entityIds: [entityId],
    attempts: 0,
    lastError: null,
    ...over,
  };
}

describe('the stored copy of the search index', () => {
  it('is written after a build, and the next start reads it instead of the task rows', async () => {
    const db = await workspace();
    await db.tasks.bulkPut([
      task('Book the Venue', { notes: 'Café' }),
      task('Order badges', { status: 'doing', assigneeId: uuidv7(), dueDate: '2026-12-24' }),
    ] as never[]);
    await startAndStore(db);

    const reads = spyRowReads(db);
    const entries = await firstEntries(db);
    expect(reads).not.toHaveBeenCalled();
    expect(titles(entries)).toEqual(['Book the Venue', 'Order badges']);
    expect(entries.find((e) => e.title === 'Book the Venue')?.text).toBe('book the venue\ncafe');
  });

  it('after a pull changed, added and deleted tasks (the cursor moved): the next start shows exactly the rows', async () => {
    const db = await workspace();
    const a = task('Alpha');
    const b = task('Bravo');
    await db.tasks.bulkPut([a, b] as never[]);
    await startAndStore(db);

    // As a pulled page writes: rows and cursor in one transaction (a teammate's changes). The
    // count is unchanged (one added, one deleted).
    await db.transaction('rw', db.tasks, db.meta, async () => {
      await db.tasks.put({ ...a, title: 'Alpha renamed', updatedAt: a.updatedAt } as never);
      await db.tasks.delete(b.id as never);
      await db.tasks.put(task('Charlie') as never);
      await db.meta.put({ key: 'cursor', value: 11 });
    });
    expect(titles(await firstEntries(db))).toEqual(['Alpha renamed', 'Charlie']);
    // And that start stored a copy of what it read, which the one after uses.
    await stored(db);
    const reads = spyRowReads(db);
    expect(titles(await firstEntries(db))).toEqual(['Alpha renamed', 'Charlie']);
    expect(reads).not.toHaveBeenCalled();
  });

  it('after local writes (an outbox record added, or changed by a refusal): the next start reads the rows', async () => {
    const db = await workspace();
    const a = task('Alpha');
    await db.tasks.put(a as never);
    const seq = await db.writes.add(writeRecord(a.id));
    await startAndStore(db);

    // Another tab's write: a new record with the row.
    await db.transaction('rw', db.tasks, db.writes, async () => {
      await db.tasks.put({ ...a, title: 'Alpha edited' } as never);
      await db.writes.add(writeRecord(a.id));
    });
    expect(titles(await firstEntries(db))).toEqual(['Alpha edited']);
    await stored(db);

    // A refusal in the service worker: a record changed in place, the row rebased on `base`.
    await db.transaction('rw', db.tasks, db.writes, async () => {
      await db.tasks.put({ ...a, title: 'Alpha as the server has it' } as never);
      await db.writes.update(seq, { open: 0, ackedThrough: 1 });
    });
    expect(titles(await firstEntries(db))).toEqual(['Alpha as the server has it']);
  });

  it('is ignored when corrupt, of another org or database, or of another format', async () => {
    const db = await workspace();
    await db.tasks.put(task('Real task') as never);
    await startAndStore(db);
    const good = (await db.meta.get(SNAPSHOT_KEY))!.value as Record<string, unknown>;
    const planted = JSON.stringify([[uuidv7(), PROJECT, 'todo', null, null, 'Ghost', '', 'ghost']]);

    // Entries that are not what they claim, with the right mark: only a check of the copy's
    // own shape stops them.
    for (const entries of ['[[1,2', JSON.stringify([['x', PROJECT, 'nope']]), '{}']) {
      await db.meta.put({ key: SNAPSHOT_KEY, value: { ...good, entries } });
      expect(titles(await firstEntries(db))).toEqual(['Real task']);
      await stored(db);
    }
    await db.meta.put({ key: SNAPSHOT_KEY, value: { ...good, format: 0, entries: planted } });
    expect(titles(await firstEntries(db))).toEqual(['Real task']);
    await stored(db);

    // The same database now signed in to another org (the stored user changed): a copy of the
    // old org's tasks is not shown.
    await db.meta.put({ key: SNAPSHOT_KEY, value: { ...good, entries: planted } });
    expect(titles(await firstEntries(db))).toEqual(['Ghost']); // (the plant is read as is …)
    await db.meta.put({ key: 'user', value: { id: 'u1', orgId: 'org-b' } });
    expect(titles(await firstEntries(db))).toEqual(['Real task']); // (… until the org changes)

    // Another user's database with the same meta and rows: its name is in the mark.
    const other = await workspace(undefined, 'org-b');
    await other.tasks.put(task('Real task') as never);
    const mark = await readMark(db);
    await other.meta.put({ key: SNAPSHOT_KEY, value: { ...good, mark, entries: planted } });
    expect(titles(await firstEntries(other))).toEqual(['Real task']);
  });

  it('is stored again as the page goes hidden after tasks changed, so the next start reads it', async () => {
    const db = await workspace();
    const a = task('Alpha');
    await db.tasks.bulkPut([a, task('Bravo')] as never[]);
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('document', doc);
    try {
      const index = createTaskSearchIndex(db);
      const stopWarm = index.warm();
      await vi.waitFor(() => expect(index.getSnapshot().entries?.length).toBe(2));
      await stored(db);
      // A teammate's rename pulled while the app is open.
      await db.transaction('rw', db.tasks, db.meta, async () => {
        await db.tasks.put({ ...a, title: 'Alpha renamed' } as never);
        await db.meta.put({ key: 'cursor', value: 11 });
      });
      expect((await readSnapshot(db)).entries).toBeUndefined();
      doc.visibilityState = 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
      await stored(db);
      stopWarm();
    } finally {
      vi.unstubAllGlobals();
    }
    const reads = spyRowReads(db);
    expect(titles(await firstEntries(db))).toEqual(['Alpha renamed', 'Bravo']);
    expect(reads).not.toHaveBeenCalled();
    // Hidden again with nothing changed: the copy is current, the rows are not read.
    expect(await refreshStoredCopy(db)).toBe(false);
    expect(reads).not.toHaveBeenCalled();
  });

  it('is not written when the rows changed after the build read them', async () => {
    const db = await workspace();
    const a = task('Alpha');
    await db.tasks.put(a as never);
    const mark = (await readMark(db))!;
    const entries = await firstEntries(db);
    await db.transaction('rw', db.tasks, db.meta, async () => {
      await db.tasks.put({ ...a, title: 'Alpha renamed' } as never);
      await db.meta.put({ key: 'cursor', value: 11 });
    });
    expect(await writeSnapshot(db, entries, mark)).toBe(false);
    expect(await writeSnapshot(db, entries, (await readMark(db))!)).toBe(true);
  });
});
