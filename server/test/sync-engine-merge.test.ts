import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  lostToDelete,
  PROTOCOL_VERSION,
  type Activity,
  type EntityId,
  type OrgId,
  type Task,
} from '@outpost/shared';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_merge' as OrgId;
const OTHER = 'org_other' as OrgId;

function activities(h: EngineHarness, org: OrgId, action: Activity['action']): Promise<Activity[]> {
  return h.activities(org, action);
}

describe('sync merge: conflicts, rejections, pull', () => {
  let h: EngineHarness;
  let ana: FakeClient;
  let ben: FakeClient;
  let projectId: EntityId;
  let taskId: EntityId;

  beforeEach(async () => {
    h = new EngineHarness();
    ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    ben = new FakeClient(await h.actor(ORG, 'member', 'ben'), () => h.time);
    projectId = newEntityId();
    taskId = newEntityId();
    const project = ana.make({
      type: 'project.create',
      entityId: projectId,
      fields: projectFields(ana.actor.user.id),
    });
    const created = ana.make({
      type: 'task.create',
      entityId: taskId,
      fields: taskFields(projectId, 'Draft'),
    });
    await ana.push(h, [project, created]);
    ben.clock.receive(created.hlc); // Ben has synced Ana's task
  });
  afterEach(() => h.close());

  const task = async () => (await h.engine.get(ORG, 'task', taskId)) as Task | null;

  it('keeps concurrent edits to different fields of one task', async () => {
    const base = (await h.store.getRow(taskId))!.clocks;
    const a = ana.make({
      type: 'task.update',
      entityId: taskId,
      fields: { status: 'doing' },
      base: { status: base['status']! },
    });
    const b = ben.make({
      type: 'task.update',
      entityId: taskId,
      fields: { title: 'Final' },
      base: { title: base['title']! },
    });
    await ben.push(h, [b]);
    await ana.push(h, [a]);
    expect(await task()).toMatchObject({ title: 'Final', status: 'doing' });
    expect(await activities(h, ORG, 'conflict')).toEqual([]);
  });

  for (const order of ['ben first', 'ana first'] as const) {
    it(`resolves a same-field race to the later clock and records the loser (${order})`, async () => {
      const base = (await h.store.getRow(taskId))!.clocks['title']!;
      h.time += 10;
      const a = ana.make({
        type: 'task.update',
        entityId: taskId,
        fields: { title: 'Draft v2' },
        base: { title: base },
      });
      h.time += 10;
      const b = ben.make({
        type: 'task.update',
        entityId: taskId,
        fields: { title: 'Final' },
        base: { title: base },
      });
      if (order === 'ben first') {
        await ben.push(h, [b]);
        await ana.push(h, [a]);
      } else {
        await ana.push(h, [a]);
        await ben.push(h, [b]);
      }
      const row = (await h.store.getRow(taskId))!;
      expect(row.data['title']).toBe('Final');
      expect(row.clocks['title']).toBe(b.hlc);
      const conflicts = await activities(h, ORG, 'conflict');
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ entity: 'task', entityId: taskId });
      expect(conflicts[0]!.changes).toEqual([
        {
          field: 'title',
          lost: 'Draft v2',
          lostHlc: a.hlc,
          wonHlc: b.hlc,
          to: 'Final',
          // Whichever push surfaced the conflict, Ben's value won and Ana's lost.
          winner: { userId: ben.actor.user.id, clientId: ben.clientId },
          loser: { userId: ana.actor.user.id, clientId: ana.clientId },
        },
      ]);
      // A client reading the activity does not take it for a lost-to-delete.
      expect(lostToDelete(conflicts[0]!)).toBe(false);
    });
  }

  it('delete wins over a concurrent edit, and the edit is recorded as lost', async () => {
    await ana.push(h, [ana.make({ type: 'task.delete', entityId: taskId })]);
    const edit = await ben.push(h, [
      ben.make({ type: 'task.update', entityId: taskId, fields: { title: 'Too late' } }),
    ]);
    expect(edit.results[0]).toMatchObject({ status: 'applied' });
    expect(await task()).toBeNull();
    const row = (await h.store.getRow(taskId))!;
    expect(row.deleted).not.toBeNull();
    expect((await h.engine.list(ORG, { entity: 'task', filter: {}, limit: 10 })).items).toEqual([]);
    const [conflict] = await activities(h, ORG, 'conflict');
    expect(conflict?.changes).toEqual([
      {
        field: 'title',
        lost: 'Too late',
        lostHlc: expect.any(String),
        wonHlc: row.deleted,
        winner: { userId: ana.actor.user.id, clientId: ana.clientId },
        loser: { userId: ben.actor.user.id, clientId: ben.clientId },
      },
    ]);
    // The change alone looks like one that lost to a cleared value: the activity tells.
    expect(lostToDelete(conflict!)).toBe(true);
  });

  it('deleting a project deletes its live tasks at the same clock; later edits and creates there lose', async () => {
    const other = newEntityId();
    const second = ana.make({
      type: 'task.create',
      entityId: other,
      fields: taskFields(projectId, 'Second'),
    });
    await ana.push(h, [second]);
    ben.clock.receive(second.hlc);
    const del = ana.make({ type: 'project.delete', entityId: projectId });
    await ana.push(h, [del]);
    for (const id of [taskId, other]) {
      expect(await h.engine.get(ORG, 'task', id)).toBeNull();
      expect((await h.store.getRow(id))!.deleted).toBe(del.hlc);
    }
    const deletes = await activities(h, ORG, 'delete');
    expect(deletes.map((a) => [a.entity, a.entityId]).sort()).toEqual(
      [
        ['project', projectId],
        ['task', taskId],
        ['task', other],
      ].sort(),
    );
    // Ben was offline: his edit loses (recorded), his new task is refused.
    const res = await ben.push(h, [
      ben.make({ type: 'task.update', entityId: taskId, fields: { status: 'done' } }),
      ben.make({ type: 'task.create', entityId: newEntityId(), fields: taskFields(projectId) }),
    ]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect((await activities(h, ORG, 'conflict')).map((a) => a.entityId)).toEqual([taskId]);
  });

  it('consumes rejected mutations: advances lastMutationId, records why, applies nothing', async () => {
    const foreign = new FakeClient(await h.actor(OTHER, 'admin', 'olga'), () => h.time);
    const foreignProject = newEntityId();
    await foreign.push(h, [
      foreign.make({
        type: 'project.create',
        entityId: foreignProject,
        fields: projectFields(foreign.actor.user.id),
      }),
    ]);
    const ghostProject = newEntityId();
    const ms = [
      ben.make({
        type: 'project.create',
        entityId: newEntityId(),
        fields: projectFields(ben.actor.user.id),
      }), // member: forbidden
      ben.make({ type: 'task.create', entityId: newEntityId(), fields: taskFields(ghostProject) }), // unknown project
      ben.make({
        type: 'task.create',
        entityId: newEntityId(),
        fields: taskFields(foreignProject),
      }), // other org's project
      ben.make({ type: 'task.create', entityId: foreignProject, fields: taskFields(projectId) }), // id taken in another org
      ben.make({ type: 'task.update', entityId: newEntityId(), fields: { title: 'x' } }), // unknown id
      ben.make({ type: 'task.update', entityId: foreignProject, fields: { title: 'x' } }), // other org's id
      ben.make({ type: 'task.delete', entityId: taskId }), // member may not delete
      ben.make({ type: 'task.update', entityId: taskId, fields: { title: 'ok' } }),
    ];
    const res = await ben.push(h, ms);
    expect(res.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'forbidden',
      'validation',
      'validation',
      'validation',
      'not_found',
      'not_found',
      'forbidden',
      'applied',
    ]);
    expect(res.lastMutationId).toBe(8);
    expect(
      (await h.engine.list(ORG, { entity: 'project', filter: {}, limit: 10 })).items,
    ).toHaveLength(1);
    expect((await task())?.title).toBe('ok');
    const foreignRow = (await h.store.getRow(foreignProject))!;
    expect(foreignRow.orgId).toBe(OTHER);
    expect(foreignRow.data['name']).toBe('Launch');
    const rejected = await activities(h, ORG, 'rejected');
    expect(rejected.map((a) => a.mutationId).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(
      rejected.every(
        (a) => a.clientId === ben.clientId && typeof a.reason === 'string' && a.reason.length > 0,
      ),
    ).toBe(true);
    // Never retried: the same batch again is all duplicates.
    expect((await ben.push(h, ms)).results.every((r) => r.status === 'duplicate')).toBe(true);
  });

  it('writes field-level create/update/delete activities that sync like any row', async () => {
    await ana.push(h, [
      ana.make({
        type: 'task.update',
        entityId: taskId,
        fields: { title: 'Renamed', status: 'todo' },
      }),
    ]);
    const [update] = await activities(h, ORG, 'update');
    // status did not change value, so only the title is reported
    expect(update).toMatchObject({
      entity: 'task',
      entityId: taskId,
      actorId: ana.actor.user.id,
      changes: [{ field: 'title', from: 'Draft', to: 'Renamed' }],
    });
    const all = await h.pullAll(ana.actor, ana.clientId);
    expect(
      all.filter((c) => c.entity === 'activity').map((c) => (c.row as Activity).action),
    ).toEqual(['create', 'create', 'create', 'create', 'update']);
  });

  it('pulls every change of the caller org in seq order, paged, with lastMutationId', async () => {
    for (let i = 0; i < 6; i++)
      await ana.push(h, [
        ana.make({
          type: 'task.create',
          entityId: newEntityId(),
          fields: taskFields(projectId, `t${i}`),
        }),
      ]);
    const head = await h.engine.head(ORG);
    const page = await h.engine.pull(ana.actor, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: ana.clientId,
      cursor: 0,
      limit: 5,
    });
    expect(page).toMatchObject({ cursor: 5, hasMore: true, headCursor: head, lastMutationId: 8 });
    const all = await h.pullAll(ana.actor, ana.clientId, 4);
    expect(all.map((c) => c.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const lastTask = all.filter((c) => c.entity === 'task').at(-1)!;
    expect(lastTask.row).toMatchObject({ title: 't5', version: lastTask.seq, orgId: ORG });
    const end = await h.engine.pull(ana.actor, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: ana.clientId,
      cursor: head,
    });
    expect(end).toMatchObject({ changes: [], cursor: head, hasMore: false, headCursor: head });
  });

  it('refuses a cursor ahead of the head with BAD_CURSOR and hides other orgs', async () => {
    const head = await h.engine.head(ORG);
    await expect(
      h.engine.pull(ana.actor, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: ana.clientId,
        cursor: head + 1,
      }),
    ).rejects.toMatchObject({
      code: 'BAD_CURSOR',
      status: 400,
      details: { cursor: head + 1, head },
    });
    const olga = await h.actor(OTHER, 'admin', 'olga');
    const other = new FakeClient(olga, () => h.time);
    const theirs = await h.pullAll(olga, other.clientId);
    expect(theirs.every((c) => c.row.orgId === OTHER)).toBe(true);
    expect(theirs.some((c) => c.entityId === taskId)).toBe(false);
  });
});
