import type { Activity, Task, TaskFields } from '@outpost/shared';
import { count } from '../../ui/count';
import { andList } from '../../ui/format';
import { fieldLabel } from '../../ui/conflict-text';
import { named } from '../../ui/toasts';

/** The fields an action with an Undo writes (complete, move, a selection's status, assignee, date). */
export type UndoField = 'status' | 'assigneeId' | 'dueDate' | 'projectId';
export type UndoPatch = Partial<Pick<TaskFields, UndoField>>;

/** One task an action changed: what it wrote, and what each of those fields held before. */
export interface Wrote {
  id: string;
  title: string;
  after: UndoPatch;
  before: UndoPatch;
}

/** A task Undo leaves as it is now: its fields someone changed since, or gone (`fields` null). */
export interface Kept {
  id: string;
  title: string;
  fields: readonly UndoField[] | null;
}

export interface UndoPlan {
  /** The earlier values to write back: only fields still holding what the action wrote. */
  patches: { id: string; patch: UndoPatch }[];
  kept: Kept[];
  /** Tasks already back as they were before the action (a teammate set them back): done. */
  already: string[];
}

/**
 * Undo undoes only what is still the user's (as Linear and Things do): for each task and field
 * the action wrote, the earlier value goes back only if the field still holds the value the
 * action wrote. A field someone changed since (a teammate's change synced in, another tab) keeps
 * their value, a task deleted since stays deleted, and a field the action did not write is
 * never written. A field already holding its earlier value again (a teammate set it back) has
 * nothing to undo: it is neither written nor said to be kept. `now`: the tasks as the local
 * store holds them at Undo time.
 */
export function planUndo(wrote: readonly Wrote[], now: ReadonlyMap<string, Task>): UndoPlan {
  const plan: UndoPlan = { patches: [], kept: [], already: [] };
  for (const w of wrote) {
    const task = now.get(w.id);
    if (!task) {
      plan.kept.push({ id: w.id, title: w.title, fields: null });
      continue;
    }
    const patch: Record<string, unknown> = {};
    const changed: UndoField[] = [];
    for (const field of Object.keys(w.after) as UndoField[]) {
      if (task[field] === w.after[field]) patch[field] = w.before[field];
      else if (task[field] !== w.before[field]) changed.push(field);
    }
    if (Object.keys(patch).length > 0) plan.patches.push({ id: w.id, patch: patch as UndoPatch });
    else if (changed.length === 0) plan.already.push(w.id);
    if (changed.length > 0) plan.kept.push({ id: w.id, title: task.title, fields: changed });
  }
  return plan;
}

/**
 * Who changed a kept task since the action (`at`, ms), from its activities (newest first is
 * not needed): the newest teammate's update of one of the kept fields to the value it holds
 * now, or delete. Null when none arrived (the change came by another tab, or its activity is
 * not here yet).
 */
export function changedBy(
  kept: Kept,
  activities: readonly Activity[],
  now: Task | undefined,
  me: string,
  at: number,
): string | null {
  // Server clocks may run behind the device's: a minute of slack.
  const since = at - 60_000;
  let best: Activity | null = null;
  for (const a of activities) {
    if (a.entityId !== kept.id || a.actorId === null || a.actorId === me) continue;
    if (Date.parse(a.createdAt) < since) continue;
    const fits =
      kept.fields === null
        ? a.action === 'delete'
        : a.action === 'update' &&
          a.changes.some(
            (c) =>
              kept.fields!.includes(c.field as UndoField) && c.to === now?.[c.field as UndoField],
          );
    if (fits && (!best || a.version > best.version)) best = a;
  }
  return best?.actorId ?? null;
}

/**
 * What Undo left alone, in one line: "Not undone for “X”: Ana changed its due date meanwhile"
 * for one task; "Not undone for 3 of 40 tasks: Ana changed them meanwhile" for several. `who`
 * names the people who changed each kept task (by task id; absent when not known). Null when
 * nothing was kept.
 */
export function keptMessage(
  kept: readonly Kept[],
  of: number,
  who: ReadonlyMap<string, string>,
): string | null {
  const [first] = kept;
  if (!first) return null;
  if (kept.length === 1) {
    const name = who.has(first.id) ? named(who.get(first.id)!) : undefined;
    const what =
      first.fields === null
        ? name
          ? `${name} deleted it meanwhile`
          : 'it was deleted meanwhile'
        : name
          ? `${name} changed its ${fieldsSaid(first.fields)} meanwhile`
          : `its ${fieldsSaid(first.fields)} changed meanwhile`;
    return `Not undone for “${first.title}”: ${what}`;
  }
  const people = [...new Set(kept.flatMap((k) => (who.has(k.id) ? named(who.get(k.id)!) : [])))];
  const someUnnamed = kept.some((k) => !who.has(k.id));
  const gone = kept.filter((k) => k.fields === null).length;
  const verb = gone === 0 ? 'changed' : gone === kept.length ? 'deleted' : 'changed or deleted';
  const names =
    people.length > 3
      ? andList([...people.slice(0, 2), `${people.length - 2} others`])
      : andList(someUnnamed && people.length > 0 ? [...people, 'others'] : people);
  const tasks =
    kept.length === of ? `${count(of)} tasks` : `${count(kept.length)} of ${count(of)} tasks`;
  const what = names ? `${names} ${verb} them meanwhile` : `they were ${verb} meanwhile`;
  return `Not undone for ${tasks}: ${what}`;
}

function fieldsSaid(fields: readonly UndoField[]): string {
  return andList(fields.map(fieldLabel));
}
