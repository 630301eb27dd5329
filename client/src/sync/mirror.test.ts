import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  orgIdSchema,
  type Change,
  type EntityId,
  type Task,
} from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { OutpostDb } from './db';
import { applyPullPage, PUT_SLICE } from './mirror';
import type { Replica } from './replica';

const orgId = orgIdSchema.parse('acme');

describe('applying a pulled page', () => {
  it('puts a large page in slices (each clones its rows in its own task), all in one transaction', async () => {
    const db = new OutpostDb('slices', { indexedDB: new IDBFactory(), IDBKeyRange });
    // Every batch of rows put into the tasks table, by size.
    const batches: number[] = [];
    db.use({
      stack: 'dbcore',
      name: 'batch-sizes',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (req) => {
              if (name === 'tasks' && req.type === 'put') batches.push(req.values.length);
              return table.mutate(req);
            },
          };
        },
      }),
    });
    await db.open();
    const replica: Replica = {
      db,
      userId: 'u',
      orgId,
      clientId: newClientId(),
      vanished: null,
      sentinel: null,
      close: () => db.close(),
    };
    const clock = new HybridLogicalClock(newClientId());
    const projectId = newEntityId();
    const at = new Date().toISOString();
    const n = PUT_SLICE * 2 + 50;
    const changes: Change[] = Array.from({ length: n }, (_, i) => {
      const hlc = clock.now();
      const row: Task = {
        id: newEntityId(),
        orgId,
        createdAt: at,
        updatedAt: at,
        version: i + 1,
        projectId: projectId as EntityId,
        title: `t${i}`,
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate: null,
      };
      const clocks = {
        projectId: hlc,
        title: hlc,
        notes: hlc,
        status: hlc,
        assigneeId: hlc,
        dueDate: hlc,
      };
      return { entity: 'task', seq: i + 1, entityId: row.id, clocks, deleted: null, row };
    });
    // A failing last request rolls back every slice: they share the page's transaction.
    const bad = { ...changes[n - 1]!, row: { ...changes[n - 1]!.row, id: undefined } } as never;
    await expect(
      applyPullPage(
        replica,
        { changes: [...changes.slice(0, -1), bad], cursor: n, activityFloor: 0 },
        {
          reset: false,
          now: Date.now,
        },
      ),
    ).rejects.toThrow();
    expect(await db.tasks.count()).toBe(0);
    batches.length = 0;

    await applyPullPage(
      replica,
      { changes, cursor: n, activityFloor: 0 },
      { reset: false, now: Date.now },
    );
    expect(batches).toEqual([PUT_SLICE, PUT_SLICE, 50]);
    expect(await db.tasks.count()).toBe(n);
    expect((await db.meta.get('cursor'))?.value).toBe(n);
    db.close();
  });
});
