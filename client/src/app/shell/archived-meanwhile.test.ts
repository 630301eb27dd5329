// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { activitySchema, type Activity, type EntityId } from '@outpost/shared';
import { OutpostDb } from '@outpost/sync';
import { taskRow } from '../../../test/helpers/task-row';
import { checkAdded } from './archived-meanwhile';

const dbs: OutpostDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

const at = new Date().toISOString();
const ben = uuidv7() as EntityId;

function activity(over: Partial<Activity>): Activity {
  return activitySchema.parse({
    id: uuidv7(),
    orgId: 'org',
    createdAt: at,
    updatedAt: at,
    version: 1,
    actorId: null,
    action: 'create',
    entity: 'task',
    entityId: null,
    changes: [],
    reason: null,
    requestId: null,
    clientId: null,
    mutationId: null,
    ...over,
  });
}

async function studio(status: 'active' | 'archived', version: number) {
  const db = new OutpostDb(`archived-meanwhile-${uuidv7()}`);
  dbs.push(db);
  await db.open();
  const project = uuidv7();
  await db.projects.put({
    id: project,
    orgId: 'org',
    createdAt: at,
    updatedAt: at,
    version,
    name: 'Studio',
    description: '',
    status,
    ownerId: ben,
  } as never);
  return { db, project };
}

const archive = (project: string, version: number) =>
  activity({
    version,
    action: 'update',
    actorId: ben,
    entity: 'project',
    entityId: project,
    changes: [{ field: 'status', from: 'active', to: 'archived' }],
  });

describe('checkAdded (tasks added here, told when their project was archived before them)', () => {
  it('tells a task that reached a project archived before it, by whom', async () => {
    const { db, project } = await studio('archived', 3);
    const task = taskRow({ projectId: project, title: 'Paint walls' });
    await db.tasks.put(task as never);
    await db.activities.bulkPut([
      archive(project, 3),
      activity({
        version: 4,
        entityId: task.id,
        changes: [{ field: 'projectId', to: project }],
      }),
    ]);
    expect(await checkAdded(db, [task.id])).toEqual({
      tell: [
        {
          taskId: task.id,
          title: 'Paint walls',
          projectId: project,
          projectName: 'Studio',
          archivedBy: ben,
        },
      ],
      settled: [],
    });
  });

  it('tells nothing of a task the project had before it was archived, and forgets it', async () => {
    const { db, project } = await studio('archived', 5);
    const task = taskRow({ projectId: project });
    await db.tasks.put(task as never);
    await db.activities.bulkPut([activity({ version: 4, entityId: task.id }), archive(project, 5)]);
    expect(await checkAdded(db, [task.id])).toEqual({ tell: [], settled: [task.id] });
  });

  it('waits for a task not back from the server, and forgets one that is gone or moved out', async () => {
    const { db, project } = await studio('archived', 3);
    const unsent = taskRow({ projectId: project });
    const moved = taskRow({ projectId: uuidv7() });
    await db.tasks.bulkPut([unsent, moved] as never[]);
    await db.activities.bulkPut([
      archive(project, 3),
      activity({ version: 4, entityId: moved.id, changes: [{ field: 'projectId', to: project }] }),
    ]);
    const gone = uuidv7();
    expect(await checkAdded(db, [unsent.id, moved.id, gone])).toEqual({
      tell: [],
      settled: [moved.id, gone],
    });
  });

  it('with the archive trimmed from history, goes by the project row not changed since', async () => {
    const { db, project } = await studio('archived', 3);
    const task = taskRow({ projectId: project, title: 'Hang lamps' });
    await db.tasks.put(task as never);
    await db.activities.put(activity({ version: 9, entityId: task.id }));
    const { tell } = await checkAdded(db, [task.id]);
    expect(tell.map((t) => [t.title, t.archivedBy])).toEqual([['Hang lamps', null]]);
  });
});
