import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type HlcString, type Mutation, type OrgId } from '@outpost/shared';
import { AppError } from '../src/errors.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_push' as OrgId;

async function snapshot(h: EngineHarness, org: OrgId = ORG) {
  return {
    head: await h.engine.head(org),
    log: await h.store.changes(org, 0, 10_000),
    activities: await h.store.activities(org, { afterSeq: 0, limit: 10_000 }),
  };
}

describe('sync push: exactly once, in order', () => {
  let h: EngineHarness;
  let ana: FakeClient;
  beforeEach(async () => {
    h = new EngineHarness();
    ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
  });
  afterEach(() => h.close());

  function batch(n: number): Mutation[] {
    const projectId = newEntityId();
    const ms: Mutation[] = [
      ana.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ana.actor.user.id),
      }),
    ];
    for (let i = 1; i < n; i++)
      ms.push(
        ana.make({
          type: 'task.create',
          entityId: newEntityId(),
          fields: taskFields(projectId, `t${i}`),
        }),
      );
    return ms;
  }

  it('applies a batch once and answers a replay as duplicate without reapplying', async () => {
    const ms = batch(3);
    const first = await ana.push(h, ms);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(first.lastMutationId).toBe(3);
    const before = await snapshot(h);
    expect(first.cursor).toBe(before.head);

    const replay = await ana.push(h, ms);
    expect(replay.results).toEqual(ms.map((m) => ({ id: m.id, status: 'duplicate' })));
    expect(replay.lastMutationId).toBe(3);
    expect(await snapshot(h)).toEqual(before);
  });

  it('applies only the new tail of an overlapping batch', async () => {
    const ms = batch(4);
    await ana.push(h, ms.slice(0, 2));
    const res = await ana.push(h, ms.slice(1));
    expect(res.results.map((r) => [r.id, r.status])).toEqual([
      [2, 'duplicate'],
      [3, 'applied'],
      [4, 'applied'],
    ]);
    const tasks = await h.engine.list(ORG, { entity: 'task', filter: {}, limit: 100 });
    expect(tasks.items.map((t) => ('title' in t ? t.title : null)).sort()).toEqual([
      't1',
      't2',
      't3',
    ]);
  });

  it('refuses a gap with MUTATION_GAP and applies nothing of that push', async () => {
    const ms = batch(4);
    await ana.push(h, ms.slice(0, 1));
    const before = await snapshot(h);
    const err = await ana.push(h, ms.slice(2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'MUTATION_GAP',
      status: 409,
      details: { expected: 2, received: 3 },
    });
    expect(await snapshot(h)).toEqual(before);
    expect((await h.store.getClient(ana.clientId))?.lastMutationId).toBe(1);
  });

  it('refuses a gap inside one batch without applying its valid prefix', async () => {
    const ms = batch(4);
    const before = await snapshot(h);
    await expect(ana.push(h, [ms[0]!, ms[1]!, ms[3]!])).rejects.toMatchObject({
      code: 'MUTATION_GAP',
      details: { expected: 3, received: 4 },
    });
    expect(await snapshot(h)).toEqual(before);
    expect(await h.store.getClient(ana.clientId)).toBeNull();
  });

  it('converges to the in-order result when deliveries arrive reordered and duplicated', async () => {
    const ms = batch(5);
    const deliveries = [
      [ms[2]!],
      [ms[0]!, ms[1]!],
      [ms[4]!],
      [ms[0]!],
      [ms[2]!, ms[3]!],
      [ms[3]!, ms[4]!],
      [ms[1]!],
    ];
    for (const d of deliveries)
      await ana.push(h, d).catch((e: unknown) => expect(e).toMatchObject({ code: 'MUTATION_GAP' }));
    expect((await h.store.getClient(ana.clientId))?.lastMutationId).toBe(5);

    // The in-order result: every mutation applied exactly once, stamped with its own clock.
    const tasks = await h.store.listRows({
      orgId: ORG,
      entity: 'task',
      filter: {},
      afterId: null,
      limit: 100,
    });
    const expected = ms
      .slice(1)
      .map((m) => [m.entityId, (m as { fields: { title: string } }).fields.title, m.hlc]);
    expect(tasks.map((r) => [r.id, r.data['title'], r.clocks['title']]).sort()).toEqual(
      expected.sort(),
    );
    const creates = (await h.activities(ORG, 'create')).filter((a) => a.entity === 'task');
    expect(creates).toHaveLength(4);
    // Rows and activities share one gap-free seq space.
    const log = await h.store.changes(ORG, 0, 1000);
    const acts = await h.store.activities(ORG, { afterSeq: 0, limit: 1000 });
    expect([...log, ...acts].map((c) => c.seq).sort((a, b) => a - b)).toEqual(
      [...log, ...acts].map((_, i) => i + 1),
    );
  });

  it('refuses too-old and too-new protocol versions without writing', async () => {
    const ms = batch(1);
    const before = await snapshot(h);
    await expect(
      h.engine.push(ana.actor, { protocolVersion: 0, clientId: ana.clientId, mutations: ms }),
    ).rejects.toMatchObject({ code: 'CLIENT_TOO_OLD', status: 409 });
    await expect(
      h.engine.push(ana.actor, {
        protocolVersion: PROTOCOL_VERSION + 1,
        clientId: ana.clientId,
        mutations: ms,
      }),
    ).rejects.toMatchObject({ code: 'SERVER_TOO_OLD', status: 409 });
    await expect(
      h.engine.pull(ana.actor, { protocolVersion: 0, clientId: ana.clientId, cursor: 0 }),
    ).rejects.toMatchObject({ code: 'CLIENT_TOO_OLD' });
    expect(await snapshot(h)).toEqual(before);
  });

  it('rejects a create whose id is a UUID in upper case (a second row of one UUID), alone', async () => {
    const project = batch(1)[0]!;
    await ana.push(h, [project]);
    const before = await snapshot(h);
    const upper = ana.make({
      type: 'project.create',
      entityId: project.entityId.toUpperCase() as typeof project.entityId,
      fields: projectFields(ana.actor.user.id),
    });
    const res = await ana.push(h, [upper]);
    expect(res.results).toEqual([
      {
        id: upper.id,
        status: 'rejected',
        code: 'validation',
        reason: `entityId ${upper.entityId} must be a UUIDv7 in lower case, as generated`,
      },
    ]);
    const after = await snapshot(h);
    expect(after.log.filter((c) => c.entity === 'project')).toEqual(
      before.log.filter((c) => c.entity === 'project'),
    );
  });

  it('binds a client id to its first user: another user of the same id is refused', async () => {
    await ana.push(h, batch(1));
    const ben = await h.actor(ORG, 'manager', 'ben');
    const stolen = ana.make({
      type: 'project.create',
      entityId: newEntityId(),
      fields: projectFields(ben.user.id),
    });
    await expect(
      h.engine.push(ben, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: ana.clientId,
        mutations: [stolen],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(
      h.engine.pull(ben, { protocolVersion: PROTOCOL_VERSION, clientId: ana.clientId, cursor: 0 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("refuses a push stamped with another client's id, whoever's it is, and writes nothing", async () => {
    // A conflict names the writer of a stored value from its stamp's node, so a stamp ending
    // in another device's id would have that device (and its user) named as the writer.
    const ben = new FakeClient(await h.actor(ORG, 'manager', 'ben'), () => h.time);
    const anaLaptop = new FakeClient(ana.actor, () => h.time);
    const projectId = newEntityId();
    await ana.push(h, [
      ana.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ana.actor.user.id),
      }),
    ]);
    await ben.push(h, [
      ben.make({ type: 'project.update', entityId: projectId, fields: { description: 'b' } }),
    ]);
    const before = await snapshot(h);
    const update = (id: number, hlc: HlcString, fields: object): Mutation =>
      ({ type: 'project.update', id, hlc, entityId: projectId, fields }) as Mutation;
    // The laptop's first push, one mutation stamped as Ben's device (then as Ana's phone) and
    // one of its own: the whole push is refused.
    for (const other of [ben, ana]) {
      await expect(
        anaLaptop.push(h, [
          update(1, other.clock.now(), { name: 'Not mine' }),
          update(2, anaLaptop.clock.now(), { status: 'archived' }),
        ]),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        status: 400,
        details: [
          {
            path: '/mutations/0/hlc',
            message: expect.stringMatching(/^must end in this push's client id/),
          },
        ],
      });
      expect(await snapshot(h)).toEqual(before);
      expect(await h.store.getClient(anaLaptop.clientId)).toBeNull();
    }
    // Nothing was taken: the laptop's own mutation 1 is still its first.
    const ok = await anaLaptop.push(h, [
      anaLaptop.make({ type: 'project.update', entityId: projectId, fields: { name: 'Mine' } }),
    ]);
    expect(ok).toMatchObject({ lastMutationId: 1, results: [{ id: 1, status: 'applied' }] });
  });

  it('lets a sync credential push only for its own client id, and never pull', async () => {
    const viaCredential = { ...ana.actor, via: 'sync-credential' as const, clientId: ana.clientId };
    const ms = batch(2);
    await expect(
      h.engine.push(
        { ...viaCredential, clientId: newEntityId() as unknown as typeof ana.clientId },
        { protocolVersion: PROTOCOL_VERSION, clientId: ana.clientId, mutations: ms },
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const ok = await h.engine.push(viaCredential, {
      protocolVersion: PROTOCOL_VERSION,
      clientId: ana.clientId,
      mutations: ms,
    });
    expect(ok.lastMutationId).toBe(2);
    await expect(
      h.engine.pull(viaCredential, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: ana.clientId,
        cursor: 0,
      }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message:
        'A sync credential may only push and sign its own device out (POST /api/v1/auth/sign-out): a pull needs a session token',
    });
  });

  it('announces each commit that advanced the log with the new head, once', async () => {
    const seen: [OrgId, number][] = [];
    const off = h.engine.onCommit((org, cursor) => {
      seen.push([org, cursor]);
    });
    const ms = batch(2);
    const res = await ana.push(h, ms);
    await ana.push(h, ms); // pure replay: nothing committed, nothing announced
    off();
    await ana.push(h, batch(1));
    expect(seen).toEqual([[ORG, res.cursor]]);
  });
});

describe('sync push: references', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = new EngineHarness();
  });
  afterEach(() => h.close());

  it('an update keeping a reference to a user removed since applies; a new one to them is rejected; their tasks were unassigned', async () => {
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const ben = await h.actor(ORG, 'member', 'ben');
    const projectId = newEntityId();
    const kept = newEntityId();
    const other = newEntityId();
    const setUp = await ana.push(h, [
      ana.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ben.user.id),
      }),
      ana.make({
        type: 'task.create',
        entityId: kept,
        fields: { ...taskFields(projectId), assigneeId: ben.user.id },
      }),
      ana.make({ type: 'task.create', entityId: other, fields: taskFields(projectId) }),
    ]);
    expect(setUp.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(
      await h.engine.removeMember(ORG, ben.user.externalId, { requestId: 'r', reason: 'left' }),
    ).toBe(true);

    const res = await ana.push(h, [
      // What the row already holds (a writer sending the whole row back) is not checked again.
      ana.make({ type: 'task.update', entityId: kept, fields: { title: 'Kept' } }),
      ana.make({
        type: 'project.update',
        entityId: projectId,
        fields: { name: 'Renamed', ownerId: ben.user.id },
      }),
      ana.make({ type: 'task.update', entityId: other, fields: { assigneeId: ben.user.id } }),
    ]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(res.results[2]).toMatchObject({
      code: 'validation',
      reason: `assigneeId: user ${ben.user.id} is deleted`,
    });
    // The removal unassigned Ben's task; the project keeps its owner.
    expect(await h.engine.get(ORG, 'task', kept)).toMatchObject({
      title: 'Kept',
      assigneeId: null,
    });
    expect(await h.engine.get(ORG, 'project', projectId)).toMatchObject({ ownerId: ben.user.id });
    expect(await h.engine.get(ORG, 'task', other)).toMatchObject({ assigneeId: null });
  });
});

describe('sync push: device clocks', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = new EngineHarness();
  });
  afterEach(() => h.close());

  it('refuses a stamp more than a day ahead without moving the server clock', async () => {
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const future = new FakeClient(ana.actor, () => h.time + 3 * 24 * 3600_000);
    const projectId = newEntityId();
    await ana.push(h, [
      ana.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ana.actor.user.id),
      }),
    ]);
    const res = await future.push(h, [
      future.make({
        type: 'project.update',
        entityId: projectId,
        fields: { name: 'From the future' },
      }),
    ]);
    expect(res.results[0]).toMatchObject({
      status: 'rejected',
      code: 'validation',
      reason: expect.stringContaining('clock'),
    });
    // A later REST write is stamped from the server's own time, not the refused stamp.
    const p = await h.engine.applyRest(ana.actor, {
      kind: 'update',
      entity: 'project',
      entityId: projectId,
      fields: { name: 'Now' },
    });
    expect(p).toMatchObject({ name: 'Now' });
    const clock = (await h.store.getRow(projectId))!.clocks['name']!;
    expect(Number(clock.slice(0, 15))).toBeLessThan(h.time + 1000);
  });
});
