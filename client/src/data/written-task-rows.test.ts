// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { TaskStatus } from '@outpost/shared';
import { OutpostDb } from '@outpost/sync';
import { placeNative } from '@outpost/sync/testing';
import { appDatabases } from '../../test/helpers/app-db';
import { taskRow } from '../../test/helpers/task-row';
import { readTaskWindow } from './reads';
import { createWrittenTaskStore } from './written-task-rows';

const PROJECT = uuidv7();
const STATUSES: TaskStatus[] = ['todo', 'doing', 'done'];

/** A replica's database as the app opens it: with the written-rows middleware and observer. */
const appDb = appDatabases();

describe('the rows this tab’s commits wrote', () => {
  it('holds a row created natively at its commit, without reading it', async () => {
    const db = await appDb();
    const store = createWrittenTaskStore(db);
    const stop = store.subscribe(() => undefined);
    const get = vi.spyOn(db.tasks, 'bulkGet');
    const where = vi.spyOn(db.tasks, 'where');
    const created = taskRow({ projectId: PROJECT, title: 'Buy milk' });
    await db.transaction('rw', db.tasks, db.meta, (tx) =>
      placeNative(db, tx, [
        { store: 'tasks', type: 'put', values: [created] },
        { store: 'meta', type: 'put', values: [{ key: 'cursor', value: 7 }] },
      ]),
    );
    // Known when the transaction's promise resolves, parsed as the reads parse it.
    expect(store.getSnapshot().get(created.id)).toEqual(
      (await readTaskWindow(db, [created.id]))[0],
    );
    expect(store.getSnapshot().get(created.id)?.title).toBe('Buy milk');
    get.mockClear();
    where.mockClear();
    // A delete is known as one.
    await db.transaction('rw', db.tasks, (tx) =>
      placeNative(db, tx, [{ store: 'tasks', type: 'delete', keys: [created.id] }]),
    );
    expect(store.getSnapshot().get(created.id)).toBeNull();
    expect(get).not.toHaveBeenCalled();
    expect(where).not.toHaveBeenCalled();
    stop();
  });

  it('keeps nothing of a write that did not commit, and forgets what it does not know', async () => {
    const db = await appDb();
    const store = createWrittenTaskStore(db);
    const stop = store.subscribe(() => undefined);
    const row = taskRow({ projectId: PROJECT });
    await db.tasks.put(row as never);
    expect(store.getSnapshot().get(row.id)?.title).toBe('A task');

    // Rolled back: a later request of the transaction fails.
    await expect(
      db.transaction('rw', db.tasks, async (tx) => {
        await placeNative(db, tx, [
          { store: 'tasks', type: 'put', values: [{ ...row, title: 'ghost' }, taskRow()] },
        ]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(store.getSnapshot().get(row.id)?.title).toBe('A task');
    expect([...store.getSnapshot().keys()]).toEqual([row.id]);

    // Another tab's write: only its keys reach this tab, so the row is read again.
    const other = new OutpostDb(db.name);
    await other.open();
    await other.tasks.put({ ...row, title: 'elsewhere' } as never);
    await vi.waitFor(() => expect(store.getSnapshot().has(row.id)).toBe(false));
    other.close();

    // A partial update: known as the whole row it left, or not at all.
    await db.tasks.put(row as never);
    expect(store.getSnapshot().has(row.id)).toBe(true);
    await db.tasks.update(row.id as never, { title: 'partly' } as never);
    expect(store.getSnapshot().get(row.id)?.title ?? 'partly').toBe('partly');

    // A delete of a range: the row is known gone, or not known.
    await db.tasks.put(row as never);
    await db.tasks.where('projectId').equals(PROJECT).delete();
    expect(store.getSnapshot().get(row.id) ?? null).toBeNull();
    stop();
  });

  it('holds only what the mirror holds, after any mix of known and unknown writes', async () => {
    type Step =
      | { kind: 'put' | 'native'; row: number; status: TaskStatus; title: string }
      | { kind: 'delete'; row: number }
      | { kind: 'mixed'; a: number; b: number; status: TaskStatus }
      | { kind: 'range' }
      | { kind: 'aborted'; row: number }
      | { kind: 'elsewhere'; row: number; status: TaskStatus };
    const row = fc.nat({ max: 7 });
    const status = fc.constantFrom(...STATUSES);
    const title = fc.constantFrom('a', 'b', 'c');
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), row, status, title }),
      fc.record({ kind: fc.constant('native' as const), row, status, title }),
      fc.record({ kind: fc.constant('delete' as const), row }),
      fc.record({ kind: fc.constant('mixed' as const), a: row, b: row, status }),
      fc.constant({ kind: 'range' as const }),
      fc.record({ kind: fc.constant('aborted' as const), row }),
      fc.record({ kind: fc.constant('elsewhere' as const), row, status }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const name = `written-${uuidv7()}`;
        const db = await appDb(name);
        const other = new OutpostDb(name);
        await other.open();
        const ids = Array.from({ length: 8 }, () => uuidv7()).sort();
        const make = (i: number, s: TaskStatus, t = 'x') =>
          taskRow({ id: ids[i]!, projectId: PROJECT, status: s, title: t });
        await db.tasks.bulkPut(ids.slice(0, 4).map((_, i) => make(i, 'todo')) as never[]);
        const store = createWrittenTaskStore(db);
        const stop = store.subscribe(() => undefined);
        for (const st of steps) {
          if (st.kind === 'put') await db.tasks.put(make(st.row, st.status, st.title) as never);
          else if (st.kind === 'native')
            await db.transaction('rw', db.tasks, (tx) =>
              placeNative(db, tx, [
                { store: 'tasks', type: 'put', values: [make(st.row, st.status, st.title)] },
              ]),
            );
          else if (st.kind === 'delete') await db.tasks.delete(ids[st.row]! as never);
          else if (st.kind === 'mixed' && st.a !== st.b)
            await db.transaction('rw', db.tasks, async (tx) => {
              await db.tasks.put(make(st.a, st.status, 'mixed') as never);
              await placeNative(db, tx, [
                { store: 'tasks', type: 'put', values: [make(st.b, st.status, 'mixed')] },
              ]);
            });
          else if (st.kind === 'range') await db.tasks.where('status').equals('doing').delete();
          else if (st.kind === 'aborted')
            await db
              .transaction('rw', db.tasks, async (tx) => {
                await placeNative(db, tx, [
                  { store: 'tasks', type: 'put', values: [make(st.row, 'done', 'ghost')] },
                ]);
                throw new Error('rolled back');
              })
              .catch(() => undefined);
          else if (st.kind === 'elsewhere') {
            await other.tasks.put(make(st.row, st.status, 'elsewhere') as never);
            // Another tab's change arrives a little later (as a broadcast message).
            await vi.waitFor(() => expect(store.getSnapshot().has(ids[st.row]!)).toBe(false));
          }
        }
        const inDb = new Map((await readTaskWindow(db, ids)).map((t) => [t.id, t]));
        for (const [id, held] of store.getSnapshot())
          expect(held).toEqual(inDb.get(id as never) ?? null);
        stop();
        other.close();
      }),
      { numRuns: 40 },
    );
  }, 30_000);
});
