import { IDBFactory, IDBIndex, IDBKeyRange, IDBObjectStore, IDBTransaction } from 'fake-indexeddb';
import { compareHlc, orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { createLocalWriter, SENTINEL_EVERY_MS } from './local-writes';
import { getMeta } from './meta';
import { openReplica, type Replica } from './replica';
import { readOutboxEntries } from './outbox-ids';
import type { Timers } from './timers';

const userId = '0190a0b0-0000-7000-8000-0000000000cc';
const orgId = orgIdSchema.parse('acme');

async function tab(indexedDB: IDBFactory): Promise<Replica> {
  return openReplica({ userId, orgId, indexedDB, IDBKeyRange, sentinel: null });
}

/**
 * The IndexedDB requests placed while `run` runs (`add writes`, `read meta`…), logged where
 * fake-indexeddb takes them: the writer places its writes natively, below Dexie's middleware.
 */
async function requestsOf(run: () => Promise<unknown>): Promise<string[]> {
  const log: string[] = [];
  const restore: (() => void)[] = [];
  const wrap = (proto: object, method: string, what: (self: unknown) => string) => {
    const target = proto as Record<string, (...a: unknown[]) => unknown>;
    const original = target[method]!;
    target[method] = function (this: unknown, ...a: unknown[]) {
      log.push(what(this));
      return original.apply(this, a);
    };
    restore.push(() => (target[method] = original));
  };
  const storeOf = (s: unknown) => (s as IDBObjectStore).name;
  const indexOf = (s: unknown) => (s as IDBIndex).objectStore.name;
  for (const m of ['add', 'put', 'delete'])
    wrap(IDBObjectStore.prototype, m, (s) => `${m} ${storeOf(s)}`);
  wrap(IDBTransaction.prototype, 'commit', () => 'commit');
  for (const m of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']) {
    wrap(IDBObjectStore.prototype, m, (s) => `read ${storeOf(s)}`);
    wrap(IDBIndex.prototype, m, (s) => `read ${indexOf(s)}`);
  }
  try {
    await run();
  } finally {
    for (const undo of restore) undo();
  }
  return log;
}

describe('local writes', () => {
  it('a create reads nothing once the tab has written: its record and row are placed at once', async () => {
    const replica = await tab(new IDBFactory());
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    const log = await requestsOf(() => writer.create('task', { projectId: id, title: 'T' }));
    // The first write read the stored clock; this one reads and writes no counter.
    expect(log).toEqual(['add writes', 'put tasks', 'commit']);
    expect((await readOutboxEntries(replica.db)).map((e) => e.mutationId)).toEqual([1, 2]);
    expect(await getMeta(replica.db, 'lastMutationId')).toBe(0);
    replica.close();
  });

  it('commits each write with its last request, without waiting for their answers', async () => {
    const replica = await tab(new IDBFactory());
    const writer = createLocalWriter({ replica, now: Date.now });
    const writes: [string, () => Promise<unknown>][] = [];
    let projectId = '' as EntityId;
    writes.push([
      'the first (reads the stored clock)',
      async () =>
        (projectId = (await writer.create('project', { name: 'P', ownerId: userId as EntityId }))
          .id),
    ]);
    writes.push(['an edit', () => writer.update('project', projectId, { name: 'Q' })]);
    writes.push([
      'a bulk create',
      () =>
        writer.createTasks(Array.from({ length: 60 }, (_, i) => ({ projectId, title: `T${i}` }))),
    ]);
    writes.push(['a delete', () => writer.delete('project', projectId)]);
    for (const [what, run] of writes) {
      const log = await requestsOf(run);
      // Committed once, right after its last request was placed: the transaction does not wait
      // for this page to take the answers and go idle before it commits.
      expect(
        log.filter((r) => r === 'commit'),
        what,
      ).toHaveLength(1);
      expect(log.at(-1), what).toBe('commit');
      expect(log.at(-2), what).toMatch(/^(add|put|delete) /);
    }
    const records = await replica.db.writes.toArray();
    expect(records.map((r) => r.mutations.length)).toEqual([1, 1, 60, 1]);
    expect(await replica.db.projects.count()).toBe(0);
    expect(await replica.db.tasks.count()).toBe(60);
    replica.close();
  });

  it('a create does not wait for a transaction holding base (only writes to existing rows use it)', async () => {
    const replica = await tab(new IDBFactory());
    const { db } = replica;
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id } = await writer.create('project', { name: 'P', ownerId: userId as EntityId });
    let created = false;
    let reads = 0;
    // Kept open by one request after another until the create is done (at most 500).
    const holding = db.transaction('rw', db.base, async () => {
      while (!created && reads < 500) {
        await db.base.get(['task', id]);
        reads++;
      }
    });
    await writer.create('task', { projectId: id, title: 'T' });
    created = true;
    await holding;
    expect(reads).toBeLessThan(500);
    replica.close();
  });

  it('a bulk create is one record; ids stay unique, consecutive and in commit order across tabs', async () => {
    const indexedDB = new IDBFactory();
    const [a, b] = [await tab(indexedDB), await tab(indexedDB)];
    const [wa, wb] = [a, b].map((r) => createLocalWriter({ replica: r, now: Date.now }));
    const { id: projectId } = await wa!.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    const task = (w: typeof wa, title: string) => w!.create('task', { projectId, title });
    await task(wa, 'a1');
    await task(wb, 'b1');
    await Promise.all([task(wa, 'a2'), task(wb, 'b2'), task(wa, 'a3')]);
    await wb!.createTasks([
      { projectId, title: 'b3' },
      { projectId, title: 'b4' },
    ]);
    const { id: a4 } = await task(wa, 'a4');
    // Tab b edits the row tab a created: stamped after a's stamp of it.
    await wb!.update('task', a4, { title: 'a4 edited' });
    const outbox = await readOutboxEntries(a.db);
    expect(outbox.map((e) => e.mutationId)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(await a.db.writes.count()).toBe(9);
    expect(outbox.slice(6, 8).map((e) => e.seq)).toEqual([outbox[6]!.seq, outbox[6]!.seq]);
    const [created, edited] = outbox.filter((e) => e.entityId === a4);
    expect(compareHlc(edited!.mutation.hlc, created!.mutation.hlc)).toBe(1);
    expect(await a.db.tasks.count()).toBe(8);
    a.close();
    b.close();
  });

  it("keeps the sentinel's last id: counted on from the tab's own record, read when another tab wrote between", async () => {
    const indexedDB = new IDBFactory();
    const { sentinel, last } = memorySentinel();
    const clock = sentinelClock();
    const open = () => openReplica({ userId, orgId, indexedDB, IDBKeyRange, sentinel });
    const [a, b] = [await open(), await open()];
    const [wa, wb] = [a, b].map((r) => createLocalWriter({ replica: r, ...clock.deps }));
    const settledTo = async (id: number) => {
      for (let i = 0; i < 50 && last() !== id; i++) {
        clock.advance(SENTINEL_EVERY_MS);
        await new Promise((r) => setTimeout(r, 5));
      }
      return last();
    };
    const { id: projectId } = await wa!.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    expect(await settledTo(1)).toBe(1);
    await wa!.createTasks([
      { projectId, title: 't1' },
      { projectId, title: 't2' },
    ]);
    clock.advance(SENTINEL_EVERY_MS);
    expect(last()).toBe(3); // no read: it directly follows a's last record
    await wb!.create('task', { projectId, title: 'b' });
    expect(await settledTo(4)).toBe(4);
    await wa!.create('task', { projectId, title: 'a' });
    expect(await settledTo(5)).toBe(5); // another tab wrote between: read, not counted on
    a.close();
    b.close();
  });

  it('writes the sentinel after the write resolves, and once per 100 ms in a burst', async () => {
    const { sentinel, last, sets } = memorySentinel();
    const clock = sentinelClock();
    const replica = await openReplica({
      userId,
      orgId,
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      sentinel,
    });
    const writer = createLocalWriter({ replica, ...clock.deps });
    const { id: projectId } = await writer.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    clock.advance(0); // the first id is read (the tab knows no record yet), then written
    for (let i = 0; i < 50 && sets() < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const opened = sets();
    expect([opened, last()]).toEqual([2, 1]);
    clock.advance(SENTINEL_EVERY_MS); // quiet since: the next write's sentinel is not held back
    await writer.create('task', { projectId, title: 't1' });
    // Not on the write's path: written in a task of its own once the write has resolved.
    expect(sets()).toBe(opened);
    clock.advance(0);
    expect([sets() - opened, last()]).toEqual([1, 2]);
    // A burst within the next 100 ms: one write, with the last id, when they are up.
    for (let i = 0; i < 5; i++) await writer.create('task', { projectId, title: `b${i}` });
    clock.advance(SENTINEL_EVERY_MS - 1);
    expect([sets() - opened, last()]).toEqual([1, 2]);
    clock.advance(1);
    expect([sets() - opened, last()]).toEqual([2, 7]);
    // A page being hidden writes it at once.
    await writer.create('task', { projectId, title: 'last' });
    writer.flushSentinel();
    expect([sets() - opened, last()]).toEqual([3, 8]);
    replica.close();
  });
});

describe('an update writes only what it changes', () => {
  async function withTask() {
    const replica = await tab(new IDBFactory());
    const writer = createLocalWriter({ replica, now: Date.now });
    const { id: projectId } = await writer.create('project', {
      name: 'P',
      ownerId: userId as EntityId,
    });
    const { id } = await writer.create('task', { projectId, title: 'T' });
    return { replica, writer, projectId, id };
  }

  it('to the values the replica shows (a pending create, a pending edit): no record, no row written', async () => {
    const { replica, writer, projectId, id } = await withTask();
    const before = await readOutboxEntries(replica.db);
    const row = await replica.db.tasks.get(id);
    // Values as stored: defaults, nulls, the text as checked (trimmed).
    const log = await requestsOf(async () => {
      expect(
        await writer.update('task', id, {
          title: ' T ',
          status: 'todo',
          notes: '',
          assigneeId: null,
          dueDate: null,
          projectId,
        }),
      ).toBeNull();
      expect(await writer.update('project', projectId, { name: 'P' })).toBeNull();
    });
    expect(log.filter((r) => !r.startsWith('read'))).toEqual([]);
    // A pending (not yet pushed) edit's value is what the replica shows: set again, dropped.
    await writer.update('task', id, { status: 'doing', dueDate: '2026-12-24' });
    const edited = await readOutboxEntries(replica.db);
    expect(await writer.update('task', id, { status: 'doing', dueDate: '2026-12-24' })).toBeNull();
    expect(await readOutboxEntries(replica.db)).toEqual(edited);
    expect(edited.slice(0, before.length)).toEqual(before);
    expect(edited).toHaveLength(before.length + 1);
    expect(await replica.db.tasks.get(id)).toEqual({
      ...row,
      status: 'doing',
      dueDate: '2026-12-24',
      updatedAt: expect.any(String),
      $c: expect.any(Object),
    });
    replica.close();
  });

  it('a patch of changed and unchanged fields queues the changed ones, with their base clocks only', async () => {
    const { replica, writer, id } = await withTask();
    const [created] = (await readOutboxEntries(replica.db)).filter((e) => e.entityId === id);
    const record = await writer.update('task', id, { title: 'T', status: 'done', notes: 'n' });
    expect(record?.mutations).toHaveLength(1);
    const update = record!.mutations[0]!;
    expect(update.type === 'task.update' && [update.fields, update.base]).toEqual([
      { status: 'done', notes: 'n' },
      { status: created!.mutation.hlc, notes: created!.mutation.hlc },
    ]);
    replica.close();
  });

  it('a bulk edit leaves out unchanged rows and fields; all unchanged, it writes nothing', async () => {
    const { replica, writer, projectId } = await withTask();
    const [a, b, c] = await writer.createTasks(
      ['a', 'b', 'c'].map((title) => ({ projectId, title })),
    );
    await writer.update('task', c!, { status: 'done' });
    const records = await replica.db.writes.count();
    const record = await writer.updateTasks([
      { id: a!, patch: { status: 'todo' } },
      { id: b!, patch: { status: 'done', title: 'b' } },
      { id: c!, patch: { status: 'done' } },
    ]);
    expect(record?.entityIds).toEqual([b]);
    expect(record?.mutations.map((m) => [m.entityId, 'fields' in m && m.fields])).toEqual([
      [b, { status: 'done' }],
    ]);
    expect(await replica.db.writes.count()).toBe(records + 1);
    expect(
      await writer.updateTasks([
        { id: a!, patch: { status: 'todo' } },
        { id: b!, patch: { status: 'done' } },
      ]),
    ).toBeNull();
    expect(await replica.db.writes.count()).toBe(records + 1);
    replica.close();
  });

  it('checks first: an invalid value or a missing row throws even when nothing would change', async () => {
    const { replica, writer, id } = await withTask();
    await expect(
      writer.update('task', id, { title: 'T', status: 'nope' as never }),
    ).rejects.toThrow(/status/);
    await expect(writer.update('task', id, {})).rejects.toMatchObject({ name: 'ValidationError' });
    await writer.delete('task', id);
    await expect(writer.update('task', id, { title: 'T' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    replica.close();
  });
});

/** A localStorage stand-in: the sentinel's last id and how many times it was written. */
function memorySentinel() {
  const stored = new Map<string, string>();
  let sets = 0;
  const sentinel = {
    getItem: (k: string) => stored.get(k) ?? null,
    setItem: (k: string, v: string) => void (sets++, stored.set(k, v)),
    removeItem: (k: string) => void stored.delete(k),
  };
  const last = () =>
    (JSON.parse(stored.get(`outpost-replica:${userId}`)!) as { lastMutationId: number })
      .lastMutationId;
  return { sentinel, last, sets: () => sets };
}

/** A clock and timers the test moves by hand (`advance` runs what falls due). */
function sentinelClock() {
  let t = 1_000_000;
  let due: { at: number; fn: () => void }[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const entry = { at: t + ms, fn };
      due.push(entry);
      return entry;
    },
    clearTimeout: (h) => void (due = due.filter((d) => d !== h)),
  };
  return {
    deps: { now: () => t, timers },
    advance(ms: number) {
      t += ms;
      const ready = due.filter((d) => d.at <= t);
      due = due.filter((d) => d.at > t);
      for (const d of ready) d.fn();
    },
  };
}
