import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Activity, EntityId, OrgId, Project, Task, User } from '@outpost/shared';
import { Engine } from '../src/engine/engine.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Actor } from '../src/engine/types.js';
import {
  EngineHarness,
  FakeClient,
  newEntityId,
  projectFields,
  taskFields,
} from './sync-harness.js';

const ORG = 'org_rest' as OrgId;
const OTHER = 'org_rest_other' as OrgId;

describe('REST writes through the engine', () => {
  let h: EngineHarness;
  let admin: Actor;
  let member: Actor;
  beforeEach(async () => {
    h = new EngineHarness();
    admin = await h.actor(ORG, 'admin', 'ada');
    member = await h.actor(ORG, 'member', 'max');
  });
  afterEach(() => h.close());

  const activities = (action: Activity['action']) => h.activities(ORG, action);

  async function createProject(): Promise<Project> {
    return (await h.engine.applyRest(admin, {
      kind: 'create',
      entity: 'project',
      entityId: newEntityId(),
      fields: projectFields(admin.user.id),
    })) as Project;
  }

  it('creates, updates (partial and replace) and deletes, versioned by seq, audited', async () => {
    const p = await createProject();
    expect(p.version).toBe((await h.engine.head(ORG)) - 1); // the create activity follows the row
    const patched = (await h.engine.applyRest(admin, {
      kind: 'update',
      entity: 'project',
      entityId: p.id,
      fields: { name: 'Renamed' },
      ifMatch: { header: `"${p.version}"`, strong: [String(p.version)] },
    })) as Project;
    expect(patched).toMatchObject({ name: 'Renamed', status: 'active', createdAt: p.createdAt });
    expect(patched.version).toBeGreaterThan(p.version);
    await expect(
      h.engine.applyRest(admin, {
        kind: 'update',
        entity: 'project',
        entityId: p.id,
        fields: { name: 'Only name' },
        replace: true,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION', status: 400 });
    const replaced = (await h.engine.applyRest(admin, {
      kind: 'update',
      entity: 'project',
      entityId: p.id,
      fields: { ...projectFields(admin.user.id, 'Whole'), status: 'archived' },
      replace: true,
    })) as Project;
    expect(replaced).toMatchObject({ name: 'Whole', status: 'archived' });
    await h.engine.applyRest(admin, { kind: 'delete', entity: 'project', entityId: p.id });
    expect(await h.engine.get(ORG, 'project', p.id)).toBeNull();
    await expect(
      h.engine.applyRest(admin, { kind: 'delete', entity: 'project', entityId: p.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (await activities('update')).map((a) => a.changes.map((c) => [c.field, c.from, c.to])),
    ).toEqual([
      [['name', 'Launch', 'Renamed']],
      [
        ['name', 'Renamed', 'Whole'],
        ['status', 'active', 'archived'],
      ],
    ]);
    expect((await activities('delete')).map((a) => a.entityId)).toEqual([p.id]);
  });

  it('treats an explicit undefined field as not written', async () => {
    const p = await createProject();
    const patched = (await h.engine.applyRest(admin, {
      kind: 'update',
      entity: 'project',
      entityId: p.id,
      fields: { name: 'Renamed', description: undefined },
    })) as Project;
    expect(patched).toMatchObject({ name: 'Renamed', description: '' });
    expect(Object.keys((await h.store.getRow(p.id))!.clocks).sort()).toEqual([
      'description',
      'name',
      'ownerId',
      'status',
    ]);
    expect((await h.store.getRow(p.id))!.clocks['description']).toBe(
      (await h.store.getRow(p.id))!.clocks['ownerId'],
    );
  });

  it('announces REST writes and audit entries to commit listeners, never failed writes', async () => {
    const seen: number[] = [];
    h.engine.onCommit((org, cursor) => {
      expect(org).toBe(ORG);
      seen.push(cursor);
    });
    const p = await createProject();
    await expect(
      h.engine.applyRest(member, { kind: 'delete', entity: 'project', entityId: p.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      h.engine.applyRest(admin, {
        kind: 'update',
        entity: 'project',
        entityId: p.id,
        fields: { name: '' },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(seen).toEqual([p.version + 1, p.version + 2]); // the create (+ its activity), the denial
    expect(await h.engine.head(ORG)).toBe(p.version + 2);
  });

  it('answers If-Match mismatch with 412 and writes nothing', async () => {
    const p = await createProject();
    const head = await h.engine.head(ORG);
    await expect(
      h.engine.applyRest(admin, {
        kind: 'update',
        entity: 'project',
        entityId: p.id,
        fields: { name: 'x' },
        ifMatch: { header: `"${p.version + 1}"`, strong: [String(p.version + 1)] },
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
    await expect(
      h.engine.applyRest(admin, {
        kind: 'delete',
        entity: 'project',
        entityId: p.id,
        ifMatch: { header: '"1"', strong: ['1'] },
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await h.engine.head(ORG)).toBe(head);
  });

  it("hides other orgs' rows: 404 on write, null on get, absent from lists", async () => {
    const p = await createProject();
    const olga = await h.actor(OTHER, 'admin', 'olga');
    await expect(
      h.engine.applyRest(olga, {
        kind: 'update',
        entity: 'project',
        entityId: p.id,
        fields: { name: 'stolen' },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(
      h.engine.applyRest(olga, { kind: 'delete', entity: 'project', entityId: p.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      h.engine.applyRest(olga, {
        kind: 'create',
        entity: 'task',
        entityId: newEntityId(),
        fields: taskFields(p.id),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await h.engine.get(OTHER, 'project', p.id)).toBeNull();
    expect(
      (await h.engine.list(OTHER, { entity: 'project', filter: {}, limit: 10 })).items,
    ).toEqual([]);
    expect((await h.engine.get(ORG, 'project', p.id)) as Project).toMatchObject({ name: 'Launch' });
  });

  it('refuses by role with 403 and records access-denied', async () => {
    const p = await createProject();
    const head = await h.engine.head(ORG);
    await expect(
      h.engine.applyRest(member, {
        kind: 'update',
        entity: 'project',
        entityId: p.id,
        fields: { name: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(
      h.engine.applyRest(member, {
        kind: 'create',
        entity: 'user',
        entityId: newEntityId(),
        fields: { email: 'x@example.com', name: 'X', role: 'admin' },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const denied = await activities('access-denied');
    expect(denied.map((a) => [a.actorId, a.entity])).toEqual([
      [member.user.id, 'project'],
      [member.user.id, 'user'],
    ]);
    expect(await h.engine.head(ORG)).toBe(head + 2); // only the two audit entries
    expect(((await h.engine.get(ORG, 'project', p.id)) as Project).name).toBe('Launch');
    // Members may still create and edit tasks.
    const t = (await h.engine.applyRest(member, {
      kind: 'create',
      entity: 'task',
      entityId: newEntityId(),
      fields: taskFields(p.id),
    })) as Task;
    await expect(
      h.engine.applyRest(member, { kind: 'delete', entity: 'task', entityId: t.id }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('makes a REST write after a sync write win, even on another instance whose clock never saw the client', async () => {
    const p = await createProject();
    const t = (await h.engine.applyRest(admin, {
      kind: 'create',
      entity: 'task',
      entityId: newEntityId(),
      fields: taskFields(p.id),
    })) as Task;
    // A phone whose clock runs 10 minutes fast edits the title via sync on instance 1.
    const phone = new FakeClient(admin, () => h.time + 600_000);
    await phone.push(h, [
      phone.make({
        type: 'task.update',
        entityId: t.id as EntityId,
        fields: { title: 'From phone' },
      }),
    ]);
    // Instance 2 shares the file but has its own clock, 10 minutes behind the phone's stamps.
    const instance2 = new Engine({
      store: new SqliteStore({ dataDir: h.dir }),
      now: () => h.time + 1,
      nodeId: 'srv-two',
    });
    try {
      const viaRest = (await instance2.applyRest(admin, {
        kind: 'update',
        entity: 'task',
        entityId: t.id,
        fields: { title: 'From REST' },
      })) as Task;
      expect(viaRest.title).toBe('From REST');
      // A stale offline edit (old clock, base before the phone's write) loses to both, and is recorded.
      const laptop = new FakeClient(admin, () => h.time - 60_000);
      const stale = laptop.make({
        type: 'task.update',
        entityId: t.id as EntityId,
        fields: { title: 'Stale laptop' },
      });
      await laptop.push(h, [stale]);
      expect(((await h.engine.get(ORG, 'task', t.id)) as Task).title).toBe('From REST');
      expect(((await instance2.get(ORG, 'task', t.id)) as Task).title).toBe('From REST');
      const [conflict] = await activities('conflict');
      expect(conflict?.changes).toEqual([
        expect.objectContaining({
          field: 'title',
          lost: 'Stale laptop',
          lostHlc: stale.hlc,
          to: 'From REST',
        }),
      ]);
      // The REST write overwrote what its instance had seen (base = current clocks): no conflict for it.
      expect(await activities('conflict')).toHaveLength(1);
    } finally {
      await instance2.close();
    }
  });

  it('validates REST fields and references with 400 and writes nothing', async () => {
    const head = await h.engine.head(ORG);
    await expect(
      h.engine.applyRest(admin, {
        kind: 'create',
        entity: 'project',
        entityId: newEntityId(),
        fields: { name: '', description: '', status: 'active', ownerId: admin.user.id },
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      details: [expect.objectContaining({ path: '/name' })],
    });
    await expect(
      h.engine.applyRest(admin, {
        kind: 'create',
        entity: 'project',
        entityId: newEntityId(),
        fields: { ...projectFields(admin.user.id), extra: 1 },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      h.engine.applyRest(admin, {
        kind: 'create',
        entity: 'task',
        entityId: newEntityId(),
        fields: taskFields(newEntityId()),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      h.engine.applyRest(admin, {
        kind: 'create',
        entity: 'project',
        entityId: admin.user.id,
        fields: projectFields(admin.user.id),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(await h.engine.head(ORG)).toBe(head);
  });
});

describe('users and lists', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = new EngineHarness();
  });
  afterEach(() => h.close());

  it('gets-or-creates a user per (externalId, org), refreshing a changed profile through the log', async () => {
    const identity = {
      externalId: 'user_1',
      email: 'ana@example.com',
      name: 'Ana',
      orgId: ORG,
      role: 'member' as const,
    };
    const first = await h.engine.upsertUser(identity);
    const headAfterCreate = await h.engine.head(ORG);
    expect(await h.engine.upsertUser(identity)).toEqual(first);
    expect(await h.engine.head(ORG)).toBe(headAfterCreate);
    const promoted = await h.engine.upsertUser({ ...identity, role: 'manager' });
    expect(promoted).toMatchObject({ id: first.id, role: 'manager', externalId: 'user_1' });
    const inOtherOrg = await h.engine.upsertUser({ ...identity, orgId: OTHER });
    expect(inOtherOrg.id).not.toBe(first.id);
    // One log entry per row (its latest state); each write has its activity.
    const log = await h.store.changes(ORG, 0, 100);
    expect(
      log.filter((c) => c.entity === 'user').map((c) => (c.row as unknown as User).role),
    ).toEqual(['manager']);
    expect((await h.activities(ORG)).map((a) => a.action)).toEqual(['create', 'update']);
  });

  it('refreshes a profile even when another instance with a clock ahead wrote the row', async () => {
    const identity = {
      externalId: 'user_skew',
      email: 's@example.com',
      name: 'S',
      orgId: ORG,
      role: 'member' as const,
    };
    const ahead = new Engine({
      store: new SqliteStore({ dataDir: h.dir }),
      now: () => h.time + 3600_000,
      nodeId: 'srv-ahead',
    });
    try {
      await ahead.upsertUser(identity);
    } finally {
      await ahead.close();
    }
    const promoted = await h.engine.upsertUser({ ...identity, role: 'admin' });
    expect(promoted.role).toBe('admin');
    const head = await h.engine.head(ORG);
    await h.engine.upsertUser({ ...identity, role: 'admin' });
    expect(await h.engine.head(ORG)).toBe(head);
  });

  it('creates one user when two first requests race', async () => {
    const identity = {
      externalId: 'user_race',
      email: 'r@example.com',
      name: 'R',
      orgId: ORG,
      role: 'member' as const,
    };
    const [a, b] = await Promise.all([
      h.engine.upsertUser(identity),
      h.engine.upsertUser(identity),
    ]);
    expect(a.id).toBe(b.id);
    expect(
      (await h.engine.list(ORG, { entity: 'user', filter: {}, limit: 10 })).items,
    ).toHaveLength(1);
  });

  it('lists with equality filters and an opaque cursor; refuses unknown filters and bad cursors', async () => {
    const admin = await h.actor(ORG, 'admin', 'ada');
    const p = (await h.engine.applyRest(admin, {
      kind: 'create',
      entity: 'project',
      entityId: newEntityId(),
      fields: projectFields(admin.user.id),
    })) as Project;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await h.engine.applyRest(admin, {
        kind: 'create',
        entity: 'task',
        entityId: newEntityId(),
        fields: { ...taskFields(p.id, `t${i}`), status: i < 3 ? 'todo' : 'done' },
      });
      ids.push(t.id);
    }
    await h.engine.applyRest(admin, {
      kind: 'delete',
      entity: 'task',
      entityId: ids[0] as EntityId,
    });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await h.engine.list(ORG, {
        entity: 'task',
        filter: { projectId: p.id },
        after,
        limit: 2,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.id));
      after = page.nextCursor ?? undefined;
    } while (after);
    expect(seen).toEqual(ids.slice(1));
    const done = await h.engine.list(ORG, {
      entity: 'task',
      filter: { status: 'done' },
      limit: 10,
    });
    expect(done.items.map((t) => t.id)).toEqual(ids.slice(3));
    await expect(
      h.engine.list(ORG, { entity: 'task', filter: { orgId: OTHER }, limit: 10 }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(
      h.engine.list(ORG, { entity: 'task', filter: {}, after: 'garbage!', limit: 10 }),
    ).rejects.toMatchObject({ code: 'BAD_CURSOR', status: 400 });
  });
});
