import { toasts, type Toast } from '../../ui/toasts';

/**
 * Actions of one kind in quick succession (ten `x`s, a run of moves to one project) share one
 * toast, as Todoist's and Linear's do: "Completed 3 tasks · Undo", whose Undo takes back all
 * three. One a toast each stacked three toasts over a third of a phone's list, each title cut
 * to a dozen characters. An action joins the burst while its toast still shows and nothing was
 * said since (it is the newest toast); the toast is said anew in place, with a fresh window.
 */
interface Burst {
  kind: string;
  toast: number;
  items: readonly { id: string }[];
  /** When the burst's first action was done (ms). */
  at: number;
}

let last: Burst | null = null;

/** The burst `kind` still shown as the newest toast, holding only the rows it still offers. */
function current(kind: string): Burst | null {
  if (!last || last.kind !== kind) return null;
  const newest = toasts.getSnapshot().at(-1);
  if (!newest || newest.id !== last.toast) return null;
  // A refused write took its rows out of the toast (`toasts.refused`): out of the burst too.
  const rows = newest.write?.rows;
  return rows ? { ...last, items: last.items.filter((i) => rows.includes(i.id)) } : last;
}

/**
 * Shows `item`'s toast, or says it with the burst of the same `kind` it joins: `toast` words
 * the toast for every item in it (one: named by its task), `at` the burst's start. `merge`
 * folds an item into one already there for the same row (a task completed twice keeps what it
 * was before the first). Returns the toast's id.
 */
export function showInBurst<T extends { id: string }>(
  kind: string,
  item: T,
  toast: (items: readonly T[], at: number) => Omit<Toast, 'id'>,
  merge: (earlier: T, now: T) => T = (_, now) => now,
): number {
  const joined = current(kind);
  const before = (joined?.items ?? []) as readonly T[];
  const had = before.find((i) => i.id === item.id);
  const items = had ? before.map((i) => (i === had ? merge(had, item) : i)) : [...before, item];
  const at = joined?.at ?? Date.now();
  const content = toast(items, at);
  const id = joined ? toasts.update(joined.toast, content) : toasts.show(content);
  last = { kind, toast: id, items, at };
  return id;
}
