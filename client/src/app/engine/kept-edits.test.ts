// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { IDBKeyRange } from 'fake-indexeddb';
import type { EntityId } from '@outpost/shared';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSyncClient,
  openReplica,
  readOutboxEntries,
  type KeyValueStorage,
  type SyncTransport,
} from '@outpost/sync';
import { MemoryServer, memoryTransport } from '../../../test/helpers/memory-server';
import {
  newDevice,
  openTab,
  synced,
  until,
  type Device,
  type Tab,
} from '../../../test/helpers/harness';
import { readProject, readTask } from '../../data/reads';
import type { AppClient } from './context';
import {
  forgetCacheUnderKeptEdits,
  keepEditsAsPageCloses,
  keptEditsKey,
  readKeptEdits,
  writeKeptEdits,
  type Edits,
  type KeptUnsaved,
  type ReadRow,
} from './kept-edits';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

/** The page as the browser shows or hides it. */
const page = () => ({ hidden: false });

/** A start of the app: its tab, writing through the app's client, and what it could not write. */
type AppTab = Omit<Tab, 'client'> & {
  client: AppClient;
  unsaved: KeptUnsaved[];
};

/**
 * One start of the app on `device`, in `createEngine`'s order: the replica opens, what a
 * closed page kept is written, then the engine starts; screens write through the wrapped client.
 */
async function startApp(
  device: Device,
  who: { userId: string; orgId: MemoryServer['orgId'] },
  transport: SyncTransport,
  shown = page(),
): Promise<AppTab> {
  const replica = await openReplica({
    ...who,
    indexedDB: device.indexedDB,
    IDBKeyRange,
    sentinel: device.localStorage,
  });
  const engine = createSyncClient({
    replica,
    transport,
    lock: null,
    broadcast: null,
    environment: null,
    heartbeatMs: 50,
    staleLeaderMs: 1_000,
    random: () => 0,
  });
  const unsaved = await writeKeptEdits(engine, device.localStorage, who.userId, (kind, id) =>
    kind === 'task' ? readTask(replica.db, id) : readProject(replica.db, id),
  );
  const client = keepEditsAsPageCloses(engine, device.localStorage, who.userId, () => shown.hidden);
  const ctl = new AbortController();
  await engine.start(ctl.signal);
  const tab: AppTab = {
    replica,
    client,
    unsaved,
    async stop() {
      ctl.abort();
      await until(() => !engine.status.getSnapshot().isLeader, 5_000).catch(() => undefined);
      replica.close();
    },
  };
  open.push(tab);
  return tab;
}

describe('an edit made as the page closes', () => {
  it('is written by the next start when the page went before its write committed, once', async () => {
    const server = new MemoryServer();
    const device = newDevice();
    const user = server.addUser('admin');
    const transport = memoryTransport(server, user.id);
    const who = { userId: user.id, orgId: server.orgId };
    const first = page();
    const tab = await startApp(device, who, transport, first);
    const projectId = await tab.client.createProject({
      name: 'Launch',
      ownerId: user.id as EntityId,
    });
    const taskId = await tab.client.createTask({ projectId, title: 'Plan' });
    // Saved while the page shows: nothing is kept beside the write.
    await tab.client.updateTask(taskId, { notes: 'first line' });
    expect(device.localStorage.getItem(keptEditsKey(user.id))).toBeNull();
    await synced(tab);

    // The tab reloads as notes are saved on the way out: its write never commits (the page
    // is torn down before IndexedDB's round trips), so the write's transaction never ends.
    first.hidden = true;
    const db = tab.replica.db;
    const transaction = db.transaction.bind(db);
    db.transaction = (() => new Promise(() => undefined)) as unknown as typeof db.transaction;
    void tab.client.updateTask(
      taskId,
      { notes: 'first line\ntyped as it closed' },
      { notes: 'first line' },
    );
    db.transaction = transaction;
    expect(readKeptEdits(device.localStorage, user.id)).toEqual([
      {
        kind: 'task',
        entityId: taskId,
        patch: { notes: 'first line\ntyped as it closed' },
        from: { notes: 'first line' },
      },
    ]);
    await tab.stop();
    open.splice(open.indexOf(tab), 1);

    const next = await startApp(device, who, transport);
    // The row still holds what the notes were edited from: the edit never committed.
    expect((await next.replica.db.tasks.get(taskId as EntityId))?.notes).toBe(
      'first line\ntyped as it closed',
    );
    expect(next.unsaved).toEqual([]);
    await synced(next);
    expect(server.visible('task').find((t) => t.id === taskId)?.notes).toBe(
      'first line\ntyped as it closed',
    );
    expect(device.localStorage.getItem(keptEditsKey(user.id))).toBeNull();
    // Written once: a start after it queues nothing more.
    const pushes = server.pushes.length;
    await next.stop();
    open.splice(open.indexOf(next), 1);
    const again = await startApp(device, who, transport);
    expect(await readOutboxEntries(again.replica.db)).toEqual([]);
    await synced(again);
    expect(server.pushes.length).toBe(pushes);
  });

  it('is forgotten once its write settles, committed or refused', async () => {
    const storage = newDevice().localStorage;
    const userId = '0190a0b0-0000-7000-8000-0000000000bb';
    const id = '0190a0b0-0000-7000-8000-0000000000cc';
    const seen: (string | null)[] = [];
    const written = { updateTask: 0, updateProject: 0 };
    const fake: Edits = {
      updateTask: () => {
        seen.push(storage.getItem(keptEditsKey(userId)));
        written.updateTask++;
        return Promise.resolve(true);
      },
      updateProject: () => {
        written.updateProject++;
        return Promise.reject(new Error('refused'));
      },
    };
    const client = keepEditsAsPageCloses(fake, storage, userId, () => true);
    await client.updateTask(id, { title: 'Plan', notes: undefined });
    await expect(client.updateProject(id, { name: 'Launch' })).rejects.toThrow('refused');
    // Kept while the write ran (an `undefined` dropped as JSON drops it), gone once it settled.
    expect(JSON.parse(seen[0] ?? 'null')).toEqual([
      { kind: 'task', entityId: id, patch: { title: 'Plan' } },
    ]);
    expect(written).toEqual({ updateTask: 1, updateProject: 1 });
    expect(storage.getItem(keptEditsKey(userId))).toBeNull();
  });

  it('leaves a newer value as it is: the edit committed, the page went before forgetting it, and a teammate changed the field since', async () => {
    const server = new MemoryServer();
    const device = newDevice();
    const user = server.addUser('admin');
    const ben = server.addUser('admin', 'Ben');
    const transport = memoryTransport(server, user.id);
    const who = { userId: user.id, orgId: server.orgId };
    const first = page();
    const tab = await startApp(device, who, transport, first);
    const projectId = await tab.client.createProject({
      name: 'Launch',
      ownerId: user.id as EntityId,
    });
    const taskId = await tab.client.createTask({ projectId, title: 'Plan' });
    await synced(tab);

    // Saved as the page hides, and committed; the page went before the kept copy was forgotten.
    first.hidden = true;
    const written = tab.client.updateTask(taskId, { notes: 'mine' }, { notes: '' });
    const left = device.localStorage.getItem(keptEditsKey(user.id));
    expect(left).not.toBeNull();
    await written;
    await synced(tab);
    // Ben's newer notes, pulled into this device (by another tab, or before the start: alike).
    const bens = await openTab(
      newDevice(),
      { userId: ben.id, orgId: server.orgId },
      memoryTransport(server, ben.id),
    );
    await synced(bens);
    await bens.client.updateTask(taskId, { notes: 'theirs' });
    await synced(bens);
    await bens.stop();
    await synced(tab);
    expect((await tab.replica.db.tasks.get(taskId as EntityId))?.notes).toBe('theirs');
    await tab.stop();
    open.splice(open.indexOf(tab), 1);
    device.localStorage.setItem(keptEditsKey(user.id), left!);

    const next = await startApp(device, who, transport);
    expect((await next.replica.db.tasks.get(taskId as EntityId))?.notes).toBe('theirs');
    expect(await readOutboxEntries(next.replica.db)).toEqual([]);
    expect(next.unsaved).toEqual([]);
    expect(device.localStorage.getItem(keptEditsKey(user.id))).toBeNull();
    await synced(next);
    expect(server.visible('task').find((t) => t.id === taskId)?.notes).toBe('theirs');
  });

  it('hands back the text typed into a row deleted meanwhile, or whose write is refused', async () => {
    const storage = newDevice().localStorage;
    const userId = '0190a0b0-0000-7000-8000-0000000000bb';
    const gone = '0190a0b0-0000-7000-8000-0000000000cc';
    const here = '0190a0b0-0000-7000-8000-0000000000dd';
    const project = '0190a0b0-0000-7000-8000-0000000000ee';
    storage.setItem(
      keptEditsKey(userId),
      JSON.stringify([
        {
          kind: 'task',
          entityId: gone,
          patch: { notes: 'Ask the printer for two more boxes', status: 'done' },
          from: { notes: '' },
        },
        {
          kind: 'project',
          entityId: project,
          patch: { name: 'Launch v2' },
          from: { name: 'Launch' },
        },
        {
          kind: 'task',
          entityId: here,
          patch: { title: 'Plan the venue' },
          from: { title: 'Plan' },
        },
      ]),
    );
    const read: ReadRow = (kind, id) =>
      Promise.resolve(
        id === gone ? null : kind === 'project' ? { name: 'Launch' } : { title: 'Plan' },
      );
    const projects: unknown[] = [];
    const client: Edits = {
      updateTask: () => Promise.reject(new Error('refused')),
      updateProject: (...args) => (projects.push(args), Promise.resolve(true)),
    };
    expect(await writeKeptEdits(client, storage, userId, read)).toEqual([
      { kind: 'task', of: gone, field: 'notes', text: 'Ask the printer for two more boxes' },
      { kind: 'task', of: here, field: 'title', text: 'Plan the venue' },
    ]);
    expect(projects).toEqual([[project, { name: 'Launch v2' }]]);
    expect(storage.getItem(keptEditsKey(userId))).toBeNull();
  });

  it('writes only the fields whose row still holds what they were edited from; one kept without it (the build before) as then', async () => {
    const storage = newDevice().localStorage;
    const userId = '0190a0b0-0000-7000-8000-0000000000bb';
    const id = '0190a0b0-0000-7000-8000-0000000000cc';
    const old = '0190a0b0-0000-7000-8000-0000000000dd';
    storage.setItem(
      keptEditsKey(userId),
      JSON.stringify([
        {
          kind: 'task',
          entityId: id,
          patch: { title: 'Plan v2', notes: 'mine' },
          from: { title: 'Plan', notes: '' },
        },
        { kind: 'task', entityId: old, patch: { notes: 'kept before' } },
      ]),
    );
    const calls: unknown[] = [];
    const client: Edits = {
      updateTask: (...args) => (calls.push(args), Promise.resolve(true)),
      updateProject: (...args) => (calls.push(args), Promise.resolve(true)),
    };
    const read: ReadRow = () => Promise.resolve({ title: 'Plan', notes: 'theirs' });
    expect(await writeKeptEdits(client, storage, userId, read)).toEqual([]);
    expect(calls).toEqual([
      [id, { title: 'Plan v2' }],
      [old, { notes: 'kept before' }],
    ]);
  });

  it('ignores what it cannot read back: bad JSON, an old shape, an invalid value', async () => {
    const storage: KeyValueStorage = newDevice().localStorage;
    const userId = '0190a0b0-0000-7000-8000-0000000000bb';
    const id = '0190a0b0-0000-7000-8000-0000000000cc';
    const calls: unknown[] = [];
    const client = {
      updateTask: (...args: unknown[]) => (calls.push(args), Promise.resolve(true)),
      updateProject: (...args: unknown[]) => (calls.push(args), Promise.resolve(true)),
    };
    for (const stored of [
      '{not json',
      JSON.stringify({ edits: [] }),
      JSON.stringify([{ kind: 'task', entityId: 'not-an-id', patch: { notes: 'x' } }]),
      JSON.stringify([{ kind: 'task', entityId: id, patch: { status: 'someday' } }]),
      JSON.stringify([{ kind: 'task', entityId: id, patch: { color: 'red' } }]),
      JSON.stringify([{ kind: 'comment', entityId: id, patch: {} }]),
      JSON.stringify([{ kind: 'task', entityId: id, patch: { notes: 'x' }, from: { notes: 5 } }]),
    ]) {
      storage.setItem(keptEditsKey(userId), stored);
      expect(readKeptEdits(storage, userId)).toEqual([]);
      await writeKeptEdits(client, storage, userId, () => Promise.resolve({}));
    }
    expect(calls).toEqual([]);
  });

  it('forgets the query cache the closed page left when it kept edits (older than they are)', () => {
    const storage: KeyValueStorage = newDevice().localStorage;
    const userId = '0190a0b0-0000-7000-8000-0000000000bb';
    const id = '0190a0b0-0000-7000-8000-0000000000cc';
    const cache = 'outpost-query-cache:' + userId;
    storage.setItem(cache, '{"clientState":"description: Old"}');
    forgetCacheUnderKeptEdits(storage, userId, cache);
    expect(storage.getItem(cache)).not.toBeNull();
    storage.setItem(
      keptEditsKey(userId),
      JSON.stringify([{ kind: 'project', entityId: id, patch: { description: 'New' } }]),
    );
    forgetCacheUnderKeptEdits(storage, userId, cache);
    expect(storage.getItem(cache)).toBeNull();
    // The edits themselves stay, for `writeKeptEdits`.
    expect(readKeptEdits(storage, userId)).toHaveLength(1);
  });
});
