// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EntityId } from '@outpost/shared';
import { NetworkError, readOutboxEntries, type DownloadProgress } from '@outpost/sync';
import { countRequests } from './helpers/idb-requests';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import {
  idle,
  mirrorRows,
  newDevice,
  openTab,
  settled,
  synced,
  until,
  type Tab,
} from './helpers/harness';

/** Taking back this client's own writes: each pulled page acknowledges what it brings back. */

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

async function tabFor(server: MemoryServer, pullLimit = 500) {
  const user = server.addUser('admin');
  const transport = memoryTransport(server, user.id);
  const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport, {
    pullLimit,
  });
  open.push(tab);
  return { user, transport, tab };
}

describe('pulling back own writes', () => {
  it('each page takes its rows’ acknowledged entries out of the outbox, not only the end of the pull', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server, 10);
    await synced(tab);
    transport.controls.online = false;
    const projectId = await tab.client.createProject({ name: 'Up', ownerId: user.id as EntityId });
    for (let i = 0; i < 29; i++) await tab.client.createTask({ projectId, title: `t${i}` });

    // The outbox once the pages before each pull after the push are applied (the next page
    // is asked for while the one before is stored: its answer waits for that here).
    const seen: number[] = [];
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      if (server.pushes.length > 0) {
        await until(
          async () => ((await tab.replica.db.meta.get('cursor'))?.value ?? 0) === req.cursor,
        );
        seen.push((await readOutboxEntries(tab.replica.db)).length);
      }
      return pull(req, ctx);
    };
    // No retry of the offline pushes still running: from here, one cycle and its pull.
    await idle(tab);
    transport.controls.online = true;
    await synced(tab);

    // 30 rows come back in pages of 10 (the memory server logs no activity for a create).
    expect(seen).toEqual([30, 20, 10]);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
    expect(await tab.replica.db.base.count()).toBe(0);
    expect(await mirrorRows(tab, 'tasks')).toEqual(
      server.visible('task').sort((a, b) => String(a.id).localeCompare(String(b.id))),
    );
  });

  it('asks for the next page while the one before is stored', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server, 10);
    await synced(tab);
    const projectId = await tab.client.createProject({ name: 'P', ownerId: user.id as EntityId });
    await synced(tab);
    transport.controls.online = false;
    for (let i = 0; i < 29; i++) await tab.client.createTask({ projectId, title: `t${i}` });
    // Each request: the cursor it asks from, and the stored cursor when it was made (read in
    // a transaction begun before any later one, so it sees the state at that moment).
    const asked: { from: number; stored: number }[] = [];
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      const stored = tab.replica.db.meta.get('cursor');
      if (server.pushes.length > 1)
        asked.push({
          from: req.cursor,
          stored: ((await stored)?.value as number | undefined) ?? 0,
        });
      return pull(req, ctx);
    };
    // No retry of the offline pushes still running: from here, one cycle and its pull.
    await idle(tab);
    transport.controls.online = true;
    await synced(tab);

    // Three pages of 10: the second and third are asked for before the one before is applied.
    expect(asked).toHaveLength(3);
    expect(asked[0]!.stored).toBe(asked[0]!.from);
    expect(asked.slice(1).map((a) => a.stored < a.from)).toEqual([true, true]);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
    expect(await mirrorRows(tab, 'tasks')).toEqual(
      server.visible('task').sort((a, b) => String(a.id).localeCompare(String(b.id))),
    );
  });

  it('the last page takes the final acknowledgement in its own transaction: none follows it', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server, 10);
    await synced(tab);
    transport.controls.online = false;
    const projectId = await tab.client.createProject({ name: 'Up', ownerId: user.id as EntityId });
    for (let i = 0; i < 14; i++) await tab.client.createTask({ projectId, title: `t${i}` });

    // Read-write transactions over the outbox opened from the first pull after the push on.
    const { db } = tab.replica;
    const opened: string[][] = [];
    let counting = false;
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => unknown;
    Object.assign(db, {
      transaction: (...args: unknown[]) => {
        const stores = args.slice(1, -1).flat() as (string | { name: string })[];
        if (counting && args[0] === 'rw')
          opened.push(stores.map((t) => (typeof t === 'string' ? t : t.name)));
        return transaction(...args);
      },
    });
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      counting ||= server.pushes.length > 0;
      return pull(req, ctx);
    };
    // No retry of the offline pushes still running: from here, one cycle and its pull.
    await idle(tab);
    transport.controls.online = true;
    await synced(tab);

    // 15 rows in two pages of 10: one transaction each; none to acknowledge after the pull,
    // nor for the push answers whose changes the pull brought back.
    expect(opened.filter((stores) => stores.includes('writes'))).toHaveLength(2);
    expect(await readOutboxEntries(tab.replica.db)).toEqual([]);
    expect(await tab.replica.db.base.count()).toBe(0);
    expect(await mirrorRows(tab, 'tasks')).toEqual(
      server.visible('task').sort((a, b) => String(a.id).localeCompare(String(b.id))),
    );
  });

  it('keeps what the page does not reflect (unsent) on top, and drops base once nothing is pending', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    const projectId = await tab.client.createProject({ name: 'P', ownerId: user.id as EntityId });
    const taskId = (await tab.client.createTask({ projectId, title: 'Draft' })) as EntityId;
    await synced(tab);

    // Acknowledged but not pulled back: the pull after the push fails.
    const pull = transport.pull;
    transport.pull = async () => {
      throw new NetworkError('pull down');
    };
    await tab.client.updateTask(taskId, { title: 'Sent' });
    await settled(tab);
    expect((await readOutboxEntries(tab.replica.db)).map((e) => e.acked)).toEqual([1]);
    expect(await tab.replica.db.base.count()).toBe(1);

    // A later edit that cannot be pushed, then a pull: the page holds 'Sent' (acknowledged,
    // leaves the outbox) and not 'Mine' (unsent, stays and is shown on top).
    transport.pull = pull;
    const push = transport.push;
    transport.push = async () => {
      throw new NetworkError('push down');
    };
    await tab.client.updateTask(taskId, { notes: 'Mine' });
    await settled(tab);
    const left = await readOutboxEntries(tab.replica.db);
    expect(left.map((e) => [e.acked, e.mutation.type])).toEqual([[0, 'task.update']]);
    expect(await tab.replica.db.tasks.get(taskId)).toMatchObject({ title: 'Sent', notes: 'Mine' });
    const base = await tab.replica.db.base.get(['task', taskId]);
    expect(base?.row).toMatchObject({ title: 'Sent', notes: '' });

    transport.push = push;
    await synced(tab);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
    // Nothing pending: the mirror row is the server row again and base is empty.
    expect(await tab.replica.db.base.count()).toBe(0);
    expect(await mirrorRows(tab, 'tasks')).toEqual(server.visible('task'));
  });
  it('a page reads and deletes its rows’ records by range: a few requests, not one per row', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server, 10);
    await synced(tab);
    transport.controls.online = false;
    const projectId = await tab.client.createProject({ name: 'Up', ownerId: user.id as EntityId });
    for (let i = 0; i < 29; i++) await tab.client.createTask({ projectId, title: `t${i}` });

    // Requests on the outbox's store from the first pull after the push on, by method.
    const counter = countRequests('writes');
    counter.counting = false;
    const { requests } = counter;
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      counter.counting ||= server.pushes.length > 0;
      return pull(req, ctx);
    };
    try {
      transport.controls.online = true;
      await synced(tab);
    } finally {
      counter.restore();
    }

    // 30 rows in three pages of 10: each page deletes its 10 records as one range.
    expect(requests.delete).toBe(3);
    expect(requests.continue ?? 0).toBe(0);
    expect(await readOutboxEntries(tab.replica.db)).toEqual([]);
    expect(await mirrorRows(tab, 'tasks')).toEqual(
      server.visible('task').sort((a, b) => String(a.id).localeCompare(String(b.id))),
    );
  });

  it('pulling back an acknowledged upload shows no download; a page of a teammate’s rows does', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server, 10);
    await synced(tab);
    const downloads: (DownloadProgress | null)[] = [];
    tab.client.status.subscribe(() => downloads.push(tab.client.status.getSnapshot().download));
    transport.controls.online = false;
    const projectId = await tab.client.createProject({ name: 'Up', ownerId: user.id as EntityId });
    for (let i = 0; i < 29; i++) await tab.client.createTask({ projectId, title: `t${i}` });
    transport.controls.online = true;
    await synced(tab);
    // Three pages of our own rows came back: nothing to show as a download ("Synced" stays).
    expect(server.log.filter((c) => c.entity === 'task')).toHaveLength(29);
    expect(downloads.filter((d) => d !== null)).toEqual([]);

    // A teammate's 15 rows and ours: once a page holds theirs, the download is shown.
    const mate = await tabFor(server);
    await synced(mate.tab);
    await mate.tab.client.createTasks(
      Array.from({ length: 15 }, (_, i) => ({ projectId, title: `mate ${i}` })),
    );
    await synced(mate.tab);
    transport.controls.online = false;
    for (let i = 0; i < 15; i++) await tab.client.createTask({ projectId, title: `u${i}` });
    transport.controls.online = true;
    await synced(tab);
    expect(downloads.some((d) => d !== null)).toBe(true);
    expect(tab.client.status.getSnapshot().download).toBeNull();
  });

  it('pulling back our edits of a teammate’s rows shows no download either', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server, 10);
    const projectId = await tab.client.createProject({ name: 'Up', ownerId: user.id as EntityId });
    await synced(tab);
    // A teammate's 30 tasks, which we have…
    const mate = await tabFor(server);
    await synced(mate.tab);
    const ids = await mate.tab.client.createTasks(
      Array.from({ length: 30 }, (_, i) => ({ projectId, title: `mate ${i}` })),
    );
    await synced(mate.tab);
    await synced(tab);
    expect(await tab.replica.db.tasks.count()).toBe(30);
    // …completed offline: the pages that bring them back hold our own write of each.
    const downloads: (DownloadProgress | null)[] = [];
    tab.client.status.subscribe(() => downloads.push(tab.client.status.getSnapshot().download));
    transport.controls.online = false;
    await tab.client.updateTasks(ids.map((id) => ({ id, patch: { status: 'done' } })));
    transport.controls.online = true;
    await synced(tab);
    expect(server.visible('task').every((t) => t.status === 'done')).toBe(true);
    expect(downloads.filter((d) => d !== null)).toEqual([]);
  });
});

describe('the stored cursor', () => {
  it('never goes back when a push’s echo lands while a pull that found nothing is answered', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    // Push answers carry their own entries (`echo`, protocol 7), as the real server's do.
    const push = transport.push;
    transport.push = async (req, ctx) => {
      const from = server.head;
      const res = await push(req, ctx);
      const page = server.pull({
        protocolVersion: PROTOCOL_VERSION,
        clientId: req.clientId,
        cursor: from,
        limit: 500,
      });
      return { ...res, echo: { from, changes: page.changes, activityFloor: page.activityFloor } };
    };
    await tab.client.createProject({ name: 'P', ownerId: user.id as EntityId });
    await synced(tab);
    const { db } = tab.replica;
    const storedCursor = async () => (await db.meta.get('cursor'))?.value as number;
    expect(await storedCursor()).toBe(server.head);

    // Every cursor the replica stores from here on, in order.
    const written: number[] = [];
    const bulkPut = db.meta.bulkPut.bind(db.meta);
    db.meta.bulkPut = ((entries: { key: string; value: unknown }[], ...rest: unknown[]) => {
      for (const e of entries) if (e.key === 'cursor') written.push(e.value as number);
      return (bulkPut as (...args: unknown[]) => ReturnType<typeof bulkPut>)(entries, ...rest);
    }) as typeof db.meta.bulkPut;
    // The next pull is answered by the server now (nothing new: an empty last page) and
    // reaches the client only once the test lets it.
    let hold: (() => void) | null = null;
    let pulls = 0;
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      pulls++;
      const page = await pull(req, ctx);
      if (pulls === 1) await new Promise<void>((resolve) => (hold = resolve));
      return page;
    };
    tab.client.syncNow();
    await until(() => hold !== null, 5_000, 'the pull answered and held');
    const before = server.head;

    // Meanwhile a write: the push lane sends it and applies its echo, moving the cursor on.
    await tab.client.createTask({
      projectId: server.visible('project')[0]!.id as EntityId,
      title: 'T',
    });
    await until(async () => (await storedCursor()) === server.head, 5_000, 'the echo applied');
    expect(server.head).toBeGreaterThan(before);

    // Now the pull's page (cursor `before`) arrives: it must not take the cursor back.
    hold!();
    await idle(tab);
    expect(await storedCursor()).toBe(server.head);
    expect(tab.client.status.getSnapshot().pending).toBe(0);
    // Nor the engine's own idea of it: the next write's echo continues it and is applied,
    // so no pull follows (one behind it would refuse the echo and pull the write back).
    const asked = pulls;
    await tab.client.createTask({
      projectId: server.visible('project')[0]!.id as EntityId,
      title: 'U',
    });
    await until(
      async () =>
        (await storedCursor()) === server.head && (await readOutboxEntries(db)).length === 0,
      5_000,
      'the second write settled',
    );
    expect(pulls).toBe(asked);
    expect(written).toEqual([...written].sort((a, b) => a - b));
  });
});
