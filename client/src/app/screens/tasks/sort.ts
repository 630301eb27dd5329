import { unreachable } from '@outpost/shared';
import type { SearchEntry } from '../../../data';
import { localStorageOrNull } from '../../ui/local-storage';

/**
 * How a project's list is ordered. `created` is the list as it always was: each section in the
 * order its tasks were created (oldest first, by their UUIDv7 ids); it is the default, and the
 * URL leaves it out.
 */
export const TASK_SORTS = ['created', 'due', 'updated', 'title'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];
export const DEFAULT_SORT: TaskSort = 'created';

/** What the sort control shows for each order. */
export const SORT_LABELS: Record<TaskSort, string> = {
  created: 'Sort: Created',
  due: 'Sort: Due date',
  updated: 'Sort: Recently updated',
  title: 'Sort: Title A–Z',
};

/** The order a URL's `sort` names, or the default for none or one this version does not know. */
export function parseSort(value: string | null | undefined): TaskSort {
  return TASK_SORTS.find((s) => s === value) ?? DEFAULT_SORT;
}

/** Whose remembered orders: the signed-in person in one org (sign-out forgets them). */
export interface SortOwner {
  orgId: string;
  userId: string;
}

const sortKey = ({ orgId, userId }: SortOwner, projectId: string) =>
  `outpost-sort:${orgId}:${userId}:${projectId}`;

/**
 * The order last chosen for a project on this device (as Linear keeps each view's), or the
 * default. A project opened without `?sort=` in its link opens in it.
 */
export function rememberedSort(
  owner: SortOwner,
  projectId: string,
  storage: Storage | null = localStorageOrNull(),
): TaskSort {
  try {
    return parseSort(storage?.getItem(sortKey(owner, projectId)));
  } catch {
    return DEFAULT_SORT;
  }
}

/** The order the user chose for a project, remembered; the default forgets it. */
export function rememberSort(
  owner: SortOwner,
  projectId: string,
  sort: TaskSort,
  storage: Storage | null = localStorageOrNull(),
): void {
  try {
    if (sort === DEFAULT_SORT) storage?.removeItem(sortKey(owner, projectId));
    else storage?.setItem(sortKey(owner, projectId), sort);
  } catch {
    // Storage full or blocked: the order is kept in the link only, as before.
  }
}

/**
 * The order a project opens in: a link's (`?sort=`) wins; without one, the order remembered
 * for it (shown in the link then, see ProjectDetailScreen).
 */
export function openingSort(linked: TaskSort | undefined, remembered: TaskSort): TaskSort {
  return linked ?? remembered;
}

type Keys = Pick<SearchEntry, 'status' | 'dueDate' | 'title' | 'updatedAt'>;

/**
 * How two tasks compare in `sort`'s order (ties compare 0):
 *   - due: the earliest date first (so what is overdue comes before what is due soon), tasks
 *     with no date after every dated one, and done tasks (never overdue) after open ones;
 *   - updated: the most recently changed first;
 *   - title: A–Z as the user's language orders letters, ignoring case and accents where it
 *     does, with numbers in their natural order ("Step 2" before "Step 10").
 */
function keyOrder(sort: Exclude<TaskSort, 'created'>, locale?: string) {
  switch (sort) {
    case 'due':
      return (x: Keys, y: Keys) =>
        Number(x.status === 'done') - Number(y.status === 'done') ||
        Number(x.dueDate === null) - Number(y.dueDate === null) ||
        (x.dueDate! < y.dueDate! ? -1 : x.dueDate! > y.dueDate! ? 1 : 0);
    case 'updated':
      return (x: Keys, y: Keys) => {
        const a = x.updatedAt;
        const b = y.updatedAt;
        // UTC stamps of one length sort as text; one with an offset is read as a time.
        if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z'))
          return a < b ? 1 : a > b ? -1 : 0;
        return (Date.parse(b) || 0) - (Date.parse(a) || 0);
      };
    case 'title': {
      const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
      return (x: Keys, y: Keys) => collator.compare(x.title, y.title);
    }
    default:
      return unreachable(sort);
  }
}

/**
 * Ids in `sort`'s order: ties, in created order (by id: ids are UUIDv7, as the default order
 * has them), and an id `byId` does not have yet after the rest.
 */
function idOrder(
  sort: Exclude<TaskSort, 'created'>,
  byId: ReadonlyMap<string, Keys>,
  locale?: string,
) {
  const keys = keyOrder(sort, locale);
  return (a: string, b: string) => {
    const x = byId.get(a);
    const y = byId.get(b);
    return Number(!x) - Number(!y) || (x && y ? keys(x, y) : 0) || (a < b ? -1 : a > b ? 1 : 0);
  };
}

/**
 * `ids` (in the list's default order) in the order `sort` gives, reading each task's fields
 * from `byId` (see `keyOrder`); the default order gives `ids` back as they are.
 */
export function sortIds(
  ids: readonly string[],
  byId: ReadonlyMap<string, Keys>,
  sort: TaskSort,
  locale?: string,
): readonly string[] {
  if (sort === 'created') return ids;
  return [...ids].sort(idOrder(sort, byId, locale));
}

/** Past this many rows changed, a list is sorted afresh rather than row by row. */
const FEW = 64;

/**
 * A list kept sorted as it changes, as `sortIds` would sort it: once sorted, a write to a few
 * of its tasks (an edit, a tick moving a task between sections) takes those ids out and puts
 * them back in their places, instead of sorting 10,000 ids again (by title, ~40 ms here). A
 * task changed has a new entry in `byId` (the search index replaces a row's entry and keeps
 * the others), so an entry's identity says whether its task changed. The same result comes
 * back (the same array) while nothing in the list changed.
 */
export function createSorter(locale?: string) {
  let last: {
    sort: TaskSort;
    /** Each listed id's entry when last sorted. */
    seen: Map<string, Keys | undefined>;
    out: readonly string[];
  } | null = null;
  return (ids: readonly string[], byId: ReadonlyMap<string, Keys>, sort: TaskSort) => {
    if (sort === 'created') {
      last = null;
      return ids;
    }
    const seen = new Map<string, Keys | undefined>();
    const changed: string[] = [];
    for (const id of ids) {
      const e = byId.get(id);
      seen.set(id, e);
      if (last && (last.seen.get(id) !== e || !last.seen.has(id))) changed.push(id);
    }
    const prev = last;
    if (!prev || prev.sort !== sort || changed.length > FEW) {
      last = { sort, seen, out: sortIds(ids, byId, sort, locale) };
      return last.out;
    }
    // Nothing new or changed, and none gone: the same list.
    if (changed.length === 0 && prev.out.length === ids.length) {
      last = { ...prev, seen };
      return prev.out;
    }
    const moved = new Set(changed);
    const out = prev.out.filter((id) => seen.has(id) && !moved.has(id));
    const order = idOrder(sort, byId, locale);
    for (const id of changed) {
      let lo = 0;
      let hi = out.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order(out[mid]!, id) < 0) lo = mid + 1;
        else hi = mid;
      }
      out.splice(lo, 0, id);
    }
    last = { sort, seen, out };
    return out;
  };
}
