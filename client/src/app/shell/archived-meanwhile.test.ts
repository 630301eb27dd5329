// @vitest-environment happy-dom
// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { activitySchema, type Activity, type EntityId } from '@outpost/shared';
import { OutpostDb } from '@outpost/sync';
import { taskRow } from '../../../test/helpers/task-row';
import { EngineContext, type Engine } from '../engine/context';
import { checkAdded, useArchivedMeanwhile, watchAdded } from './archived-meanwhile';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const dbs: OutpostDb[] = [];
const cleanup: (() => void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) fn();
  for (const db of dbs.splice(0)) await db.delete();
  localStorage.clear();
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

describe('useArchivedMeanwhile (the notice of tasks added to a project archived meanwhile)', () => {
  /**
   * The hook over `db`, with a sync status the test changes by hand, and the history reads
   * (`where('entityId')…toArray()`) held while `hold` is set: a check then stays in flight.
   */
  function mount(db: OutpostDb) {
    const listeners = new Set<() => void>();
    const status = {
      getSnapshot: () => ({ syncing: false }),
      subscribe: (fn: () => void) => (listeners.add(fn), () => listeners.delete(fn)),
    };
    const reads = { held: 0, done: 0, hold: null as Promise<void> | null };
    let heldNow: () => void = () => undefined;
    const where = db.activities.where.bind(db.activities);
    db.activities.where = ((index: string) => {
      const clause = where(index);
      return {
        equals: (v: string) => ({
          toArray: async () => {
            if (reads.hold) {
              reads.held++;
              heldNow();
              await reads.hold;
            }
            const rows = await clause.equals(v).toArray();
            reads.done++;
            return rows;
          },
        }),
      };
    }) as never;
    const engine = {
      client: { status },
      replica: { orgId: 'org', userId: 'me', db },
      session: { user: { id: 'me' } },
      unsentBeforeEviction: [],
      keptUnsaved: [],
    } as unknown as Engine;
    let result!: ReturnType<typeof useArchivedMeanwhile>;
    function Probe() {
      result = useArchivedMeanwhile();
      return null;
    }
    const root = createRoot(document.createElement('div'));
    act(() =>
      root.render(createElement(EngineContext.Provider, { value: engine }, createElement(Probe))),
    );
    cleanup.push(() => act(() => root.unmount()));
    return {
      result: () => result,
      reads,
      /** A status change (a sync ended): the hook checks again. */
      statusChanged: () => act(() => listeners.forEach((fn) => fn())),
      /** Resolves once a history read is held. */
      held: () => new Promise<void>((resolve) => (heldNow = resolve)),
    };
  }

  it('a check in flight when the notice is answered does not bring it back', async () => {
    const { db, project } = await studio('archived', 3);
    const task = taskRow({ projectId: project, title: 'Paint walls' });
    await db.tasks.put(task as never);
    await db.activities.bulkPut([
      archive(project, 3),
      activity({ version: 4, entityId: task.id, changes: [{ field: 'projectId', to: project }] }),
    ]);
    watchAdded({ orgId: 'org', userId: 'me' }, task.id);
    const hook = mount(db);
    await vi.waitFor(() =>
      expect(hook.result().added.map((a) => a.title)).toEqual(['Paint walls']),
    );

    // A sync ends: a check starts, and is still reading when "Open project" is pressed.
    let release!: () => void;
    hook.reads.hold = new Promise((resolve) => (release = resolve));
    const held = hook.held();
    hook.statusChanged();
    await held;
    act(() => hook.result().dismiss([task.id]));
    expect(hook.result().added).toEqual([]);

    // The check ends (its two history reads: the task's, then its project's).
    const before = hook.reads.done;
    hook.reads.hold = null;
    release();
    await vi.waitFor(() => expect(hook.reads.done).toBe(before + 2));
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(hook.result().added).toEqual([]);
  });
});
