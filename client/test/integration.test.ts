// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EntityId, OrgId } from '@outpost/shared';
import { mirrorRows, newDevice, openTab, synced, until, type Tab } from './helpers/harness';
import {
  deviceTransport,
  serverRows,
  startRealServer,
  type RealServer,
} from './helpers/real-server';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

let orgSeq = 0;
function newOrg(): OrgId {
  return `org_it_${Date.now().toString(36)}_${++orgSeq}` as OrgId;
}

async function device(orgId: OrgId, name: string, role: 'admin' | 'manager' | 'member' = 'admin') {
  const who = await server.signIn({
    email: `${name}.${orgId}@example.com`.toLowerCase(),
    name,
    orgId,
    role,
  });
  const { transport, net } = deviceTransport(server, who);
  const dev = newDevice();
  const tab = await openTab(dev, { userId: who.user.id, orgId }, transport);
  open.push(tab);
  return { who, tab, net, dev, transport };
}

describe('client engine against a real server process', () => {
  it('offline writes reach the server on reconnect and the mirror equals the server', async () => {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    await synced(a.tab);
    a.net.online = false;
    const projectId = await a.tab.client.createProject({
      name: 'Offline plan',
      ownerId: a.who.user.id as EntityId,
    });
    const t1 = await a.tab.client.createTask({ projectId, title: 'first' });
    await a.tab.client.updateTask(t1, { status: 'doing', notes: 'edited offline' });
    await a.tab.client.createTask({ projectId, title: 'second' });
    expect(a.tab.client.status.getSnapshot().pending).toBe(4);
    a.net.online = true;
    await synced(a.tab);
    expect(await a.tab.replica.db.outbox.count()).toBe(0);
    const tasks = await serverRows(server, a.who, 'task');
    expect(tasks.map((t) => t.title).sort()).toEqual(['first', 'second']);
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(tasks);
    expect(await mirrorRows(a.tab, 'projects')).toEqual(await serverRows(server, a.who, 'project'));
    // The device sync credential (for service-worker replay) was obtained and stored.
    await until(
      async () => (await a.tab.replica.db.meta.get('credential')) !== undefined,
      5_000,
      'the sync credential',
    );
    expect((await a.tab.replica.db.meta.get('credential'))?.value).toMatchObject({
      clientId: a.tab.replica.clientId,
    });
  });

  it('two clients converge after concurrent offline edits', async () => {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    const b = await device(orgId, 'ben', 'manager');
    const projectId = await a.tab.client.createProject({
      name: 'Shared',
      ownerId: a.who.user.id as EntityId,
    });
    const taskId = await a.tab.client.createTask({ projectId, title: 'Draft' });
    await synced(a.tab);
    await synced(b.tab);
    a.net.online = false;
    b.net.online = false;
    await a.tab.client.updateTask(taskId, { status: 'doing' });
    await a.tab.client.updateTask(taskId, { title: 'Draft v2' });
    await b.tab.client.updateTask(taskId, { title: 'Final' });
    b.net.online = true;
    await synced(b.tab);
    a.net.online = true;
    await synced(a.tab);
    await synced(b.tab);
    const expected = await serverRows(server, a.who, 'task');
    expect(expected[0]).toMatchObject({ title: 'Final', status: 'doing' });
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(expected);
    expect(await mirrorRows(b.tab, 'tasks')).toEqual(expected);
    // The losing title is in the activity log, and Ana (whose value lost) is told.
    await until(
      async () =>
        (await a.tab.replica.db.activities.where('action').equals('conflict').count()) > 0,
      5_000,
      'conflict activity',
    );
    expect(a.tab.client.notices.getSnapshot().filter((n) => n.kind === 'conflict')).toHaveLength(1);
  });

  it('a client killed between push and ack does not duplicate on restart; the outbox drains', async () => {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    await synced(a.tab);
    a.net.online = false;
    const projectId = await a.tab.client.createProject({
      name: 'P',
      ownerId: a.who.user.id as EntityId,
    });
    await a.tab.client.createTask({ projectId, title: 'exactly once' });
    a.net.online = true;
    a.net.dieAfterNextPush = true;
    a.tab.client.syncNow();
    await until(() => !a.net.online, 5_000, 'the push to go out');
    await a.tab.stop();
    open.splice(open.indexOf(a.tab), 1);

    const { transport, net } = deviceTransport(server, a.who);
    net.online = false;
    const again = await openTab(a.dev, { userId: a.who.user.id, orgId }, transport);
    open.push(again);
    expect(await again.replica.db.outbox.count()).toBe(2);
    net.online = true;
    await synced(again);
    expect(await again.replica.db.outbox.count()).toBe(0);
    const tasks = await serverRows(server, a.who, 'task');
    expect(tasks).toHaveLength(1);
    expect(await mirrorRows(again, 'tasks')).toEqual(tasks);
  });

  it('a rejected mutation (a member deleting a task) rolls back and is reported', async () => {
    const orgId = newOrg();
    const admin = await device(orgId, 'ada');
    const member = await device(orgId, 'max', 'member');
    const projectId = await admin.tab.client.createProject({
      name: 'P',
      ownerId: admin.who.user.id as EntityId,
    });
    const taskId = await admin.tab.client.createTask({ projectId, title: 'protected' });
    await synced(admin.tab);
    await synced(member.tab);
    await member.tab.client.deleteTask(taskId);
    expect(await member.tab.replica.db.tasks.get(taskId as EntityId)).toBeUndefined();
    await synced(member.tab);
    await until(
      async () => (await member.tab.replica.db.tasks.get(taskId as EntityId)) !== undefined,
      5_000,
      'rollback',
    );
    expect(await member.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject({
      title: 'protected',
    });
    const notice = member.tab.client.notices.getSnapshot().find((n) => n.kind === 'rejected');
    expect(notice?.message).toMatch(/refused deleting a task/);
    expect(await member.tab.replica.db.outbox.count()).toBe(0);
    expect(await serverRows(server, admin.who, 'task')).toHaveLength(1);
  });
});
