import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { compareHlc, hlcStringSchema, orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { getMeta, setMeta } from './meta';
import { openReplica, type Replica } from './replica';

const userId = '0190a0b0-0000-7000-8000-0000000000cc';
const orgId = orgIdSchema.parse('acme');

async function tab(indexedDB: IDBFactory, log?: string[]): Promise<Replica> {
  const replica = await openReplica({ userId, orgId, indexedDB, IDBKeyRange, sentinel: null });
  if (!log) return replica;
  // The same database through a connection that logs when requests are placed and answered.
  const db = new OutpostDb(replica.db.name, { indexedDB, IDBKeyRange });
  db.use({
    stack: 'dbcore',
    name: 'request-log',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (req) => {
            log.push(`${req.type} ${name}`);
            if (name === 'meta' && 'values' in req)
              log.push(`meta rows ${req.values.map((v) => (v as { key: string }).key).join(',')}`);
            return table.mutate(req);
          },
          query: async (req) => {
            log.push(`read ${name}`);
            const res = await table.query(req);
            log.push(`read ${name} answered`);
            return res;
          },
        };
      },
    }),
  });
  await db.open();
  return { ...replica, db };
}

describe('local writes', () => {
  it('a create does not wait for the counters: its writes are placed beside their read', async () => {
    const log: string[] = [];
    const replica = await tab(new IDBFactory(), log);
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.createProject({ name: 'P', ownerId: userId as EntityId });
    log.length = 0;
    await writer.createTask({ projectId: id, title: 'T' });
    // The first write read the counters; this one assumed what that one wrote.
    expect(log.indexOf('add outbox')).toBeLessThan(log.indexOf('read meta answered'));
    expect((await replica.db.outbox.toArray()).map((e) => e.mutationId)).toEqual([1, 2]);
    replica.close();
  });

  it('a create does not wait for a transaction holding base (only writes to existing rows use it)', async () => {
    const replica = await tab(new IDBFactory());
    const { db } = replica;
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.createProject({ name: 'P', ownerId: userId as EntityId });
    let created = false;
    let reads = 0;
    // Kept open by one request after another until the create is done (at most 500).
    const holding = db.transaction('rw', db.base, async () => {
      while (!created && reads < 500) {
        await db.base.get(['task', id]);
        reads++;
      }
    });
    await writer.createTask({ projectId: id, title: 'T' });
    created = true;
    await holding;
    expect(reads).toBeLessThan(500);
    replica.close();
  });

  it('a write stores its counters in one meta row', async () => {
    const log: string[] = [];
    const replica = await tab(new IDBFactory(), log);
    // A wall clock that moves on between writes: no stamp runs ahead of it.
    let ms = Date.parse('2026-12-01T03:00:00Z');
    const writer = createLocalWriter({ replica, now: () => (ms += 5) });
    const { id } = await writer.createProject({ name: 'P', ownerId: userId as EntityId });
    log.length = 0;
    const { entry } = await writer.createTask({ projectId: id, title: 'T' });
    await writer.updateTask(entry.entityId, { title: 'T edited' });
    expect(log.filter((l) => l.startsWith('meta rows'))).toEqual([
      'meta rows lastMutationId',
      'meta rows lastMutationId',
    ]);
    // What code that reads `lastMutationId`'s value (push, recovery, an older tab) still finds.
    expect(await getMeta(replica.db, 'lastMutationId')).toBe(3);
    const last = await replica.db.outbox.get(3);
    expect((await replica.db.meta.get('lastMutationId'))?.hlc).toBe(last?.mutation.hlc);
    replica.close();
  });

  it('ids stay unique and consecutive, and clocks increasing, across tabs, bursts and pulls', async () => {
    const indexedDB = new IDBFactory();
    const [a, b] = [await tab(indexedDB), await tab(indexedDB)];
    const [wa, wb] = [a, b].map((r) => createLocalWriter({ replica: r, now: Date.now }));
    const { id: projectId } = await wa!.createProject({ name: 'P', ownerId: userId as EntityId });
    const task = (w: typeof wa, title: string) => w!.createTask({ projectId, title });
    await task(wa, 'a1');
    await task(wb, 'b1'); // b has never written: reads
    await task(wa, 'a2'); // a assumed its own last write: stale, written again
    await Promise.all([task(wa, 'a3'), task(wa, 'a4'), task(wb, 'b2'), task(wa, 'a5')]);
    await wb!.createTasks([
      { projectId, title: 'b3' },
      { projectId, title: 'b4' },
    ]);
    // A pull folded a clock from another device far ahead: the next write sorts after it.
    const ahead = hlcStringSchema.parse(
      '999999999999999-00000-019aa9d2-0000-7000-8000-000000000000',
    );
    await setMeta(a.db, 'lastHlc', ahead);
    const { entry } = await wa!.createTask({ projectId, title: 'a6' });
    await wa!.updateTask(entry.entityId, { title: 'a6 edited' });
    await task(wa, 'a7');

    const outbox = await a.db.outbox.orderBy('mutationId').toArray();
    expect(outbox.map((e) => e.mutationId)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(await getMeta(a.db, 'lastMutationId')).toBe(13);
    const clocks = outbox.map((e) => e.mutation.hlc);
    for (let i = 1; i < clocks.length; i++) expect(compareHlc(clocks[i]!, clocks[i - 1]!)).toBe(1);
    expect(compareHlc(outbox[10]!.mutation.hlc, ahead)).toBe(1);
    // Stamped ahead of the wall clock: `lastHlc` follows, for a tab that reads only it.
    expect(await getMeta(a.db, 'lastHlc')).toBe(clocks.at(-1));
    expect(await a.db.tasks.count()).toBe(11);
    // A tab running the code before the one-row counters writes both keys, without `hlc`.
    const older = hlcStringSchema.parse(
      '999999999999999-00009-019aa9d2-0000-7000-8000-000000000000',
    );
    await a.db.meta.bulkPut([
      { key: 'lastHlc', value: older },
      { key: 'lastMutationId', value: 14 },
    ]);
    const { entry: after } = await task(wb, 'b5');
    expect(after.mutationId).toBe(15);
    expect(compareHlc(after.mutation.hlc, older)).toBe(1);
    a.close();
    b.close();
  });
});
