import { activitySchema, projectSchema, taskSchema, userSchema, type Activity, type Project, type Task, type User } from '@outpost/shared';
import type { OutpostDb } from '../sync/db';
import { unclocked } from '../sync/records';
import { parseRows } from './live';
import type { TaskFilter } from './queryKeys';

/** The mirror reads behind the hooks: plain functions, usable (and tested) without React. */

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
// UUIDv7 ids sort by creation time.
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export async function readProjects(db: OutpostDb): Promise<Project[]> {
  return parseRows(projectSchema, (await db.projects.toArray()).map(unclocked)).sort(byName);
}

export async function readProject(db: OutpostDb, id: string): Promise<Project | null> {
  const row = await db.projects.get(id as Project['id']);
  return row ? (parseRows(projectSchema, [unclocked(row)])[0] ?? null) : null;
}

export async function readTasks(db: OutpostDb, filter: TaskFilter): Promise<Task[]> {
  const { projectId, status, assigneeId } = filter;
  // Use the most selective index, then filter the rest in memory.
  const rows =
    projectId && status
      ? await db.tasks.where('[projectId+status]').equals([projectId, status]).toArray()
      : projectId
        ? await db.tasks.where('projectId').equals(projectId).toArray()
        : assigneeId
          ? await db.tasks.where('assigneeId').equals(assigneeId).toArray()
          : status
            ? await db.tasks.where('status').equals(status).toArray()
            : await db.tasks.toArray();
  return parseRows(taskSchema, rows.map(unclocked))
    .filter((t) => (status === undefined || t.status === status) && (assigneeId === undefined || t.assigneeId === assigneeId))
    .sort(byId);
}

export async function readActivities(db: OutpostDb, limit: number): Promise<Activity[]> {
  return parseRows(activitySchema, await db.activities.orderBy('createdAt').reverse().limit(limit).toArray());
}

export async function readUsers(db: OutpostDb): Promise<User[]> {
  return parseRows(userSchema, await db.users.toArray()).sort(byName);
}
