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
import { newDevice, synced, until, type Device, type Tab } from '../../../test/helpers/harness';
import {
  keepEditsAsPageCloses,
  keptEditsKey,
  readKeptEdits,
  writeKeptEdits,
  type Edits,
} from './kept-edits';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

/** The page as the browser shows or hides it. */
const page = () => ({ hidden: false });

/**
 * One start of the app on `device`, in `createEngine`'s order: the replica opens, what a
 * closed page kept is written, then the engine starts; screens write through the wrapped client.
 */
async function startApp(
  device: Device,
  who: { userId: string; orgId: MemoryServer['orgId'] },
  transport: SyncTransport,
  shown = page(),
): Promise<Tab> {
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
  await writeKeptEdits(engine, device.localStorage, who.userId);
  const client = keepEditsAsPageCloses(engine, device.localStorage, who.userId, () => shown.hidden);
  const ctl = new AbortController();
  await engine.start(ctl.signal);
  const tab: Tab = {
    replica,
    client,
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
    void tab.client.updateTask(taskId, { notes: 'first line\ntyped as it closed' });
    db.transaction = transaction;
    expect(readKeptEdits(device.localStorage, user.id)).toEqual([
      { kind: 'task', entityId: taskId, patch: { notes: 'first line\ntyped as it closed' } },
    ]);
    await tab.stop();
    open.splice(open.indexOf(tab), 1);

    const next = await startApp(device, who, transport);
    expect((await next.replica.db.tasks.get(taskId as EntityId))?.notes).toBe(
      'first line\ntyped as it closed',
    );
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
    ]) {
      storage.setItem(keptEditsKey(userId), stored);
      expect(readKeptEdits(storage, userId)).toEqual([]);
      await writeKeptEdits(client, storage, userId);
    }
    expect(calls).toEqual([]);
  });
});
