/**
 * The rows picked for a bulk action, as Linear picks them: Ctrl/⌘+click (or Space) toggles a row
 * and makes it the anchor; Shift+click (or Shift+j/k) selects the range from the anchor to a row,
 * on top of what was selected before that range began, so moving back towards the anchor shrinks
 * it again. Ids only, in state: the list is virtualized and rows leave the DOM as it scrolls.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  /** Where a range starts (the row last toggled, or the cursor's when a range began). */
  anchor: string | null;
  /** What was selected before the current range (a range replaces only its own rows). */
  base: ReadonlySet<string>;
}

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null, base: new Set() };

/** One row in or out; it becomes the anchor of the next range. */
export function toggle(s: Selection, id: string): Selection {
  const ids = new Set(s.ids);
  if (!ids.delete(id)) ids.add(id);
  return { ids, anchor: id, base: ids };
}

/**
 * The rows from the anchor to `to` (in the list's order), added to what was selected before
 * this range. Without an anchor (or one no longer listed), the range starts at `from` (the
 * cursor's row), else at `to` alone.
 */
export function extendTo(
  s: Selection,
  order: readonly string[],
  to: string,
  from: string | null = null,
): Selection {
  const end = order.indexOf(to);
  if (end < 0) return s;
  const anchored = s.anchor !== null && order.includes(s.anchor);
  const anchor = anchored ? s.anchor! : from !== null && order.includes(from) ? from : to;
  const base = anchored ? s.base : s.ids;
  const start = order.indexOf(anchor);
  const ids = new Set(base);
  for (let i = Math.min(start, end); i <= Math.max(start, end); i++) ids.add(order[i]!);
  return { ids, anchor, base };
}

/**
 * Shift+j/k: the range grows (or shrinks) from its anchor while the cursor is on a selected
 * row; moved with j/k onto one not selected, a new range starts at the cursor, on top of the rest.
 */
export function extendByKey(
  s: Selection,
  order: readonly string[],
  to: string,
  cursor: string | null,
): Selection {
  const fresh = cursor !== null && !s.ids.has(cursor);
  return extendTo(fresh ? { ...s, anchor: null } : s, order, to, cursor);
}

/** Every row listed (the search and filters shown; a folded section lists none). */
export function selectAll(order: readonly string[]): Selection {
  const ids = new Set(order);
  return { ids, anchor: order[0] ?? null, base: ids };
}

/**
 * What s, a, d and p act on in a list (as Linear's keys do): the selected rows, else the cursor's
 * row alone, which becomes the selection so the bar's one bulk action (and its one Undo) serves
 * it too; null for neither (the key does nothing).
 */
export function actOn(s: Selection, cursor: string | null): Selection | null {
  if (s.ids.size > 0) return s;
  return cursor === null ? null : toggle(s, cursor);
}

/**
 * Only the rows still listed (deleted or moved elsewhere, filtered out, folded away): the same
 * selection when none left, so a render that changes nothing selected keeps it.
 */
export function keepListed(s: Selection, listed: ReadonlySet<string>): Selection {
  const gone = (id: string) => !listed.has(id);
  const anchorGone = s.anchor !== null && gone(s.anchor);
  if (![...s.ids].some(gone) && !anchorGone && ![...s.base].some(gone)) return s;
  const keep = (ids: ReadonlySet<string>) => new Set([...ids].filter((id) => !gone(id)));
  return { ids: keep(s.ids), anchor: anchorGone ? null : s.anchor, base: keep(s.base) };
}

/** The ids a list shows, in its order: a folded section (Completed) shows none. */
export function listedIds(
  sections: readonly { ids: readonly string[]; collapsed?: boolean | undefined }[],
): string[] {
  return sections.flatMap((s) => (s.collapsed ? [] : s.ids));
}
