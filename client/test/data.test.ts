// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { describe, expect, it, afterEach } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import type { EntityId, HlcString } from '@outpost/shared';
import {
  createPersistOptions,
  queryKeys,
  readTasks,
  retryDelay,
  shouldRetry,
  subscribeLive,
} from '../src/data';
import { HttpError, NetworkError } from '@outpost/sync';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import { newDevice, openTab, until, type Tab } from './helpers/harness';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

describe('query keys', () => {
  it('scope every key by org and normalise task filters', () => {
    expect(queryKeys.projects.list('o1')).toEqual(['outpost', 'o1', 'projects', 'list']);
    expect(queryKeys.tasks.list('o1', { projectId: 'p' })).toEqual([
      'outpost',
      'o1',
      'tasks',
      'list',
      { projectId: 'p', status: null, assigneeId: null },
    ]);
    expect(queryKeys.tasks.list('o1', { projectId: 'p' }).slice(0, 3)).toEqual(
      queryKeys.tasks.all('o1'),
    );
    expect(queryKeys.projects.list('o2')).not.toEqual(queryKeys.projects.list('o1'));
  });
});

describe('retry policy', () => {
  it('does not retry 4xx except 429, retries network and 5xx a bounded number of times', () => {
    expect(shouldRetry(0, new HttpError('nope', 404, 'NOT_FOUND'))).toBe(false);
    expect(shouldRetry(0, new HttpError('bad', 400, 'VALIDATION'))).toBe(false);
    expect(shouldRetry(0, new HttpError('slow down', 429, 'RATE_LIMITED'))).toBe(true);
    expect(shouldRetry(0, new HttpError('boom', 503, 'UNAVAILABLE'))).toBe(true);
    expect(shouldRetry(0, new NetworkError('offline'))).toBe(true);
    expect(shouldRetry(10, new NetworkError('offline'))).toBe(false);
  });

  it('backs off exponentially, capped at 30 s', () => {
    expect(retryDelay(0, () => 1)).toBe(1000);
    expect(retryDelay(3, () => 1)).toBe(8000);
    expect(retryDelay(10, () => 1)).toBe(30_000);
    expect(retryDelay(10, () => 0)).toBe(15_000);
  });
});

describe('persisted cache', () => {
  it('is busted by app version and user', () => {
    expect(createPersistOptions({ userId: 'u1', appVersion: '1.2.0', storage: null }).buster).toBe(
      '1.2.0:u1',
    );
    expect(
      createPersistOptions({ userId: 'u2', appVersion: '1.2.0', storage: null }).buster,
    ).not.toBe('1.2.0:u1');
  });
});

describe('live mirror queries', () => {
  it('push local writes into the query cache, in this tab and in another tab of the same user', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const device = newDevice();
    const transport = memoryTransport(server, user.id);
    transport.controls.online = false;
    const a = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
    const b = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
    open.push(a, b);
    const projectId = await a.client.createProject({ name: 'P', ownerId: user.id as EntityId });

    const qcA = new QueryClient();
    const qcB = new QueryClient();
    const key = queryKeys.tasks.list(server.orgId, { projectId });
    const unsubA = subscribeLive(qcA, key, () => readTasks(a.replica.db, { projectId }));
    const unsubB = subscribeLive(qcB, key, () => readTasks(b.replica.db, { projectId }));
    await until(
      () => Array.isArray(qcA.getQueryData(key)) && Array.isArray(qcB.getQueryData(key)),
      5_000,
      'first emissions',
    );

    const taskId = await a.client.createTask({ projectId, title: 'live' });
    await until(() => (qcA.getQueryData(key) as unknown[]).length === 1, 5_000, 'same-tab update');
    await until(() => (qcB.getQueryData(key) as unknown[]).length === 1, 5_000, 'other-tab update');
    await b.client.updateTask(taskId, { status: 'done' });
    await until(
      () => (qcA.getQueryData(key) as { status: string }[])[0]?.status === 'done',
      5_000,
      'edit from the other tab',
    );
    unsubA();
    unsubB();
  });

  it('filters tasks by project, status and assignee', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const transport = memoryTransport(server, user.id);
    transport.controls.online = false;
    const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport);
    open.push(tab);
    const p1 = await tab.client.createProject({ name: 'P1', ownerId: user.id as EntityId });
    const p2 = await tab.client.createProject({ name: 'P2', ownerId: user.id as EntityId });
    await tab.client.createTask({ projectId: p1, title: 'a', status: 'todo' });
    await tab.client.createTask({
      projectId: p1,
      title: 'b',
      status: 'done',
      assigneeId: user.id as EntityId,
    });
    await tab.client.createTask({ projectId: p2, title: 'c', status: 'done' });
    const titles = async (f: Parameters<typeof readTasks>[1]) =>
      (await readTasks(tab.replica.db, f)).map((t) => t.title);
    expect(await titles({ projectId: p1 })).toEqual(['a', 'b']);
    expect(await titles({ projectId: p1, status: 'done' })).toEqual(['b']);
    expect(await titles({ status: 'done' })).toEqual(['b', 'c']);
    expect(await titles({ assigneeId: user.id })).toEqual(['b']);
    expect(await titles({ projectId: p2, assigneeId: user.id })).toEqual([]);
  });
});

describe('mirror row clocks', () => {
  it('pack to one common clock plus exceptions and unpack to the same per-field clocks', async () => {
    const { packClocks, unpackClocks } = await import('../src/sync/records');
    const a = '001763856000000-00000-aaaa' as HlcString;
    const b = '001763856000001-00000-bbbb' as HlcString;
    const clocks = { projectId: a, title: b, notes: a, status: a, assigneeId: a, dueDate: a };
    const packed = packClocks(clocks);
    expect(packed).toEqual({ '*': a, title: b });
    expect(unpackClocks('task', packed)).toEqual(clocks);
    expect(packClocks({})).toEqual({});
  });
});
