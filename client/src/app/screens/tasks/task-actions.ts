import { useMemo } from 'react';
import type { EntityId, Task } from '@outpost/shared';
import { UNDO_WINDOW_MS, usePendingDeletes, useSyncClient } from '../../../data';
import { requestFocus } from '../../ui/focus';
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
      /** Hidden at once, deleted for real when the undo window ends. */
      remove(task: Task): void {
        pending.schedule({
          id: task.id,
          projectId: task.projectId,
          status: task.status,
          title: task.title,
        });
        toasts.show({
          message: `Deleted “${task.title}”`,
          durationMs: UNDO_WINDOW_MS,
          action: {
            label: 'Undo',
            run: () => {
              pending.undo(task.id);
              requestFocus({ taskId: task.id });
            },
          },
        });
      },
    }),
    [client, pending],
  );
}
