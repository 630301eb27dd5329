import { afterEach, describe, expect, it } from 'vitest';
import {
  newClientId,
  PROTOCOL_VERSION,
  pullResponseSchema,
  type Activity,
  type ClientId,
  type EntityId,
  type OrgId,
  type PullResponse,
} from '@outpost/shared';
import { purgeHistory } from '../src/engine/retention.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_history' as OrgId;
const DAY = 24 * 60 * 60 * 1000;
const keepActivities = { tombstoneDays: 30, activityDays: null };

async function pull(
  h: EngineHarness,
  c: FakeClient,
  cursor: number,
  limit = 1000,
  purgeHorizon = 0,
) {
  return pullResponseSchema.parse(
    await h.engine.pull(c.actor, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: c.clientId,
      cursor,
      limit,
      purgeHorizon,
    }),
  );
}

/** Pages from `cursor` until hasMore is false, passing the horizon back as a replica does. */
async function pullAll(h: EngineHarness, c: FakeClient, cursor = 0, limit = 1000) {
  const changes: PullResponse['changes'] = [];
  let horizon = 0;
  for (;;) {
    const page = await pull(h, c, cursor, limit, horizon);
    horizon = page.purgeHorizon;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, last: page };
  }
}

describe('history-independent sync (engine)', () => {
  let h: EngineHarness;
  let admin: FakeClient;
  let projectId: EntityId;

  async function setup(options: ConstructorParameters<typeof EngineHarness>[0] = {}) {
    h = new EngineHarness(options);
    admin = new FakeClient(await h.actor(ORG, 'admin', 'ada'), () => h.time);
    projectId = newEntityId();
    await admin.push(h, [
      admin.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(admin.actor.user.id),
      }),
    ]);
  }

  async function createTasks(n: number): Promise<EntityId[]> {
    const ids = Array.from({ length: n }, () => newEntityId());
    await admin.push(
      h,
      ids.map((entityId) =>
        admin.make({ type: 'task.create', entityId, fields: taskFields(projectId, 'v0') }),
      ),
    );
    return ids;
  }

  afterEach(async () => {
    await h?.close();
  });

  it('a pull from 0 after 10 edits of each of N tasks returns each task once, at its latest state', async () => {
    await setup();
    const ids = await createTasks(20);
    for (let edit = 1; edit <= 10; edit++) {
      await admin.push(
        h,
        ids.map((entityId) =>
          admin.make({ type: 'task.update', entityId, fields: { title: `v${edit}` } }),
        ),
      );
    }
    const { changes } = await pullAll(h, admin, 0, 97);
    const tasks = changes.filter((c) => c.entity === 'task');
    expect(tasks).toHaveLength(20);
    expect(tasks.every((c) => c.entity === 'task' && c.row.title === 'v10')).toBe(true);
    // Projects and users: one entry each as well.
    expect(changes.filter((c) => c.entity === 'project')).toHaveLength(1);
    expect(changes.filter((c) => c.entity === 'user')).toHaveLength(1);
  });

  it('a first sync counts what remains once, then one page at a time (not the whole rest per page)', async () => {
    await setup();
    await createTasks(30);
    const ranges: [number, number][] = [];
    const countChanges = h.store.countChanges.bind(h.store);
    h.store.countChanges = (orgId, after, upTo, liveThrough) => {
      ranges.push([after, upTo]);
      return countChanges(orgId, after, upTo, liveThrough);
    };
    const pages: PullResponse[] = [];
    let cursor = 0;
    do {
      pages.push(await pull(h, admin, cursor, 8));
      cursor = pages.at(-1)!.cursor;
    } while (pages.at(-1)!.hasMore);
    expect(pages.length).toBeGreaterThan(3);
    // Each page's `remaining` is what the later pages bring (activities not counted).
    const rows = pages.map((p) => p.changes.filter((c) => c.entity !== 'activity').length);
    pages.forEach((p, i) => {
      expect(p.remaining, `page ${i}`).toBe(rows.slice(i + 1).reduce((a, b) => a + b, 0));
    });
    // The rest was counted once; each later page counted only its own entries.
    const head = pages[0]!.headCursor;
    expect(ranges[0]).toEqual([pages[0]!.cursor, head]);
    expect(ranges.slice(1)).toEqual(pages.slice(1, -1).map((p, i) => [pages[i]!.cursor, p.cursor]));
  });

  it('a snapshot download from 0 leaves out tombstones written before it began, not after', async () => {
    await setup();
    const ids = await createTasks(6);
    await admin.push(
      h,
      ids.slice(0, 3).map((entityId) => admin.make({ type: 'task.delete', entityId })),
    );
    const snapshot = (cursor: number, liveThrough?: number) =>
      h.engine.pull(admin.actor, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: admin.clientId,
        cursor,
        limit: 12,
        snapshot: true,
        ...(liveThrough === undefined ? {} : { liveThrough }),
      });
    const first = pullResponseSchema.parse(await snapshot(0));
    expect(first.liveThrough).toBe(first.headCursor);
    expect(first.changes.map((c) => c.entity)).toContain('task');
    // Another device deletes a task this download has already received.
    const received = first.changes.find((c) => c.entity === 'task')!.entityId as EntityId;
    await admin.push(h, [admin.make({ type: 'task.delete', entityId: received })]);
    const changes = [...first.changes];
    let page = first;
    while (page.hasMore) {
      page = pullResponseSchema.parse(await snapshot(page.cursor, first.liveThrough));
      changes.push(...page.changes);
    }
    const tombstones = changes.filter((c) => c.entity === 'task' && c.deleted !== null);
    expect(tombstones.map((c) => c.entityId)).toEqual([received]);
    expect(new Set(changes.filter((c) => c.entity === 'task').map((c) => c.entityId))).toEqual(
      new Set(ids.slice(3)),
    );
    // `remaining` counts what the download will send, not the tombstones it leaves out.
    const later = changes.slice(first.changes.length);
    expect(first.remaining).toBe(
      later.filter((c) => c.entity !== 'activity' && c.seq <= first.headCursor).length,
    );

    // `liveThrough` without `snapshot` is refused naming it (it used to be ignored), and the
    // client id it names stays unbound.
    const stray = newClientId();
    for (const snapshotFlag of [undefined, false]) {
      await expect(
        h.engine.pull(admin.actor, {
          protocolVersion: PROTOCOL_VERSION,
          clientId: stray,
          cursor: first.cursor,
          liveThrough: first.liveThrough!,
          ...(snapshotFlag === undefined ? {} : { snapshot: snapshotFlag }),
        }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        details: [
          {
            path: '/liveThrough',
            message:
              'is read only with "snapshot": true (the pages of a snapshot download after the first)',
          },
        ],
      });
    }
    expect(await h.store.getClient(stray as ClientId)).toBeNull();

    // A pull that is not a snapshot download (and protocol 3) still gets every tombstone.
    const everything = await pullAll(h, admin, 0, 4);
    expect(everything.changes.filter((c) => c.deleted !== null)).toHaveLength(4);
    const v3 = await h.engine.pull(admin.actor, {
      protocolVersion: 3,
      clientId: admin.clientId,
      cursor: 0,
      limit: 1000,
    });
    expect(v3.changes.filter((c) => c.deleted !== null)).toHaveLength(4);
    expect(v3).not.toHaveProperty('liveThrough');
  });

  it('answers 410 RESYNC_REQUIRED below the purge horizon; the snapshot from 0 lacks the purged rows', async () => {
    await setup();
    const [keep, gone] = await createTasks(2);
    const seen = await pullAll(h, admin);
    await admin.push(h, [admin.make({ type: 'task.delete', entityId: gone! })]);
    const afterDelete = await pullAll(h, admin, seen.cursor);
    expect(afterDelete.changes.some((c) => c.entityId === gone && c.deleted !== null)).toBe(true);

    // Not old enough yet: nothing purged, old cursors still fine.
    expect((await purgeHistory(h.store, keepActivities, h.time)).tombstones).toBe(0);
    await expect(pull(h, admin, seen.cursor)).resolves.toBeDefined();

    h.time += 31 * DAY;
    expect((await purgeHistory(h.store, keepActivities, h.time)).tombstones).toBe(1);
    const horizon = await h.store.purgeHorizon(ORG);
    expect(horizon).toBeGreaterThan(seen.cursor);
    // A replica that never saw the tombstone cannot be brought up to date incrementally.
    await expect(pull(h, admin, seen.cursor, 1000, seen.last.purgeHorizon)).rejects.toMatchObject({
      code: 'RESYNC_REQUIRED',
      status: 410,
      details: { cursor: seen.cursor, horizon },
    });
    // One that saw it (cursor ≥ horizon) and a new one (cursor 0) are fine.
    await expect(pull(h, admin, afterDelete.cursor)).resolves.toMatchObject({ hasMore: false });
    const snapshot = await pullAll(h, admin, 0);
    expect(snapshot.changes.map((c) => c.entityId)).toContain(keep);
    expect(snapshot.changes.map((c) => c.entityId)).not.toContain(gone);
    expect(await h.store.getRow(gone!)).toBeNull();
    // A late edit of the purged row is refused as unknown, not resurrected.
    const late = await admin.push(h, [
      admin.make({ type: 'task.update', entityId: gone!, fields: { title: 'late' } }),
    ]);
    expect(late.results[0]).toMatchObject({ status: 'rejected', code: 'not_found' });
    // So is a create of its id (a restored copy resending it): ids are never reused, and
    // before the purge it would have merged into the tombstone and stayed deleted.
    const again = await admin.push(h, [
      admin.make({ type: 'task.create', entityId: gone!, fields: taskFields(projectId, 'again') }),
    ]);
    expect(again.results[0]).toMatchObject({ status: 'rejected', code: 'validation' });
    expect(again.results[0]).toHaveProperty('reason', expect.stringMatching(/purged/));
    expect(await h.store.getRow(gone!)).toBeNull();
    expect((await pullAll(h, admin, 0)).changes.map((c) => c.entityId)).not.toContain(gone);
  });

  it('pages a new replica through its first sync after a purge, and ends at the head', async () => {
    await setup();
    const ids = await createTasks(3);
    await admin.push(h, [admin.make({ type: 'task.delete', entityId: ids[2]! })]);
    h.time += 31 * DAY;
    await purgeHistory(h.store, { tombstoneDays: 30, activityDays: 1 }, h.time);
    const head = await h.engine.head(ORG);
    const horizon = await h.store.purgeHorizon(ORG);
    const page = await pull(h, admin, 0, 2);
    expect(page).toMatchObject({ hasMore: true, purgeHorizon: horizon });
    // Its cursor is below the horizon, but it started after the purge: no resync.
    expect(page.cursor).toBeLessThan(horizon);
    const rest = await pull(h, admin, page.cursor, 1000, page.purgeHorizon);
    expect(rest).toMatchObject({ cursor: head, hasMore: false, headCursor: head });
    // The same cursor from a replica that last synced before the purge must resync.
    await expect(pull(h, admin, page.cursor, 1000, 0)).rejects.toMatchObject({
      code: 'RESYNC_REQUIRED',
    });
  });

  it('a page full of rows reads no activity past its last row, and none below the window', async () => {
    await setup({ activityWindow: { entries: 4, days: 30 } });
    await createTasks(20);
    const whole = await pull(h, admin, 0, 1000);
    // The window queries (not a client's own notices) each page makes, and its rows' last seq.
    const queried: { afterSeq?: number; beforeSeq?: number }[] = [];
    const activities = h.store.activities.bind(h.store);
    h.store.activities = (orgId, q) => {
      if (q.clientId === undefined) queried.push({ ...q });
      return activities(orgId, q);
    };
    const pages: { full: boolean; lastRow: number; queries: typeof queried }[] = [];
    const paged: PullResponse['changes'] = [];
    let cursor = 0;
    for (;;) {
      queried.length = 0;
      const page = await pull(h, admin, cursor, 5);
      const rows = page.changes.filter((c) => c.entity !== 'activity');
      pages.push({
        full: rows.length === 5,
        lastRow: rows.at(-1)?.seq ?? 0,
        queries: [...queried],
      });
      paged.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    // The same changes as one page, and a full page below the window asked for no activity.
    expect(paged).toEqual(whole.changes);
    const floor = whole.activityFloor;
    const below = pages.filter((p) => p.full && p.lastRow < floor);
    expect(below.length).toBeGreaterThan(1);
    for (const p of below) expect(p.queries).toEqual([]);
    for (const p of pages.filter((p) => p.full && p.lastRow >= floor))
      expect(p.queries.map((q) => q.beforeSeq)).toEqual([p.lastRow + 1]);
  });

  it('sends the newest activities only, plus this client\u2019s own notices; older ones page over REST', async () => {
    await setup({ activityWindow: { entries: 3, days: 30 } });
    const member = new FakeClient(await h.actor(ORG, 'member', 'mo'), () => h.time);
    // The member's delete of a project is refused: a notice only this client needs.
    const refused = await member.push(h, [
      member.make({ type: 'project.delete', entityId: projectId }),
    ]);
    expect(refused.results[0]).toMatchObject({ status: 'rejected' });
    await createTasks(6); // six `create` activities push the rejection out of the window
    const all = await h.activities(ORG);
    const newest3 = all.slice(-3).map((a) => a.id);

    const forMember = await pullAll(h, member);
    const memberActs = forMember.changes
      .filter((c) => c.entity === 'activity')
      .map((c) => c.row as Activity);
    expect(memberActs.map((a) => a.action)).toEqual(['rejected', 'create', 'create', 'create']);
    expect(memberActs.slice(1).map((a) => a.id)).toEqual(newest3);
    expect(forMember.last.activityFloor).toBe(all.at(-3)!.version);

    // Another client of the org gets the window only.
    const forAdmin = await pullAll(h, admin);
    expect(forAdmin.changes.filter((c) => c.entity === 'activity').map((c) => c.row.id)).toEqual(
      newest3,
    );

    // Older activity, newest first, paged by seq until exhausted.
    const older: Activity[] = [];
    let before: number | null = forAdmin.last.activityFloor;
    while (before !== null) {
      const page = await h.engine.activityPage(admin.actor, { before, limit: 2 });
      older.push(...page.data);
      before = page.nextBefore;
    }
    expect(older.map((a) => a.id)).toEqual(
      all
        .slice(0, -3)
        .reverse()
        .map((a) => a.id),
    );

    // Thirty-one days later nothing is recent: a new replica gets no activity at all.
    h.time += 31 * DAY;
    const later = await pullAll(h, admin);
    expect(later.changes.filter((c) => c.entity === 'activity')).toEqual([]);
    expect(later.last.activityFloor).toBe((await h.engine.head(ORG)) + 1);
  });

  it('purges activities older than ACTIVITY_RETENTION_DAYS and keeps them when it is unset', async () => {
    await setup();
    await createTasks(2);
    const before = (await h.activities(ORG)).length;
    h.time += 400 * DAY;
    await createTasks(1);
    expect((await purgeHistory(h.store, keepActivities, h.time)).activities).toBe(0);
    expect(await h.activities(ORG)).toHaveLength(before + 1);
    const r = await purgeHistory(h.store, { tombstoneDays: 30, activityDays: 365 }, h.time);
    expect(r.activities).toBe(before);
    expect(await h.activities(ORG)).toHaveLength(1);
  });
});
