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
 * Ten quick `x`s made three toasts stacked over a third of a phone's list, each title cut to a
 * dozen characters. A burst of one kind is one toast now (Todoist, Linear), said anew in place
 * (one status element, so one announcement per update), whose Undo takes back all of it.
 */

cleanUpTaskActions();

const task = (over: Partial<Task> = {}): Task => taskSchema.parse(taskRow(over));
const shown = () => toasts.getSnapshot().map((t) => t.message);

describe('completions in quick succession', () => {
  it('are one toast, "Completed 3 tasks", whose Undo reopens all three', async () => {
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mountTaskActions(
      [a, b, c].map((t) => ({ ...t, status: 'done' })),
    );
    await actions().setDone(a, true);
    // One alone still names its task.
    expect(shown()).toEqual(['Completed “A”']);
    const first = toasts.getSnapshot()[0]!.id;
    await actions().setDone(b, true);
    await actions().setDone({ ...c, status: 'doing' }, true);
    expect(shown()).toEqual(['Completed 3 tasks']);
    // The same toast, said anew: not a second status element read out on its own.
    expect(toasts.getSnapshot()[0]!.id).toBe(first);
    toasts.undoLatest();
    await vi.waitFor(() => expect(client.updateTasks).toHaveBeenCalledTimes(1));
    expect(client.updateTasks).toHaveBeenCalledWith([
      { id: a.id, patch: { status: 'todo' } },
      { id: b.id, patch: { status: 'todo' } },
      { id: c.id, patch: { status: 'doing' } },
    ]);
    expect(shown()).toEqual([]);
  });

  it('start a new toast once something else was said in between', async () => {
    const [a, b] = [task({ title: 'A' }), task({ title: 'B' })];
    const { actions } = await mountTaskActions([a, b].map((t) => ({ ...t, status: 'done' })));
    await actions().setDone(a, true);
    toasts.show({ message: 'Something else', durationMs: 4000 });
    await actions().setDone(b, true);
    expect(shown()).toEqual(['Completed “A”', 'Something else', 'Completed “B”']);
  });

  it('start a new toast once the burst’s toast is gone', async () => {
    const [a, b] = [task({ title: 'A' }), task({ title: 'B' })];
    const { client, actions } = await mountTaskActions(
      [a, b].map((t) => ({ ...t, status: 'done' })),
    );
    await actions().setDone(a, true);
    toasts.dismiss(toasts.getSnapshot()[0]!.id);
    await actions().setDone(b, true);
    expect(shown()).toEqual(['Completed “B”']);
    toasts.undoLatest();
    await vi.waitFor(() => expect(client.updateTask).toHaveBeenCalledTimes(3));
    expect(client.updateTask).toHaveBeenLastCalledWith(b.id, { status: 'todo' });
  });

  it('a task refused by the server leaves the burst: the toast says and undoes the rest', async () => {
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mountTaskActions(
      [a, b, c].map((t) => ({ ...t, status: 'done' })),
    );
    await actions().setDone(a, true);
    await actions().setDone(b, true);
    toasts.refused({ row: a.id, fields: ['status'] });
    expect(shown()).toEqual(['Completed “B”']);
    await actions().setDone(c, true);
    expect(shown()).toEqual(['Completed 2 tasks']);
    toasts.undoLatest();
    await vi.waitFor(() => expect(client.updateTasks).toHaveBeenCalledTimes(1));
    expect(client.updateTasks).toHaveBeenCalledWith([
      { id: b.id, patch: { status: 'todo' } },
      { id: c.id, patch: { status: 'todo' } },
    ]);
  });
});

describe('moves in quick succession', () => {
  it('to one project are one toast; to another, a new one', async () => {
    const to = uuidv7() as Task['projectId'];
    const other = uuidv7() as Task['projectId'];
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mountTaskActions([
      { ...a, projectId: to },
      { ...b, projectId: to },
      { ...c, projectId: other },
    ]);
    await actions().move(a, { id: to, name: 'Garden' });
    await actions().move(b, { id: to, name: 'Garden' });
    expect(shown()).toEqual(['Moved 2 tasks to “Garden”']);
    await actions().move(c, { id: other, name: 'Errands' });
    expect(shown()).toEqual(['Moved 2 tasks to “Garden”', 'Moved “C” to “Errands”']);
    toasts.undoLatest();
    toasts.undoLatest();
    await vi.waitFor(() => expect(client.updateTasks).toHaveBeenCalledTimes(1));
    expect(client.updateTasks).toHaveBeenCalledWith([
      { id: a.id, patch: { projectId: a.projectId } },
      { id: b.id, patch: { projectId: b.projectId } },
    ]);
  });
});

describe('deletes in quick succession', () => {
  it('are one toast, "Deleted 3 tasks", whose Undo (as Ctrl/⌘+Z runs it) brings all three back', async () => {
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mountTaskActions([a, b, c]);
    actions().remove(a);
    // One alone still names its task.
    expect(shown()).toEqual(['Deleted “A”']);
    const first = toasts.getSnapshot()[0]!.id;
    actions().remove(b);
    actions().remove(c);
    expect(shown()).toEqual(['Deleted 3 tasks']);
    expect(toasts.getSnapshot()[0]!.id).toBe(first);
    expect(toasts.undoLatest()?.message).toBe('Deleted 3 tasks');
    expect(shown()).toEqual([]);
    expect(JSON.parse(localStorage.getItem('outpost-pending-deletes:me') ?? '[]')).toEqual([]);
    expect(client.deleteTask).not.toHaveBeenCalled();
  });

  it('by the list’s Delete key (one task at a time, as a selection of one) are one toast too', async () => {
    const [a, b, c] = [task({ title: 'A' }), task({ title: 'B' }), task({ title: 'C' })];
    const { client, actions } = await mountTaskActions([a, b, c]);
    actions().removeMany([a]);
    expect(shown()).toEqual(['Deleted “A”']);
    actions().removeMany([b]);
    actions().remove(c);
    expect(shown()).toEqual(['Deleted 3 tasks']);
    expect(toasts.undoLatest()?.message).toBe('Deleted 3 tasks');
    expect(shown()).toEqual([]);
    expect(client.deleteTask).not.toHaveBeenCalled();
  });

  it('share the window of their toast: the first is not sent while a later one keeps the toast up', async () => {
    const [a, b] = [task({ title: 'A' }), task({ title: 'B' })];
    const { client, actions } = await mountTaskActions([a, b]);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      actions().remove(a);
      await vi.advanceTimersByTimeAsync(4_000);
      actions().remove(b);
      // Past the first delete's own window: still held, the toast still offers it back.
      await vi.advanceTimersByTimeAsync(2_000);
      expect(client.deleteTask).not.toHaveBeenCalled();
      expect(shown()).toEqual(['Deleted 2 tasks']);
      await vi.advanceTimersByTimeAsync(3_100);
      expect(client.deleteTask.mock.calls.map(([id]) => id).sort()).toEqual([a.id, b.id].sort());
      expect(shown()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
