// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { TaskStatus } from '@outpost/shared';
import { OutpostDb } from '@outpost/sync';
import { taskRow } from '../../test/helpers/task-row';
import { idListSpec } from './id-lists';
import { createTaskView, type TaskView } from './task-view';

const PROJECT = uuidv7();
const task = (status: TaskStatus, projectId = PROJECT) => taskRow({ status, projectId });

const dbs: OutpostDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function until(view: TaskView<readonly string[]>, ready: (ids: readonly string[]) => boolean) {
  return new Promise<readonly string[]>((resolve) => {
    const check = () => {
      const ids = view.getSnapshot();
      if (ids && ready(ids)) {
        stop();
        resolve(ids);
      }
    };
    const stop = view.subscribe(check);
    check();
  });
}

/** A section's id list of PROJECT whose full reads are counted in `reads[status]`. */
function countedView<S extends TaskStatus>(db: OutpostDb, reads: Record<S, number>) {
  return (status: S) => {
    const spec = idListSpec(PROJECT, status);
    return createTaskView(db, { ...spec, read: (d) => (reads[status]++, spec.read(d)) }, 1000);
  };
}

describe('a section id list patched from changed rows', () => {
  it('moves a ticked id between lists, keeps creation order, and never re-reads the list', async () => {
    const db = new OutpostDb(`ids-${uuidv7()}`);
    dbs.push(db);
    const rows = [task('todo'), task('todo'), task('todo'), task('done')];
    await db.tasks.bulkPut(rows as never[]);
    const reads = { todo: 0, done: 0 };
    const view = countedView(db, reads);
    const todo = view('todo');
    const done = view('done');
    const stops = [todo.subscribe(() => undefined), done.subscribe(() => undefined)];
    await until(todo, (ids) => ids.length === 3);
    await until(done, (ids) => ids.length === 1);

    // Tick the middle one: it leaves To do and joins Completed in creation order.
    await db.tasks.put({ ...rows[1]!, status: 'done' } as never);
    expect(await until(todo, (ids) => ids.length === 2)).toEqual([rows[0]!.id, rows[2]!.id]);
    expect(await until(done, (ids) => ids.length === 2)).toEqual([rows[1]!.id, rows[3]!.id]);
    // A new task lands at the end; one of another project and a deleted one change nothing else.
    const added = task('todo');
    await db.tasks.put(added as never);
    await db.tasks.put(task('todo', uuidv7()) as never);
    await db.tasks.delete(rows[0]!.id as never);
    expect(await until(todo, (ids) => ids.length === 2 && ids[1] === added.id)).toEqual([
      rows[2]!.id,
      added.id,
    ]);
    expect(reads).toEqual({ todo: 1, done: 1 });
    stops.forEach((stop) => stop());
  });

  it('reads a changed row once for every list that watches the table', async () => {
    const db = new OutpostDb(`ids-${uuidv7()}`);
    dbs.push(db);
    const rows = [task('todo'), task('todo')];
    await db.tasks.bulkPut(rows as never[]);
    const todo = createTaskView(db, idListSpec(PROJECT, 'todo'), 1000);
    const done = createTaskView(db, idListSpec(PROJECT, 'done'), 1000);
    const stops = [todo.subscribe(() => undefined), done.subscribe(() => undefined)];
    await until(todo, (ids) => ids.length === 2);
    await until(done, (ids) => ids.length === 0);
    const bulkGet = vi.spyOn(db.tasks, 'bulkGet');

    await db.tasks.put({ ...rows[0]!, status: 'done' } as never);
    expect(await until(todo, (ids) => ids.length === 1)).toEqual([rows[1]!.id]);
    expect(await until(done, (ids) => ids.length === 1)).toEqual([rows[0]!.id]);
    // One read transaction for the tick, not one per list.
    expect(bulkGet).toHaveBeenCalledTimes(1);
    stops.forEach((stop) => stop());
  });

  it('a bulk write read in full is published by every list at once: no render sees a row in neither', async () => {
    const db = new OutpostDb(`ids-${uuidv7()}`);
    dbs.push(db);
    const rows = Array.from({ length: 60 }, () => task('todo'));
    await db.tasks.bulkPut(rows as never[]);
    const reads = { todo: 0, doing: 0 };
    const view = countedView(db, reads);
    const todo = view('todo');
    const doing = view('doing');
    // As React renders after a store's change: in a microtask, with every list as it is then.
    const rendered: number[] = [];
    const render = () =>
      queueMicrotask(() =>
        rendered.push((todo.getSnapshot()?.length ?? 0) + (doing.getSnapshot()?.length ?? 0)),
      );
    const stops = [todo.subscribe(render), doing.subscribe(render)];
    await until(todo, (ids) => ids.length === 60);
    await until(doing, (ids) => ids.length === 0);
    rendered.length = 0;

    // 60 rows set In progress in one write: Dexie reports the whole table, each list reads again.
    await db.tasks.bulkPut(rows.map((r) => ({ ...r, status: 'doing' })) as never[]);
    await until(doing, (ids) => ids.length === 60);
    await until(todo, (ids) => ids.length === 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reads).toEqual({ todo: 2, doing: 2 });
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.filter((n) => n !== 60)).toEqual([]);
    stops.forEach((stop) => stop());
  });
});
