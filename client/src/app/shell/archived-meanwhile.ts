import { activitySchema, type Activity } from '@outpost/shared';
import { useEffect, useState } from 'react';
import { parseRows, readProject, readTask } from '../../data';
import { useEngine } from '../engine/context';
import { localStorageOrNull } from '../ui/local-storage';

/**
 * Tasks added on this device that went into a project someone archived before they reached
 * the server. The server takes them (an archived project is still read and written; only the
 * app offers no "Add a task…" in one), so they were added where the person no longer looks:
 * they are told once, after the sync that sent them.
 *
 * Nothing here runs on the hot path: the tasks this device adds are remembered by id (in
 * localStorage, per org and user, so a reload between the sync and the reading keeps them);
 * while some are, each sync's end reads those few by id — the task, its create entry and, only
 * when its project is archived now, the project's own history. With none remembered (the usual
 * case) a status change costs a length check.
 */

/** Remembered tasks of one user in one org; a few at most, capped all the same. */
const MAX_WATCHED = 200;

interface Owner {
  orgId: string;
  userId: string;
}

const watchKey = (o: Owner) => `outpost-added-here:${o.orgId}:${o.userId}`;
/** Said in this tab when its list changed (other tabs hear localStorage's `storage`). */
const CHANGED = 'outpost-added-here';

export function readWatched(o: Owner): string[] {
  try {
    const v: unknown = JSON.parse(localStorageOrNull()?.getItem(watchKey(o)) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writeWatched(o: Owner, ids: readonly string[]): void {
  try {
    const s = localStorageOrNull();
    if (!s) return;
    if (ids.length === 0) s.removeItem(watchKey(o));
    else s.setItem(watchKey(o), JSON.stringify(ids.slice(-MAX_WATCHED)));
  } catch {
    // Storage full or blocked: not told, as before.
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(CHANGED));
}

/** A task this device just added: checked once the sync that sends it is over. */
export function watchAdded(o: Owner, taskId: string): void {
  writeWatched(o, [...readWatched(o).filter((id) => id !== taskId), taskId]);
}

/** Told (or nothing to tell): no longer checked. */
export function forgetAdded(o: Owner, taskIds: readonly string[]): void {
  if (taskIds.length === 0) return;
  const drop = new Set(taskIds);
  const before = readWatched(o);
  const after = before.filter((id) => !drop.has(id));
  if (after.length !== before.length) writeWatched(o, after);
}

/** A task this device added that the server put into a project archived meanwhile. */
export interface AddedToArchived {
  taskId: string;
  title: string;
  projectId: string;
  projectName: string;
  /** Who archived it (the member's id), null when this device's history does not say. */
  archivedBy: string | null;
}

/**
 * Which of these tasks (added here) reached a project archived before them, in the org's change
 * order (the server's `version`; no clocks compared), and are still there: `tell`. `settled`:
 * those with nothing to tell (gone, moved out, the project active, archived only after them).
 * The others have not come back from the server yet.
 */
export async function checkAdded(
  db: Parameters<typeof readTask>[0],
  taskIds: readonly string[],
): Promise<{ tell: AddedToArchived[]; settled: string[] }> {
  const tell: AddedToArchived[] = [];
  const settled: string[] = [];
  for (const id of taskIds) {
    const task = await readTask(db, id);
    if (!task) {
      settled.push(id); // refused, or deleted since
      continue;
    }
    const own = await entityHistory(db, id);
    const created = own.find((a) => a.action === 'create');
    if (!created) continue; // not back from the server yet
    const into = created.changes.find((c) => c.field === 'projectId')?.to;
    const project = await readProject(db, task.projectId);
    if ((into !== undefined && into !== task.projectId) || project?.status !== 'archived') {
      settled.push(id);
      continue;
    }
    // The project's status as the create found it: its last status change before.
    const last = (await entityHistory(db, project.id))
      .filter((h) => h.version < created.version && h.changes.some((c) => c.field === 'status'))
      .reduce<Activity | null>((m, h) => (m && m.version > h.version ? m : h), null);
    const archivedBefore = last
      ? last.changes.find((c) => c.field === 'status')?.to === 'archived'
      : // Its history trimmed away: archived now, and not changed since the task came.
        project.version < created.version;
    if (!archivedBefore) {
      settled.push(id);
      continue;
    }
    tell.push({
      taskId: id,
      title: task.title,
      projectId: project.id,
      projectName: project.name,
      archivedBy: last?.actorId ?? null,
    });
  }
  return { tell, settled };
}

async function entityHistory(
  db: Parameters<typeof readTask>[0],
  entityId: string,
): Promise<Activity[]> {
  return parseRows(
    activitySchema,
    await db.activities.where('entityId').equals(entityId).toArray(),
  );
}

/**
 * The tasks to tell about now, checked at each sync's end while any are remembered (and on
 * start, and when another tab adds or answers one). `dismiss` answers them.
 */
export function useArchivedMeanwhile(): {
  added: readonly AddedToArchived[];
  dismiss(taskIds: readonly string[]): void;
} {
  const { client, replica } = useEngine();
  const [added, setAdded] = useState<readonly AddedToArchived[]>([]);
  useEffect(() => {
    const owner = { orgId: replica.orgId, userId: replica.userId };
    let watched = readWatched(owner);
    let stopped = false;
    let running = false;
    let again = false;
    const check = async (): Promise<void> => {
      if (watched.length === 0) {
        setAdded((prev) => (prev.length === 0 ? prev : []));
        return;
      }
      if (client.status.getSnapshot().syncing) return; // told after the sync
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        const asked = watched;
        const { tell, settled } = await checkAdded(replica.db, asked);
        if (stopped) return;
        forgetAdded(owner, settled);
        // Answered (here or in another tab) or added to while this read: its answer is stale —
        // shown, it would bring back a notice just answered, until the next sync. Read again.
        if (watched !== asked) {
          again = true;
          return;
        }
        setAdded(tell);
      } finally {
        running = false;
        if (again && !stopped) {
          again = false;
          void check();
        }
      }
    };
    const reread = (e?: Event) => {
      if (e instanceof StorageEvent && e.key !== null && e.key !== watchKey(owner)) return;
      watched = readWatched(owner);
      void check();
    };
    const unStatus = client.status.subscribe(() => void check());
    window.addEventListener('storage', reread);
    window.addEventListener(CHANGED, reread);
    void check();
    return () => {
      stopped = true;
      unStatus();
      window.removeEventListener('storage', reread);
      window.removeEventListener(CHANGED, reread);
    };
  }, [client, replica]);
  return {
    added,
    dismiss: (taskIds) => {
      forgetAdded({ orgId: replica.orgId, userId: replica.userId }, taskIds);
    },
  };
}
