// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { taskSchema, type Task } from '@outpost/shared';
import { cleanUpTaskActions, mountTaskActions } from '../../../../test/helpers/mount-task-actions';
import { taskRow } from '../../../../test/helpers/task-row';
import { toasts } from '../../ui/toasts';

/*
 * The engine writes only what differs from what the replica shows (ecf269c): updateTask resolves
 * false when nothing was written, updateTasks the ids it changed. The app's actions must offer
 * an Undo only for what was written: an Undo of a write that never happened would take back a
 * teammate's (or another tab's) change the user never made.
 */

cleanUpTaskActions();

const task = (over: Partial<Task> = {}): Task => taskSchema.parse(taskRow(over));

const mount = mountTaskActions;

const messages = () => toasts.getSnapshot().map((t) => t.message);

describe('an action the engine found already done offers no Undo', () => {
  it('completing a task already completed here shows no "Completed" toast', async () => {
    const t = task({ title: 'Pack books' });
    const { client, actions } = await mount([{ ...t, status: 'done' }]);
    // The row shown was still To do; a teammate's Done synced just before the tick.
    client.updateTask.mockResolvedValueOnce(false);
    await actions().setDone(t, true);
    expect(client.updateTask).toHaveBeenCalledWith(t.id, { status: 'done' });
    expect(messages()).toEqual([]);
    // Written: the toast and its Undo show, as ever.
    await actions().setDone(t, true);
    expect(messages()).toEqual(['Completed “Pack books”']);
  });

  it('moving a task to the project it is already in shows no "Moved" toast', async () => {
    const t = task({ title: 'Pack books' });
    const to = { id: uuidv7(), name: 'Move house' };
    const { client, actions } = await mount([{ ...t, projectId: to.id as Task['projectId'] }]);
    client.updateTask.mockResolvedValueOnce(false);
    await actions().move(t, to);
    expect(messages()).toEqual([]);
    await actions().move(t, to);
    expect(messages()).toEqual(['Moved “Pack books” to “Move house”']);
  });
});

describe('a selection’s toast counts and undoes only the tasks the engine changed', () => {
  const said = (changed: readonly Task[]) =>
    changed.length === 1 ? `Completed “${changed[0]!.title}”` : `Completed ${changed.length} tasks`;

  it('completing three of which one was already done here: "Completed 2 tasks", Undo reopens two', async () => {
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mount([a, b, c].map((t) => ({ ...t, status: 'done' })));
    // b was completed by a teammate just before: the engine leaves it out.
    client.updateTasks.mockResolvedValueOnce([a.id, c.id]);
    const changed = await actions().updateMany([a, b, c], { status: 'done' }, said);
    expect(changed.map((t) => t.id)).toEqual([a.id, c.id]);
    expect(messages()).toEqual(['Completed 2 tasks']);
    toasts.undoLatest();
    await vi.waitFor(() => expect(client.updateTasks).toHaveBeenCalledTimes(2));
    expect(client.updateTasks).toHaveBeenLastCalledWith([
      { id: a.id, patch: { status: 'todo' } },
      { id: c.id, patch: { status: 'todo' } },
    ]);
  });

  it('moving three of which two already were there: names the one moved and takes back only it', async () => {
    const to = uuidv7() as Task['projectId'];
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mount([a, b, c].map((t) => ({ ...t, projectId: to })));
    client.updateTasks.mockResolvedValueOnce([b.id]);
    const moved = (changed: readonly Task[]) =>
      changed.length === 1 ? `Moved “${changed[0]!.title}”` : `Moved ${changed.length} tasks`;
    await actions().updateMany([a, b, c], { projectId: to }, moved);
    expect(messages()).toEqual(['Moved “B”']);
    toasts.undoLatest();
    await vi.waitFor(() => expect(client.updateTask).toHaveBeenCalled());
    expect(client.updateTask).toHaveBeenCalledWith(b.id, { projectId: b.projectId });
    expect(client.updateTasks).toHaveBeenCalledTimes(1);
  });

  it('all already so: no toast, nothing to undo', async () => {
    const [a, b] = [task({ title: 'A' }), task({ title: 'B' })];
    const { client, actions } = await mount([a, b].map((t) => ({ ...t, status: 'done' })));
    client.updateTasks.mockResolvedValueOnce([]);
    expect(await actions().updateMany([a, b], { status: 'done' }, said)).toEqual([]);
    expect(messages()).toEqual([]);
    expect(toasts.undoLatest()).toBeUndefined();
  });
});
