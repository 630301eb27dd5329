// First: Dexie reads the indexedDB global when it loads.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveQuery } from 'dexie';
import { v7 as uuidv7 } from 'uuid';
import { activitySchema, userSchema, type Activity } from '@outpost/shared';
import { OutpostDb, type WriteRecord } from '@outpost/sync';
import { countRequests } from '../../test/helpers/idb-requests';
import { taskRow } from '../../test/helpers/task-row';
import {
  readConflictRow,
  readEntityNames,
  readTask,
  readTaskCounts,
  readTaskWindow,
  readUnsentIds,
  sortByName,
} from './reads';

const dbs: OutpostDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

/** A database that notes each outbox read that returns entries, not only keys. */
async function open(valueReads: string[]): Promise<OutpostDb> {
  const db = new OutpostDb(`reads-${uuidv7()}`);
  db.use({
    stack: 'dbcore',
    name: 'value-reads',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          query: (req) => {
            if (name === 'writes' && req.values) valueReads.push(req.query.index.name || ':id');
            return table.query(req);
          },
          getMany: (req) => {
            if (name === 'writes') valueReads.push('getMany');
            return table.getMany(req);
          },
        };
      },
    }),
  });
  dbs.push(db);
  await db.open();
  return db;
}

/** A record of one numbered mutation per row, acknowledged or not. */
const entry = (mutationId: number, entityId: string, acked: 0 | 1): WriteRecord =>
  ({
    clientId: 'c',
    mutations: [{ type: 'task.delete', id: mutationId, hlc: 'h', entityId }],
    last: mutationId,
    ackedThrough: acked ? mutationId : 0,
    open: acked ? 0 : 1,
    entityIds: [entityId],
    createdAt: new Date().toISOString(),
    attempts: 0,
    lastError: null,
  }) as unknown as WriteRecord;

describe('readUnsentIds', () => {
  it('names the rows with unsent writes: an acknowledged write leaves, a new write of it comes back', async () => {
    const db = await open([]);
    const [a, b, c, d] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    // a: sent and acknowledged only; b: acknowledged, then edited again; c: two unsent; d: one.
    await db.writes.bulkAdd([
      entry(1, a, 1),
      entry(2, b, 1),
      entry(3, c, 0),
      entry(4, b, 0),
      entry(5, c, 0),
      entry(6, d, 0),
    ]);
    expect([...(await readUnsentIds(db))].sort()).toEqual([b, c, d].sort());
    // d's write is acknowledged (its record closes), then edited again (a new record).
    await db.writes.put({ ...entry(6, d, 1), seq: 6 } as WriteRecord);
    expect([...(await readUnsentIds(db))].sort()).toEqual([b, c].sort());
    await db.writes.add(entry(7, d, 0));
    expect([...(await readUnsentIds(db))].sort()).toEqual([b, c, d].sort());
    expect(await readUnsentIds(await open([]))).toEqual(new Set());
  });

  it('reads the open keys and each new record once: one more write costs the same with 10 or 100 queued', async () => {
    const costs = [];
    for (const queued of [10, 100]) {
      const valueReads: string[] = [];
      const db = await open(valueReads);
      const ids = Array.from({ length: queued + 1 }, () => uuidv7());
      // Half as many acknowledged writes kept until the next pull, then the unsent ones.
      await db.writes.bulkAdd([
        ...ids.slice(0, queued / 2).map((id, i) => entry(i + 1, id, 1)),
        ...ids.slice(0, queued).map((id, i) => entry(queued + i + 1, id, 0)),
      ]);
      expect((await readUnsentIds(db)).size).toBe(queued);
      await db.writes.add(entry(2 * queued + 1, ids[queued]!, 0));
      valueReads.length = 0;
      const counter = countRequests('writes');
      try {
        expect((await readUnsentIds(db)).size).toBe(queued + 1);
      } finally {
        counter.restore();
      }
      costs.push({ requests: counter.requests, valueReads: [...valueReads] });
    }
    // The open index's keys, and the new record (by its seq); no index walked key by key.
    const expected = { requests: { getAllKeys: 1, getAll: 1 }, valueReads: [':id'] };
    expect(costs).toEqual([expected, expected]);
  });
});

describe('readTaskWindow', () => {
  const now = new Date().toISOString();
  const row = (id: string, projectId: string) => ({
    id,
    orgId: 'org',
    createdAt: now,
    updatedAt: now,
    version: 1,
    projectId,
    title: `task ${id.slice(-4)}`,
    notes: '',
    status: 'todo',
    assigneeId: null,
    dueDate: null,
    $c: {},
  });

  /** The window's rows, and the requests its read made on the tasks store. */
  async function readCounted(db: OutpostDb, ids: string[]) {
    const counter = countRequests('tasks');
    try {
      return { rows: await readTaskWindow(db, ids), requests: counter.requests };
    } finally {
      counter.restore();
    }
  }

  it("reads a window of a section's rows with one request when they lie close in key order", async () => {
    const db = await open([]);
    const [mine, other] = [uuidv7(), uuidv7()];
    // 150 tasks created in turn in two projects: a window of 50 of one spans 100 keys.
    const ids = Array.from({ length: 150 }, () => uuidv7());
    await db.tasks.bulkPut(ids.map((id, i) => row(id, i % 3 === 0 ? other : mine)) as never[]);
    const window = ids.filter((_, i) => i % 3 !== 0).slice(10, 60);
    const { rows, requests } = await readCounted(db, window);
    expect(rows.map((t) => t.id)).toEqual(window);
    expect(requests).toEqual({ getAll: 1 });
  });

  it('reads the rows past a long range by key, keeps the window order and leaves out missing rows', async () => {
    const db = await open([]);
    const [mine, other] = [uuidv7(), uuidv7()];
    // One task of the project among every 10 of another: 20 of them span 191 keys (> 4 × 20).
    const ids = Array.from({ length: 200 }, () => uuidv7());
    await db.tasks.bulkPut(ids.map((id, i) => row(id, i % 10 === 0 ? mine : other)) as never[]);
    const window = ids.filter((_, i) => i % 10 === 0);
    const gone = uuidv7();
    const asked = [...window.slice(0, 5), gone, ...window.slice(5)];
    const { rows, requests } = await readCounted(db, asked);
    expect(rows.map((t) => t.id)).toEqual(window);
    // The first 84 keys of the range (9 of the window), then the other 12 asked by key.
    expect(requests).toEqual({ getAll: 1, get: 12 });
  });
});

describe('readTaskCounts', () => {
  it("counts a project's sections in one read transaction (a live query runs it after every write)", async () => {
    // Dexie binds the database's `transaction` when it opens: wrap it before.
    const original = IDBDatabase.prototype.transaction;
    let opened = 0;
    IDBDatabase.prototype.transaction = function (
      this: IDBDatabase,
      ...a: Parameters<typeof original>
    ) {
      opened++;
      return original.apply(this, a);
    };
    try {
      const db = new OutpostDb(`reads-${uuidv7()}`);
      dbs.push(db);
      const projectId = uuidv7();
      const row = (status: string) => taskRow({ status, projectId });
      await db.tasks.bulkPut([row('todo'), row('todo'), row('doing'), row('done')] as never[]);
      opened = 0;
      expect(await readTaskCounts(db, projectId)).toEqual({ todo: 2, doing: 1, done: 1 });
      expect(opened).toBe(1);
    } finally {
      IDBDatabase.prototype.transaction = original;
    }
  });
});

describe('sortByName', () => {
  it('sorts by name ignoring case and accents, then as written, without the collator', () => {
    const compared = vi.spyOn(String.prototype, 'localeCompare');
    const names = ['beta', 'Zulu', 'Été', 'echo', 'Alpha', 'alpha', 'Ecole', 'école'];
    const sorted = sortByName(names.map((name) => ({ name }))).map((r) => r.name);
    expect(sorted).toEqual(['Alpha', 'alpha', 'beta', 'echo', 'Ecole', 'école', 'Été', 'Zulu']);
    expect(compared).not.toHaveBeenCalled();
    compared.mockRestore();
  });
});

describe('readEntityNames', () => {
  it('names a row this device no longer holds by its newest activity that carries a name', async () => {
    const db = await open([]);
    const project = uuidv7();
    const at = new Date().toISOString();
    const activity = (
      version: number,
      action: Activity['action'],
      changes: Activity['changes'],
    ): Activity =>
      activitySchema.parse({
        id: uuidv7(),
        orgId: 'org_names',
        createdAt: at,
        updatedAt: at,
        version,
        actorId: null,
        action,
        entity: 'project',
        entityId: project,
        changes,
        reason: null,
        requestId: null,
        clientId: null,
        mutationId: null,
      });
    // Created as "Side", renamed "Side trip", then deleted (its delete carries the last name).
    await db.activities.bulkPut([
      activity(3, 'delete', [{ field: 'name', from: 'Side trip' }]),
      activity(1, 'create', [{ field: 'name', to: 'Side' }]),
      activity(2, 'update', [{ field: 'name', from: 'Side', to: 'Side trip' }]),
    ]);
    const names = await readEntityNames(db, [project, uuidv7()]);
    expect([...names]).toEqual([[project, 'Side trip']]);
    // A member this device holds is named as they are now, not as an older activity says.
    const member = uuidv7();
    await db.users.put(
      userSchema.parse({
        id: member,
        orgId: 'org_names',
        externalId: 'user_x',
        email: 'ana@example.com',
        name: 'Ana Lopez',
        role: 'member',
        createdAt: at,
        updatedAt: at,
        version: 4,
      }),
    );
    await db.activities.put({
      ...activity(5, 'update', [{ field: 'name', from: 'Ana L', to: 'Ana' }]),
      entity: 'user',
      entityId: member,
    });
    expect((await readEntityNames(db, [member])).get(member)).toBe('Ana Lopez');
  });
});

describe('readConflictRow', () => {
  it('says whether the row read comes after the conflict: its entry is here, or the cursor reached it', async () => {
    const db = await open([]);
    const t = taskRow({ title: 'Launch' });
    await db.tasks.put(t as never);
    const at = new Date().toISOString();
    const conflict = { entity: 'task', entityId: t.id, activityId: uuidv7(), version: 7 };
    // Not pulled yet: the row read may be from before it.
    await db.meta.put({ key: 'cursor', value: 6 });
    expect(await readConflictRow(db, conflict)).toMatchObject({
      row: { title: 'Launch' },
      past: false,
    });
    // Below the activity window its entry is not kept; the cursor says the pull passed it.
    await db.meta.put({ key: 'cursor', value: 9 });
    expect((await readConflictRow(db, conflict)).past).toBe(true);
    // A notice without the version (an older app's) goes by its entry.
    const { version: _, ...unversioned } = conflict;
    expect((await readConflictRow(db, unversioned)).past).toBe(false);
    await db.activities.put(
      activitySchema.parse({
        id: conflict.activityId,
        orgId: 'org',
        createdAt: at,
        updatedAt: at,
        version: 7,
        actorId: null,
        action: 'conflict',
        entity: 'task',
        entityId: t.id,
        changes: [],
        reason: null,
        requestId: null,
        clientId: null,
        mutationId: null,
      }),
    );
    expect((await readConflictRow(db, unversioned)).past).toBe(true);
    expect(await readConflictRow(db, { ...conflict, entityId: uuidv7() })).toMatchObject({
      row: null,
    });
  });

  it('as a live query, follows the row (the notice rewords itself while it shows)', async () => {
    const db = new OutpostDb(`reads-${uuidv7()}`);
    dbs.push(db);
    await db.open();
    const t = taskRow({ title: 'Launch v2' });
    await db.tasks.put(t as never);
    const conflict = { entity: 'task', entityId: t.id, activityId: uuidv7(), version: 3 };
    const seen: string[] = [];
    // The row's own live read beside it, as the task list holds one.
    const list = liveQuery(() => readTask(db, t.id)).subscribe({ next: () => undefined });
    const sub = liveQuery(() => readConflictRow(db, conflict)).subscribe({
      next: ({ row }) => seen.push(row && 'title' in row ? row.title : 'none'),
      error: (e: unknown) => seen.push(`error: ${String(e)}`),
    });
    await vi.waitFor(() => expect(seen).toEqual(['Launch v2']));
    await db.tasks.put({ ...t, title: 'Launch final' } as never);
    await vi.waitFor(() => expect(seen).toEqual(['Launch v2', 'Launch final']));
    sub.unsubscribe();
    list.unsubscribe();
  });
});
