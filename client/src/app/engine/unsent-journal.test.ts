// Dexie's liveQuery (the journal's) only runs where a global indexedDB exists, as in a browser.
import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { orgIdSchema, type EntityId } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import {
  createSyncClient,
  databaseName,
  openReplica,
  OutpostDb,
  setMeta,
  type KeyValueStorage,
  type Replica,
  type SyncTransport,
  type Timers,
} from '@outpost/sync';
import {
  journalUnsent,
  lostWrites,
  readUnsentJournal,
  unsentAtEviction,
  withLostWrites,
  type UnsentWrite,
} from './unsent-journal';
import { noticeText } from './notice-text';

const userId = '0190a0b0-0000-7000-8000-0000000000bb';
const orgId = orgIdSchema.parse('acme');

/** localStorage in memory; `written(n)` resolves once the journal holds `n` entries. */
function storage() {
  const m = new Map<string, string>();
  const waiters: { n: number; resolve: () => void }[] = [];
  const kv: KeyValueStorage = {
    getItem: (k) => m.get(k) ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => {
      m.set(k, v);
      if (k !== `outpost-unsent:${userId}`) return;
      const n = (JSON.parse(v) as unknown[]).length;
      for (const w of waiters.splice(0))
        if (w.n === n) w.resolve();
        else waiters.push(w);
    },
  };
  const written = (n: number) => new Promise<void>((resolve) => waiters.push({ n, resolve }));
  return { kv, m, written };
}

/** One engine start: opens the replica, reads the eviction journal, then journals the outbox. */
async function start(idb: IDBFactory, s: ReturnType<typeof storage>) {
  const replica = await openReplica({ userId, orgId, indexedDB: idb, IDBKeyRange, sentinel: s.kv });
  const lost = await unsentAtEviction(replica, s.kv);
  const stop = new AbortController();
  return { replica, lost, stop, journal: () => journalUnsent(replica, s.kv, stop.signal) };
}

/** The engine's write API on a replica, offline (the engine is never started). */
function offline(replica: Replica) {
  return createSyncClient({
    replica,
    transport: {} as SyncTransport,
    lock: null,
    broadcast: null,
    environment: null,
  });
}

/** Local writes through the engine's API, offline. */
async function write(replica: Replica, titles: string[]): Promise<void> {
  const client = offline(replica);
  const id = await client.createProject({ name: 'Field notes', ownerId: userId as EntityId });
  for (const title of titles) await client.createTask({ projectId: id, title });
}

/** A new device's replica, offline, with one project written. */
async function withProject(s: ReturnType<typeof storage>) {
  const idb = new IDBFactory();
  const replica = await openReplica({ userId, orgId, indexedDB: idb, IDBKeyRange, sentinel: s.kv });
  const client = offline(replica);
  const projectId = await client.createProject({
    name: 'Field notes',
    ownerId: userId as EntityId,
  });
  return { idb, replica, client, projectId };
}

const titles = (ws: readonly UnsentWrite[]) => ws.map((w) => w.label);

/** The same database through a connection that counts the transactions it opens. */
async function counted(replica: Replica, idb: IDBFactory) {
  let transactions = 0;
  const db = new OutpostDb(replica.db.name, { indexedDB: idb, IDBKeyRange });
  db.use({
    stack: 'dbcore',
    name: 'count-transactions',
    create: (down) => ({
      ...down,
      transaction: (...args) => {
        transactions++;
        return down.transaction(...args);
      },
    }),
  });
  await db.open();
  return { db, transactions: () => transactions };
}

describe('the unsent journal across an eviction', () => {
  it('keeps the evicted writes until the server is asked, across offline restarts and new writes', async () => {
    const idb = new IDBFactory();
    const s = storage();

    // Offline, two tasks wait in the outbox; the journal mirrors them.
    const first = await start(idb, s);
    const journaled = s.written(3);
    first.journal();
    await write(first.replica, ['Unsent one', 'Unsent two']);
    await journaled;
    first.stop.abort();
    first.replica.close();

    // The browser evicts the database.
    await new Promise<void>((resolve, reject) => {
      const req = idb.deleteDatabase(databaseName(userId));
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error as Error);
    });

    // Reopened, still offline: eviction detected; the journal is rewritten from the new outbox
    // and a new task is written.
    const second = await start(idb, s);
    expect(second.replica.vanished).not.toBeNull();
    expect(titles(second.lost)).toEqual(['Field notes', 'Unsent one', 'Unsent two']);
    const rewritten = s.written(0);
    second.journal();
    await rewritten;
    const newWrite = s.written(2);
    await write(second.replica, ['Written after']);
    await newWrite;
    second.stop.abort();
    second.replica.close();

    // Reloaded before the server was reached: the notice must still name what was lost, and
    // not the new writes (which are in the outbox, not lost).
    const third = await start(idb, s);
    expect(third.replica.vanished).toBeNull();
    expect(titles(third.lost)).toEqual(['Field notes', 'Unsent one', 'Unsent two']);

    // Online: the server had none of them; the first pull tells the eviction (its detail picks
    // the lost ones) and clears the pending mark, as sync/recovery.ts does.
    expect(titles(lostWrites(third.lost, { serverLastMutationId: 0 }))).toEqual([
      'Field notes',
      'Unsent one',
      'Unsent two',
    ]);
    await third.replica.db.meta.delete('vanished');
    await setMeta(third.replica.db, 'evictionNotice', {
      id: 'told',
      at: 1,
      serverLastMutationId: 0,
      lostChanges: 3,
    });
    third.replica.close();

    // Told, but the page closed before anyone dismissed the notice: it is shown again at the
    // next start (`meta.evictionNotice`), still naming what was lost.
    const fourth = await start(idb, s);
    expect(titles(fourth.lost)).toEqual(['Field notes', 'Unsent one', 'Unsent two']);
    await fourth.replica.db.meta.delete('evictionNotice');
    fourth.replica.close();

    // Once dismissed, the next start has nothing to report and the kept copy is gone.
    const fifth = await start(idb, s);
    expect(fifth.lost).toEqual([]);
    expect(s.m.has(`outpost-evicted:${userId}`)).toBe(false);
    fifth.replica.close();
  });

  it('an eviction notice never counts fewer lost changes than the journal names', () => {
    const journal: UnsentWrite[] = [3, 4].map((mutationId) => ({
      mutationId,
      type: 'task.create',
      entityId: `t${mutationId}`,
      label: `Unsent ${mutationId}`,
    }));
    // The sentinel was written before the last writes (it lags them by up to 100 ms).
    const evicted = {
      id: 'e',
      kind: 'evicted' as const,
      at: 1,
      detail: { serverLastMutationId: 2, lostChanges: 0 },
    };
    const lost = lostWrites(journal, evicted.detail);
    expect(lost).toHaveLength(2);
    expect(noticeText(withLostWrites(evicted, lost))).toContain('2 changes');
    // A count above the list stands (the journal may lag too), and so do other notices.
    const more = { ...evicted, detail: { serverLastMutationId: 2, lostChanges: 5 } };
    expect(withLostWrites(more, lost)).toBe(more);
    const restored = { ...evicted, detail: { serverLastMutationId: 2, keptChanges: 1 } };
    expect(withLostWrites(restored, lost)).toBe(restored);
    // A count that is not known is never "nothing was lost".
    expect(noticeText({ ...evicted, detail: { serverLastMutationId: 2 } })).toContain(
      'may have been lost',
    );
  });
});

describe('the unsent journal after each write', () => {
  it('names every unsent write at once, reading the outbox and the rows in one transaction', async () => {
    const s = storage();
    const { idb, replica, client, projectId } = await withProject(s);
    const ids = [];
    for (const title of ['One', 'Two', 'Three'])
      ids.push(await client.createTask({ projectId, title }));
    // Edits carry no title: their labels come from the rows.
    for (const [i, id] of ids.entries())
      await client.updateTask(id, { status: i ? 'done' : 'doing' });

    const { db, transactions } = await counted(replica, idb);
    const stop = new AbortController();
    const journaled = s.written(7);
    journalUnsent({ ...replica, db }, s.kv, stop.signal);
    await journaled;
    expect(transactions()).toBe(1);
    expect(titles(readUnsentJournal(s.kv, userId))).toEqual([
      'Field notes',
      'One',
      'Two',
      'Three',
      'One',
      'Two',
      'Three',
    ]);

    // A write is journaled without waiting for anything else.
    const next = s.written(8);
    await client.createTask({ projectId, title: 'Four' });
    await next;
    stop.abort();
    db.close();
    replica.close();
  });

  it('journals a burst once when it is due, not per write; hidden and stop write what is due at once', async () => {
    const s = storage();
    const { idb, replica, client, projectId } = await withProject(s);
    // Timers that run only when the test says; a page whose visibility the test changes.
    const due = new Map<number, () => void>();
    let handles = 0;
    const timers: Timers = {
      setTimeout: (fn) => (due.set(++handles, fn), handles),
      clearTimeout: (h) => void due.delete(h as number),
    };
    let emit: (event: 'online' | 'offline' | 'visible' | 'hidden') => void = () => undefined;
    const environment = { subscribe: (fn: typeof emit) => ((emit = fn), () => undefined) };
    const { db, transactions } = await counted(replica, idb);

    const stop = new AbortController();
    const first = s.written(1);
    journalUnsent({ ...replica, db }, s.kv, stop.signal, { timers, environment, now: () => 0 });
    await first;
    expect(transactions()).toBe(1);

    // A burst of twenty writes: one rewrite waits for its timer, none is made meanwhile.
    for (let i = 1; i <= 20; i++) await client.createTask({ projectId, title: `Burst ${i}` });
    expect(transactions()).toBe(1);
    expect(due.size).toBe(1);
    // The page is hidden (it may be closing): the whole burst is journaled at once, in one read.
    const hidden = s.written(21);
    emit('hidden');
    await hidden;
    expect(transactions()).toBe(2);
    expect(due.size).toBe(0);
    expect(titles(readUnsentJournal(s.kv, userId))).toEqual([
      'Field notes',
      ...Array.from({ length: 20 }, (_, i) => `Burst ${i + 1}`),
    ]);

    // Otherwise the timer writes it; and stopping writes what is due.
    await client.createTask({ projectId, title: 'Timed' });
    const timed = s.written(22);
    [...due.values()].forEach((fn) => fn());
    await timed;
    await client.createTask({ projectId, title: 'Last' });
    const stopped = s.written(23);
    stop.abort();
    await stopped;
    expect(titles(readUnsentJournal(s.kv, userId)).slice(-2)).toEqual(['Timed', 'Last']);
    expect(transactions()).toBe(4);
    db.close();
    replica.close();
  });
});
