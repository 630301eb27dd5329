import {
  activitySchema,
  deletedWithProject,
  mutationSchema,
  projectSchema,
  taskSchema,
  taskStatusSchema,
  userSchema,
  type Activity,
  type Mutation,
  type Project,
  type Task,
  type TaskStatus,
  type User,
} from '@outpost/shared';
import { z } from 'zod/mini';
import { readOutboxEntries, unclocked, type OutpostDb } from '@outpost/sync';
import { parseRows } from './live';
import { searchText } from './search-index';
import { unsentRowIds } from './unsent-ids';
import type { TaskFilter } from './queryKeys';

/** The mirror reads behind the hooks: plain functions, usable (and tested) without React. */

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * By name, ignoring case and accents ("Été" among the e's, as search reads it), then as written.
 * Not `localeCompare`: its first call starts ICU's collator (~20 ms here, four times that on a
 * throttled phone), in the boot's first render.
 */
export function sortByName<T extends { name: string }>(rows: readonly T[]): T[] {
  return rows
    .map((row) => ({ row, key: searchText(row.name) }))
    .sort((a, b) => compare(a.key, b.key) || compare(a.row.name, b.row.name))
    .map(({ row }) => row);
}
// UUIDv7 ids sort by creation time.
const byId = (a: { id: string }, b: { id: string }) => compare(a.id, b.id);

export async function readProjects(db: OutpostDb): Promise<Project[]> {
  return sortByName(parseRows(projectSchema, (await db.projects.toArray()).map(unclocked)));
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
    .filter(
      (t) =>
        (status === undefined || t.status === status) &&
        (assigneeId === undefined || t.assigneeId === assigneeId),
    )
    .sort(byId);
}

const idsSchema = z.array(z.string());

/**
 * The ids of one project's tasks in one status, in creation order, from the
 * `[projectId+status]` index alone (equal index keys are ordered by primary key, and UUIDv7
 * ids sort by creation time): no row is read, so 10,000 ids cost a few milliseconds.
 */
export async function readTaskIds(
  db: OutpostDb,
  projectId: string,
  status: TaskStatus,
): Promise<string[]> {
  return idsSchema.parse(
    await db.tasks.where('[projectId+status]').equals([projectId, status]).primaryKeys(),
  );
}

/** The first rows of a project's open sections: what its first screen shows. */
export interface TaskHead {
  doing: Task[];
  todo: Task[];
}

/**
 * The first `limit` rows of each open status, by the `[projectId+status]` index with a limit:
 * the list paints these while the full id lists are still being read.
 */
export async function readTaskHead(
  db: OutpostDb,
  projectId: string,
  limit: number,
): Promise<TaskHead> {
  const [doing, todo] = await Promise.all(
    (['doing', 'todo'] as const).map(async (s) =>
      parseRows(
        taskSchema,
        (
          await db.tasks.where('[projectId+status]').equals([projectId, s]).limit(limit).toArray()
        ).map(unclocked),
      ),
    ),
  );
  return { doing: doing ?? [], todo: todo ?? [] };
}

export type TaskCounts = Record<TaskStatus, number>;

/**
 * Per-status counts from the index (IndexedDB counts keys natively; no row is read), in one
 * read transaction: a live query runs this again after every write to the project.
 */
export async function readTaskCounts(db: OutpostDb, projectId: string): Promise<TaskCounts> {
  const statuses = taskStatusSchema.options;
  const counts = await db.transaction('r', db.tasks, () =>
    Promise.all(
      statuses.map((s) => db.tasks.where('[projectId+status]').equals([projectId, s]).count()),
    ),
  );
  return Object.fromEntries(statuses.map((s, i) => [s, counts[i] ?? 0])) as TaskCounts;
}

/** The rows of a window of ids (by primary key), parsed; missing or invalid rows are absent. */
export async function readTasksByIds(
  db: OutpostDb,
  ids: readonly string[],
): Promise<Map<string, Task>> {
  const rows = await db.tasks.bulkGet(ids as Task['id'][]);
  const present = rows.filter((r): r is NonNullable<typeof r> => r !== undefined).map(unclocked);
  return new Map(parseRows(taskSchema, present).map((t) => [t.id, t]));
}

/**
 * A window's rows are read as the range of keys from its first id to its last (one request)
 * when that range holds at most this many times the window's rows; past that, the rest by key.
 */
const WINDOW_SPAN = 4;

/**
 * The rows of a window of ids as an array in the window's order (missing or invalid rows are
 * absent): the first read of a window view (task-windows.ts), which then patches the rows
 * that change instead of reading them again. A section's ids are in creation order, which is
 * key order (UUIDv7), so its window lies in one short range of the table: one request reads
 * it, where a read by key is one request per row (most of a scroll frame's cost in Chromium).
 */
export async function readTaskWindow(db: OutpostDb, ids: readonly string[]): Promise<Task[]> {
  if (ids.length === 0) return [];
  let lo = ids[0]!;
  let hi = lo;
  for (const id of ids) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  const limit = ids.length * WINDOW_SPAN;
  const found = await db.transaction('r', db.tasks, async () => {
    const wanted = new Set(ids);
    const spanned = await db.tasks.where(':id').between(lo, hi, true, true).limit(limit).toArray();
    const rows = new Map<string, (typeof spanned)[number]>();
    for (const r of spanned) if (wanted.has(r.id)) rows.set(r.id, r);
    // The range held more than `limit` rows (other projects' or sections'): the rest by key.
    const rest = spanned.length === limit ? ids.filter((id) => !rows.has(id)) : [];
    if (rest.length > 0)
      for (const r of await db.tasks.bulkGet(rest as Task['id'][])) if (r) rows.set(r.id, r);
    return rows;
  });
  return parseRows(
    taskSchema,
    ids.flatMap((id) => {
      const row = found.get(id);
      return row ? [unclocked(row)] : [];
    }),
  );
}

export async function readTask(db: OutpostDb, id: string): Promise<Task | null> {
  return (await readTasksByIds(db, [id])).get(id) ?? null;
}

/**
 * A conflict notice's row as this device has it now, and whether that row comes after the
 * conflict (`past`): the conflict's activity is in the mirror, or the pull's cursor has reached
 * its version (an entry below the activity window is not kept). That is read first, the row
 * after it: a pull commits both at once, so a row read before the pull that brought the conflict
 * (still holding the lost value) never passes for one set back since. Not one transaction: a
 * read after `readTask` (a native async function) finds it committed (PrematureCommitError),
 * and the live query ends with that error.
 */
export async function readConflictRow(
  db: OutpostDb,
  conflict: { entity: string; entityId: string; activityId: string; version?: number | undefined },
): Promise<{ row: Task | Project | null; past: boolean }> {
  const past =
    (await db.activities.get(conflict.activityId as Activity['id'])) !== undefined ||
    (conflict.version !== undefined && (await cursorOf(db)) >= conflict.version);
  const row =
    conflict.entity === 'project'
      ? await readProject(db, conflict.entityId)
      : await readTask(db, conflict.entityId);
  return { row, past };
}

async function cursorOf(db: OutpostDb): Promise<number> {
  const cursor = (await db.meta.get('cursor'))?.value;
  return typeof cursor === 'number' ? cursor : -1;
}

export async function readActivities(db: OutpostDb, limit: number): Promise<Activity[]> {
  return parseRows(
    activitySchema,
    await db.activities.orderBy('createdAt').reverse().limit(limit).toArray(),
  );
}

/** One row's own history, newest first (the `entityId` index). */
export async function readEntityActivities(db: OutpostDb, entityId: string): Promise<Activity[]> {
  const rows = parseRows(
    activitySchema,
    await db.activities.where('entityId').equals(entityId).toArray(),
  );
  return rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Several rows' own histories (the `entityId` index), each newest first: id → its activities. */
export async function readEntitiesActivities(
  db: OutpostDb,
  ids: readonly string[],
): Promise<Map<string, Activity[]>> {
  const out = new Map<string, Activity[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = parseRows(
    activitySchema,
    await db.activities.where('entityId').anyOf(ids).toArray(),
  );
  rows.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  for (const a of rows) if (a.entityId) out.get(a.entityId)?.push(a);
  return out;
}

export async function readUsers(db: OutpostDb): Promise<User[]> {
  return sortByName(parseRows(userSchema, await db.users.toArray()));
}

/**
 * The name a row had as an activity tells it — a title or name set, or the one a delete
 * carries ("deleted the task “Old plan”") — or null.
 */
export function carriedName(a: Pick<Activity, 'changes'>): string | null {
  const c = a.changes.find((x) => x.field === 'title' || x.field === 'name');
  const v = c ? (c.to ?? c.from) : undefined;
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Names of the projects, tasks and members among `ids` (by key, no table scan), for readable
 * feeds and notices. A row gone from this device (deleted) is named by its newest activity that carries a
 * name (its delete does).
 */
export async function readEntityNames(
  db: OutpostDb,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const [projects, tasks, users] = await Promise.all([
    db.projects.bulkGet(ids as Project['id'][]),
    db.tasks.bulkGet(ids as Task['id'][]),
    db.users.bulkGet(ids as User['id'][]),
  ]);
  const names = new Map<string, string>();
  for (const p of parseRows(projectSchema, projects.filter((r) => r !== undefined).map(unclocked)))
    names.set(p.id, p.name);
  for (const t of parseRows(taskSchema, tasks.filter((r) => r !== undefined).map(unclocked)))
    names.set(t.id, t.title);
  // A member's name as it is now (an activity may carry an older one).
  for (const u of parseRows(userSchema, users.filter((r) => r !== undefined).map(unclocked)))
    names.set(u.id, u.name);
  const gone = ids.filter((id) => !names.has(id));
  if (gone.length === 0) return names;
  const told = parseRows(
    activitySchema,
    await db.activities.where('entityId').anyOf(gone).toArray(),
  );
  for (const a of told.sort((x, y) => x.version - y.version)) {
    const name = carriedName(a);
    if (name && a.entityId) names.set(a.entityId, name);
  }
  return names;
}

/** The project of each of these tasks that is in the mirror (the activity feed's context). */
export async function readTaskProjects(
  db: OutpostDb,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const tasks = await db.tasks.bulkGet(ids as Task['id'][]);
  const out = new Map<string, string>();
  for (const t of parseRows(taskSchema, tasks.filter((r) => r !== undefined).map(unclocked)))
    out.set(t.id, t.projectId);
  return out;
}

/** The project whose delete took each of these (deleted) tasks with it, from their deletes. */
export async function readDeletedWithProject(
  db: OutpostDb,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const told = parseRows(
    activitySchema,
    await db.activities.where('entityId').anyOf(ids).toArray(),
  );
  for (const a of told) {
    const project = deletedWithProject(a);
    if (project && a.entityId) out.set(a.entityId, project);
  }
  return out;
}

export const outboxEntrySchema = z.object({
  mutationId: z.number().check(z.int(), z.positive()),
  clientId: z.string(),
  entityId: z.string(),
  mutation: mutationSchema,
  createdAt: z.string(),
  attempts: z.number().check(z.int(), z.nonnegative()),
  lastError: z.nullable(z.string()),
  acked: z.union([z.literal(0), z.literal(1)]),
});
export type OutboxItem = z.infer<typeof outboxEntrySchema> & { mutation: Mutation };

export async function readOutbox(db: OutpostDb): Promise<OutboxItem[]> {
  return parseRows(outboxEntrySchema, await readOutboxEntries(db));
}

/** Ids of rows with writes this device has not sent yet (see `unsentRowIds`). */
export function readUnsentIds(db: OutpostDb): Promise<Set<string>> {
  return unsentRowIds(db);
}
