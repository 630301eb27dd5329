import { useMemo } from 'react';
import { activitySchema, PERMISSIONS, type EntityId, type Task } from '@outpost/shared';
import {
  parseRows,
  readEntityNames,
  readTasksByIds,
  UNDO_WINDOW_MS,
  usePendingDeletes,
  type DeleteIntent,
  type PendingDeletes,
} from '../../../data';
import { useEngine, type Engine } from '../../engine/context';
import { requestFocus } from '../../ui/focus';
import { andList, count, dueWords } from '../../ui/format';
import { toasts, type Toast } from '../../ui/toasts';
import { showInBurst } from './toast-burst';
import {
  changedBy,
  keptMessage,
  planUndo,
  type Kept,
  type UndoField,
  type UndoPatch,
  type Wrote,
} from './undo';

/** How long "Not undone for …" shows (it offers nothing to press; a sentence to read). */
const KEPT_MS = 8000;

/**
 * Undo of what `wrote` says an action wrote at `at` (ms): each field back to its earlier value
 * where it still holds the action's (one write for them all), the first task put back then
 * asked to take focus; what someone changed or deleted since stays theirs, and a toast says so
 * ("Not undone for “X”: Ana changed its due date meanwhile").
 */
export async function undoWrites(
  engine: Pick<Engine, 'client' | 'replica' | 'session'>,
  wrote: readonly Wrote[],
  at: number,
): Promise<void> {
  const { client, replica } = engine;
  const now = await readTasksByIds(
    replica.db,
    wrote.map((w) => w.id),
  );
  const plan = planUndo(wrote, now);
  const [first] = plan.patches;
  if (plan.patches.length === 1) await client.updateTask(first!.id, first!.patch);
  else if (plan.patches.length > 1) await client.updateTasks(plan.patches);
  // A task a teammate already set back is undone too: nothing to write, nothing to say.
  const back = first?.id ?? plan.already[0];
  if (back) requestFocus({ taskId: back });
  else toasts.notUndone();
  await sayKept(engine, plan.kept, wrote.length, now, at);
}

/** The toast for what an Undo left as others made it, naming them where their activity says. */
async function sayKept(
  engine: Pick<Engine, 'replica' | 'session'>,
  kept: readonly Kept[],
  of: number,
  now: ReadonlyMap<string, Task>,
  at: number,
): Promise<void> {
  if (kept.length === 0) return;
  const { db } = engine.replica;
  // Named from the first few: a count needs no more.
  const asked = kept.slice(0, 100);
  const activities = parseRows(
    activitySchema,
    await db.activities
      .where('entityId')
      .anyOf(asked.map((k) => k.id))
      .toArray(),
  );
  const actors = new Map<string, string>();
  for (const k of asked) {
    const actor = changedBy(k, activities, now.get(k.id), engine.session.user.id, at);
    if (actor) actors.set(k.id, actor);
  }
  const names = await readEntityNames(db, [...new Set(actors.values())]);
  const who = new Map<string, string>();
  for (const [task, actor] of actors) {
    const name = names.get(actor);
    if (name) who.set(task, name);
  }
  const message = keptMessage(kept, of, who);
  if (message) toasts.show({ message, durationMs: KEPT_MS });
}

/**
 * A delete undone: the tasks come back as they are now, a teammate's edits made meanwhile
 * included (the delete was never sent, so nothing of theirs was lost). One a teammate deleted
 * meanwhile cannot come back: a toast says so.
 */
async function sayDeletedMeanwhile(
  engine: Pick<Engine, 'replica' | 'session'>,
  tasks: readonly Pick<Task, 'id' | 'title'>[],
  at: number,
): Promise<void> {
  const now = await readTasksByIds(
    engine.replica.db,
    tasks.map((t) => t.id),
  );
  const gone = tasks.filter((t) => !now.has(t.id));
  if (gone.length === tasks.length) toasts.notUndone();
  await sayKept(
    engine,
    gone.map((t) => ({ id: t.id, title: t.title, fields: null })),
    tasks.length,
    now,
    at,
  );
}

/** Completing, moving and deleting with an undo toast (see data/pending-deletes.ts for deletes). */
export function useTaskActions() {
  const { client, replica, session } = useEngine();
  const pending = usePendingDeletes();
  return useMemo(() => {
    const engine = { client, replica, session };
    /**
     * Hidden at once, deleted for real when the undo window ends. Deletes in a row share one
     * toast ("Deleted 3 tasks · Undo"), as completions do: each joining gives all of them the
     * toast's fresh window (held again from now), and its Undo (or Ctrl/⌘+Z) brings all back.
     */
    const remove = (task: Task): void => {
      let ids: string[] = [];
      const toast = showInBurst('delete', task, (burst, at) => {
        // Those still held (another tab may have sent or undone one meanwhile), and this one.
        const held = pending.getSnapshot();
        const tasks = burst.filter((t) => t.id === task.id || held.has(t.id));
        pending.scheduleMany(tasks.map(heldDelete));
        ids = tasks.map((t) => t.id);
        const all = ids;
        return deletedToast(pending, all, `Deleted ${taskCount(tasks)}`, () => {
          pending.undoMany(all);
          requestFocus({ taskId: tasks[0]!.id });
          void sayDeletedMeanwhile(engine, tasks, at);
        });
      });
      watchDeleted(pending, ids, toast);
    };
    return {
      async setDone(task: Task, done: boolean): Promise<void> {
        const before = task.status;
        // Already so here (another tab, a teammate's change just synced): nothing to undo.
        const wrote = await client.updateTask(task.id, { status: done ? 'done' : 'todo' });
        if (!done || !wrote) return;
        // A burst of completions is one toast ("Completed 3 tasks"), its Undo reopening all.
        // Focus is asked for once a task is open again: the list then reads it as it will show
        // (or not: outside the search shown), never as it was before.
        showInBurst(
          'complete',
          {
            id: task.id,
            title: task.title,
            after: { status: 'done' },
            before: { status: before === 'done' ? 'todo' : before },
          } satisfies Wrote,
          (wrote, at) =>
            undoToast(engine, wrote, ['status'], (w) => `Completed ${taskCount(w)}`, at),
          keepBefore,
        );
      },
      /** To another project; Undo takes it back (its row then takes focus where it shows). */
      async move(task: Task, to: { id: string; name: string }): Promise<void> {
        const from = task.projectId;
        if (!(await client.updateTask(task.id, { projectId: to.id as EntityId }))) return;
        showInBurst(
          `move:${to.id}`,
          {
            id: task.id,
            title: task.title,
            after: { projectId: to.id as EntityId },
            before: { projectId: from },
          } satisfies Wrote,
          (wrote, at) =>
            undoToast(
              engine,
              wrote,
              ['projectId'],
              (w) => `Moved ${taskCount(w)} to “${to.name}”`,
              at,
            ),
          keepBefore,
        );
      },
      /**
       * One user action over several tasks (a selection): one local write for all the tasks it
       * changes (one transaction, all or nothing), one toast, one Undo that puts back each
       * task's own value the same way. Resolves with the tasks changed (those the store did
       * not already hold so: the engine writes only what differs).
       */
      async updateMany(
        tasks: readonly Task[],
        patch: UndoPatch,
        message: (changed: readonly Task[]) => string,
      ): Promise<readonly Task[]> {
        const fields = Object.keys(patch) as (keyof typeof patch)[];
        const asked = tasks.filter((t) => fields.some((f) => t[f] !== patch[f]));
        if (asked.length === 0) return asked;
        const wrote = new Set<string>(
          await client.updateTasks(asked.map((t) => ({ id: t.id, patch }))),
        );
        const changed = asked.filter((t) => wrote.has(t.id));
        if (changed.length === 0) return changed;
        const at = Date.now();
        // What the toast says and undoes: the tasks still changed (a refused one is undone).
        const offer = (applied: readonly Task[]) => ({
          message: message(applied),
          action: {
            label: 'Undo',
            run: () =>
              void undoWrites(
                engine,
                applied.map((t) => ({
                  id: t.id,
                  title: t.title,
                  after: patch,
                  before: Object.fromEntries(fields.map((f) => [f, t[f]])) as UndoPatch,
                })),
                at,
              ),
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
        // One (the list's Delete key on its row): it joins the deletes in a row, as the open
        // task's Delete does; three in a row were three toasts stacked over the list.
        if (tasks.length === 1) return remove(tasks[0]!);
        pending.scheduleMany(tasks.map(heldDelete));
        const ids = tasks.map((t) => t.id);
        const at = Date.now();
        showDeleted(pending, ids, `Deleted ${taskCount(tasks)}`, () => {
          pending.undoMany(ids);
          requestFocus({ taskId: tasks[0]!.id });
          void sayDeletedMeanwhile(engine, tasks, at);
        });
      },
      remove,
    };
  }, [client, replica, session, pending]);
}

/** A task as its held delete keeps it (until the undo window ends or Undo takes it back). */
function heldDelete(t: Task): Omit<DeleteIntent, 'at'> {
  return { id: t.id, projectId: t.projectId, status: t.status, title: t.title };
}

/**
 * The toast of a write with an Undo over `wrote` (one task or a burst of them): the server
 * refusing some of them, it says and undoes only the rest; all of them, it goes.
 */
function undoToast(
  engine: Pick<Engine, 'client' | 'replica' | 'session'>,
  wrote: readonly Wrote[],
  fields: readonly UndoField[],
  say: (wrote: readonly Wrote[]) => string,
  at: number,
): Omit<Toast, 'id' | 'hold'> {
  const offer = (applied: readonly Wrote[]) => ({
    message: say(applied),
    action: { label: 'Undo', run: () => void undoWrites(engine, applied, at) },
  });
  return {
    ...offer(wrote),
    durationMs: UNDO_WINDOW_MS,
    write: {
      rows: wrote.map((w) => w.id),
      fields,
      rest: (applied) => offer(wrote.filter((w) => applied.includes(w.id))),
    },
  };
}

/** A task done twice in one burst: Undo puts back what it held before the first. */
const keepBefore = (earlier: Wrote, now: Wrote): Wrote => ({ ...now, before: earlier.before });

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
  return watchDeleted(pending, ids, toasts.show(deletedToast(pending, ids, message, undo)));
}

/** The toast of deletes held for their undo window (`showDeleted`), to show or update. */
function deletedToast(
  pending: Pick<PendingDeletes, 'pause' | 'resume' | 'subscribe' | 'getSnapshot'>,
  ids: readonly string[],
  message: string,
  undo: () => void,
): Omit<Toast, 'id'> {
  return {
    message,
    durationMs: UNDO_WINDOW_MS,
    hold: { pause: () => pending.pause(ids), resume: (left) => pending.resume(ids, left) },
    action: { label: 'Undo', run: undo },
  };
}

/** Per delete toast, its watch of the held deletes (one at a time: a burst's grows). */
const watching = new Map<number, () => void>();

/** Dismisses toast `id` once none of `ids` is held any more (sent, by another tab too). */
function watchDeleted(
  pending: Pick<PendingDeletes, 'subscribe' | 'getSnapshot'>,
  ids: readonly string[],
  id: number,
): number {
  watching.get(id)?.();
  const off = pending.subscribe(() => {
    if (toasts.left(id) === null) return void stop();
    const held = pending.getSnapshot();
    if (ids.some((x) => held.has(x))) return;
    stop();
    toasts.dismiss(id);
  });
  const stop = () => {
    off();
    if (watching.get(id) === stop) watching.delete(id);
  };
  watching.set(id, stop);
  return id;
}

/** “Pack books” for one task, “12 tasks” for more, as a toast names them. */
export function taskCount(tasks: readonly Pick<Task, 'title'>[]): string {
  return tasks.length === 1 ? `“${tasks[0]!.title}”` : `${count(tasks.length)} tasks`;
}

/**
 * The toast for a due date set: "Set “Order swag” due today", "Set 3 tasks due Friday", in the
 * words the rows show, not a date the list does not.
 */
export function setDueMessage(
  tasks: readonly Pick<Task, 'title'>[],
  dueDate: string,
  today: string,
): string {
  return `Set ${taskCount(tasks)} due ${dueWords(dueDate, today)}`;
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
