// Dexie's liveQuery needs an indexedDB global.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import Dexie, {
  liveQuery,
  RangeSet,
  type IntervalTree,
  type ObservabilitySet,
  type Transaction,
} from 'dexie';
import { orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { placeNative, type NativeWrite } from './native-writes';
import { openReplica } from './replica';

const userId = '0190a0b0-0000-7000-8000-0000000000dd';
const projectId = '0190a0b0-0000-7000-8000-00000000aaaa';

const task = (n: number) => ({
  id: `0190a0b0-0000-7000-8000-${String(n).padStart(12, '0')}`,
  orgId: 'acme',
  projectId,
  title: `t${n}`,
  notes: '',
  status: n % 2 ? 'todo' : 'done',
  assigneeId: n % 3 ? null : userId,
  dueDate: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: `2026-12-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  version: 1,
  $c: { '*': 'x' },
});
const record = (entityIds: string[]) => ({
  clientId: 'c',
  createdAt: '2026-12-01T00:00:00.000Z',
  mutations: [],
  last: 0,
  ackedThrough: 0,
  open: 1,
  entityIds,
  attempts: 0,
  lastError: null,
  ...(entityIds.length > 1 ? { extra: entityIds.length - 1 } : {}),
});

/** The transaction shapes a local write places (`local-writes.ts`), one per case. */
const cases: Record<string, NativeWrite[]> = {
  create: [
    { store: 'writes', type: 'add', values: [record([task(1).id])] },
    { store: 'tasks', type: 'put', values: [task(1)] },
  ],
  'first edit of a synced row (its base kept)': [
    {
      store: 'base',
      type: 'put',
      values: [{ entity: 'task', id: task(2).id, row: task(2), clocks: {}, deleted: null, seq: 1 }],
    },
    { store: 'writes', type: 'add', values: [record([task(2).id])] },
    { store: 'tasks', type: 'put', values: [task(2)] },
  ],
  delete: [
    { store: 'writes', type: 'add', values: [record([task(3).id])] },
    { store: 'tasks', type: 'delete', keys: [task(3).id, task(4).id] },
  ],
  'bulk create (≥ 50 rows: whole ranges)': [
    { store: 'writes', type: 'add', values: [record([1, 2, 3].map((n) => task(n).id))] },
    { store: 'tasks', type: 'put', values: Array.from({ length: 60 }, (_, n) => task(n + 10)) },
  ],
  'a few rows': [
    { store: 'tasks', type: 'put', values: Array.from({ length: 5 }, (_, n) => task(n + 100)) },
  ],
};

/** Each changed part's ranges, under a name without the database's. */
function plain(parts: ObservabilitySet, name: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [part, set] of Object.entries(parts))
    if (part.startsWith(`idb://${name}/`))
      out[part.slice(`idb://${name}/`.length)] = [...RangeSet(set as IntervalTree)];
  return out;
}

/** Runs `place` in a read-write transaction over every store; what Dexie announced at commit. */
async function announced(
  db: OutpostDb,
  place: (tx: Transaction) => Promise<unknown>,
): Promise<{ parts: Record<string, unknown[]>; result: unknown }> {
  const seen: ObservabilitySet[] = [];
  const listen = (parts: ObservabilitySet) => void seen.push(parts);
  Dexie.on('storagemutated', listen);
  try {
    const result = await db.transaction('rw', [db.writes, db.tasks, db.base], place);
    const ours = seen.filter((p) => Object.keys(p).some((k) => k.startsWith(`idb://${db.name}/`)));
    expect(ours).toHaveLength(1);
    return { parts: plain(ours[0]!, db.name), result };
  } finally {
    Dexie.on('storagemutated').unsubscribe(listen);
  }
}

/** The same writes through Dexie's table calls. */
function throughDexie(db: OutpostDb, writes: readonly NativeWrite[]): Promise<unknown> {
  return Dexie.Promise.all<unknown>(
    writes.map((w): Promise<unknown> => {
      const table = db.table(w.store);
      if (w.type === 'delete') return table.bulkDelete([...w.keys]);
      if (w.type === 'add') return table.bulkAdd([...w.values], { allKeys: true });
      return table.bulkPut([...w.values], { allKeys: true });
    }),
  ).then((keys) => keys.map((k) => (Array.isArray(k) ? k.at(-1) : k)));
}

describe('native writes', () => {
  const indexedDB = new IDBFactory();
  const open = async (name: string) => {
    const db = new OutpostDb(name, { indexedDB, IDBKeyRange });
    await db.open();
    // The rows a delete removes exist, as they would.
    await db.tasks.bulkPut([task(3), task(4)] as never);
    return db;
  };

  for (const [what, writes] of Object.entries(cases))
    it(`announces what Dexie announces for the same writes: ${what}`, async () => {
      const [viaDexie, native] = [await open(`dexie-${what}`), await open(`native-${what}`)];
      const expected = await announced(viaDexie, () => throughDexie(viaDexie, writes));
      const got = await announced(native, (tx) => placeNative(native, tx, writes));
      expect(got.parts).toEqual(expected.parts);
      expect(got.result).toEqual(
        (expected.result as unknown[]).map((k, i) =>
          writes[i]!.type === 'delete' ? undefined : k,
        ),
      );
      for (const store of ['writes', 'tasks', 'base'])
        expect(await native.table(store).toArray()).toEqual(await viaDexie.table(store).toArray());
      viaDexie.close();
      native.close();
    });

  it('a failing request rejects with its error and nothing of the transaction stays', async () => {
    const db = await open('failing');
    const seq = await db.writes.add(record(['a']) as never);
    const placed = db.transaction('rw', [db.writes, db.tasks], (tx) =>
      placeNative(db, tx, [
        { store: 'tasks', type: 'put', values: [task(50)] },
        { store: 'writes', type: 'add', values: [{ ...record(['b']), seq }] },
      ]),
    );
    await expect(placed).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.table('tasks').get(task(50).id)).toBeUndefined();
    expect(await db.writes.count()).toBe(1);
    db.close();
  });

  it("a local write reaches this tab's live queries and goes out to other tabs", async () => {
    const replica = await openReplica({
      userId,
      orgId: orgIdSchema.parse('acme'),
      indexedDB,
      IDBKeyRange,
      sentinel: null,
    });
    const { db } = replica;
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id: project } = await writer.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    const counts: number[] = [];
    let onCount = () => undefined as void;
    const sub = liveQuery(() => db.tasks.where('projectId').equals(project).count()).subscribe(
      (n) => {
        counts.push(n);
        onCount();
      },
    );
    const count = (n: number) =>
      new Promise<void>((resolve) => {
        onCount = () => counts.at(-1) === n && resolve();
        onCount();
      });
    await count(0);
    // Other tabs hear of a write over Dexie's BroadcastChannel.
    const channel = new BroadcastChannel('x-storagemutated-1');
    const broadcast: ObservabilitySet[] = [];
    channel.onmessage = (ev: MessageEvent<ObservabilitySet>) => void broadcast.push(ev.data);

    const { id } = await writer.create('task', { projectId: project, title: 'T' });
    await count(1);
    await writer.update('task', id, { title: 'U' });
    await writer.delete('task', id);
    await count(0);
    await new Promise<void>((resolve) => {
      const check = () =>
        broadcast.filter((p) => `idb://${db.name}/tasks/` in p).length >= 3
          ? resolve()
          : setTimeout(check, 1);
      check();
    });
    const sent = broadcast.filter((p) => `idb://${db.name}/tasks/` in p);
    expect(
      sent.map((p) => Object.keys(p).filter((k) => k.includes('/writes/')).length > 0),
    ).toEqual([true, true, true]);
    sub.unsubscribe();
    channel.close();
    replica.close();
  });
});
