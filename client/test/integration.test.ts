import { readOutboxEntries } from '@outpost/sync';
// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EntityId, OrgId, PullRequest, PullResponse } from '@outpost/shared';
import { SqliteStore } from '../../server/src/store/sqlite';
import { mirrorRows, newDevice, openTab, synced, until, type Tab } from './helpers/harness';
import {
  deviceTransport,
  serverRows,
  startRealServer,
  type RealServer,
} from './helpers/real-server';
import { noticeText } from '../src/app/engine/notice-text';

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
    expect((await readOutboxEntries(a.tab.replica.db)).length).toBe(0);
    const tasks = await serverRows(server, a.who, 'task');
    expect(tasks.map((t) => t.title).sort()).toEqual(['first', 'second']);
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(tasks);
    expect(await mirrorRows(a.tab, 'projects')).toEqual(await serverRows(server, a.who, 'project'));
  });

  it('offline writes come back in their push answer: no pull, the mirror equals the server', async () => {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    await synced(a.tab);
    a.net.online = false;
    const projectId = await a.tab.client.createProject({
      name: 'Backlog',
      ownerId: a.who.user.id as EntityId,
    });
    for (let i = 0; i < 9; i++) await a.tab.client.createTask({ projectId, title: `t${i}` });
    const pulls: number[] = [];
    const pull = a.transport.pull.bind(a.transport);
    a.transport.pull = (req, ctx) => {
      pulls.push(req.cursor);
      return pull(req, ctx);
    };
    a.net.online = true;
    await synced(a.tab);
    // One push of 10; its answer brought back the rows as the server stored them.
    expect(pulls).toEqual([]);
    expect((await readOutboxEntries(a.tab.replica.db)).length).toBe(0);
    const tasks = await serverRows(server, a.who, 'task');
    expect(tasks).toHaveLength(9);
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(tasks);
    expect(await mirrorRows(a.tab, 'projects')).toEqual(await serverRows(server, a.who, 'project'));
    // Each write's activity too, beside the one of Ana's first sign-in (her user's create).
    const activities = await a.tab.replica.db.activities.toArray();
    expect(activities.filter((x) => x.action === 'create')).toHaveLength(11);

    // A backlog too large to come back with its answers (more than a poke carries) is pulled.
    a.net.online = false;
    for (let i = 0; i < 250; i++) await a.tab.client.createTask({ projectId, title: `u${i}` });
    a.net.online = true;
    await synced(a.tab);
    expect(pulls.length).toBeGreaterThan(0);
    expect((await readOutboxEntries(a.tab.replica.db)).length).toBe(0);
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(await serverRows(server, a.who, 'task'));
  });

  /** Ana and Ben of a new org, both synced with one task of Ana's shared project. */
  async function sharedTask(title: string) {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    const b = await device(orgId, 'ben', 'manager');
    const projectId = await a.tab.client.createProject({
      name: 'Shared',
      ownerId: a.who.user.id as EntityId,
    });
    const taskId = await a.tab.client.createTask({ projectId, title });
    await synced(a.tab);
    await synced(b.tab);
    return { a, b, taskId };
  }

  it('two clients converge after concurrent offline edits', async () => {
    const { a, b, taskId } = await sharedTask('Draft');
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
    const told = a.tab.client.notices.getSnapshot().filter((n) => n.kind === 'conflict');
    expect(told).toHaveLength(1);
    expect(told[0]!.detail).toMatchObject({
      entityId: taskId,
      field: 'title',
      mine: 'Draft v2',
      theirs: 'Final',
      winner: { userId: b.who.user.id, clientId: b.tab.replica.clientId },
    });
    // Ben's value won: he is not alarmed.
    await until(
      async () =>
        (await b.tab.replica.db.activities.where('action').equals('conflict').count()) > 0,
      5_000,
      'conflict activity on the winner',
    );
    expect(b.tab.client.notices.getSnapshot().filter((n) => n.kind === 'conflict')).toEqual([]);
  });

  it('a field saved unchanged while a teammate changed it keeps theirs, with no conflict', async () => {
    const { a, b, taskId } = await sharedTask('Draft');
    // Ana has not pulled Ben's change: her picker re-chooses the status she sees.
    a.net.online = false;
    await b.tab.client.updateTask(taskId, { status: 'doing' });
    await synced(b.tab);
    const queued = await a.tab.client.updateTask(taskId, { status: 'todo' });
    a.net.online = true;
    await synced(a.tab);
    await synced(b.tab);
    const expected = await serverRows(server, a.who, 'task');
    expect(expected[0]).toMatchObject({ status: 'doing' });
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(expected);
    expect(await mirrorRows(b.tab, 'tasks')).toEqual(expected);
    for (const tab of [a.tab, b.tab]) {
      expect(await tab.replica.db.activities.where('action').equals('conflict').count()).toBe(0);
      expect(tab.client.notices.getSnapshot().filter((n) => n.kind === 'conflict')).toEqual([]);
    }
    expect(queued).toBe(false);
  });

  it('an offline edit of a task a teammate deleted is told as lost to the delete', async () => {
    const { a, b, taskId } = await sharedTask('Fix the fence');
    a.net.online = false;
    await a.tab.client.updateTask(taskId, { notes: 'bring nails' });
    await b.tab.client.deleteTask(taskId);
    await synced(b.tab);
    a.net.online = true;
    await synced(a.tab);
    await until(
      async () => a.tab.client.notices.getSnapshot().some((n) => n.kind === 'conflict'),
      5_000,
      'the conflict notice',
    );
    const told = a.tab.client.notices.getSnapshot().filter((n) => n.kind === 'conflict');
    expect(told).toHaveLength(1);
    // The server sets the losing change's wonHlc to the tombstone's clock: only the
    // activity's reason says the edit lost to the delete, not to a cleared value.
    expect(told[0]!.detail).toMatchObject({
      entityId: taskId,
      field: 'notes',
      mine: 'bring nails',
      deleted: true,
    });
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
    expect((await readOutboxEntries(again.replica.db)).length).toBe(2);
    net.online = true;
    await synced(again);
    expect((await readOutboxEntries(again.replica.db)).length).toBe(0);
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
    expect(noticeText(notice!)).toMatch(/refused deleting a task/);
    expect((await readOutboxEntries(member.tab.replica.db)).length).toBe(0);
    expect(await serverRows(server, admin.who, 'task')).toHaveLength(1);
  });
});

/** The retention job, as another process on the server's file would run it: every tombstone. */
async function purgeAllTombstones(): Promise<number> {
  const store = new SqliteStore({ dataDir: server.dataDir });
  try {
    return await store.purgeTombstones('9999-12-31T00:00:00.000Z');
  } finally {
    await store.close();
  }
}

describe('resync after the purge horizon passed a replica', () => {
  it('drops rows deleted elsewhere, keeps unsent work on top, and tells the user', async () => {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    const b = await device(orgId, 'ben');
    const projectId = await a.tab.client.createProject({
      name: 'Away',
      ownerId: a.who.user.id as EntityId,
    });
    const gone = await a.tab.client.createTask({ projectId, title: 'deleted elsewhere' });
    const edited = await a.tab.client.createTask({ projectId, title: 'edited here' });
    await synced(a.tab);
    await synced(b.tab);

    // Ana is away; meanwhile Ben deletes a task and the purge job removes its tombstone.
    a.net.online = false;
    const created = await a.tab.client.createTask({ projectId, title: 'made while away' });
    await a.tab.client.updateTask(edited, { status: 'done' });
    await b.tab.client.deleteTask(gone);
    await synced(b.tab);
    expect(await purgeAllTombstones()).toBeGreaterThan(0);

    // Back online with pushes still failing, so the resync runs with the writes unsent.
    a.net.pushDown = true;
    a.net.online = true;
    a.tab.client.syncNow();
    await until(
      () => a.tab.client.notices.getSnapshot().some((n) => n.kind === 'resynced'),
      10_000,
      'the resync notice',
    );
    const notice = a.tab.client.notices.getSnapshot().find((n) => n.kind === 'resynced')!;
    expect(noticeText(notice)).toMatch(/away longer than the server keeps deletions/);
    expect(noticeText(notice)).toMatch(/1 item deleted elsewhere meanwhile was removed here/);
    expect(noticeText(notice)).toMatch(
      /Nothing unsent was lost: 2 changes made here will still be sent/,
    );
    expect(notice.detail).toEqual({ removed: 1, keptChanges: 2 });
    const tasks = await a.tab.replica.db.tasks.toArray();
    expect(tasks.map((t) => t.title).sort()).toEqual(['edited here', 'made while away']);
    expect(tasks.find((t) => t.id === edited)?.status).toBe('done');
    expect(tasks.some((t) => t.id === created)).toBe(true);

    // Once pushes go through, Ana's mirror is exactly the server's.
    a.net.pushDown = false;
    await synced(a.tab);
    expect((await readOutboxEntries(a.tab.replica.db)).length).toBe(0);
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(await serverRows(server, a.who, 'task'));
  });

  it('a new device downloads the live rows only; one with unsent work at cursor 0 gets every tombstone', async () => {
    const orgId = newOrg();
    const a = await device(orgId, 'ana');
    const projectId = await a.tab.client.createProject({
      name: 'Aged',
      ownerId: a.who.user.id as EntityId,
    });
    const ids: EntityId[] = [];
    for (let i = 0; i < 30; i++)
      ids.push(await a.tab.client.createTask({ projectId, title: `t${i}` }));
    for (const id of ids.slice(0, 10)) await a.tab.client.deleteTask(id);
    await synced(a.tab);

    // Pages of 8 so the download spans several requests, each recorded with its answer.
    const newcomer = async (name: string, before?: (tab: Tab) => Promise<void>) => {
      const who = await server.signIn({
        email: `${name}.${orgId}@example.com`.toLowerCase(),
        name,
        orgId,
        role: 'admin',
      });
      const { transport, net } = deviceTransport(server, who);
      const seen: { req: PullRequest; res: PullResponse }[] = [];
      const pull = transport.pull.bind(transport);
      transport.pull = async (req, ctx) => {
        const res = await pull(req, ctx);
        seen.push({ req, res });
        return res;
      };
      net.online = !before;
      const tab = await openTab(newDevice(), { userId: who.user.id, orgId }, transport, {
        pullLimit: 8,
      });
      open.push(tab);
      if (before) {
        await before(tab);
        net.online = true;
      }
      await synced(tab);
      expect(await mirrorRows(tab, 'tasks')).toEqual(await serverRows(server, who, 'task'));
      return seen;
    };

    const seen = await newcomer('ben');
    const fresh = seen.slice(0, seen.findIndex((p) => !p.res.hasMore) + 1);
    expect(fresh.length).toBeGreaterThan(2);
    expect(fresh[0]!.req).toMatchObject({ cursor: 0, snapshot: true, liveThrough: 0 });
    const through = fresh[0]!.res.liveThrough!;
    expect(through).toBe(fresh[0]!.res.headCursor);
    expect(fresh.slice(1).every((p) => p.req.snapshot && p.req.liveThrough === through)).toBe(true);
    // Once it is done, pulls are ordinary again.
    expect(seen.slice(fresh.length).every((p) => p.req.snapshot === undefined)).toBe(true);
    const received = fresh.flatMap((p) => p.res.changes);
    expect(received.filter((c) => c.entity === 'task' && c.deleted !== null)).toEqual([]);
    expect(received.filter((c) => c.entity === 'task')).toHaveLength(20);

    // Cleo writes offline before her first pull: her download is not a snapshot, and every
    // tombstone still reaches her.
    const queued = await newcomer('cleo', async (tab) => {
      await tab.client.createTask({ projectId, title: 'offline first' });
    });
    const first = queued.find((p) => p.req.cursor === 0)!;
    expect(first.req.snapshot).toBeUndefined();
    const tombstones = queued.flatMap((p) => p.res.changes).filter((c) => c.deleted !== null);
    expect(tombstones.length).toBeGreaterThanOrEqual(10);
  });
});
