// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { describe, expect, it, afterEach } from 'vitest';
import type { EntityId } from '@outpost/shared';
import { databaseName, readOutboxEntries } from '@outpost/sync';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import { mirrorRows, newDevice, openTab, synced, until, type Tab } from './helpers/harness';
import { noticeText } from '../src/app/engine/notice-text';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

function deleteDatabase(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = factory.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

describe('eviction and restore', () => {
  it('a database the browser evicted is re-pulled, and the notice says how many unsent writes were lost', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const device = newDevice();
    const transport = memoryTransport(server, user.id);
    const tab = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
    const projectId = await tab.client.createProject({
      name: 'synced',
      ownerId: user.id as EntityId,
    });
    await synced(tab);
    transport.controls.online = false;
    await tab.client.createTask({ projectId, title: 'never sent 1' });
    await tab.client.createTask({ projectId, title: 'never sent 2' });
    const clientId = tab.replica.clientId;
    await tab.stop();

    await deleteDatabase(device.indexedDB, databaseName(user.id));
    transport.controls.online = true;
    const again = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
    open.push(again);
    expect(again.replica.clientId).toBe(clientId);
    expect(again.replica.vanished).toEqual({ lastMutationId: 3 });
    // A write made before the first sync must still reach the server (not be taken for a replay).
    await again.client
      .updateProject(projectId, { name: 'renamed after eviction' })
      .catch(() => undefined);
    await until(async () => (await again.replica.db.projects.count()) === 1, 5_000, 're-pull');
    await again.client.createTask({ projectId, title: 'after eviction' });
    await synced(again);

    const notice = again.client.notices.getSnapshot().find((n) => n.kind === 'evicted');
    expect(noticeText(notice!)).toContain('2 changes');
    expect(noticeText(notice!)).toContain('lost');
    expect(server.visible('task').map((t) => t.title)).toEqual(['after eviction']);
    expect(await mirrorRows(again, 'tasks')).toHaveLength(1);
    expect((await readOutboxEntries(again.replica.db)).length).toBe(0);
  });

  it('an evicted database with nothing unsent says plainly that nothing was lost', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const device = newDevice();
    const transport = memoryTransport(server, user.id);
    const tab = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
    await tab.client.createProject({ name: 'synced', ownerId: user.id as EntityId });
    await synced(tab);
    await tab.stop();
    await deleteDatabase(device.indexedDB, databaseName(user.id));
    const again = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
    open.push(again);
    await synced(again);
    const notice = again.client.notices.getSnapshot().find((n) => n.kind === 'evicted');
    expect(noticeText(notice!)).toContain('no unsent changes were lost');
    expect(await again.replica.db.projects.count()).toBe(1);
  });

  it('when the server has processed more of this client than the database knows, pending writes get fresh ids and are not dropped as duplicates', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const transport = memoryTransport(server, user.id);
    transport.controls.online = false;
    const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport);
    open.push(tab);
    await tab.client.createProject({ name: 'from an older copy', ownerId: user.id as EntityId });
    // The server remembers ids 1..5 of this client (e.g. the database was restored from an old copy).
    server.lastMutation.set(tab.replica.clientId, 5);
    transport.controls.online = true;
    await synced(tab);
    expect(server.visible('project').map((p) => p.name)).toEqual(['from an older copy']);
    expect(server.pushes.at(-1)!.mutations[0]!.id).toBe(6);
    expect(tab.client.notices.getSnapshot().some((n) => n.kind === 'evicted')).toBe(true);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
  });

  it('a cursor ahead of the server (server restored) resets to 0 and converges', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const transport = memoryTransport(server, user.id);
    const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport);
    open.push(tab);
    await tab.client.createProject({ name: 'kept', ownerId: user.id as EntityId });
    await synced(tab);
    await tab.replica.db.meta.put({ key: 'cursor', value: 999 });
    await tab.replica.db.projects.put({
      ...(await tab.replica.db.projects.toArray())[0]!,
      id: '019aa9d2-0000-7000-8000-00000000dead' as EntityId,
      name: 'ghost',
    });
    await synced(tab);
    expect((await mirrorRows(tab, 'projects')).map((p) => p.name)).toEqual(['kept']);
  });
});
