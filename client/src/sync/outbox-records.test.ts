import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import Dexie, { type Table } from 'dexie';
import { newClientId, orgIdSchema, type EntityId, type PushResponse } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { databaseName, DB_SCHEMA_VERSION, OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { getMeta } from './meta';
import { ackThrough, countUnsent, settlePush, unsentBatch } from './outbox';
import {
  numberedThrough,
  readOutboxEntries,
  recordsOf,
  settleReads,
  SMALL_OUTBOX,
  type Stored,
} from './outbox-ids';
import { openReplica } from './replica';

const userId = '0190a0b0-0000-7000-8000-0000000000ab';
const orgId = orgIdSchema.parse('acme');

async function fresh(indexedDB = new IDBFactory()) {
  const replica = await openReplica({ userId, orgId, indexedDB, IDBKeyRange, sentinel: null });
  return { replica, writer: createLocalWriter({ replica, now: Date.now }) };
}

const answer = (last: number, results: PushResponse['results']): PushResponse => ({
  protocolVersion: 1,
  lastMutationId: last,
  cursor: 1,
  results,
});
const applied = (...ids: number[]) =>
  ids.map((id) => ({ id: id as never, status: 'applied' as const }));

describe('outbox records', () => {
  it('ids follow from the records and stay the same when numbered by a settle or an ack', async () => {
    const { replica, writer } = await fresh();
    const { id } = await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    await writer.createTasks([
      { projectId: id, title: 'a' },
      { projectId: id, title: 'b' },
    ]);
    await writer.update('project', id, { name: 'P2' });
    const before = (await readOutboxEntries(replica.db)).map((e) => [
      e.mutationId,
      e.mutation.type,
    ]);
    expect(before.map(([i]) => i)).toEqual([1, 2, 3, 4]);
    // A batch of two ends inside the bulk record: its rest stays unsent, in the same record.
    const batch = await unsentBatch(replica, 2);
    expect(batch.map((e) => e.mutationId)).toEqual([1, 2]);
    await settlePush(replica, answer(2, applied(1, 2)), 1);
    expect(await countUnsent(replica)).toBe(2);
    expect((await unsentBatch(replica, 10)).map((e) => e.mutationId)).toEqual([3, 4]);
    expect(await getMeta(replica.db, 'lastMutationId')).toBe(3);
    // An ack through 3 takes the bulk record's last mutation; the edit keeps id 4.
    expect(await ackThrough(replica, 3)).toBe(3);
    const after = await readOutboxEntries(replica.db);
    expect(after.map((e) => [e.mutationId, e.mutation.type])).toEqual(before.slice(3));
    expect(await replica.db.writes.count()).toBe(1);
    replica.close();
  });

  it('edits many tasks as one record in one transaction, or none of them', async () => {
    const { replica, writer } = await fresh();
    const { id: projectId } = await writer.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    const [a, b, c] = await writer.createTasks(
      ['a', 'b', 'c'].map((title) => ({ projectId, title })),
    );
    const records = await replica.db.writes.count();
    const record = await writer.updateTasks([
      { id: a!, patch: { status: 'done' } },
      { id: b!, patch: { status: 'done', assigneeId: userId as EntityId } },
    ]);
    expect(record?.mutations.map((m) => [m.type, m.entityId])).toEqual([
      ['task.update', a],
      ['task.update', b],
    ]);
    expect(await replica.db.writes.count()).toBe(records + 1);
    expect((await replica.db.tasks.bulkGet([a!, b!, c!])).map((t) => t?.status)).toEqual([
      'done',
      'done',
      'todo',
    ]);
    // One row gone (or one patch refused): nothing is written, not even the others.
    const before = await readOutboxEntries(replica.db);
    await expect(
      writer.updateTasks([
        { id: c!, patch: { status: 'done' } },
        { id: '0190a0b0-0000-7000-8000-00000000ffff', patch: { status: 'done' } },
      ]),
    ).rejects.toThrow(/No task/);
    await expect(
      writer.updateTasks([
        { id: c!, patch: { status: 'done' } },
        { id: a!, patch: { title: '' } },
      ]),
    ).rejects.toThrow();
    expect(await readOutboxEntries(replica.db)).toEqual(before);
    expect((await replica.db.tasks.get(c!))?.status).toBe('todo');
    expect(await writer.updateTasks([])).toBeNull();
    replica.close();
  });

  it('reads exactly the records writing some rows, however their ids and seqs are spread', async () => {
    const { replica, writer } = await fresh();
    const { id: projectId } = await writer.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    const tasks: string[] = [];
    for (let i = 0; i < 40; i++)
      tasks.push((await writer.create('task', { projectId, title: `t${i}` })).id);
    // A bulk record of many rows, and edits of earlier rows after it (seqs apart from theirs).
    const bulk = await writer.createTasks(
      Array.from({ length: 30 }, (_, i) => ({ projectId, title: `b${i}` })),
    );
    for (const id of [tasks[3]!, tasks[20]!])
      await writer.update('task', id as EntityId, { notes: 'x' });
    const all = (await replica.db.writes.toArray()) as Stored[];
    const expected = (ids: string[]) =>
      all
        .filter((r) => r.entityIds.some((e) => ids.includes(e)))
        .map((r) => r.seq)
        .sort((a, b) => a - b);
    const read = async (ids: string[]) =>
      (await replica.db.transaction('r', replica.db.writes, () => recordsOf(replica.db, ids)))
        .map((r) => r.seq)
        .sort((a, b) => a - b);
    const cases = [
      tasks.slice(10, 20), // one run of ids and seqs
      [tasks[3]!, tasks[20]!], // rows edited later: seqs far apart
      [tasks[0]!, tasks[39]!], // a wide range of few rows: more records than rows in it
      [bulk[5]!], // one row of a bulk record
      [projectId, ...tasks.filter((_, i) => i % 7 === 0)],
      ['0190a0b0-0000-7000-8000-00000000ffff'], // no record
    ];
    for (const ids of cases) expect(await read(ids)).toEqual(expected(ids));
    replica.close();
  });

  it('a settle reads the same records whether the outbox is read whole or by index', async () => {
    for (const size of [5, SMALL_OUTBOX, SMALL_OUTBOX + 1, 40]) {
      const { replica, writer } = await fresh();
      const { id: projectId } = await writer.create('project', {
        name: 'P',
        ownerId: userId as EntityId,
      });
      const tasks: string[] = [];
      for (let i = 0; i < size - 3; i++)
        tasks.push((await writer.create('task', { projectId, title: `t${i}` })).id);
      // A bulk record, then an edit of an early row (its seq apart from the row's create).
      await writer.createTasks([0, 1, 2].map((i) => ({ projectId, title: `b${i}` })));
      await writer.update('task', tasks[0]! as EntityId, { notes: 'x' });
      // Numbered through the bulk record's middle (a batch ended inside it): numbered records,
      // one straddling the settle's id, and unnumbered ones after them.
      const bulkMiddle = size;
      const batch = await unsentBatch(replica, bulkMiddle);
      await settlePush(replica, answer(bulkMiddle, applied(...batch.map((e) => e.mutationId))), 1);
      const { db } = replica;
      const byIndex = async (ids: string[], lastId: number) => {
        const [records, through, unnumbered] = await Promise.all([
          recordsOf(db, ids),
          numberedThrough(db, lastId),
          db.writes.where('last').equals(0).toArray() as Promise<Stored[]>,
        ]);
        return [records, [through, unnumbered]];
      };
      const seqs = (x: unknown) =>
        JSON.parse(
          JSON.stringify(x, (k, v: unknown) =>
            v && typeof v === 'object' && 'seq' in v ? (v as Stored).seq : v,
          ),
        ) as unknown;
      for (const [ids, lastId] of [
        [[tasks[0]!, tasks.at(-1)!], 2],
        [[projectId], bulkMiddle - 1],
        [tasks.slice(1, 4), bulkMiddle + 1],
        [[], 1],
      ] as const) {
        const [whole, indexed] = await db.transaction('r', db.writes, () =>
          Promise.all([settleReads(db, ids, lastId), byIndex([...ids], lastId)]),
        );
        const sortedRecords = (x: unknown) => {
          const [records, rest] = x as [Stored[], unknown];
          return [[...records].sort((a, b) => a.seq - b.seq), rest];
        };
        expect(seqs(sortedRecords(whole))).toEqual(seqs(sortedRecords(indexed)));
      }
      replica.close();
    }
  });

  it('a rejection rolls back one mutation of a record and keeps the rest', async () => {
    const { replica, writer } = await fresh();
    const { id: projectId } = await writer.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    const [a, b] = await writer.createTasks([
      { projectId, title: 'a' },
      { projectId, title: 'b' },
    ]);
    const settled = await settlePush(
      replica,
      answer(3, [
        ...applied(1, 2),
        { id: 3 as never, status: 'rejected', code: 'FORBIDDEN', message: 'no' } as never,
      ]),
      1,
    );
    expect(settled?.rejected.map((r) => r.entry.entityId)).toEqual([b]);
    expect(await replica.db.tasks.get(b!)).toBeUndefined();
    expect((await replica.db.tasks.get(a!))?.title).toBe('a');
    expect(
      (await readOutboxEntries(replica.db)).map((e) => [e.mutationId, e.entityId, e.acked]),
    ).toEqual([
      [1, projectId, 1],
      [2, a, 1],
    ]);
    // The next write continues after the rejected id.
    await writer.create('task', { projectId, title: 'c' });
    expect((await unsentBatch(replica, 10)).map((e) => e.mutationId)).toEqual([4]);
    replica.close();
  });

  it('an answer above every id this database assigned acks nothing (derived ids count)', async () => {
    const { replica, writer } = await fresh();
    await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    expect(await settlePush(replica, answer(2, applied(1, 2)), 1)).toBeNull();
    expect(await countUnsent(replica)).toBe(1);
    replica.close();
  });
});

/** Version 2's schema, as a tab still running it declares it. */
class VersionTwo extends Dexie {
  constructor(name: string, indexedDB: IDBFactory) {
    super(name, { indexedDB, IDBKeyRange });
    this.version(1).stores({
      users: 'id, role',
      projects: 'id, status, ownerId, updatedAt',
      tasks: 'id, projectId, status, assigneeId, [projectId+status], updatedAt',
      activities: 'id, createdAt, entityId, action',
      base: '[entity+id]',
      outbox: 'mutationId, entityId, acked',
      meta: 'key',
    });
    this.version(2).stores({ activities: 'id, createdAt, entityId, action, version' });
  }
}

const oldEntry = (mutationId: number, entityId: string, acked: 0 | 1) => ({
  mutationId,
  clientId: 'c',
  entityId,
  mutation: {
    type: 'project.update',
    id: mutationId,
    hlc: `001764547200000-0000${mutationId}-0190a0b0-0000-7000-8000-0000000000ab`,
    entityId,
    fields: { name: `n${mutationId}` },
    base: { name: null },
  },
  createdAt: '2026-12-01T00:00:00.000Z',
  attempts: 0,
  lastError: null,
  acked,
});

describe('the upgrade from version 2', () => {
  it('moves every outbox entry into a numbered record, in order, unsent ones still unsent', async () => {
    const indexedDB = new IDBFactory();
    const old = new VersionTwo(databaseName(userId), indexedDB);
    const project = '0190a0b0-0000-7000-8000-0000000000f1';
    await old
      .table('outbox')
      .bulkAdd([oldEntry(7, project, 1), oldEntry(9, project, 0), oldEntry(8, project, 0)]);
    await old.table('meta').bulkPut([
      { key: 'clientId', value: newClientId() },
      { key: 'lastMutationId', value: 9 },
    ]);
    old.close();
    const { replica, writer } = await fresh(indexedDB);
    const entries = await readOutboxEntries(replica.db);
    expect(entries.map((e) => [e.mutationId, e.mutation.id, e.acked])).toEqual([
      [7, 7, 1],
      [8, 8, 0],
      [9, 9, 0],
    ]);
    expect((await unsentBatch(replica, 10)).map((e) => e.mutationId)).toEqual([8, 9]);
    // A write after the upgrade continues the ids.
    await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    expect((await unsentBatch(replica, 10)).map((e) => e.mutationId)).toEqual([8, 9, 10]);
    replica.close();
  });

  it('a tab still running version 2 can neither write an entry nor take one of the new records', async () => {
    const indexedDB = new IDBFactory();
    const old = new VersionTwo(databaseName(userId), indexedDB);
    await old.open();
    const { replica, writer } = await fresh(indexedDB);
    await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    await writer.create('project', { name: 'Q', ownerId: userId as EntityId });
    const outbox: Table<unknown, number> = old.table('outbox');
    const meta: Table<unknown, string> = old.table('meta');
    // Its create: the counters and the entry in one transaction, as version 2 writes them.
    let failed = '';
    try {
      const write = async () => {
        await meta.put({ key: 'lastMutationId', value: 3 });
        await outbox.bulkAdd([oldEntry(3, 'x', 0)]);
      };
      const transaction = old.transaction.bind(old) as (...args: unknown[]) => Promise<unknown>;
      await transaction('rw', [outbox, meta], write);
    } catch (e) {
      failed = (e as Error).name;
    }
    expect(failed).toMatch(/DataError|BulkError/);
    expect(await getMeta(replica.db, 'lastMutationId')).toBe(0);
    // Its reads by index (push, rebase, the pending count, unsent ids) fail.
    await expect(outbox.where('acked').equals(0).toArray()).rejects.toThrow();
    await expect(outbox.where('entityId').equals('x').toArray()).rejects.toThrow();
    // Its reads and deletes by key (settle, ack) find nothing.
    expect(await outbox.where('mutationId').belowOrEqual(10).toArray()).toEqual([]);
    await outbox.where('mutationId').belowOrEqual(10).delete();
    await outbox.bulkDelete([1, 2]);
    expect(await outbox.count()).toBe(0);
    expect((await unsentBatch(replica, 10)).map((e) => e.mutationId)).toEqual([1, 2]);
    old.close();
    replica.close();
  });

  it('a replica told of a newer version closes for good and tells the app (which offers a reload)', async () => {
    const indexedDB = new IDBFactory();
    const { replica, writer } = await fresh(indexedDB);
    let told = 0;
    replica.db.outdated.add(() => told++);
    // The next version of the app opens the database one version up.
    const next = new OutpostDb(databaseName(userId), { indexedDB, IDBKeyRange });
    next.version(DB_SCHEMA_VERSION + 1).stores({});
    await next.open();
    expect(told).toBe(1);
    expect(replica.db.isOpen()).toBe(false);
    // It does not reopen behind the new schema to write the old shape.
    const closed = await writer
      .create('project', { name: 'P', ownerId: userId as EntityId })
      .catch((e: Error) => e);
    expect((closed as Error).name).toBe('DatabaseClosedError');
    expect(await next.table('writes').count()).toBe(0);
    next.close();
  });
});
