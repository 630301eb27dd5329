/** What the keyboard cursor needs of the list's rows: which are tasks, and their ids. */
export type CursorItem = { kind: 'task'; id: string } | { kind: 'head' | 'pending' };

const isTask = (item: CursorItem | undefined): boolean => item?.kind === 'task';

/**
 * The index of the task `delta` rows from the one at `from` (j/k), skipping section heads and
 * rows not read yet; from no task (-1), j takes the first task. -1 when there is none.
 */
export function step(items: readonly CursorItem[], from: number, delta: 1 | -1): number {
  if (from < 0) return delta === 1 ? items.findIndex(isTask) : -1;
  for (let i = from + delta; i >= 0 && i < items.length; i += delta) if (isTask(items[i])) return i;
  return -1;
}

/**
 * Where the cursor goes when its task left the list (completed, deleted): the task now at
 * `index`, the row that took its place, else the last task before it. -1 when none is left.
 */
export function takePlace(items: readonly CursorItem[], index: number): number {
  for (let i = Math.max(0, index); i < items.length; i++) if (isTask(items[i])) return i;
  for (let i = Math.min(index, items.length) - 1; i >= 0; i--) if (isTask(items[i])) return i;
  return -1;
}
