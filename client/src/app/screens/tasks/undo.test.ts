// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { activitySchema, taskSchema, userSchema, type Activity, type Task } from '@outpost/shared';
import { OutpostDb } from '@outpost/sync';
import { taskRow } from '../../../../test/helpers/task-row';
import type { Engine } from '../../engine/context';
import { named, toasts } from '../../ui/toasts';
import { undoWrites } from './task-actions';
import { keptMessage, planUndo, type Wrote } from './undo';

const ME = uuidv7();
const ANA = uuidv7();

const dbs: OutpostDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
  for (const t of toasts.getSnapshot()) toasts.dismiss(t.id);
});

const task = (over: Partial<Task> = {}): Task => taskSchema.parse(taskRow(over));

/** Completed by me: status todo → done. */
const completed = (t: Task): Wrote => ({
  id: t.id,
  title: t.title,
  after: { status: 'done' },
  before: { status: 'todo' },
});

describe('planUndo: only what is still the user’s goes back', () => {
  it('writes the earlier value where the field still holds the action’s, and only that field', () => {
    const t = task({ status: 'done', dueDate: '2027-01-09' });
    // A teammate dated it meanwhile: a field the action did not write is not written back.
    expect(planUndo([completed(t)], new Map([[t.id, t]]))).toEqual({
      patches: [{ id: t.id, patch: { status: 'todo' } }],
      kept: [],
      already: [],
    });
  });

  it('has nothing to do for a task a teammate already set back: neither written nor kept', () => {
    const back = task({ status: 'todo', title: 'Pack books' });
    const other = task({ status: 'doing', title: 'Call Bo' });
    const plan = planUndo(
      [completed(back), completed(other)],
      new Map([
        [back.id, back],
        [other.id, other],
      ]),
    );
    expect(plan).toEqual({
      patches: [],
      kept: [{ id: other.id, title: 'Call Bo', fields: ['status'] }],
      already: [back.id],
    });
  });

  it('keeps a teammate’s newer value of a field the action wrote, and a task deleted since', () => {
    const reopened = task({ status: 'doing', title: 'Pack books' });
    const done = task({ status: 'done' });
    const gone = task({ status: 'done', title: 'Call Bo' });
    const plan = planUndo(
      [completed(reopened), completed(done), completed(gone)],
      new Map([
        [reopened.id, reopened],
        [done.id, done],
      ]),
    );
    expect(plan.patches).toEqual([{ id: done.id, patch: { status: 'todo' } }]);
    expect(plan.kept).toEqual([
      { id: reopened.id, title: 'Pack books', fields: ['status'] },
      { id: gone.id, title: 'Call Bo', fields: null },
    ]);
  });
});

describe('keptMessage says what Undo left alone, in one line', () => {
  const k = (title: string, fields: ['dueDate'] | null = ['dueDate']) => ({
    id: title,
    title,
    fields,
  });
  it('names the task, the person and the field for one; a count for several', () => {
    expect(keptMessage([k('X')], 1, new Map([['X', 'Ana']]))).toBe(
      `Not undone for “X”: ${named('Ana')} changed its due date meanwhile`,
    );
    expect(keptMessage([k('X')], 1, new Map())).toBe(
      'Not undone for “X”: its due date changed meanwhile',
    );
    expect(keptMessage([k('X', null)], 4, new Map([['X', 'Ana']]))).toBe(
      `Not undone for “X”: ${named('Ana')} deleted it meanwhile`,
    );
    expect(
      keptMessage(
        [k('X'), k('Y'), k('Z')],
        40,
        new Map([
          ['X', 'Ana'],
          ['Y', 'Ana'],
        ]),
      ),
    ).toBe(`Not undone for 3 of 40 tasks: ${named('Ana')} and others changed them meanwhile`);
    expect(keptMessage([k('X'), k('Y', null)], 2, new Map())).toBe(
      'Not undone for 2 tasks: they were changed or deleted meanwhile',
    );
    expect(keptMessage([], 2, new Map())).toBeNull();
  });
});

describe('undoWrites', () => {
  async function setUp(rows: Task[]) {
    const db = new OutpostDb(`undo-${uuidv7()}`);
    dbs.push(db);
    await db.open();
    await db.tasks.bulkPut(rows as never);
    const at = new Date().toISOString();
    await db.users.put(
      userSchema.parse({
        id: ANA,
        orgId: 'org',
        externalId: 'user_ana',
        email: 'ana@example.com',
        name: 'Ana',
        role: 'member',
        createdAt: at,
        updatedAt: at,
        version: 1,
      }) as never,
    );
    const client = {
      updateTask: vi.fn(async () => undefined),
      updateTasks: vi.fn(async () => undefined),
    };
    const engine = {
      client,
      replica: { db },
      session: { user: { id: ME } },
    } as unknown as Pick<Engine, 'client' | 'replica' | 'session'>;
    return { db, client, engine };
  }

  const anaSet = (t: Task, field: string, from: unknown, to: unknown, version = 9): Activity => {
    const at = new Date().toISOString();
    return activitySchema.parse({
      id: uuidv7(),
      orgId: 'org',
      createdAt: at,
      updatedAt: at,
      version,
      actorId: ANA,
      action: 'update',
      entity: 'task',
      entityId: t.id,
      changes: [{ field, from, to }],
      reason: null,
      requestId: null,
      clientId: null,
      mutationId: null,
    });
  };

  it('reopens a completed task a teammate dated meanwhile, writing its status alone', async () => {
    const t = task({ status: 'done', dueDate: '2027-01-09' });
    const { client, engine } = await setUp([t]);
    await undoWrites(engine, [completed(t)], Date.now());
    expect(client.updateTask).toHaveBeenCalledWith(t.id, { status: 'todo' });
    expect(toasts.getSnapshot()).toEqual([]);
  });

  it('says nothing went wrong when a teammate already put it back as Undo would', async () => {
    const t = task({ status: 'todo', title: 'Pack books' });
    const { db, client, engine } = await setUp([t]);
    await db.activities.put(anaSet(t, 'status', 'done', 'todo') as never);
    const undone = toasts.show({
      message: 'Undone: completed “Pack books”',
      durationMs: 4000,
      undone: true,
    });
    await undoWrites(engine, [completed(t)], Date.now());
    expect(client.updateTask).not.toHaveBeenCalled();
    expect(client.updateTasks).not.toHaveBeenCalled();
    // Undo is done: its "Undone" stays, and no "Not undone … changed meanwhile" follows.
    expect(toasts.getSnapshot().map((x) => x.id)).toEqual([undone]);
  });

  it('a selection some of which a teammate set back: only the others are written or said', async () => {
    const a = task({ status: 'done' });
    const b = task({ status: 'todo' });
    const c = task({ status: 'doing', title: 'Call Bo' });
    const { db, client, engine } = await setUp([a, b, c]);
    await db.activities.bulkPut([
      anaSet(b, 'status', 'done', 'todo'),
      anaSet(c, 'status', 'done', 'doing'),
    ] as never);
    await undoWrites(engine, [completed(a), completed(b), completed(c)], Date.now());
    expect(client.updateTask).toHaveBeenCalledWith(a.id, { status: 'todo' });
    expect(client.updateTasks).not.toHaveBeenCalled();
    expect(toasts.getSnapshot().map((x) => x.message)).toEqual([
      `Not undone for “Call Bo”: ${named('Ana')} changed its status meanwhile`,
    ]);
  });

  it('writes nothing when a teammate reopened it meanwhile, and says who', async () => {
    const t = task({ status: 'doing', title: 'Pack books' });
    const { db, client, engine } = await setUp([t]);
    await db.activities.put(anaSet(t, 'status', 'done', 'doing') as never);
    await undoWrites(engine, [completed(t)], Date.now());
    expect(client.updateTask).not.toHaveBeenCalled();
    expect(client.updateTasks).not.toHaveBeenCalled();
    expect(toasts.getSnapshot().map((x) => x.message)).toEqual([
      `Not undone for “Pack books”: ${named('Ana')} changed its status meanwhile`,
    ]);
  });

  it('a selection: one write for the tasks still as the action left them, one line for the rest', async () => {
    const re = (d: string) => ({ after: { dueDate: '2027-02-01' }, before: { dueDate: d } });
    const a = task({ dueDate: '2027-02-01' });
    const b = task({ dueDate: '2027-02-01' });
    const c = task({ dueDate: '2027-03-15' });
    const d = task({ dueDate: '2027-03-20' });
    const { db, client, engine } = await setUp([a, b, c, d]);
    await db.activities.bulkPut([
      anaSet(c, 'dueDate', '2027-02-01', '2027-03-15'),
      anaSet(d, 'dueDate', '2027-02-01', '2027-03-20'),
    ] as never);
    await undoWrites(
      engine,
      [a, b, c, d].map((t) => ({ id: t.id, title: t.title, ...re('2027-01-01') })),
      Date.now(),
    );
    expect(client.updateTasks).toHaveBeenCalledWith([
      { id: a.id, patch: { dueDate: '2027-01-01' } },
      { id: b.id, patch: { dueDate: '2027-01-01' } },
    ]);
    expect(toasts.getSnapshot().map((x) => x.message)).toEqual([
      `Not undone for 2 of 4 tasks: ${named('Ana')} changed them meanwhile`,
    ]);
  });
});
