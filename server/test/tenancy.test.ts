import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type OrgId,
} from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

const P = '/api/v1/primary-data';

describe('tenant isolation', () => {
  let t: TestApp;
  let a: { token: string; user: { id: string } };
  let b: { token: string; user: { id: string } };
  let bProject: { id: string; name: string };
  let bTask: { id: string; title: string };

  const req = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    token: string,
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      headers: bearer(token),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const orgState = async (org: string) => ({
    head: await t.engine.head(org as OrgId),
    projects: (await t.engine.list(org as OrgId, { entity: 'project', filter: {}, limit: 1000 }))
      .items,
    tasks: (await t.engine.list(org as OrgId, { entity: 'task', filter: {}, limit: 1000 })).items,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    a = await devToken(t.app, { email: 'ana@a.example.com', orgId: 'org_a', role: 'admin' });
    b = await devToken(t.app, { email: 'bo@b.example.com', orgId: 'org_b', role: 'admin' });
    bProject = (await req('POST', `${P}/projects`, b.token, { name: 'B secret project' })).json();
    bTask = (
      await req('POST', `${P}/tasks`, b.token, { projectId: bProject.id, title: 'B secret task' })
    ).json();
    await req('POST', `${P}/projects`, a.token, { name: 'A project' });
  });
  afterAll(() => t.close());

  it("answers 404 for every REST route on org B's ids, never data, and changes nothing", async () => {
    const before = await orgState('org_b');
    const attempts = [
      req('GET', `${P}/projects/${bProject.id}`, a.token),
      req('PATCH', `${P}/projects/${bProject.id}`, a.token, { name: 'pwned' }),
      req('PUT', `${P}/projects/${bProject.id}`, a.token, {
        name: 'pwned',
        description: '',
        status: 'active',
        ownerId: a.user.id,
      }),
      req('DELETE', `${P}/projects/${bProject.id}`, a.token),
      req('GET', `${P}/tasks/${bTask.id}`, a.token),
      req('PATCH', `${P}/tasks/${bTask.id}`, a.token, { status: 'done' }),
      req('PUT', `${P}/tasks/${bTask.id}`, a.token, {
        projectId: bProject.id,
        title: 'x',
        notes: '',
        status: 'done',
        assigneeId: null,
        dueDate: null,
      }),
      req('DELETE', `${P}/tasks/${bTask.id}`, a.token),
      req('GET', `${P}/users/${b.user.id}`, a.token),
      req('PATCH', `${P}/users/${b.user.id}`, a.token, { role: 'member' }),
      req('DELETE', `${P}/users/${b.user.id}`, a.token),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('secret');
      expect(res.body).not.toContain('bo@b.example.com');
    }
    expect(await orgState('org_b')).toEqual(before);
  });

  it("lists never include org B's rows, even when filtering by B's ids", async () => {
    const lists = await Promise.all([
      req('GET', `${P}/projects`, a.token),
      req('GET', `${P}/tasks`, a.token),
      req('GET', `${P}/users`, a.token),
      req('GET', `${P}/tasks?projectId=${bProject.id}`, a.token),
      req('GET', `${P}/users?email=bo@b.example.com`, a.token),
    ]);
    for (const res of lists) {
      expect(res.statusCode).toBe(200);
      for (const id of [bProject.id, bTask.id, b.user.id]) expect(res.body).not.toContain(id);
    }
    expect(lists[0]!.json().data.length).toBeGreaterThan(0);
  });

  it("refuses a task that points at org B's project, through REST", async () => {
    const beforeA = await orgState('org_a');
    const rest = await req('POST', `${P}/tasks`, a.token, {
      projectId: bProject.id,
      title: 'sneaky',
    });
    expect(rest.statusCode).toBe(400);
    expect(await orgState('org_a')).toEqual(beforeA);
  });

  it("sync: pushes at org B's rows are rejected and a pull from 0 holds nothing of org B", async () => {
    const clientId = newClientId();
    const clock = new HybridLogicalClock(clientId);
    const before = await orgState('org_b');
    const push = await req('POST', '/api/v1/sync/push', a.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          type: 'task.update',
          id: 1,
          hlc: clock.now(),
          entityId: bTask.id,
          fields: { title: 'pwned' },
        },
        { type: 'project.delete', id: 2, hlc: clock.now(), entityId: bProject.id },
        {
          type: 'task.create',
          id: 3,
          hlc: clock.now(),
          entityId: newEntityId(),
          fields: {
            projectId: bProject.id,
            title: 'x',
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: null,
          },
        },
      ],
    });
    expect(push.statusCode).toBe(200);
    expect(push.json().results.map((r: { status: string }) => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(await orgState('org_b')).toEqual(before);

    const pull = await req('POST', '/api/v1/sync/pull', a.token, {
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      cursor: 0,
      limit: 1000,
    });
    expect(pull.statusCode).toBe(200);
    const body = pull.json();
    expect(body.changes.length).toBeGreaterThan(0);
    expect(body.changes.every((c: { row: { orgId: string } }) => c.row.orgId === 'org_a')).toBe(
      true,
    );
    // A's own rejected mutations echo the ids A sent; no row of org B and none of its data appear.
    const entityIds = body.changes
      .filter((c: { entity: string }) => c.entity !== 'activity')
      .map((c: { entityId: string }) => c.entityId);
    expect(entityIds).not.toContain(bProject.id);
    expect(entityIds).not.toContain(bTask.id);
    for (const s of [b.user.id, 'secret', 'bo@b.example.com']) expect(pull.body).not.toContain(s);
  });
});

describe('sync credential scope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('can push but not pull; once revoked it is 401', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const clientId = newClientId();
    const cred = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/credentials',
        headers: bearer(ana.token),
        payload: { clientId },
      })
    ).json();
    const clock = new HybridLogicalClock(clientId);
    const push = (id: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/push',
        headers: bearer(cred.credential),
        payload: {
          protocolVersion: PROTOCOL_VERSION,
          clientId,
          mutations: [
            {
              type: 'project.create',
              id,
              hlc: clock.now(),
              entityId: newEntityId(),
              fields: { name: `p${id}`, description: '', status: 'active', ownerId: ana.user.id },
            },
          ],
        },
      });
    const ok = await push(1);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().results).toEqual([{ id: 1, status: 'applied' }]);

    const pull = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(cred.credential),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 },
    });
    expect(pull.statusCode).toBe(403);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sync/credentials/${cred.id}`,
      headers: bearer(ana.token),
    });
    expect(revoke.statusCode).toBe(204);
    const after = await push(2);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'credential-revoked' },
    });
  });
});
