import { NO_QUERY, type TaskQuery } from './filter';

/**
 * Where a task list was: the rows at the top of its window, by id (the list may have changed
 * meanwhile), and the task the keyboard cursor was on.
 */
export interface ListPlace {
  /** The task the keyboard cursor was on (j goes on from it), null for none. */
  cursor: string | null;
  /**
   * The top row of the window, then the rows below it, then those above it (nearest first),
   * each with how far its top stood below the window's top (negative: above it, under the
   * header). The first still listed takes its place again; none: the list's top.
   */
  rows: readonly { id: string; y: number }[];
}

/** How one task list was left: its search and filters, Completed opened, where it was. */
export interface ListView {
  query: TaskQuery;
  showCompleted: boolean;
  /** Where the list was (null: at the list's top, never placed). */
  place: ListPlace | null;
}

export const NO_VIEW: ListView = { query: NO_QUERY, showCompleted: false, place: null };

/** The workspace search's list (a project's list is keyed by the project's id). */
export const SEARCH_VIEW = 'search';

/**
 * Each task list's view for this tab's session, per signed-in identity (another org's list
 * never starts from this one's filters), so leaving a project for Activity or another project
 * and coming back finds it as it was. The search and filters are in memory, not
 * sessionStorage: what was typed and whose tasks were filtered are the signed-in person's, and
 * they go with the tab and at sign-out (`clear`). The place (task ids and pixels, nothing
 * typed) is in sessionStorage too, so a reload of the tab starts each list where it was, as a
 * reload does in Linear; it is this tab's only (a new tab starts at the top), and goes at
 * sign-out. Not history state: a project opened again from its link (a new history entry)
 * would then start at its top.
 */
const views = new Map<string, ListView>();
const keyOf = (userId: string, list: string) => `${userId}\n${list}`;

const PLACES = 'outpost:list-places';

function isPlace(value: unknown): value is ListPlace {
  if (typeof value !== 'object' || value === null) return false;
  const { cursor, rows } = value as Partial<ListPlace>;
  return (
    (cursor === null || typeof cursor === 'string') &&
    Array.isArray(rows) &&
    rows.every(
      (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as { id?: unknown }).id === 'string' &&
        Number.isFinite((r as { y?: unknown }).y),
    )
  );
}

/** The places stored for this tab (an unreadable or older entry reads as none). */
function readPlaces(): Record<string, ListPlace> {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(PLACES) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, p]) => isPlace(p))) as Record<
      string,
      ListPlace
    >;
  } catch {
    return {};
  }
}

function storePlace(key: string, place: ListPlace | null): void {
  try {
    const places = readPlaces();
    if (place) places[key] = place;
    else delete places[key];
    sessionStorage.setItem(PLACES, JSON.stringify(places));
  } catch {
    // Storage full or refused: the place lasts as long as the page (in memory) only.
  }
}

export const listViews = {
  get(userId: string, list: string): ListView {
    const key = keyOf(userId, list);
    const view = views.get(key);
    if (view) return view;
    const place = readPlaces()[key];
    return place ? { ...NO_VIEW, place } : NO_VIEW;
  },
  update(userId: string, list: string, patch: Partial<ListView>): void {
    const key = keyOf(userId, list);
    views.set(key, { ...listViews.get(userId, list), ...patch });
    if ('place' in patch) storePlace(key, patch.place ?? null);
  },
  clear(): void {
    views.clear();
    try {
      sessionStorage.removeItem(PLACES);
    } catch {
      // Nothing stored.
    }
  },
};
