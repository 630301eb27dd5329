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
import { viewSettled as settled } from '../../test/helpers/view-settled';
import { idListSpec } from './id-lists';
import { createTaskView, type TaskView } from './task-view';

const PROJECT = uuidv7();
const STATUSES: TaskStatus[] = ['todo', 'doing', 'done'];

/** A replica's database as the app opens it: with the written-rows middleware and observer. */
const appDb = appDatabases();

/** The view's ids once they equal `want`, or as they are 250 ms on if they never do. */
function within(view: TaskView<readonly string[]>, want: readonly string[]) {
  const same = (ids: readonly string[]) => ids.join() === want.join();
  return Promise.race([
    settled(view, same),
    new Promise<readonly string[] | undefined>((r) => setTimeout(() => r(view.getSnapshot()), 250)),
  ]);
}

describe('task views patched from the rows a transaction wrote', () => {
  it('moves a pulled tick between lists at the commit, without reading the row back', async () => {
    const db = await appDb();
    const rows = [taskRow({ projectId: PROJECT }), taskRow({ projectId: PROJECT })];
    await db.tasks.bulkPut(rows as never[]);
    const todo = createTaskView(db, idListSpec(PROJECT, 'todo'), 1000);
    const done = createTaskView(db, idListSpec(PROJECT, 'done'), 1000);
    const stops = [todo.subscribe(() => undefined), done.subscribe(() => undefined)];
    await settled(todo, (ids) => ids.length === 2);
    await settled(done, (ids) => ids.length === 0);
    const bulkGet = vi.spyOn(db.tasks, 'bulkGet');

    // As a pulled page stores rows: Dexie calls in one read-write transaction.
    await db.transaction('rw', db.tasks, db.meta, async () => {
      await db.tasks.bulkPut([{ ...rows[0]!, status: 'done' }] as never[]);
      await db.meta.put({ key: 'cursor', value: 7 } as never);
    });
    // Already patched when the transaction's promise resolves: no read was waited for.
    expect(todo.getSnapshot()).toEqual([rows[1]!.id]);
    expect(done.getSnapshot()).toEqual([rows[0]!.id]);
    expect(bulkGet).not.toHaveBeenCalled();
    stops.forEach((stop) => stop());
  });

  it('moves a local (native) tick between lists at the commit, without reading the row back', async () => {
    const db = await appDb();
    const rows = [taskRow({ projectId: PROJECT }), taskRow({ projectId: PROJECT })];
    await db.tasks.bulkPut(rows as never[]);
    const todo = createTaskView(db, idListSpec(PROJECT, 'todo'), 1000);
    const done = createTaskView(db, idListSpec(PROJECT, 'done'), 1000);
    const stops = [todo.subscribe(() => undefined), done.subscribe(() => undefined)];
    await settled(todo, (ids) => ids.length === 2);
    await settled(done, (ids) => ids.length === 0);
    const bulkGet = vi.spyOn(db.tasks, 'bulkGet');

    // As the engine's local writes place them: native requests, beside the outbox's record.
    const created = taskRow({ projectId: PROJECT });
    await db.transaction('rw', db.tasks, db.meta, (tx) =>
      placeNative(db, tx, [
        { store: 'meta', type: 'put', values: [{ key: 'cursor', value: 7 }] },
        { store: 'tasks', type: 'put', values: [{ ...rows[0]!, status: 'done' }, created] },
      ]),
    );
    expect(todo.getSnapshot()).toEqual([rows[1]!.id, created.id].sort());
    expect(done.getSnapshot()).toEqual([rows[0]!.id]);
    // A native delete is known too.
    await db.transaction('rw', db.tasks, (tx) =>
      placeNative(db, tx, [{ store: 'tasks', type: 'delete', keys: [created.id] }]),
    );
    expect(todo.getSnapshot()).toEqual([rows[1]!.id]);
    expect(bulkGet).not.toHaveBeenCalled();
    stops.forEach((stop) => stop());
  });

  it("tells a patch's listeners after the commit's follow-up, every view at once", async () => {
    const db = await appDb();
    const rows = [taskRow({ projectId: PROJECT })];
    await db.tasks.bulkPut(rows as never[]);
    const todo = createTaskView(db, idListSpec(PROJECT, 'todo'), 1000);
    const done = createTaskView(db, idListSpec(PROJECT, 'done'), 1000);
    const stops = [todo.subscribe(() => undefined), done.subscribe(() => undefined)];
    await settled(todo, (ids) => ids.length === 1);
    await settled(done, (ids) => ids.length === 0);
    const order: string[] = [];
    const told = new Promise<void>((resolve) => {
      const tell = (name: string) => () => {
        order.push(name);
        if (order.includes('todo') && order.includes('done')) resolve();
      };
      stops.push(todo.subscribe(tell('todo')), done.subscribe(tell('done')));
    });

    // A local tick, and what the engine does once it committed (it sends its push).
    await db
      .transaction('rw', db.tasks, (tx) =>
        placeNative(db, tx, [
          { store: 'tasks', type: 'put', values: [{ ...rows[0]!, status: 'done' }] },
        ]),
      )
      .then(() => order.push('follow-up'));
    // Patched at the commit; told after it, both views in the same turn.
    expect(done.getSnapshot()).toEqual([rows[0]!.id]);
    expect(order).toEqual(['follow-up']);
    await told;
    expect(order.slice(1).sort()).toEqual(['done', 'todo']);
    stops.forEach((stop) => stop());
  });

  it('reads rows back when it does not know what was written', async () => {
    const db = await appDb();
    const rows = [taskRow({ projectId: PROJECT }), taskRow({ projectId: PROJECT })];
    await db.tasks.bulkPut(rows as never[]);
    const todo = createTaskView(db, idListSpec(PROJECT, 'todo'), 1000);
    const stop = todo.subscribe(() => undefined);
    await settled(todo, (ids) => ids.length === 2);
    const bulkGet = vi.spyOn(db.tasks, 'bulkGet');

    // Task rows written both ways in one transaction: their order is not seen here.
    await db.transaction('rw', db.tasks, async (tx) => {
      await db.tasks.put({ ...rows[1]!, title: 'edited' } as never);
      await placeNative(db, tx, [
        { store: 'tasks', type: 'put', values: [{ ...rows[0]!, status: 'done' }] },
      ]);
    });
    expect(await settled(todo, (ids) => ids.length === 1)).toEqual([rows[1]!.id]);
    expect(bulkGet).toHaveBeenCalledTimes(1);
    // A range delete: the rows it removed are not listed.
    await db.tasks.where('projectId').equals(PROJECT).delete();
    expect(await settled(todo, (ids) => ids.length === 0)).toEqual([]);
    stop();
  });

  it('ends where a full read ends, after any mix of known and unknown writes', async () => {
    type Step =
      | { kind: 'put' | 'native'; row: number; status: TaskStatus; other: boolean }
      | { kind: 'delete'; row: number }
      | { kind: 'mixed'; a: number; b: number; status: TaskStatus }
      | { kind: 'range' }
      | { kind: 'elsewhere'; row: number; status: TaskStatus };
    const row = fc.nat({ max: 7 });
    const status = fc.constantFrom(...STATUSES);
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), row, status, other: fc.boolean() }),
      fc.record({ kind: fc.constant('native' as const), row, status, other: fc.boolean() }),
      fc.record({ kind: fc.constant('delete' as const), row }),
      fc.record({ kind: fc.constant('mixed' as const), a: row, b: row, status }),
      fc.constant({ kind: 'range' as const }),
      fc.record({ kind: fc.constant('elsewhere' as const), row, status }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (steps, settle) => {
          const name = `written-${uuidv7()}`;
          const db = await appDb(name);
          // Another tab's database object: its writes reach this one only as changed keys.
          const other = new OutpostDb(name);
          await other.open();
          const ids = Array.from({ length: 8 }, () => uuidv7()).sort();
          const make = (i: number, s: TaskStatus, elsewhere = false) =>
            taskRow({ id: ids[i]!, projectId: elsewhere ? 'another' : PROJECT, status: s });
          await db.tasks.bulkPut(ids.slice(0, 4).map((_, i) => make(i, 'todo')) as never[]);
          const views = STATUSES.map((s) => createTaskView(db, idListSpec(PROJECT, s), 1000));
          const stops = views.map((v) => v.subscribe(() => undefined));
          for (const v of views) await settled(v, () => true);
          for (const st of steps) {
            if (st.kind === 'put') await db.tasks.put(make(st.row, st.status, st.other) as never);
            else if (st.kind === 'native')
              await db.transaction('rw', db.tasks, (tx) =>
                placeNative(db, tx, [
                  { store: 'tasks', type: 'put', values: [make(st.row, st.status, st.other)] },
                ]),
              );
            else if (st.kind === 'delete') await db.tasks.delete(ids[st.row]! as never);
            else if (st.kind === 'mixed' && st.a !== st.b)
              await db.transaction('rw', db.tasks, async (tx) => {
                await db.tasks.put(make(st.a, st.status) as never);
                await placeNative(db, tx, [
                  { store: 'tasks', type: 'put', values: [make(st.b, st.status)] },
                ]);
              });
            else if (st.kind === 'range') await db.tasks.where('status').equals('doing').delete();
            else if (st.kind === 'elsewhere')
              await other.tasks.put(make(st.row, st.status) as never);
            // Sometimes the next write comes while the views still read.
            if (settle) await new Promise((r) => setTimeout(r, 0));
          }
          for (const [i, s] of STATUSES.entries()) {
            const want = await idListSpec(PROJECT, s).read(db);
            expect(await within(views[i]!, want)).toEqual(want);
          }
          stops.forEach((stop) => stop());
          other.close();
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});
