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
 * The index of the task a page from the one at `from` (Page Down, `delta` 1; Page Up, -1): the
 * farthest task whose row starts within `height` pixels of it (`startOf`, a row's top), at least
 * the next task; the last (first) task near the end. From no task, Page Down takes the first.
 * -1 when there is none that way.
 */
export function pageStep(
  items: readonly CursorItem[],
  from: number,
  delta: 1 | -1,
  startOf: (index: number) => number,
  height: number,
): number {
  if (from < 0) return step(items, from, delta);
  const origin = startOf(from);
  let to = -1;
  for (let i = from + delta; i >= 0 && i < items.length; i += delta) {
    if (!isTask(items[i])) continue;
    if (to >= 0 && Math.abs(startOf(i) - origin) > height) break;
    to = i;
  }
  return to;
}

/** The index of the first (Home) or last (End) task listed; -1 when there is none. */
export function edge(items: readonly CursorItem[], which: 'first' | 'last'): number {
  return which === 'first' ? items.findIndex(isTask) : items.findLastIndex(isTask);
}

/**
 * Whether a row not read yet lies between `from` and `to` (either order, both excluded; -1 or
 * the end for no row): a key that would move over it (j past the last row of a section's head,
 * End while a section's ids are still being read) waits for the list instead of landing short.
 */
export function unreadBetween(items: readonly CursorItem[], from: number, to: number): boolean {
  const [lo, hi] = from < to ? [from, to] : [to, from];
  for (let i = Math.max(lo + 1, 0); i < Math.min(hi, items.length); i++)
    if (items[i]!.kind === 'pending') return true;
  return false;
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

/** A list's rows with their sections' heads, for `placeIn`. */
export type SectionItem =
  { kind: 'task'; id: string } | { kind: 'head'; status: string } | { kind: 'pending' };

/**
 * Where a task that left section `status` stood in it (a search result ticked done, then the
 * search cleared): the first task after it in key order (a section's ids are in key order), else
 * the section's last task. -1 when the section lists no task.
 */
export function placeIn(items: readonly SectionItem[], status: string, id: string): number {
  const head = items.findIndex((it) => it.kind === 'head' && it.status === status);
  let last = -1;
  for (let i = head + 1; head >= 0 && i < items.length; i++) {
    const it = items[i]!;
    if (it.kind === 'head') break;
    if (it.kind !== 'task') continue;
    if (it.id > id) return i;
    last = i;
  }
  return last;
}

/**
 * Where rows just left the list: the list's earlier states, each kept `ttlMs` after it was
 * replaced. A local write resolves at its commit, just before Dexie tells the list (client/src/
 * sync/README.md, `whenCommitted`), and another tab's write reaches the list with no promise at
 * all: the code that then asks for focus where a row was (a move from the task's detail, a bulk
 * action, an undo that takes a row out of the search shown) finds its place in the list still,
 * or here once the row has left.
 */
export function createLeftPlaces(ttlMs: number, now: () => number = Date.now) {
  // Newest last; a few at most (a list replaced many times within ttlMs keeps the latest).
  let lists: { indexOf: (id: string) => number; until: number }[] = [];
  const MAX = 8;
  return {
    /** The list as it was is replaced (its rows' places as they were). */
    replaced(indexOf: (id: string) => number): void {
      const t = now();
      lists = lists.filter((l) => l.until > t);
      lists.push({ indexOf, until: t + ttlMs });
      if (lists.length > MAX) lists.shift();
    },
    /** Where `id` last stood in a list replaced within ttlMs; -1 if it stood in none. */
    of(id: string): number {
      const t = now();
      for (let k = lists.length - 1; k >= 0; k--) {
        const l = lists[k]!;
        if (l.until <= t) break;
        const i = l.indexOf(id);
        if (i >= 0) return i;
      }
      return -1;
    },
  };
}
