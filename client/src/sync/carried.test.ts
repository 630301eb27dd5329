import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  compareHlc,
  HybridLogicalClock,
  newClientId,
  newEntityId,
  orgIdSchema,
  type Change,
  type EntityId,
  type HlcString,
  type Task,
} from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import type { CarriedPage, StoredMeta } from './carried';
import { OutpostDb } from './db';
import { createLocalWriter } from './local-writes';
import { applyPage, applyPullPage } from './mirror';
import type { Replica } from './replica';

const orgId = orgIdSchema.parse('acme');

/** A replica whose database reports each read-write transaction and each request's order. */
async function tracedReplica(name: string) {
  const db = new OutpostDb(name, { indexedDB: new IDBFactory(), IDBKeyRange });
  const log = {
    /** Stores of each read-write transaction, sorted. */
    scopes: [] as string[][],
    /** Each request: whether a write, and how many reads had been answered when it was placed. */
    requests: [] as { write: boolean; readsDone: number }[],
    tracing: false,
  };
  let readsDone = 0;
  const trace = <T>(write: boolean, run: () => Promise<T>): Promise<T> => {
    if (!log.tracing) return run();
    log.requests.push({ write, readsDone });
    return run().finally(() => write || readsDone++);
  };
  db.use({
    stack: 'dbcore',
    name: 'trace',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        if (mode === 'readwrite' && log.tracing) log.scopes.push([...stores].sort());
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
  await db.meta.bulkPut([
    { key: 'cursor', value: 0 },
    { key: 'lastMutationId', value: 0 },
  ]);
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

/**
 * A task (`id`, or a new one) and its create activity at `from + 1`, `from + 2`, as a poke carries
 * them; created by `creator` (another client unless given).
 */
function carried(
  from: number,
  hlc: HlcString,
  id = newEntityId() as EntityId,
  creator: string = newClientId(),
): CarriedPage {
  const at = new Date().toISOString();
  const row: Task = {
    id,
    orgId,
    createdAt: at,
    updatedAt: at,
    version: from + 1,
    projectId: newEntityId() as EntityId,
    title: `t${from}`,
    notes: '',
    status: 'todo',
    assigneeId: null,
    dueDate: null,
  };
  const clocks = { projectId: hlc, title: hlc, notes: hlc, status: hlc, assigneeId: hlc };
  const activity = {
    id: newEntityId(),
    version: from + 2,
    createdAt: at,
    action: 'create',
    entity: 'task',
    entityId: id,
    clientId: creator,
  };
  const changes: Change[] = [
    { entity: 'task', seq: from + 1, entityId: id, clocks, deleted: null, row },
    {
      entity: 'activity',
      seq: from + 2,
      entityId: activity.id,
      clocks: {},
      deleted: null,
      row: activity,
    } as never,
  ];
  return { from, changes, activityFloor: 1, cursor: from + 2 };
}

const other = () => new HybridLogicalClock(newClientId());

/** A carried page as `applyCarried` applies it: planned from `stored` (0: applied, null: moved). */
const applyAtOnce = (replica: Replica, page: CarriedPage, stored: StoredMeta) =>
  applyPage(replica, page, { reset: false, now: Date.now, expectCursor: page.from, stored });

describe("a poke's page applied at once", () => {
  it('places every write before any read is answered, over no `base`: one round trip', async () => {
    const { replica, log } = await tracedReplica('at-once');
    const stored: StoredMeta = { clock: undefined, activityFloor: 0 };
    log.tracing = true;
    // A row of ours: its outbox records are read beside the meta run.
    const page = { ...carried(0, other().now(), undefined, replica.clientId), activityFloor: 0 };
    expect(await applyAtOnce(replica, page, stored)).toBe(0);
    expect(log.scopes).toEqual([['activities', 'meta', 'tasks', 'writes']]);
    const reads = log.requests.filter((r) => !r.write);
    const writes = log.requests.filter((r) => r.write);
    expect(reads.length).toBe(2);
    expect(writes.length).toBeGreaterThanOrEqual(3);
    expect(log.requests.every((r) => r.readsDone === 0)).toBe(true);
    expect(await replica.db.tasks.count()).toBe(1);
    expect(await replica.db.activities.count()).toBe(1);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(2);
    expect(stored.clock).toBe((await replica.db.meta.get('lastHlc'))?.value);
    replica.close();
  });

  it('reads no outbox for a row another client created in the page: the meta run is its one read', async () => {
    const { replica, log } = await tracedReplica('created-elsewhere');
    const stored: StoredMeta = { clock: undefined, activityFloor: 0 };
    log.tracing = true;
    const page = { ...carried(0, other().now()), activityFloor: 0 };
    expect(await applyAtOnce(replica, page, stored)).toBe(0);
    expect(log.scopes).toEqual([['activities', 'meta', 'tasks']]);
    expect(log.requests.filter((r) => !r.write)).toHaveLength(1);
    expect(log.requests.every((r) => r.readsDone === 0)).toBe(true);
    expect(await replica.db.tasks.count()).toBe(1);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(2);
    // One created by another client in an earlier page and edited in this one is looked up.
    log.scopes = [];
    const edit = carried(2, other().now(), page.changes[0]!.entityId as EntityId);
    const edited = { ...edit, changes: edit.changes.slice(0, 1), cursor: 3 };
    expect(await applyAtOnce(replica, edited, stored)).toBe(0);
    expect(log.scopes).toEqual([['activities', 'meta', 'tasks', 'writes']]);
    replica.close();
  });

  it('writes nothing when the stored cursor is not where the page starts', async () => {
    const { replica } = await tracedReplica('moved');
    const stored: StoredMeta = { clock: undefined };
    expect(await applyAtOnce(replica, carried(4, other().now()), stored)).toBeNull();
    expect(await replica.db.tasks.count()).toBe(0);
    expect(await replica.db.activities.count()).toBe(0);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(0);
    expect(await replica.db.meta.get('lastHlc')).toBeUndefined();
    replica.close();
  });

  it('over a row with pending local writes, aborts its guess and applies the general way (the row rebased)', async () => {
    const { replica, log } = await tracedReplica('pending');
    const writer = createLocalWriter({ replica, now: Date.now });
    const task = await writer.create('task', {
      projectId: newEntityId() as EntityId,
      title: 'mine',
    });
    await writer.update('task', task.id, { title: 'renamed here' });
    const stored: StoredMeta = { clock: undefined };
    // Our own create, back with an edit still pending on it.
    const page = carried(0, other().now(), task.id, replica.clientId);
    log.tracing = true;
    expect(await applyAtOnce(replica, page, stored)).toBe(0);
    // The guess (no `base`) wrote nothing; the second transaction rebased the row.
    expect(log.scopes).toEqual([
      ['activities', 'meta', 'tasks', 'writes'],
      ['activities', 'base', 'meta', 'tasks', 'writes'],
    ]);
    // The page's row is kept as the base under the two pending writes (the later stamp wins).
    expect((await replica.db.base.get(['task', task.id]))?.row).toMatchObject({ title: 't0' });
    expect(await replica.db.writes.count()).toBe(2);
    expect((await replica.db.meta.get('cursor'))?.value).toBe(2);
    expect(await replica.db.activities.count()).toBe(1);
    replica.close();
  });

  it('when the clock stored is not as assumed, aborts its guess, applies the general way and learns it', async () => {
    const { replica, log } = await tracedReplica('stale');
    const first = carried(0, other().now());
    // A clock stored ahead of the page's stamps (a local write made after it): nothing to fold.
    const ahead = new HybridLogicalClock(replica.clientId, {
      now: () => Date.now() + 60_000,
    }).now();
    await replica.db.meta.put({ key: 'lastHlc', value: ahead });
    const stored: StoredMeta = { clock: undefined };
    log.tracing = true;
    expect(await applyAtOnce(replica, first, stored)).toBe(0);
    expect(log.scopes).toHaveLength(2);
    expect(await replica.db.tasks.count()).toBe(1);
    expect((await replica.db.meta.get('lastHlc'))?.value).toBe(ahead);
    expect(stored.clock).toBe(ahead);
    // Learnt from that read: the next page applies at once and leaves the clock alone.
    log.scopes = [];
    expect(await applyAtOnce(replica, carried(2, other().now()), stored)).toBe(0);
    expect(log.scopes).toHaveLength(1);
    expect((await replica.db.meta.get('lastHlc'))?.value).toBe(ahead);
    expect(await replica.db.tasks.count()).toBe(2);
    replica.close();
  });

  it('settling a push counted off `pending` without its record, counts none of its entries again', async () => {
    for (const counted of [undefined, 1]) {
      const { replica, log } = await tracedReplica(`counted-${counted}`);
      const writer = createLocalWriter({ replica, now: Date.now });
      const task = await writer.create('task', {
        projectId: newEntityId() as EntityId,
        title: 'mine',
      });
      // Its echo, settling the push of mutation 1 (answered, not recorded: still unsent here).
      const page = { ...carried(0, other().now(), task.id, replica.clientId), activityFloor: 0 };
      const options = { reset: false, now: Date.now, expectCursor: 0, settled: 1 };
      log.tracing = true;
      const unsent = await applyPage(replica, page, {
        ...options,
        ...(counted ? { counted } : {}),
      });
      // Its reads in one round — the records it settles (unnumbered: ids past the counter)
      // and the row's records from one read of the small outbox, the meta run, `base`'s key.
      const reads = log.requests.filter((r) => !r.write);
      expect(reads.filter((r) => r.readsDone > 0)).toHaveLength(0);
      expect(reads).toHaveLength(3);
      // What changes the pending count: the entry, unless its answer was counted already.
      expect(unsent).toBe(counted ? 0 : 1);
      expect(await replica.db.writes.count()).toBe(0);
      expect((await replica.db.tasks.get(task.id))?.title).toBe('t0');
      expect((await replica.db.meta.get('cursor'))?.value).toBe(2);
      replica.close();
    }
  });

  it('the echo of our own write leaves `lastHlc` alone: its stamp goes on the counter it numbers', async () => {
    const { replica } = await tracedReplica('own-echo');
    const writer = createLocalWriter({ replica, now: Date.now });
    const task = await writer.create('task', { projectId: newEntityId() as EntityId, title: 'm' });
    const stamp = task.record.mutations[0]!.hlc;
    const page = { ...carried(0, stamp, task.id, replica.clientId), activityFloor: 0 };
    const stored: StoredMeta = { clock: undefined };
    const options = { reset: false, now: Date.now, expectCursor: 0, settled: 1, stored };
    expect(await applyPage(replica, page, options)).toBe(1);
    expect(await replica.db.writes.count()).toBe(0);
    // Rewritten with every echo before; the stamp is kept on the counter instead.
    expect(await replica.db.meta.get('lastHlc')).toBeUndefined();
    const counter = await replica.db.meta.get('lastMutationId');
    expect(counter).toMatchObject({ value: 1, hlc: stamp });
    // What the next page is planned from is what is stored.
    expect(stored.clock).toBe(stamp);
    // A tab that starts now stamps after it.
    const next = await createLocalWriter({ replica, now: () => 0 }).create('task', {
      projectId: newEntityId() as EntityId,
      title: 'n',
    });
    expect(compareHlc(next.record.mutations[0]!.hlc, stamp)).toBe(1);
    replica.close();
  });

  it('folds a stamp ahead of the stored clock; a raised activity floor trims in the same transaction', async () => {
    const { replica, log } = await tracedReplica('fold');
    const stored: StoredMeta = { clock: undefined };
    expect(await applyAtOnce(replica, carried(0, other().now()), stored)).toBe(0);
    const ahead = new HybridLogicalClock(newClientId(), { now: () => Date.now() + 60_000 }).now();
    log.tracing = true;
    const next = { ...carried(2, ahead), activityFloor: 4 };
    expect(await applyAtOnce(replica, next, stored)).toBe(0);
    const folded = (await replica.db.meta.get('lastHlc'))?.value as string;
    expect(compareHlc(folded, ahead)).toBe(1);
    expect(stored.clock).toBe(folded);
    // The first page's activity (seq 2) is below the new floor: gone, in the page's transaction.
    expect(log.scopes).toEqual([['activities', 'meta', 'tasks']]);
    expect((await replica.db.activities.toArray()).map((x) => x.version)).toEqual([4]);
    expect((await replica.db.meta.get('activityFloor'))?.value).toBe(4);
    // A floor a pull raised further meanwhile is never lowered.
    await applyPullPage(
      replica,
      { changes: [], cursor: 4, activityFloor: 9 },
      { reset: false, now: Date.now },
    );
    expect(await applyAtOnce(replica, carried(4, other().now()), stored)).toBe(0);
    expect((await replica.db.meta.get('activityFloor'))?.value).toBe(9);
    replica.close();
  });
});
