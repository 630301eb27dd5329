import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type Mutation, type OrgId } from '@outpost/shared';
import type { Committed } from '../src/engine/types.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_carry' as OrgId;

/** Every commit the engine announces, with what a poke would carry for it. */
function record(h: EngineHarness) {
  const commits: { cursor: number; committed: Committed | null }[] = [];
  h.engine.onCommit((org, cursor, committed) => {
    if (org === ORG) commits.push({ cursor, committed });
  });
  return commits;
}

/** A pull by `client` from `cursor`, as it crosses the wire (JSON). */
async function pullFrom(h: EngineHarness, client: FakeClient, cursor: number) {
  const page = await h.engine.pull(client.actor, {
    protocolVersion: PROTOCOL_VERSION,
    clientId: client.clientId,
    cursor,
  });
  return JSON.parse(JSON.stringify(page)) as typeof page;
}

describe('what a poke carries', () => {
  let h: EngineHarness;
  afterEach(() => h.close());

  it('is exactly what a pull from the commit’s start returns: rows once, activities, conflicts', async () => {
    h = new EngineHarness();
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const ben = new FakeClient(await h.actor(ORG, 'member', 'ben'), () => h.time);
    const commits = record(h);
    const projectId = newEntityId();
    const taskId = newEntityId();
    const benEdit = ben.make({ type: 'task.update', entityId: taskId, fields: { title: 'Ben' } });
    h.time += 1000;
    // One batch writes the task twice: the log (and the poke) hold it once, at its last seq.
    const anaWrites = [
      ana.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ana.actor.user.id),
      }),
      ana.make({ type: 'task.create', entityId: taskId, fields: taskFields(projectId, 'One') }),
      ana.make({ type: 'task.update', entityId: taskId, fields: { title: 'Ana' } }),
    ];
    const checked: number[] = [];
    const pushes: [FakeClient, Mutation[]][] = [
      [ana, anaWrites],
      [ben, [benEdit]], // an older clock: ben's title loses, a conflict activity names both
    ];
    for (const [who, mutations] of pushes) {
      const res = await who.push(h, mutations);
      const { cursor, committed } = commits.at(-1)!;
      expect(cursor).toBe(res.cursor);
      const carried = await h.engine.carry(ORG, committed!);
      const pulled = await pullFrom(h, ben, committed!.from);
      expect(JSON.parse(JSON.stringify(carried))).toEqual({
        from: committed!.from,
        changes: pulled.changes,
        activityFloor: pulled.activityFloor,
      });
      expect(pulled.cursor).toBe(cursor);
      checked.push(pulled.changes.length);
    }
    // Project, task (once) and their three activities; then the conflict activity alone.
    expect(checked).toEqual([5, 1]);
    expect(commits.at(-1)!.committed!.changes[0]!.row).toMatchObject({ action: 'conflict' });
  });

  it('is nothing when an activity of the commit is already below the pull’s window', async () => {
    // A window of one entry: a commit of two activities leaves the first to its own client's
    // notices only, so a pull would answer differently per client.
    h = new EngineHarness({ activityWindow: { entries: 1, days: 30 } });
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const commits = record(h);
    const projectId = newEntityId();
    await ana.push(h, [
      ana.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(ana.actor.user.id),
      }),
      ana.make({ type: 'task.create', entityId: newEntityId(), fields: taskFields(projectId) }),
    ]);
    expect(await h.engine.carry(ORG, commits.at(-1)!.committed!)).toBeNull();
    await ana.push(h, [
      ana.make({ type: 'task.create', entityId: newEntityId(), fields: taskFields(projectId) }),
    ]);
    const one = await h.engine.carry(ORG, commits.at(-1)!.committed!);
    expect(one?.changes.map((c) => c.entity)).toEqual(['task', 'activity']);
  });

  it('is announced without changes when a commit is too large to carry', async () => {
    h = new EngineHarness();
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const commits = record(h);
    const projectId = newEntityId();
    const project = ana.make({
      type: 'project.create',
      entityId: projectId,
      fields: projectFields(ana.actor.user.id),
    });
    const tasks = Array.from({ length: 40 }, (_, i) =>
      ana.make({
        type: 'task.create',
        entityId: newEntityId(),
        fields: taskFields(projectId, `t${i}`),
      }),
    );
    await ana.push(h, [project, ...tasks]);
    expect(commits.at(-1)).toMatchObject({ committed: null });
  });
});

describe('what a push answer echoes (protocol ≥ 7)', () => {
  let h: EngineHarness;
  afterEach(() => h.close());

  /** A batch of `n` task creates in a new project (one row and one activity each). */
  function batch(who: FakeClient, n: number): Mutation[] {
    const projectId = newEntityId();
    return [
      who.make({
        type: 'project.create',
        entityId: projectId,
        fields: projectFields(who.actor.user.id),
      }),
      ...Array.from({ length: n }, (_, i) =>
        who.make({
          type: 'task.create',
          entityId: newEntityId(),
          fields: taskFields(projectId, `t${i}`),
        }),
      ),
    ];
  }

  it('is the push’s own entries, as a pull from its start returns them', async () => {
    h = new EngineHarness();
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const ben = new FakeClient(await h.actor(ORG, 'member', 'ben'), () => h.time);
    await ben.push(h, batch(ben, 1));
    const res = await ana.push(h, batch(ana, 20));
    const pulled = await pullFrom(h, ben, res.echo!.from);
    expect(pulled.cursor).toBe(res.cursor);
    expect(JSON.parse(JSON.stringify(res.echo))).toEqual({
      from: res.echo!.from,
      changes: pulled.changes,
      activityFloor: pulled.activityFloor,
    });
    // The project, 20 tasks and their 21 activities.
    expect(res.echo!.changes).toHaveLength(42);
  });

  it('shares the poke’s carry: the activity window is read once per commit', async () => {
    h = new EngineHarness();
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    let reads = 0;
    const start = h.store.activityWindowStart.bind(h.store);
    h.store.activityWindowStart = (...args) => {
      reads++;
      return start(...args);
    };
    // As the socket hub does: each commit's poke asks what it carries.
    const poked: Promise<unknown>[] = [];
    h.engine.onCommit((org, _cursor, committed) => {
      if (committed) poked.push(h.engine.carry(org, committed));
    });
    const res = await ana.push(h, batch(ana, 2));
    await Promise.all(poked);
    expect(res.echo).toBeDefined();
    expect(reads).toBe(1);
  });

  it('is left out, as from the poke, when the commit is larger than a poke carries', async () => {
    h = new EngineHarness();
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const commits = record(h);
    const res = await ana.push(h, batch(ana, 40));
    expect(res.results.every((r) => r.status === 'applied')).toBe(true);
    expect(res).not.toHaveProperty('echo');
    expect(commits.at(-1)).toMatchObject({ cursor: res.cursor, committed: null });
  });

  it('is left out for an older client, and when the push wrote nothing', async () => {
    h = new EngineHarness();
    const ana = new FakeClient(await h.actor(ORG, 'manager', 'ana'), () => h.time);
    const mutations = batch(ana, 2);
    const older = await h.engine.push(ana.actor, {
      protocolVersion: 6,
      clientId: ana.clientId,
      mutations,
    });
    expect(older.lastMutationId).toBe(mutations.at(-1)!.id);
    expect(older).not.toHaveProperty('echo');
    // A replay: every mutation a duplicate, nothing written, nothing to echo.
    const again = await ana.push(h, mutations);
    expect(again.results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(again).not.toHaveProperty('echo');
  });
});
