import { useMemo } from 'react';
import { PERMISSIONS, type EntityId, type Task, type TaskFields } from '@outpost/shared';
import {
  UNDO_WINDOW_MS,
  usePendingDeletes,
  useSyncClient,
  type PendingDeletes,
} from '../../../data';
import { requestFocus } from '../../ui/focus';
import { andList, count } from '../../ui/format';
import { toasts } from '../../ui/toasts';

/** Completing, moving and deleting with an undo toast (see data/pending-deletes.ts for deletes). */
export function useTaskActions() {
  const client = useSyncClient();
  const pending = usePendingDeletes();
  return useMemo(
    () => ({
      async setDone(task: Task, done: boolean): Promise<void> {
        const before = task.status;
        await client.updateTask(task.id, { status: done ? 'done' : 'todo' });
        if (!done) return;
        toasts.show({
          message: `Completed “${task.title}”`,
          durationMs: UNDO_WINDOW_MS,
          write: { rows: [task.id], fields: ['status'] },
          action: {
            label: 'Undo',
            run: () => {
              // Focus is asked for once the task is open again: the list then reads it as it
              // will show (or not: outside the search shown), never as it was before.
              void client
                .updateTask(task.id, { status: before === 'done' ? 'todo' : before })
                .then(() => requestFocus({ taskId: task.id }));
            },
          },
        });
      },
      /** To another project; Undo takes it back (its row then takes focus where it shows). */
      async move(task: Task, to: { id: string; name: string }): Promise<void> {
        const from = task.projectId;
        await client.updateTask(task.id, { projectId: to.id as EntityId });
        toasts.show({
          message: `Moved “${task.title}” to ${to.name}`,
          durationMs: UNDO_WINDOW_MS,
          write: { rows: [task.id], fields: ['projectId'] },
          action: {
            label: 'Undo',
            run: () => {
              void client
                .updateTask(task.id, { projectId: from })
                .then(() => requestFocus({ taskId: task.id }));
            },
          },
        });
      },
      /**
       * One user action over several tasks (a selection): one local write for all the tasks it
       * changes (one transaction, all or nothing), one toast, one Undo that puts back each
       * task's own value the same way. Resolves with the tasks changed.
       */
      async updateMany(
        tasks: readonly Task[],
        patch: Partial<Pick<TaskFields, 'status' | 'assigneeId' | 'dueDate' | 'projectId'>>,
        message: (changed: readonly Task[]) => string,
      ): Promise<readonly Task[]> {
        const fields = Object.keys(patch) as (keyof typeof patch)[];
        const changed = tasks.filter((t) => fields.some((f) => t[f] !== patch[f]));
        if (changed.length === 0) return changed;
        await client.updateTasks(changed.map((t) => ({ id: t.id, patch })));
        // What the toast says and undoes: the tasks still changed (a refused one is undone).
        const offer = (applied: readonly Task[]) => ({
          message: message(applied),
          action: {
            label: 'Undo',
            run: () => {
              void client
                .updateTasks(
                  applied.map((t) => ({
                    id: t.id,
                    patch: Object.fromEntries(fields.map((f) => [f, t[f]])) as typeof patch,
                  })),
                )
                .then(() => requestFocus({ taskId: applied[0]!.id }));
            },
          },
        });
        toasts.show({
          ...offer(changed),
          durationMs: UNDO_WINDOW_MS,
          // Some of them refused, the toast stays for the rest ("Moved 2 tasks"); all of them,
          // it goes, as for one task. The notices say which.
          write: {
            rows: changed.map((t) => t.id),
            fields,
            rest: (applied) => offer(changed.filter((t) => applied.includes(t.id))),
          },
        });
        return changed;
      },
      /** Several deleted as one (a selection): one toast, one Undo. */
      removeMany(tasks: readonly Task[]): void {
        if (tasks.length === 0) return;
        pending.scheduleMany(
          tasks.map((t) => ({
            id: t.id,
            projectId: t.projectId,
            status: t.status,
            title: t.title,
          })),
        );
        const ids = tasks.map((t) => t.id);
        showDeleted(pending, ids, `Deleted ${taskCount(tasks)}`, () => {
          pending.undoMany(ids);
          requestFocus({ taskId: tasks[0]!.id });
        });
      },
      /** Hidden at once, deleted for real when the undo window ends. */
      remove(task: Task): void {
        pending.schedule({
          id: task.id,
          projectId: task.projectId,
          status: task.status,
          title: task.title,
        });
        showDeleted(pending, [task.id], `Deleted “${task.title}”`, () => {
          pending.undo(task.id);
          requestFocus({ taskId: task.id });
        });
      },
    }),
    [client, pending],
  );
}

/**
 * A delete's toast: its window is the held delete's, paused and resumed with it, and it goes
 * when the delete does (sent by another tab, starting while this one held it paused), so it
 * never offers to undo a delete already sent.
 */
export function showDeleted(
  pending: Pick<PendingDeletes, 'pause' | 'resume' | 'subscribe' | 'getSnapshot'>,
  ids: readonly string[],
  message: string,
  undo: () => void,
): number {
  const id = toasts.show({
    message,
    durationMs: UNDO_WINDOW_MS,
    hold: { pause: () => pending.pause(ids), resume: (left) => pending.resume(ids, left) },
    action: { label: 'Undo', run: undo },
  });
  const off = pending.subscribe(() => {
    if (toasts.left(id) === null) return void off();
    const held = pending.getSnapshot();
    if (ids.some((x) => held.has(x))) return;
    off();
    toasts.dismiss(id);
  });
  return id;
}

/** “Pack books” for one task, “12 tasks” for more, as a toast names them. */
export function taskCount(tasks: readonly Pick<Task, 'title'>[]): string {
  return tasks.length === 1 ? `“${tasks[0]!.title}”` : `${count(tasks.length)} tasks`;
}

/**
 * Delete or Backspace pressed on a task by someone whose role may not delete tasks: said (as a
 * refused action must say why), from the one permission table: "Only admins and managers
 * delete tasks."
 */
export function sayMayNotDelete(): void {
  const who = andList(PERMISSIONS.task.delete.map((r) => `${r}s`));
  toasts.show({ message: `Only ${who} delete tasks.`, durationMs: 4000 });
}
