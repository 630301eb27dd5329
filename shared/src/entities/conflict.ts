import type { Activity } from './activity.js';

// No schema here (a type import only): the client engine imports this, and zod must stay out
// of its bundle.

/** `reason` of a `conflict` whose edits met a deleted row (delete wins over edits). */
export const DELETE_WON_REASON = 'The record was deleted: delete wins over concurrent edits';

/**
 * Whether a `conflict` activity's edits lost to the row's deletion. Its changes alone cannot
 * say: they carry no `to`, as an edit that lost to a cleared value does not either, and
 * their `wonHlc` is the tombstone's clock. One activity is one write, which either met a
 * tombstone or did not, so the activity's `reason` tells for all of its changes.
 */
export function lostToDelete(a: Pick<Activity, 'action' | 'reason'>): boolean {
  return a.action === 'conflict' && a.reason === DELETE_WON_REASON;
}

/** `reason` of a task's `delete` when its project's delete took it with it. */
export function deletedWithProjectReason(projectId: string): string {
  return `its project ${projectId} was deleted`;
}

const DELETED_WITH_PROJECT = /^its project (\S+) was deleted$/;

/** The project whose delete took this task with it (read from the task's `delete`), or null. */
export function deletedWithProject(a: Pick<Activity, 'action' | 'reason'>): string | null {
  if (a.action !== 'delete' || a.reason === null) return null;
  return DELETED_WITH_PROJECT.exec(a.reason)?.[1] ?? null;
}
