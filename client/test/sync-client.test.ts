// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { describe, expect, it, afterEach } from 'vitest';
import { parseHlc, type EntityId } from '@outpost/shared';
import { IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import {
  databaseName,
  HttpError,
  NetworkError,
  openReplica,
  type DownloadProgress,
  readOutboxEntries,
  type SyncClientOptions,
  type SyncTransport,
  type Timers,
} from '@outpost/sync';
import { isQuotaError, MutationGapError, ProtocolVersionError } from '@outpost/sync/testing';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import { mirrorRows, newDevice, openTab, synced, until, type Tab } from './helpers/harness';
import { noticeText } from '../src/app/engine/notice-text';
import { headlineText, syncHeadline } from '../src/app/engine/headline';

const open: Tab[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

async function tabFor(
  server: MemoryServer,
  device = newDevice(),
  role: 'admin' | 'member' = 'admin',
) {
  const user = server.addUser(role);
  const transport = memoryTransport(server, user.id);
  const tab = await openTab(device, { userId: user.id, orgId: server.orgId }, transport);
  open.push(tab);
  return { user, transport, tab, device };
}

/** Holds the transport's pulls until `release()`; `pulling()`: one has started. */
function holdPulls(transport: SyncTransport) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started = false;
  const pull = transport.pull.bind(transport);
  transport.pull = async (req, ctx) => {
    started = true;
    await held;
    return pull(req, ctx);
  };
  return { release, pulling: () => started };
}

function strip(rows: Record<string, unknown>[]) {
  return rows.map((r) => ({ ...r }));
}

describe('local writes', () => {
  it('apply to the mirror and append to the outbox with ids 1,2,3, increasing HLCs and base clocks', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    transport.controls.online = false;
    const projectId = await tab.client.createProject({
      name: 'Roadmap',
      ownerId: user.id as EntityId,
    });
    const taskId = await tab.client.createTask({ projectId, title: 'Draft' });
    await tab.client.updateTask(taskId, { status: 'doing' });

    const outbox = await readOutboxEntries(tab.replica.db);
    expect(outbox.map((e) => e.mutationId)).toEqual([1, 2, 3]);
    expect(outbox.map((e) => e.mutation.type)).toEqual([
      'project.create',
      'task.create',
      'task.update',
    ]);
    const hlcs = outbox.map((e) => e.mutation.hlc);
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(3);
    const update = outbox[2]!.mutation;
    expect(update.type === 'task.update' && update.base).toEqual({
      status: outbox[1]!.mutation.hlc,
    });

    const task = await tab.replica.db.tasks.get(taskId as EntityId);
    expect(task).toMatchObject({
      id: taskId,
      projectId,
      title: 'Draft',
      status: 'doing',
      notes: '',
      assigneeId: null,
    });
    expect(tab.client.status.getSnapshot().pending).toBe(3);
  });

  it('creates many tasks in one all-or-nothing transaction', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    transport.controls.online = false;
    const projectId = await tab.client.createProject({
      name: 'Import',
      ownerId: user.id as EntityId,
    });
    await expect(
      tab.client.createTasks([
        { projectId, title: 'ok' },
        { projectId, title: '' },
      ]),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await tab.replica.db.tasks.count()).toBe(0);
    const ids = await tab.client.createTasks(
      Array.from({ length: 50 }, (_, i) => ({ projectId, title: `t${i}` })),
    );
    expect(ids).toHaveLength(50);
    expect(await tab.replica.db.tasks.count()).toBe(50);
    expect((await readOutboxEntries(tab.replica.db)).map((e) => e.mutationId).slice(-2)).toEqual([
      50, 51,
    ]);
    transport.controls.online = true;
    await synced(tab);
    expect(server.visible('task')).toHaveLength(50);
  });

  it('refuses invalid fields and unknown rows without writing anything', async () => {
    const server = new MemoryServer();
    const { tab, user } = await tabFor(server);
    await expect(
      tab.client.createProject({ name: '', ownerId: user.id as EntityId }),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      tab.client.updateTask('0190a0a0-0000-7000-8000-000000000000', { title: 'x' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
    expect(await tab.replica.db.projects.count()).toBe(0);
  });

  it('refuses control characters in names, titles and notes without writing; keeps any other text as typed', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    transport.controls.online = false;
    const ownerId = user.id as EntityId;
    const projectId = await tab.client.createProject({ name: 'Plain', ownerId });
    const taskId = await tab.client.createTask({ projectId, title: 'Plain' });
    const outbox = (await readOutboxEntries(tab.replica.db)).length;
    const refused = [
      () => tab.client.createProject({ name: 'a\u0000b', ownerId }),
      () => tab.client.updateProject(projectId, { description: 'bell\u0007' }),
      () => tab.client.createTask({ projectId, title: 'two\nlines' }),
      () =>
        tab.client.createTasks([
          { projectId, title: 'ok' },
          { projectId, title: 'esc\u001b' },
        ]),
      () => tab.client.updateTask(taskId, { notes: 'half \ud83d' }),
    ];
    for (const write of refused)
      await expect(write()).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('Invalid text: no control characters'),
      });
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(outbox);
    expect(await tab.replica.db.projects.count()).toBe(1);
    expect(await tab.replica.db.tasks.count()).toBe(1);

    const text = 'Café 👍🏽 مرحبا e\u0301 \u202eabc\u202c 漢字';
    await tab.client.updateTask(taskId, { title: text, notes: `${text}\n\tnext` });
    expect(await tab.replica.db.tasks.get(taskId)).toMatchObject({
      title: text,
      notes: `${text}\n\tnext`,
    });
  });
});

describe('sync loop', () => {
  it('offline writes reach the server on reconnect, in order, and the outbox drains', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    await synced(tab);
    transport.controls.online = false;
    const projectId = await tab.client.createProject({
      name: 'Offline',
      ownerId: user.id as EntityId,
    });
    const t1 = await tab.client.createTask({ projectId, title: 'one' });
    await tab.client.updateTask(t1, { title: 'one (edited)' });
    await tab.client.createTask({ projectId, title: 'two' });
    expect(server.visible('task')).toHaveLength(0);
    expect(tab.client.status.getSnapshot().pending).toBe(4);

    transport.controls.online = true;
    await synced(tab);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
    expect(tab.client.status.getSnapshot().pending).toBe(0);
    expect(
      server
        .visible('task')
        .map((t) => t.title)
        .sort(),
    ).toEqual(['one (edited)', 'two']);
    expect(strip(await mirrorRows(tab, 'tasks'))).toEqual(
      strip(server.visible('task').sort((a, b) => String(a.id).localeCompare(String(b.id)))),
    );
    // In order: the server saw ids 1..4 once each.
    expect(server.pushes.flatMap((p) => p.mutations.map((m) => m.id))).toEqual([1, 2, 3, 4]);
  });

  it('two clients converge: concurrent edits of different fields both survive', async () => {
    const server = new MemoryServer();
    const a = await tabFor(server);
    const b = await tabFor(server);
    const projectId = await a.tab.client.createProject({
      name: 'Shared',
      ownerId: a.user.id as EntityId,
    });
    const taskId = await a.tab.client.createTask({ projectId, title: 'Draft' });
    await synced(a.tab);
    await synced(b.tab);
    expect(await b.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject({ title: 'Draft' });

    a.transport.controls.online = false;
    b.transport.controls.online = false;
    await a.tab.client.updateTask(taskId, { status: 'doing' });
    await b.tab.client.updateTask(taskId, { title: 'Final' });
    a.transport.controls.online = true;
    b.transport.controls.online = true;
    await synced(b.tab);
    await synced(a.tab);
    await synced(b.tab);

    const expected = { title: 'Final', status: 'doing' };
    expect(await a.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject(expected);
    expect(await b.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject(expected);
    expect(await mirrorRows(a.tab, 'tasks')).toEqual(await mirrorRows(b.tab, 'tasks'));
  });

  it('a push whose answer is lost is not applied twice after a restart; the outbox drains', async () => {
    const server = new MemoryServer();
    const device = newDevice();
    const first = await tabFor(server, device);
    await synced(first.tab);
    first.transport.controls.online = false;
    const projectId = await first.tab.client.createProject({
      name: 'P',
      ownerId: first.user.id as EntityId,
    });
    await first.tab.client.createTask({ projectId, title: 'once' });
    first.transport.controls.online = true;
    first.transport.controls.loseNextPushAnswer = true;
    first.tab.client.syncNow();
    await until(() => server.pushes.length === 1, 5_000, 'the push to reach the server');
    // "Kill" the tab right after the server applied the push but before the answer arrived.
    await first.tab.stop();
    open.splice(open.indexOf(first.tab), 1);

    const transport = memoryTransport(server, first.user.id);
    transport.controls.online = false;
    const again = await openTab(device, { userId: first.user.id, orgId: server.orgId }, transport);
    open.push(again);
    expect((await readOutboxEntries(again.replica.db)).length).toBe(2);
    transport.controls.online = true;
    await synced(again);
    expect((await readOutboxEntries(again.replica.db)).length).toBe(0);
    const taskChanges = server.log.filter((c) => c.entity === 'task');
    expect(taskChanges).toHaveLength(1);
    expect(server.visible('task')).toHaveLength(1);
  });

  /** An admin's task, synced to a member's tab (a member may not delete it). */
  async function memberAndAdminsTask() {
    const server = new MemoryServer();
    const admin = await tabFor(server);
    const member = await tabFor(server, newDevice(), 'member');
    const projectId = await admin.tab.client.createProject({
      name: 'P',
      ownerId: admin.user.id as EntityId,
    });
    const taskId = await admin.tab.client.createTask({ projectId, title: 'keep me' });
    await synced(admin.tab);
    await synced(member.tab);
    return { server, member, taskId };
  }

  it('a rejected mutation is rolled back in the mirror and reported with the reason', async () => {
    const { member, taskId } = await memberAndAdminsTask();

    member.transport.controls.online = false;
    await member.tab.client.deleteTask(taskId);
    expect(await member.tab.replica.db.tasks.get(taskId as EntityId)).toBeUndefined();
    member.transport.controls.online = true;
    await synced(member.tab);

    expect(await member.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject({
      title: 'keep me',
    });
    expect((await readOutboxEntries(member.tab.replica.db)).length).toBe(0);
    const notices = member.tab.client.notices.getSnapshot();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'rejected' });
    expect(noticeText(notices[0]!)).toContain('only an admin or manager may delete tasks');
    const history = member.tab.client.notices.history.getSnapshot();
    expect(history[0]!.results).toEqual([
      expect.objectContaining({ status: 'rejected', code: 'forbidden' }),
    ]);
    member.tab.client.notices.dismiss(notices[0]!.id);
    expect(member.tab.client.notices.getSnapshot()).toHaveLength(0);
  });

  it('a refusal dismissed as soon as its push answer reports it stays dismissed when its audit entry is pulled', async () => {
    const { server, member, taskId } = await memberAndAdminsTask();

    const { notices } = member.tab.client;
    const raised: string[] = [];
    const stop = notices.subscribe(() => {
      for (const n of notices.getSnapshot()) {
        raised.push(n.id);
        notices.dismiss(n.id);
      }
    });
    await member.tab.client.deleteTask(taskId);
    await synced(member.tab);
    stop();
    const pulled = server.log.some((c) => c.entity === 'activity' && c.row.action === 'rejected');
    expect(pulled).toBe(true);
    expect(raised).toEqual([expect.stringMatching(/^rejected:/)]);
    expect(notices.getSnapshot()).toEqual([]);
  });

  it('pending local edits stay visible on top of pulled server changes (rebase)', async () => {
    const server = new MemoryServer();
    const a = await tabFor(server);
    const b = await tabFor(server);
    const projectId = await a.tab.client.createProject({
      name: 'P',
      ownerId: a.user.id as EntityId,
    });
    const taskId = await a.tab.client.createTask({ projectId, title: 'Draft', notes: 'n0' });
    await synced(a.tab);
    await synced(b.tab);

    // B edits title offline while A changes notes; B pulls (push blocked) and must show both.
    await a.tab.client.updateTask(taskId, { notes: 'n1' });
    await synced(a.tab);
    b.transport.controls.online = false;
    await b.tab.client.updateTask(taskId, { title: 'Mine' });
    b.transport.controls.online = true;
    const push = b.transport.push;
    b.transport.push = async () => {
      throw new NetworkError('push down');
    };
    b.tab.client.syncNow();
    await until(
      async () => (await b.tab.replica.db.tasks.get(taskId as EntityId))?.notes === 'n1',
      5_000,
      'B to pull n1',
    );
    expect(await b.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject({
      title: 'Mine',
      notes: 'n1',
    });
    b.transport.push = push;
    await synced(b.tab);
    await synced(a.tab);
    expect(await a.tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject({
      title: 'Mine',
      notes: 'n1',
    });
  });

  it('never sends a queued mutation under another user’s token', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    const other = server.addUser('admin', 'other');
    transport.controls.tokenUserId = other.id;
    await tab.client.createProject({ name: 'mine', ownerId: user.id as EntityId });
    await until(
      () => tab.client.status.getSnapshot().lastError?.name === 'IdentityMismatchError',
      5_000,
      'the identity error',
    );
    expect(server.pushes).toHaveLength(0);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(1);
  });

  it('pulls a large org in pages, resuming from the stored cursor after a failed page', async () => {
    const server = new MemoryServer();
    const seeder = await tabFor(server);
    const projectId = await seeder.tab.client.createProject({
      name: 'Big',
      ownerId: seeder.user.id as EntityId,
    });
    for (let i = 0; i < 60; i++) await seeder.tab.client.createTask({ projectId, title: `t${i}` });
    await synced(seeder.tab);

    const reader = server.addUser('member', 'reader');
    const transport = memoryTransport(server, reader.id);
    let pulls = 0;
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      pulls++;
      if (pulls === 3) throw new NetworkError('flaky');
      return pull(req, ctx);
    };
    const cursors: number[] = [];
    const inner = transport.pull;
    transport.pull = async (req, ctx) => {
      cursors.push(req.cursor);
      return inner(req, ctx);
    };
    const progress: (DownloadProgress | null)[] = [];
    const tab = await openTab(newDevice(), { userId: reader.id, orgId: server.orgId }, transport, {
      pullLimit: 10,
      random: () => 0,
    });
    open.push(tab);
    // A first sync: the device is known not to be set up before anything arrives.
    expect(tab.client.status.getSnapshot().setUp).toBe(false);
    tab.client.status.subscribe(() => progress.push(tab.client.status.getSnapshot().download));
    await until(async () => (await tab.replica.db.tasks.count()) === 60, 15_000, 'all tasks');
    // The failed third page was retried from cursor 20, not from 0.
    expect(cursors.slice(0, 4)).toEqual([0, 10, 20, 20]);
    // Rows kept + received + rows the server says remain: every report adds up to the org's rows.
    const rows = server.log.filter((c) => c.entity !== 'activity').length;
    const reports = progress.filter((p): p is DownloadProgress => p !== null);
    expect(reports.length).toBeGreaterThan(3);
    for (const p of reports) expect(p.kept + p.received + p.remaining).toBe(rows);
    expect(reports[0]).toMatchObject({ kept: 0, received: 10, remaining: rows - 10 });
    // After the failed page the retry counts on from the 20 rows already stored.
    expect(reports.some((p) => p.kept === 20 && p.received === 10)).toBe(true);
    await until(() => tab.client.status.getSnapshot().setUp === true, 5_000, 'the first sync');
    expect(tab.client.status.getSnapshot().download).toBeNull();
  });

  it('a first sync interrupted by a reload resumes from its cursor and keeps counting from the rows it has', async () => {
    const server = new MemoryServer();
    const seeder = await tabFor(server);
    const projectId = await seeder.tab.client.createProject({
      name: 'Big',
      ownerId: seeder.user.id as EntityId,
    });
    await seeder.tab.client.createTasks(
      Array.from({ length: 45 }, (_, i) => ({ projectId, title: `t${i}` })),
    );
    await synced(seeder.tab);
    const reader = server.addUser('member', 'reader');
    const rows = server.log.filter((c) => c.entity !== 'activity').length;
    const device = newDevice();
    const transport = memoryTransport(server, reader.id);
    const pull = transport.pull;
    const cursors: number[] = [];
    let pages = 0;
    transport.pull = async (req, ctx) => {
      cursors.push(req.cursor);
      // The tab is closed after its second page (the network dies with it).
      if (++pages > 2) throw new NetworkError('tab closed');
      return pull(req, ctx);
    };
    const first = await openTab(device, { userId: reader.id, orgId: server.orgId }, transport, {
      pullLimit: 10,
    });
    await until(() => first.client.status.getSnapshot().failures > 0, 5_000, 'the cut');
    expect(first.client.status.getSnapshot().download).toMatchObject({
      kept: 0,
      received: 20,
      remaining: rows - 20,
    });
    await first.stop();

    // The reload: same device, same database, never completed a sync.
    transport.pull = async (req, ctx) => {
      cursors.push(req.cursor);
      return pull(req, ctx);
    };
    const progress: (DownloadProgress | null)[] = [];
    const second = await openTab(device, { userId: reader.id, orgId: server.orgId }, transport, {
      pullLimit: 10,
    });
    open.push(second);
    expect(second.client.status.getSnapshot().setUp).toBe(false);
    second.client.status.subscribe(() =>
      progress.push(second.client.status.getSnapshot().download),
    );
    await until(() => second.client.status.getSnapshot().setUp === true, 10_000, 'set up');
    // Resumed at the stored cursor (20), not from 0.
    expect(cursors.slice(3)[0]).toBe(20);
    const firstReport = progress.find((p) => p !== null)!;
    // Counted on from the rows already stored (2 users were there too, so ≥ 20).
    expect(firstReport.kept).toBeGreaterThanOrEqual(20);
    expect(firstReport.received).toBe(10);
    expect(firstReport.kept + firstReport.received + firstReport.remaining).toBeGreaterThanOrEqual(
      rows,
    );
    expect(await second.replica.db.tasks.count()).toBe(45);
  });
});

describe('an update that changes nothing', () => {
  it('to the values a synced row shows: nothing queued, nothing pushed; mixed, only the changed field', async () => {
    const server = new MemoryServer();
    const { tab, user } = await tabFor(server);
    const projectId = await tab.client.createProject({
      name: 'Shared',
      ownerId: user.id as EntityId,
    });
    const taskId = await tab.client.createTask({ projectId, title: 'Draft' });
    await synced(tab);
    const pushes = server.pushes.length;
    const synced0 = await tab.replica.db.tasks.get(taskId as EntityId);

    const queued = [
      await tab.client.updateTask(taskId, { title: 'Draft', status: 'todo' }),
      await tab.client.updateProject(projectId, { name: 'Shared' }),
      await tab.client.updateTasks([{ id: taskId, patch: { assigneeId: null } }]),
    ];
    expect(await readOutboxEntries(tab.replica.db)).toEqual([]);
    expect(await tab.replica.db.base.count()).toBe(0);
    expect(await tab.replica.db.tasks.get(taskId as EntityId)).toEqual(synced0);
    expect(tab.client.status.getSnapshot().pending).toBe(0);
    await synced(tab);
    expect(server.pushes.length).toBe(pushes);
    expect(queued).toEqual([false, false, []]);

    expect(await tab.client.updateTask(taskId, { title: 'Draft', status: 'doing' })).toBe(true);
    const [entry] = await readOutboxEntries(tab.replica.db);
    const update = entry!.mutation;
    expect(update.type === 'task.update' && [update.fields, update.base]).toEqual([
      { status: 'doing' },
      { status: synced0!.$c['*'] },
    ]);
  });

  it('a field set to the value shown while a teammate changed it: theirs stays, no conflict', async () => {
    const server = new MemoryServer();
    const a = await tabFor(server);
    const b = await tabFor(server);
    const projectId = await a.tab.client.createProject({
      name: 'Shared',
      ownerId: a.user.id as EntityId,
    });
    const taskId = await a.tab.client.createTask({ projectId, title: 'Draft' });
    await synced(a.tab);
    await synced(b.tab);

    // A has not pulled B's change: a picker re-choosing what A sees saves the same status.
    a.transport.controls.online = false;
    await b.tab.client.updateTask(taskId, { status: 'doing' });
    await synced(b.tab);
    const queued = await a.tab.client.updateTask(taskId, { status: 'todo', title: 'Draft' });
    a.transport.controls.online = true;
    await synced(a.tab);
    await synced(b.tab);

    for (const tab of [a.tab, b.tab]) {
      expect(await tab.replica.db.tasks.get(taskId as EntityId)).toMatchObject({
        status: 'doing',
      });
      expect(tab.client.notices.getSnapshot()).toEqual([]);
    }
    expect(server.log.filter((c) => c.entity === 'activity')).toEqual([]);
    expect(queued).toBe(false);
  });
});

describe('the push lane', () => {
  it('pushes a write at once while the loop is busy pulling, never two pushes at a time', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    await synced(tab);
    // The next pull hangs until released: the loop's step is busy all that time.
    const { release, pulling } = holdPulls(transport);
    let inFlight = 0;
    let maxInFlight = 0;
    const push = transport.push.bind(transport);
    transport.push = async (req, ctx) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await push(req, ctx);
      } finally {
        inFlight--;
      }
    };
    tab.client.syncNow();
    await until(pulling, 5_000, 'the loop to start pulling');

    const projectId = await tab.client.createProject({ name: 'now', ownerId: user.id as EntityId });
    await tab.client.createTask({ projectId, title: 'one' });
    await tab.client.createTask({ projectId, title: 'two' });
    await until(
      () => server.visible('task').length === 2,
      5_000,
      'the writes on the server while the pull is held',
    );
    expect(tab.client.status.getSnapshot().syncing).toBe(true);
    release();
    await synced(tab);
    expect(maxInFlight).toBe(1);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(0);
    expect(await mirrorRows(tab, 'tasks')).toEqual(server.visible('task'));
  });
});

describe('the pending count', () => {
  it('a push whose entries a pull already took out is not counted down again', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    const projectId = await tab.client.createProject({ name: 'P', ownerId: user.id as EntityId });
    await synced(tab);
    const pending = () => tab.client.status.getSnapshot().pending;
    // The loop's next pull is held; so are push answers (the server has applied the push).
    const { release: releasePull, pulling } = holdPulls(transport);
    const answers: (() => void)[] = [];
    const push = transport.push.bind(transport);
    transport.push = async (req, ctx) => {
      const res = await push(req, ctx);
      await new Promise<void>((r) => answers.push(r));
      return res;
    };
    tab.client.syncNow();
    await until(pulling, 5_000, 'the loop to start pulling');
    // The lane pushes W; X is written while W's answer is out.
    await tab.client.createTask({ projectId, title: 'W' });
    await until(() => answers.length === 1, 5_000, "W's push applied");
    await tab.client.createTask({ projectId, title: 'X' });
    expect(pending()).toBe(2);
    // The pull reads the server after W: its last page takes W out of the outbox.
    releasePull();
    await until(
      async () => (await readOutboxEntries(tab.replica.db)).length === 1,
      5_000,
      'W taken out by the pull',
    );
    await until(() => pending() === 1, 5_000, 'the recount after the pull');
    // Then W's answer: nothing of it is left to settle, and X is still unsent.
    const history = tab.client.notices.history.getSnapshot().length;
    answers.shift()!();
    await until(
      () => tab.client.notices.history.getSnapshot().length > history,
      5_000,
      "W's answer recorded",
    );
    expect(pending()).toBe(1);
    await until(() => answers.length === 1, 5_000, "X's push");
    answers.shift()!();
    await until(() => pending() === 0, 5_000, 'X acknowledged');
    transport.push = push;
    await synced(tab);
  });
});

describe('failures surfaced, not swallowed', () => {
  it('a client too old for the server stops syncing, keeps the outbox and asks for an update', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    await synced(tab);
    let pushes = 0;
    transport.push = async () => {
      pushes++;
      throw new ProtocolVersionError('update the app', 'client_too_old');
    };
    await tab.client.createProject({ name: 'queued', ownerId: user.id as EntityId });
    await until(
      () => tab.client.status.getSnapshot().protocol === 'client_too_old',
      5_000,
      'protocol status',
    );
    expect(tab.client.notices.getSnapshot()).toContainEqual(
      expect.objectContaining({ kind: 'update-required' }),
    );
    tab.client.syncNow();
    await new Promise((r) => setTimeout(r, 200));
    expect(pushes).toBe(1);
    expect((await readOutboxEntries(tab.replica.db)).length).toBe(1);
  });

  it('Sync now pressed while a push to a server that is down hangs: the next attempt follows its failure, not the backoff', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const transport = memoryTransport(server, user.id);
    // Short timers run; the backoff (1 s and more here) and the slow timer never fire: only a
    // wake-up starts a step.
    const timers: Timers = {
      setTimeout: (fn, ms) => (ms >= 1_000 ? null : setTimeout(fn, ms)),
      clearTimeout: (h) => {
        if (h !== null) clearTimeout(h as ReturnType<typeof setTimeout>);
      },
    };
    const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport, {
      timers,
      random: () => 1,
    });
    open.push(tab);
    await synced(tab);
    const status = () => tab.client.status.getSnapshot();
    const push = transport.push;
    // The server is down: a push fails at once, then hangs until the test fails it.
    const hanging: (() => void)[] = [];
    const down = () => new NetworkError('server down');
    transport.push = async () => {
      throw down();
    };
    await tab.client.createProject({ name: 'waiting', ownerId: user.id as EntityId });
    await until(() => status().failures === 1 && status().retryAt !== null, 5_000, 'the backoff');
    transport.push = () => new Promise((_, reject) => hanging.push(() => reject(down())));
    // Pressed during the backoff: the attempt starts at once.
    tab.client.syncNow();
    await until(() => hanging.length === 1, 5_000, 'the attempt Sync now started');
    // Pressed while that attempt hangs; then it fails.
    tab.client.syncNow();
    hanging[0]!();
    await until(() => hanging.length === 2, 5_000, 'a fresh attempt right after the failure');
    // The status says the retry is now, not when the backoff would have ended.
    expect(status().failures).toBe(2);
    expect(headlineText(syncHeadline(status()), Date.now())).toMatch(/retrying now/);
    transport.push = push;
    hanging[1]!();
    await synced(tab);
    expect(server.visible('project')).toHaveLength(1);
  });

  it('Sync now pressed in another tab un-pauses the push a mutation gap paused in the leader', async () => {
    const server = new MemoryServer();
    const user = server.addUser('admin');
    const device = newDevice();
    const transport = memoryTransport(server, user.id);
    const who = { userId: user.id, orgId: server.orgId };
    // The two tabs' channel, as the browser's BroadcastChannel of one user.
    const channel = `outpost-sync-test-${user.id}`;
    const broadcast = () =>
      new BroadcastChannel(channel) as unknown as NonNullable<SyncClientOptions['broadcast']>;
    const leader = await openTab(device, who, transport, { broadcast: broadcast() });
    open.push(leader);
    await synced(leader);
    const follower = await openTab(device, who, transport, { broadcast: broadcast() });
    open.push(follower);
    expect(follower.client.status.getSnapshot().isLeader).toBe(false);
    const push = transport.push;
    transport.push = async () => {
      throw new MutationGapError('expected mutation 1', 1);
    };
    await follower.client.createProject({ name: 'blocked', ownerId: user.id as EntityId });
    await until(
      () => follower.client.notices.getSnapshot().some((n) => n.kind === 'sync-blocked'),
      5_000,
      'the sync-blocked notice in the follower',
    );
    transport.push = push;
    follower.client.syncNow();
    await until(() => server.visible('project').length === 1, 5_000, 'the push after Sync now');
    await until(
      async () => (await readOutboxEntries(leader.replica.db)).length === 0,
      5_000,
      'acked',
    );
  });

  it('the first answer after a run of failures ends it, before the pull-back finishes', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    await synced(tab);
    const status = () => tab.client.status.getSnapshot();
    transport.controls.online = false;
    await tab.client.createProject({ name: 'queued', ownerId: user.id as EntityId });
    for (const n of [1, 2]) {
      tab.client.syncNow();
      await until(() => status().failures >= n, 5_000, `failure ${n}`);
    }
    expect(status().lastError?.name).toBe('NetworkError');
    // Back online: the push is answered while the pull after it hangs.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      await gate;
      return pull(req, ctx);
    };
    transport.controls.online = true;
    tab.client.syncNow();
    await until(() => server.pushes.length > 0 && status().pending === 0, 5_000, 'the push');
    expect(status()).toMatchObject({ failures: 0, lastError: null, syncing: true });
    release();
    await synced(tab);
  });

  it('a server that fails every push while its pulls answer: the failures add up and are shown', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    await synced(tab);
    const status = () => tab.client.status.getSnapshot();
    const push = transport.push;
    let pulls = 0;
    const pull = transport.pull;
    transport.pull = async (req, ctx) => {
      pulls++;
      return pull(req, ctx);
    };
    transport.push = async () => {
      throw new HttpError('Internal server error', 500, 'INTERNAL');
    };
    await tab.client.createProject({ name: 'refused', ownerId: user.id as EntityId });
    for (const n of [1, 2, 3]) {
      const before = pulls;
      tab.client.syncNow();
      await until(() => pulls > before && !status().syncing, 5_000, `cycle ${n}`);
    }
    // Each failed push was followed by a pull that the server answered: three in a row.
    expect(status()).toMatchObject({ pending: 1, lastError: { code: 'INTERNAL' } });
    expect(status().failures).toBeGreaterThanOrEqual(3);
    // The push goes through again: the run ends with its answer.
    transport.push = push;
    tab.client.syncNow();
    await synced(tab);
    expect(status()).toMatchObject({ failures: 0, lastError: null, pending: 0 });
  });

  it('a server that asks to wait (503, Retry-After: 5) is not asked again sooner', async () => {
    const server = new MemoryServer();
    const { tab, transport, user } = await tabFor(server);
    await synced(tab);
    const status = () => tab.client.status.getSnapshot();
    transport.push = async () => {
      throw new HttpError('Down for maintenance', 503, 'UNAVAILABLE', undefined, 5_000);
    };
    await tab.client.createProject({ name: 'later', ownerId: user.id as EntityId });
    await until(() => status().retryAt !== null, 5_000, 'the retry scheduled');
    // The first backoff is about a second: the server's five seconds win.
    expect(status().retryAt! - Date.now()).toBeGreaterThan(4_000);
  });

  it('a full disk (QuotaExceededError) fails the write, changes nothing and raises a quota notice', async () => {
    const server = new MemoryServer();
    const { tab, user } = await tabFor(server);
    // The browser aborts the write's transaction with QuotaExceededError (its requests fail
    // with AbortError): fake-indexeddb's own abort, the way a full disk ends a transaction.
    const stores = IDBObjectStore.prototype as unknown as { add: IDBObjectStore['add'] };
    const original = stores.add;
    stores.add = function (this: IDBObjectStore, ...args) {
      const req = original.apply(this, args);
      const tx = this.transaction as unknown as { _abort(name: string): void };
      queueMicrotask(() => tx._abort('QuotaExceededError'));
      return req;
    };
    try {
      const written = tab.client.createProject({ name: 'too big', ownerId: user.id as EntityId });
      await expect(written).rejects.toSatisfy(isQuotaError);
    } finally {
      stores.add = original;
    }
    expect(await tab.replica.db.projects.count()).toBe(0);
    expect(tab.client.notices.getSnapshot()).toContainEqual(
      expect.objectContaining({ kind: 'quota' }),
    );
  });
});

describe('sign-out', () => {
  it('stops syncing and wipes the database and sentinel', async () => {
    const server = new MemoryServer();
    const device = newDevice();
    const { tab, user } = await tabFor(server, device);
    await tab.client.createProject({ name: 'P', ownerId: user.id as EntityId });
    await synced(tab);
    const clientId = tab.replica.clientId;

    await tab.client.signOut();
    open.splice(open.indexOf(tab), 1);
    expect(await device.indexedDB.databases()).not.toContainEqual(
      expect.objectContaining({ name: databaseName(user.id) }),
    );
    const fresh = await openReplica({
      userId: user.id,
      orgId: server.orgId,
      indexedDB: device.indexedDB,
      IDBKeyRange,
      sentinel: device.localStorage,
    });
    expect(fresh.clientId).not.toBe(clientId);
    expect(fresh.vanished).toBeNull();
    expect(await fresh.db.projects.count()).toBe(0);
    fresh.close();
  });
});

describe('HLC', () => {
  it('folds pulled clocks so later local writes sort after what was seen', async () => {
    const server = new MemoryServer();
    const ahead = await tabFor(server, newDevice());
    const skewed = server.addUser('admin', 'skewed');
    const projectId = await ahead.tab.client.createProject({
      name: 'P',
      ownerId: ahead.user.id as EntityId,
    });
    await synced(ahead.tab);
    const transport = memoryTransport(server, skewed.id);
    // This device's wall clock is an hour behind.
    const tab = await openTab(newDevice(), { userId: skewed.id, orgId: server.orgId }, transport, {
      clock: () => Date.now() - 3_600_000,
    });
    open.push(tab);
    await synced(tab);
    await tab.client.updateProject(projectId, { name: 'renamed' });
    await synced(tab);
    expect(server.visible('project')[0]).toMatchObject({ name: 'renamed' });
    const entry = server.pushes.at(-1)!.mutations[0]!;
    expect(parseHlc(entry.hlc).wall).toBeGreaterThan(Date.now() - 60_000);
  });
});
