import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  pushResponseSchema,
  type ClientId,
  type EntityId,
  type HlcString,
  type OrgId,
  type Project,
  type Task,
} from '@outpost/shared';
import { SqliteStore } from '../src/store/sqlite.js';
import { storeLegs } from './helpers/store-legs.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

/**
 * A UUID is the same in either case (RFC 9562), so a sync push names a row by its id in upper
 * case as a REST path does: updates and deletes reach the stored row, references in fields are
 * stored as the row's id. Runs on SQLite, and on MongoDB when MONGODB_TEST_URI is set (the
 * rule is the engine's, over either store).
 */
const legs = storeLegs('sync-push-id-case', 'idcase');

const P = '/api/v1/primary-data';

describe.each(legs)('sync push names a row by its id in either case ($name)', (leg) => {
  const org = `org_idcase_${leg.name}`;
  let t: TestApp;
  let env: Record<string, string>;
  let token: string;
  let userId: string;
  const clientId = newClientId();
  const clock = new HybridLogicalClock(clientId);
  let nextId = 1;

  beforeAll(async () => {
    env = leg.env();
    t = await buildTestApp({ RATE_LIMIT_MAX: '100000', ...env });
    const ana = await devToken(t.app, { email: 'ana@example.com', orgId: org, role: 'manager' });
    token = ana.token;
    userId = ana.user.id;
  });
  afterAll(async () => {
    await t?.close();
    if (leg.drop && env['MONGODB_DB']) await leg.drop(env['MONGODB_DB']);
  });

  async function push(mutations: Record<string, unknown>[]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: bearer(token),
      payload: {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: mutations.map((m) => ({ ...m, id: nextId++, hlc: clock.now() })),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return pushResponseSchema.parse(res.json()).results;
  }
  const list = async <T>(entity: 'project' | 'task') =>
    (await t.engine.list(org as OrgId, { entity, filter: {}, limit: 1000 })).items as T[];
  const project = (id: string) =>
    t.engine.get(org as OrgId, 'project', id as Project['id']) as Promise<Project | null>;

  async function createProject(name: string): Promise<string> {
    const id = newEntityId();
    const results = await push([
      {
        type: 'project.create',
        entityId: id,
        fields: { name, description: '', status: 'active', ownerId: userId },
      },
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied']);
    return id;
  }

  it('updates and deletes the row whose id is given in upper case', async () => {
    const id = await createProject('Launch');
    const before = await list<Project>('project');

    const updated = await push([
      { type: 'project.update', entityId: id.toUpperCase(), fields: { name: 'Renamed' } },
    ]);
    expect(updated.map((r) => r.status)).toEqual(['applied']);
    expect(await project(id)).toMatchObject({ id, name: 'Renamed' });
    expect((await list<Project>('project')).length).toBe(before.length);

    const deleted = await push([{ type: 'project.delete', entityId: id.toUpperCase() }]);
    expect(deleted.map((r) => r.status)).toEqual(['applied']);
    expect(await project(id)).toBeNull();
    // The audit log names the stored row, as it does for the REST path.
    const acts = await t.app.inject({
      method: 'GET',
      url: `/api/v1/activities?entityId=${id}`,
      headers: bearer(token),
    });
    expect(acts.json().data.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['create', 'update', 'delete']),
    );
  });

  it('stores a reference given in upper case as the row it names', async () => {
    const projectId = await createProject('Refs');
    const taskId = newEntityId();
    const created = await push([
      {
        type: 'task.create',
        entityId: taskId,
        fields: {
          projectId: projectId.toUpperCase(),
          title: 'Upper refs',
          notes: '',
          status: 'todo',
          assigneeId: userId.toUpperCase(),
          dueDate: null,
        },
      },
      { type: 'project.update', entityId: projectId, fields: { ownerId: userId.toUpperCase() } },
    ]);
    expect(created.map((r) => r.status)).toEqual(['applied', 'applied']);
    const task = (await list<Task>('task')).find((x) => x.id === taskId);
    expect(task).toMatchObject({ projectId, assigneeId: userId });
    expect(await project(projectId)).toMatchObject({ ownerId: userId });
  });

  it('still answers not_found for an id of no row, in either case, and changes nothing', async () => {
    const before = { projects: await list('project'), head: await t.engine.head(org as OrgId) };
    const ghost = newEntityId().toUpperCase();
    const results = await push([
      { type: 'project.update', entityId: ghost, fields: { name: 'x' } },
    ]);
    expect(results).toEqual([expect.objectContaining({ status: 'rejected', code: 'not_found' })]);
    expect(await list('project')).toEqual(before.projects);
  });

  it.runIf(leg.name === 'sqlite')(
    'a row stored in upper case before creates refused that is updated by its id as stored',
    async () => {
      const made = await t.app.inject({
        method: 'POST',
        url: `${P}/projects`,
        headers: bearer(token),
        payload: { name: 'Template' },
      });
      const id = newEntityId().toUpperCase();
      const store = new SqliteStore({ dataDir: t.dataDir });
      try {
        await store.transact((tx) =>
          tx.writeRow({
            entity: 'project',
            id,
            orgId: org as OrgId,
            data: { ...made.json(), id, name: 'Stored upper' },
            clocks: Object.fromEntries(
              ['name', 'description', 'status', 'ownerId'].map((f) => [
                f,
                '000000000000001-00000-legacy' as HlcString,
              ]),
            ),
            deleted: null,
          }),
        );
      } finally {
        await store.close();
      }
      const results = await push([
        { type: 'project.update', entityId: id, fields: { name: 'Still upper' } },
      ]);
      expect(results.map((r) => r.status)).toEqual(['applied']);
      expect(await project(id)).toMatchObject({ id, name: 'Still upper' });
    },
  );

  it('refuses a new client id in upper case (push, pull, credential) with 400 at /clientId, changing nothing', async () => {
    const upper = newClientId().toUpperCase();
    const head = await t.engine.head(org as OrgId);
    const send = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: bearer(token), payload });
    const refused = {
      code: 'VALIDATION',
      error: 'Invalid body: /clientId must be a UUID in lower case, as newClientId makes it',
      details: [
        { path: '/clientId', message: 'must be a UUID in lower case, as newClientId makes it' },
      ],
    };
    const pushed = await send('/api/v1/sync/push', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: upper,
      mutations: [
        {
          type: 'project.create',
          id: 1,
          hlc: new HybridLogicalClock(upper).now(),
          entityId: newEntityId(),
          fields: { name: 'Upper client', description: '', status: 'active', ownerId: userId },
        },
      ],
    });
    expect(pushed.statusCode, pushed.body).toBe(400);
    expect(pushed.json()).toEqual(refused);
    const pulled = await send('/api/v1/sync/pull', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: upper,
      cursor: 0,
    });
    expect(pulled.statusCode, pulled.body).toBe(400);
    expect(pulled.json()).toEqual(refused);
    const credential = await send('/api/v1/sync/credentials', { clientId: upper });
    expect(credential.statusCode, credential.body).toBe(400);
    expect(credential.json()).toEqual(refused);
    expect(await t.engine.head(org as OrgId)).toBe(head);
    // Nothing was bound: the same UUID in lower case is a new client, starting at 1.
    const lower = await send('/api/v1/sync/pull', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: upper.toLowerCase(),
      cursor: 0,
    });
    expect(lower.statusCode, lower.body).toBe(200);
    expect(lower.json().lastMutationId).toBe(0);
  });

  it.runIf(leg.name === 'sqlite')(
    'a client id bound in upper case before it was refused keeps pushing and pulling as stored',
    async () => {
      const upper = newClientId().toUpperCase();
      const store = new SqliteStore({ dataDir: t.dataDir });
      try {
        await store.transact((tx) =>
          tx.putClient({
            clientId: upper as ClientId,
            userId: userId as EntityId,
            orgId: org as OrgId,
            externalId: null,
            lastMutationId: 4,
          }),
        );
      } finally {
        await store.close();
      }
      const pulled = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/pull',
        headers: bearer(token),
        payload: { protocolVersion: PROTOCOL_VERSION, clientId: upper, cursor: 0 },
      });
      expect(pulled.statusCode, pulled.body).toBe(200);
      expect(pulled.json().lastMutationId).toBe(4);
      const pushed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/push',
        headers: bearer(token),
        payload: {
          protocolVersion: PROTOCOL_VERSION,
          clientId: upper,
          mutations: [
            {
              type: 'project.create',
              id: 5,
              hlc: new HybridLogicalClock(upper).now(),
              entityId: newEntityId(),
              fields: { name: 'Bound upper', description: '', status: 'active', ownerId: userId },
            },
          ],
        },
      });
      expect(pushed.statusCode, pushed.body).toBe(200);
      expect(pushed.json()).toMatchObject({ lastMutationId: 5, results: [{ status: 'applied' }] });
    },
  );
});
