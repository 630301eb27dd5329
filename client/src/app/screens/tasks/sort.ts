import { unreachable } from '@outpost/shared';
import type { SearchEntry } from '../../../data';

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

type Keys = Pick<SearchEntry, 'status' | 'dueDate' | 'title' | 'updatedAt'>;

/**
 * `ids` (in the list's default order) in the order `sort` gives, reading each task's fields
 * from `byId`; ties, and ids `byId` does not have yet, keep their default order. Once per list
 * of ids, not per row: each id's key is read once, then the keys are compared.
 *   - due: the earliest date first (so what is overdue comes before what is due soon), tasks
 *     with no date after every dated one, and done tasks (never overdue) after open ones;
 *   - updated: the most recently changed first;
 *   - title: A–Z as the user's language orders letters, ignoring case and accents where it
 *     does, with numbers in their natural order ("Step 2" before "Step 10").
 */
export function sortIds(
  ids: readonly string[],
  byId: ReadonlyMap<string, Keys>,
  sort: TaskSort,
  locale?: string,
): readonly string[] {
  if (sort === 'created' || ids.length < 2) return ids;
  const rows: Row[] = ids.map((id, i) => ({ id, i, e: byId.get(id), n: 0 }));
  let compare: (a: Row, b: Row) => number;
  switch (sort) {
    case 'due':
      compare = (a, b) => {
        const x = a.e!;
        const y = b.e!;
        return (
          Number(x.status === 'done') - Number(y.status === 'done') ||
          Number(x.dueDate === null) - Number(y.dueDate === null) ||
          (x.dueDate! < y.dueDate! ? -1 : x.dueDate! > y.dueDate! ? 1 : 0)
        );
      };
      break;
    case 'updated':
      // Parsed once per row: a stamp may carry an offset, so its text alone does not sort.
      for (const r of rows) r.n = r.e ? Date.parse(r.e.updatedAt) || 0 : 0;
      compare = (a, b) => b.n - a.n;
      break;
    case 'title': {
      const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
      compare = (a, b) => collator.compare(a.e!.title, b.e!.title);
      break;
    }
    default:
      return unreachable(sort);
  }
  // An id not read yet goes after the rest; ties keep the default order.
  return rows
    .sort((a, b) => Number(!a.e) - Number(!b.e) || (a.e && b.e ? compare(a, b) : 0) || a.i - b.i)
    .map((r) => r.id);
}

interface Row {
  id: string;
  /** Its place in the default order. */
  i: number;
  e: Keys | undefined;
  /** A number to compare by, read once (the update time). */
  n: number;
}
