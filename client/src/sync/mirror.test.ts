import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  compareHlc,
  HybridLogicalClock,
  newClientId,
  newEntityId,
  orgIdSchema,
  type Change,
  type EntityId,
  type Project,
  type Task,
} from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { applyPage, applyPullPage, PUT_SLICE, type AppliedPage, type ApplyOptions } from './mirror';
import { baseFromMirror, unclocked } from './records';
import { openReplica, type Replica } from './replica';
import { readOutboxEntries } from './outbox-ids';
import { settlePush } from './outbox';

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

/** A replica whose database reports each request: when placed, and what had completed then. */
async function tracedReplica(name: string) {
  const db = new OutpostDb(name, { indexedDB: new IDBFactory(), IDBKeyRange });
  const log = {
    /** Stores of each read-write transaction, sorted. */
    scopes: [] as string[][],
    /** Read-only transactions opened. */
    readOnly: 0,
    /** Each request of the traced transaction: whether a write, and reads/writes done when placed. */
    requests: [] as { write: boolean; readsDone: number; writesDone: number }[],
    tracing: false,
  };
  let readsDone = 0;
  let writesDone = 0;
  const trace = <T>(write: boolean, run: () => Promise<T>): Promise<T> => {
    if (!log.tracing) return run();
    log.requests.push({ write, readsDone, writesDone });
    return run().finally(() => (write ? writesDone++ : readsDone++));
  };
  db.use({
    stack: 'dbcore',
    name: 'trace',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        if (mode === 'readwrite' && log.tracing) log.scopes.push([...stores].sort());
        if (mode === 'readonly' && log.tracing) log.readOnly++;
        return down.transaction(stores, mode, options);
      },
      table: (tableName) => {
        const t = down.table(tableName);
        return {
          ...t,
          get: (req) => trace(false, () => t.get(req)),
          getMany: (req) => trace(false, () => t.getMany(req)),
          query: (req) => trace(false, () => t.query(req)),
          count: (req) => trace(false, () => t.count(req)),
          mutate: (req) => trace(true, () => t.mutate(req)),
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
  return { replica, log };
}

/** A task and its create activity at seqs `seq` and `seq + 1`, as a poke carries them. */
function taskWithActivity(seq: number, clock: HybridLogicalClock): Change[] {
  const at = new Date().toISOString();
  const hlc = clock.now();
  const row: Task = {
    id: newEntityId(),
    orgId,
    createdAt: at,
    updatedAt: at,
    version: seq,
    projectId: newEntityId() as EntityId,
    title: `t${seq}`,
    notes: '',
    status: 'todo',
    assigneeId: null,
    dueDate: null,
  };
  const clocks = { projectId: hlc, title: hlc, notes: hlc, status: hlc, assigneeId: hlc };
  const activity = {
    id: newEntityId(),
    version: seq + 1,
    createdAt: at,
    entityId: row.id,
  };
  return [
    { entity: 'task', seq, entityId: row.id, clocks, deleted: null, row },
    {
      entity: 'activity',
      seq: seq + 1,
      entityId: activity.id,
      clocks: {},
      deleted: null,
      row: activity,
    } as never,
  ];
}

describe("applying a poke's page", () => {
  it('spans only the stores it writes, reads once, then places every write without waiting for another', async () => {
    const { replica, log } = await tracedReplica('small-page');
    const clock = new HybridLogicalClock(newClientId());
    await applyPullPage(
      replica,
      { changes: taskWithActivity(1, clock), cursor: 2, activityFloor: 0 },
      { reset: false, now: Date.now },
    );
    log.tracing = true;
    const applied = await applyPullPage(
      replica,
      { changes: taskWithActivity(3, clock), cursor: 4, activityFloor: 0 },
      { reset: false, now: Date.now, expectCursor: 2 },
    );
    expect(applied).toBe(true);
    // No users or projects in it: those stores stay free for other transactions.
    expect(log.scopes).toEqual([['activities', 'base', 'meta', 'tasks', 'writes']]);
    const reads = log.requests.filter((r) => !r.write);
    const writes = log.requests.filter((r) => r.write);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.readsDone === 0)).toBe(true);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(writes.every((r) => r.readsDone === reads.length && r.writesDone === 0)).toBe(true);
    expect(await replica.db.tasks.count()).toBe(2);
    expect(await replica.db.activities.count()).toBe(2);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(4);
    replica.close();
  });

  it('settles our pushes it completes: every entry up to the id leaves, rows off the page are rebased', async () => {
    const replica = await openReplica({
      userId: 'u',
      orgId,
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      sentinel: null,
    });
    const writer = createLocalWriter({ replica, now: Date.now });
    const ownerId = newEntityId() as EntityId;
    const one = await writer.create('project', { name: 'one', ownerId });
    const two = await writer.create('project', { name: 'two', ownerId });
    const asChange = async (id: EntityId, seq: number): Promise<Change> => {
      const base = baseFromMirror('project', (await replica.db.projects.get(id))!);
      const row = { ...(base.row as Project), version: seq };
      return { entity: 'project', seq, entityId: id, row, clocks: base.clocks, deleted: null };
    };
    // Project two's change arrives before the push is answered: it stays pending on top.
    const twoChange = await asChange(two.id, 1);
    await applyPullPage(
      replica,
      { changes: [twoChange], cursor: 1, activityFloor: 0 },
      { reset: false, now: Date.now, expectCursor: 0 },
    );
    expect(await replica.db.base.count()).toBe(1);
    // The next page holds project one only; the push of 1 and 2 was answered at head 2.
    const acked = await applyPage(
      replica,
      { changes: [await asChange(one.id, 2)], cursor: 2, activityFloor: 0 },
      { reset: false, now: Date.now, expectCursor: 1, settled: 2 },
    );
    expect(acked).toBe(2);
    expect((await readOutboxEntries(replica.db)).length).toBe(0);
    expect(await replica.db.base.count()).toBe(0);
    const mirrored = await replica.db.projects.get(two.id);
    expect(mirrored && unclocked(mirrored)).toEqual(twoChange.row);
    replica.close();
  });
});

describe('what a page tells of the entries it takes out', () => {
  it('counts only those still unsent: entries a push answer acked leave without changing pending', async () => {
    const replica = await openReplica({
      userId: 'u',
      orgId,
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      sentinel: null,
    });
    const writer = createLocalWriter({ replica, now: Date.now });
    const ownerId = newEntityId() as EntityId;
    const one = await writer.create('project', { name: 'one', ownerId });
    const two = await writer.create('project', { name: 'two', ownerId });
    const asChange = async (id: EntityId, seq: number): Promise<Change> => {
      const base = baseFromMirror('project', (await replica.db.projects.get(id))!);
      const row = { ...(base.row as Project), version: seq };
      return { entity: 'project', seq, entityId: id, row, clocks: base.clocks, deleted: null };
    };
    // The answer for one was recorded; two's was lost (still unsent here), the server has both.
    await settlePush(
      replica,
      {
        protocolVersion: 1,
        lastMutationId: 1,
        cursor: 1,
        results: [{ id: 1 as never, status: 'applied' }],
      },
      1,
    );
    const unsent = await applyPage(
      replica,
      {
        changes: [await asChange(one.id, 1), await asChange(two.id, 2)],
        cursor: 2,
        activityFloor: 0,
      },
      { reset: false, now: Date.now, ackThrough: 2 },
    );
    expect(unsent).toBe(1);
    expect(await readOutboxEntries(replica.db)).toEqual([]);
    replica.close();
  });
});

describe('a last page that brings nothing', () => {
  /** The last page of a pull from `cursor` (what `pullAll` applies), and how it is applied. */
  const last = (
    cursor: number,
    purgeHorizon = 0,
    lastMutationId = 0,
  ): [AppliedPage, ApplyOptions] => [
    { changes: [], cursor, activityFloor: 0, purgeHorizon, hasMore: false },
    { reset: false, now: Date.now, ackThrough: lastMutationId, settled: lastMutationId },
  ];

  it('opens no read-write transaction when nothing changed (one read-only check instead)', async () => {
    const { replica, log } = await tracedReplica('nothing-new');
    const clock = new HybridLogicalClock(newClientId());
    await applyPage(
      replica,
      { changes: taskWithActivity(1, clock), cursor: 2, activityFloor: 0 },
      { reset: false, now: Date.now },
    );
    // An unsent write of ours the server has not processed (its id is past `lastMutationId`).
    await createLocalWriter({ replica, now: Date.now }).create('project', {
      name: 'unsent',
      ownerId: newEntityId() as EntityId,
    });
    log.tracing = true;
    expect(await applyPage(replica, ...last(2))).toBe(0);
    expect(log.scopes).toEqual([]);
    expect(log.readOnly).toBe(1);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(2);
    expect(await readOutboxEntries(replica.db)).toHaveLength(1);
    replica.close();
  });

  it('still stores a cursor that moved past rows this user cannot see, and a new purge horizon', async () => {
    const { replica, log } = await tracedReplica('cursor-moved');
    await applyPage(replica, ...last(2));
    log.tracing = true;
    await applyPage(replica, ...last(7));
    await applyPage(replica, ...last(7, 5));
    expect(log.scopes).toHaveLength(2);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(7);
    expect((await replica.db.meta.get('purgeHorizon'))?.value).toBe(5);
    replica.close();
  });

  it('still takes out what the server has processed (a push whose answer was lost)', async () => {
    const { replica, log } = await tracedReplica('lost-answer');
    await applyPage(replica, ...last(2));
    await createLocalWriter({ replica, now: Date.now }).create('project', {
      name: 'sent, answer lost',
      ownerId: newEntityId() as EntityId,
    });
    log.tracing = true;
    expect(await applyPage(replica, ...last(2, 0, 1))).toBe(1);
    expect(log.scopes).toHaveLength(1);
    expect(await readOutboxEntries(replica.db)).toEqual([]);
    replica.close();
  });
});

describe('a page behind the stored cursor', () => {
  it('leaves the cursor and the rows it holds where they are; only a reset takes them back', async () => {
    const { replica, log } = await tracedReplica('behind');
    const { db } = replica;
    const clock = new HybridLogicalClock(newClientId());
    const [older, activity] = taskWithActivity(1, clock) as [Change, Change];
    const task = older as Extract<Change, { entity: 'task' }>;
    const hlc = clock.now();
    const newer: Change = {
      ...task,
      seq: 3,
      row: { ...task.row, title: 'renamed', version: 3 },
      clocks: { ...task.clocks, title: hlc },
    };
    // The replica holds the log to 3 (a push's echo applied), with the task renamed…
    await applyPage(
      replica,
      { changes: [older, activity], cursor: 2, activityFloor: 0 },
      {
        reset: false,
        now: Date.now,
      },
    );
    await applyPage(
      replica,
      { changes: [newer], cursor: 3, activityFloor: 0 },
      {
        reset: false,
        now: Date.now,
        expectCursor: 2,
      },
    );
    // …when pages of a pull answered before it arrive: one that found nothing, one with the
    // task as it was at 2, and one that settles a write the server processed.
    const lastPage = (cursor: number, changes: Change[] = [], settled = 0) =>
      applyPage(
        replica,
        { changes, cursor, activityFloor: 0, purgeHorizon: 0, hasMore: false },
        {
          reset: false,
          now: Date.now,
          ackThrough: settled,
          settled,
        },
      );
    log.tracing = true;
    expect(await lastPage(2)).toBe(0);
    expect(log.scopes).toEqual([]);
    await lastPage(2, [older]);
    expect((await db.meta.get('cursor'))?.value).toBe(3);
    expect((await db.tasks.get(task.entityId as EntityId))?.title).toBe('renamed');
    await createLocalWriter({ replica, now: Date.now }).create('project', {
      name: 'sent, answer lost',
      ownerId: newEntityId() as EntityId,
    });
    expect(await lastPage(2, [], 1)).toBe(1);
    expect(await readOutboxEntries(db)).toEqual([]);
    expect((await db.meta.get('cursor'))?.value).toBe(3);

    // A download started over (the server's log is behind ours) takes the cursor back.
    await applyPage(
      replica,
      { changes: [older], cursor: 1, activityFloor: 0 },
      {
        reset: true,
        now: Date.now,
      },
    );
    expect((await db.meta.get('cursor'))?.value).toBe(1);
    expect((await db.tasks.get(task.entityId as EntityId))?.title).toBe(task.row.title);
    replica.close();
  });
});

describe('the clock a page folds in', () => {
  it('costs the next write nothing: a create is one transaction over the outbox records and its table', async () => {
    const { replica, log } = await tracedReplica('echo-clock');
    const writer = createLocalWriter({ replica, now: Date.now });
    const ownerId = newEntityId() as EntityId;
    const { id } = await writer.create('project', { name: 'one', ownerId });
    const base = baseFromMirror('project', (await replica.db.projects.get(id))!);
    const echo: Change = {
      entity: 'project',
      seq: 1,
      entityId: id,
      row: { ...(base.row as Project), version: 1 },
      clocks: base.clocks,
      deleted: null,
    };
    await applyPage(
      replica,
      { changes: [echo], cursor: 1, activityFloor: 0 },
      { reset: false, now: Date.now, expectCursor: 0, settled: 1 },
    );
    // Another device's stamp ahead of ours: the stored clock moves past it.
    const ahead = new HybridLogicalClock(newClientId(), { now: () => Date.now() + 60_000 }).now();
    const other: Change = { ...echo, seq: 3, clocks: { ...echo.clocks, name: ahead } };
    await applyPage(
      replica,
      { changes: [other], cursor: 3, activityFloor: 0 },
      { reset: false, now: Date.now, expectCursor: 1 },
    );
    const folded = (await replica.db.meta.get('lastHlc'))?.value as string;
    expect(compareHlc(folded, ahead)).toBe(1);
    log.tracing = true;
    await writer.create('project', { name: 'two', ownerId });
    expect(log.scopes).toEqual([['projects', 'writes']]);
    replica.close();
  });

  it("an edit is stamped after the row's clocks, also another device's stamp ahead of this tab's clock", async () => {
    const { replica, log } = await tracedReplica('other-clock');
    const t = Date.now();
    const writer = createLocalWriter({ replica, now: () => t });
    const ownerId = newEntityId() as EntityId;
    const { id } = await writer.create('project', { name: 'one', ownerId });
    const base = baseFromMirror('project', (await replica.db.projects.get(id))!);
    const ahead = new HybridLogicalClock(newClientId(), { now: () => t + 60_000 }).now();
    await applyPage(
      replica,
      {
        changes: [
          {
            entity: 'project',
            seq: 1,
            entityId: id,
            row: { ...(base.row as Project), version: 1 },
            clocks: { ...base.clocks, name: ahead },
            deleted: null,
          },
        ],
        cursor: 1,
        activityFloor: 0,
      },
      { reset: false, now: () => t, expectCursor: 0, ackThrough: 1 },
    );
    expect(await readOutboxEntries(replica.db)).toEqual([]);
    log.tracing = true;
    await writer.update('project', id, { name: 'renamed' });
    expect(log.scopes).toHaveLength(1);
    const [edit] = await readOutboxEntries(replica.db);
    expect(edit!.mutation.type).toBe('project.update');
    expect(compareHlc(edit!.mutation.hlc, ahead)).toBe(1);
    replica.close();
  });
});
