// Dexie's liveQuery needs an indexedDB global.
import 'fake-indexeddb/auto';
import { IDBDatabase, IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import Dexie, {
  liveQuery,
  RangeSet,
  type IntervalTree,
  type ObservabilitySet,
  type Transaction,
} from 'dexie';
import {
  HybridLogicalClock,
  newClientId,
  orgIdSchema,
  type Change,
  type EntityId,
} from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import type { CarriedPage, StoredMeta } from './carried';
import { OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { applyPage } from './mirror';
import { placeNative, type NativeWrite } from './native-writes';
import { openReplica, type Replica } from './replica';

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
const activity = (version: number) => ({
  id: `0190a0b0-0000-7000-8000-${String(version).padStart(12, '0')}`,
  version,
  createdAt: '2026-12-01T00:00:00.000Z',
  action: 'create',
  entity: 'task',
  entityId: task(version).id,
  clientId: 'c',
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
  // A carried page's apply (`mirror.ts`, `applyPage` from `stored`).
  'a carried page: the activity floor raised, a row put and one deleted, the cursor': [
    { store: 'activities', type: 'deleteBelow', index: 'version', below: 3 },
    { store: 'activities', type: 'put', values: [activity(5)] },
    { store: 'tasks', type: 'put', values: [task(7)] },
    { store: 'tasks', type: 'delete', keys: [task(3).id] },
    { store: 'meta', type: 'put', values: [{ key: 'cursor', value: 5 }] },
  ],
  'an activity floor raised over no activity': [
    { store: 'activities', type: 'deleteBelow', index: 'version', below: 1 },
    { store: 'meta', type: 'put', values: [{ key: 'activityFloor', value: 1 }] },
  ],
};

/**
 * Each changed part's ranges in order, under a name without the database's (the same ranges
 * added in another order make a tree of another shape).
 */
function plain(parts: ObservabilitySet, name: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [part, set] of Object.entries(parts))
    if (part.startsWith(`idb://${name}/`))
      out[part.slice(`idb://${name}/`.length)] = [...RangeSet(set as IntervalTree)].map(
        ({ from, to }) => [from, to],
      );
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
    const result = await db.transaction('rw', db.tables, place);
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
      if (w.type === 'deleteBelow') return table.where(w.index).below(w.below).delete();
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
    // The rows a delete removes exist, as they would; activities below and above a floor.
    await db.tasks.bulkPut([task(3), task(4)] as never);
    await db.activities.bulkPut([activity(1), activity(2), activity(4)] as never);
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
          writes[i]!.type === 'delete' || writes[i]!.type === 'deleteBelow' ? undefined : k,
        ),
      );
      for (const store of ['writes', 'tasks', 'base', 'activities', 'meta'])
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

describe("a carried page's writes (placed natively when planned from `stored`)", () => {
  const indexedDB = new IDBFactory();
  const orgId = orgIdSchema.parse('acme');
  const teammate = newClientId();
  const clock = new HybridLogicalClock(teammate);
  let users = 0;
  /** The stores of each read-write transaction, by database (Dexie binds `transaction` at open). */
  const scopes = new Map<string, string[][]>();
  const open = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    stores: string | string[],
    mode?: IDBTransactionMode,
    options?: IDBTransactionOptions,
  ) {
    if (mode === 'readwrite') scopes.get(this.name)?.push([stores].flat().sort());
    return open.call(this, stores, mode, options);
  } as typeof open;

  /** A replica at cursor 3: task 3 and activities 1–3, the activity floor at 1. */
  async function seeded(): Promise<Replica> {
    const replica = await openReplica({
      userId: `0190a0b0-0000-7000-8000-0000000001${String(users++).padStart(2, '0')}`,
      orgId,
      indexedDB,
      IDBKeyRange,
      sentinel: null,
    });
    await replica.db.tasks.put(task(3) as never);
    await replica.db.activities.bulkPut([activity(1), activity(2), activity(3)] as never);
    await replica.db.meta.bulkPut([
      { key: 'cursor', value: 3 },
      { key: 'activityFloor', value: 1 },
    ]);
    return replica;
  }

  /**
   * A teammate's page from cursor 3: task 7 created, task 3 deleted, a user, their activities,
   * and the activity floor raised to 3 (activities 1 and 2 leave).
   */
  function teammatesPage(): CarriedPage {
    const hlc = clock.now();
    const { $c: _clocks, ...row } = task(7);
    const clocks = { projectId: hlc, title: hlc, notes: hlc, status: hlc, assigneeId: hlc };
    const created = { ...activity(8), entityId: row.id, clientId: teammate };
    const deleted = { ...activity(9), action: 'delete', entityId: task(3).id, clientId: teammate };
    const user = {
      id: userId,
      orgId,
      name: 'Dee',
      email: 'dee@example.com',
      role: 'member',
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
      version: 4,
    };
    const change = (entity: string, seq: number, entityId: string, value: object) =>
      ({ entity, seq, entityId, clocks: {}, deleted: null, row: value }) as unknown as Change;
    const changes: Change[] = [
      change('user', 4, userId, user),
      { ...change('task', 5, row.id, row), clocks } as Change,
      { ...change('task', 6, task(3).id, task(3)), deleted: hlc } as Change,
      change('activity', 8, created.id, created),
      change('activity', 9, deleted.id, deleted),
    ];
    return { from: 3, changes, activityFloor: 3, cursor: 9 };
  }

  /** Applies `page`, planned from `stored` or the general way; what Dexie announced at commit. */
  async function applied(replica: Replica, page: CarriedPage, stored?: StoredMeta) {
    const { db } = replica;
    const seen: ObservabilitySet[] = [];
    const listen = (parts: ObservabilitySet) => void seen.push(parts);
    scopes.set(db.name, []);
    Dexie.on('storagemutated', listen);
    try {
      const options = { reset: false, now: Date.now, expectCursor: page.from };
      expect(await applyPage(replica, page, stored ? { ...options, stored } : options)).toBe(0);
    } finally {
      Dexie.on('storagemutated').unsubscribe(listen);
    }
    const ours = seen.filter((p) => Object.keys(p).some((k) => k.startsWith(`idb://${db.name}/`)));
    expect(ours).toHaveLength(1);
    return { parts: plain(ours[0]!, db.name), scopes: scopes.get(db.name) };
  }

  it('announces what the general apply announces for the same page', async () => {
    const [general, native] = [await seeded(), await seeded()];
    const page = teammatesPage();
    const expected = await applied(general, page);
    const got = await applied(native, page, { clock: undefined, activityFloor: 1 });
    // Planned from `stored`, one transaction (no `base`: not the general way after an abort).
    expect(got.scopes).toEqual([['activities', 'meta', 'tasks', 'users', 'writes']]);
    expect(expected.scopes).toEqual([['activities', 'base', 'meta', 'tasks', 'users', 'writes']]);
    expect(Object.keys(got.parts)).toEqual(
      expect.arrayContaining(['activities/', 'activities/version', 'tasks/', 'users/', 'meta/']),
    );
    expect(got.parts).toEqual(expected.parts);
    for (const store of ['tasks', 'activities', 'users'])
      expect(await native.db.table(store).toArray()).toEqual(
        await general.db.table(store).toArray(),
      );
    general.close();
    native.close();
  });

  it("reaches this tab's live queries over tasks and activities", async () => {
    const replica = await seeded();
    const { db } = replica;
    const seen = { tasks: [] as string[][], activities: [] as number[][] };
    let onValue = () => undefined as void;
    const subs = [
      liveQuery(() => db.tasks.toArray()).subscribe((rows) => {
        seen.tasks.push(rows.map((r) => r.id));
        onValue();
      }),
      liveQuery(() => db.activities.orderBy('version').toArray()).subscribe((rows) => {
        seen.activities.push(rows.map((a) => a.version));
        onValue();
      }),
    ];
    const shows = (tasks: string[], versions: number[]) =>
      new Promise<void>((resolve) => {
        onValue = () =>
          JSON.stringify([seen.tasks.at(-1), seen.activities.at(-1)]) ===
            JSON.stringify([tasks, versions]) && resolve();
        onValue();
      });
    await shows([task(3).id], [1, 2, 3]);
    const stored: StoredMeta = { clock: undefined, activityFloor: 1 };
    expect(
      await applyPage(replica, teammatesPage(), {
        reset: false,
        now: Date.now,
        expectCursor: 3,
        stored,
      }),
    ).toBe(0);
    await shows([task(7).id], [3, 8, 9]);
    for (const sub of subs) sub.unsubscribe();
    replica.close();
  });
});
