import { NO_QUERY, type TaskQuery } from './filter';

/** How one task list was left: its search and filters, Completed opened, the task it was at. */
export interface ListView {
  query: TaskQuery;
  showCompleted: boolean;
  /** The task at the top of the window when the list was left (null: at the list's top). */
  place: string | null;
}

export const NO_VIEW: ListView = { query: NO_QUERY, showCompleted: false, place: null };

/** The workspace search's list (a project's list is keyed by the project's id). */
export const SEARCH_VIEW = 'search';

/**
 * Each task list's view for this tab's session, per signed-in identity (another org's list
 * never starts from this one's filters), so leaving a project for Activity or another project
 * and coming back finds it as it was. In memory, not sessionStorage: what was typed and whose
 * tasks were filtered are the signed-in person's, and this goes with the tab and at sign-out
 * (`clear`), leaving nothing stored to wipe or to read back from an older version.
 */
const views = new Map<string, ListView>();
const keyOf = (userId: string, list: string) => `${userId}\n${list}`;

export const listViews = {
  get: (userId: string, list: string): ListView => views.get(keyOf(userId, list)) ?? NO_VIEW,
  update(userId: string, list: string, patch: Partial<ListView>): void {
    views.set(keyOf(userId, list), { ...listViews.get(userId, list), ...patch });
  },
  clear: (): void => views.clear(),
};
