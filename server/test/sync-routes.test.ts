import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  HybridLogicalClock,
  PROTOCOL_VERSION,
  newClientId,
  newEntityId,
  pullResponseSchema,
  pushResponseSchema,
  type OrgId,
  type User,
} from '@outpost/shared';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { bearer, devToken } from './helpers/auth.js';

const ORG = 'org_routes';

describe('POST /api/v1/sync/push and /sync/pull over HTTP', () => {
  let app: FastifyInstance;
  let dir: string;
  let token: string;
  let user: User;
  const clientId = newClientId();
  const clock = new HybridLogicalClock(clientId);
  const projectId = newEntityId();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-sync-routes-'));
    app = await buildApp(
      loadConfig({ DATA_DIR: dir, CLIENT_DIST_DIR: '/nonexistent', RATE_LIMIT_MAX: '100000' }),
      { logger: false },
    );
    ({ token, user } = await devToken(app, {
      email: 'ana@example.com',
      orgId: ORG,
      role: 'manager',
    }));
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const push = (body: unknown, auth = token) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: bearer(auth),
      payload: body as object,
    });
  const pull = (body: unknown, auth = token) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(auth),
      payload: body as object,
    });

  /** Head, every row and the client's progress: what bad input must leave untouched. */
  async function storeState() {
    const org = ORG as OrgId;
    const all = await pullResponseSchema.parseAsync(
      (await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0, limit: 1000 })).json(),
    );
    return {
      head: await app.engine.head(org),
      changes: all.changes,
      lastMutationId: all.lastMutationId,
    };
  }

  it('pushes mutations and pulls them back as schema-valid changes', async () => {
    const res = await push({
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          type: 'project.create',
          id: 1,
          hlc: clock.now(),
          entityId: projectId,
          fields: { name: 'Launch', description: '', status: 'active', ownerId: user.id },
        },
        {
          type: 'task.create',
          id: 2,
          hlc: clock.now(),
          entityId: newEntityId(),
          fields: {
            projectId,
            title: 'Draft',
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: '2026-12-01',
          },
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = pushResponseSchema.parse(res.json());
    expect(body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(body.lastMutationId).toBe(2);

    const pulled = await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 });
    expect(pulled.statusCode).toBe(200);
    const page = pullResponseSchema.parse(pulled.json());
    expect(page.lastMutationId).toBe(2);
    expect(page.headCursor).toBe(body.cursor);
    expect(page.changes.filter((c) => c.entity === 'task').map((c) => c.row)).toEqual([
      expect.objectContaining({ title: 'Draft', dueDate: '2026-12-01', projectId, orgId: ORG }),
    ]);
  });

  it('answers a gap with 409 MUTATION_GAP and details.expected', async () => {
    const before = await storeState();
    const res = await push({
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          type: 'task.update',
          id: 9,
          hlc: clock.now(),
          entityId: projectId,
          fields: { title: 'x' },
        },
      ],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'MUTATION_GAP',
      details: { expected: 3, received: 9 },
    });
    expect(await storeState()).toEqual(before);
  });

  const badPushes: [string, unknown][] = [
    [
      'a wrong type',
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          { type: 'task.update', id: '3', hlc: 'x', entityId: projectId, fields: { title: 5 } },
        ],
      },
    ],
    [
      'an unknown top-level field',
      { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [], sneaky: true },
    ],
    [
      'an unknown entity field',
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          {
            type: 'task.update',
            id: 3,
            hlc: '001763856000000-00000-abc',
            entityId: projectId,
            fields: { title: 'ok', orgId: 'org_evil' },
          },
        ],
      },
    ],
    [
      'an oversized title',
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          {
            type: 'task.update',
            id: 3,
            hlc: '001763856000000-00000-abc',
            entityId: projectId,
            fields: { title: 'x'.repeat(501) },
          },
        ],
      },
    ],
    [
      'non-increasing ids',
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [3, 3].map((id) => ({
          type: 'task.delete',
          id,
          hlc: '001763856000000-00000-abc',
          entityId: projectId,
        })),
      },
    ],
    [
      'a non-UUID client id',
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId: 'nope',
        mutations: [
          { type: 'task.delete', id: 3, hlc: '001763856000000-00000-abc', entityId: projectId },
        ],
      },
    ],
  ];
  for (const [what, body] of badPushes) {
    it(`refuses a push with ${what}: 400 with details, store unchanged`, async () => {
      const before = await storeState();
      const res = await push(body);
      expect(res.statusCode).toBe(400);
      const err = res.json();
      expect(err).toMatchObject({ code: 'VALIDATION', error: expect.any(String) });
      expect(Array.isArray(err.details) && err.details.length > 0).toBe(true);
      expect(await storeState()).toEqual(before);
    });
  }

  it('rejects a write with a control character on its own (validation): the rest of the push applies, the row is unchanged', async () => {
    const writer = newClientId();
    const stamp = new HybridLogicalClock(writer);
    const taskId = newEntityId();
    const create = (id: number, title: string, notes = '') => ({
      type: 'task.create',
      id,
      hlc: stamp.now(),
      entityId: id === 1 ? taskId : newEntityId(),
      fields: { projectId, title, notes, status: 'todo', assigneeId: null, dueDate: null },
    });
    const intact = 'Café 👍🏽 مرحبا e\u0301 \u202eRTL\u202c';
    const res = await push({
      protocolVersion: PROTOCOL_VERSION,
      clientId: writer,
      mutations: [
        create(1, 'Before'),
        {
          type: 'task.update',
          id: 2,
          hlc: stamp.now(),
          entityId: taskId,
          fields: { title: 'a\u0000b' },
        },
        {
          type: 'task.update',
          id: 3,
          hlc: stamp.now(),
          entityId: taskId,
          fields: { notes: 'x\u001b[31m' },
        },
        create(4, 'Two\nlines'),
        create(5, 'Lone \ud800'),
        create(6, intact, 'Line one\n\tLine two\r\n'),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = pushResponseSchema.parse(res.json());
    expect(body.lastMutationId).toBe(6);
    expect(body.results.map((r) => r.status)).toEqual([
      'applied',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'applied',
    ]);
    expect(body.results[1]).toMatchObject({
      code: 'validation',
      reason: expect.stringMatching(/^title: Invalid text: no control characters/),
    });
    expect(body.results[2]).toMatchObject({
      code: 'validation',
      reason: expect.stringMatching(/^notes: /),
    });

    const page = pullResponseSchema.parse(
      (await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0, limit: 1000 })).json(),
    );
    const titles = page.changes.flatMap((c) => (c.entity === 'task' ? [c.row.title] : []));
    expect(titles).not.toContain('Two\nlines');
    expect(titles).not.toContain('Lone \ud800');
    const rows = page.changes.flatMap((c) => (c.entity === 'task' ? [c.row] : []));
    expect(rows.find((r) => r.id === taskId)).toMatchObject({ title: 'Before', notes: '' });
    expect(rows.find((r) => r.title === intact)).toMatchObject({
      notes: 'Line one\n\tLine two\r\n',
    });
  });

  it('rejects a due date before 1900, or a day that does not exist, on its own (validation): the rest of the push applies', async () => {
    const writer = newClientId();
    const stamp = new HybridLogicalClock(writer);
    const taskId = newEntityId();
    const create = (id: number, dueDate: string | null) => ({
      type: 'task.create',
      id,
      hlc: stamp.now(),
      entityId: id === 1 ? taskId : newEntityId(),
      fields: {
        projectId,
        title: `due ${id}`,
        notes: '',
        status: 'todo',
        assigneeId: null,
        dueDate,
      },
    });
    const update = (id: number, dueDate: string) => ({
      type: 'task.update',
      id,
      hlc: stamp.now(),
      entityId: taskId,
      fields: { dueDate },
    });
    const res = await push({
      protocolVersion: PROTOCOL_VERSION,
      clientId: writer,
      mutations: [
        create(1, '2028-02-29'),
        update(2, '0000-01-01'),
        create(3, '1899-12-31'),
        create(4, '1900-01-01'),
        update(5, '2027-02-30'),
        create(6, '2027-02-29'),
        create(7, '2027-04-31'),
        update(8, '2027-13-01'),
        create(9, '9999-12-31'),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = pushResponseSchema.parse(res.json());
    const applied = [1, 4, 9];
    expect(body.results.map((r) => r.status)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => (applied.includes(id) ? 'applied' : 'rejected')),
    );
    expect(body.results[1]).toMatchObject({
      code: 'validation',
      reason: 'dueDate: Invalid date: a due date is in the years 1900 to 9999',
    });
    expect(body.results[4]).toMatchObject({
      code: 'validation',
      reason: 'dueDate: Invalid date: no such day in the calendar (YYYY-MM-DD)',
    });
    const page = pullResponseSchema.parse(
      (await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0, limit: 1000 })).json(),
    );
    const rows = page.changes.flatMap((c) => (c.entity === 'task' ? [c.row] : []));
    expect(rows.find((r) => r.id === taskId)).toMatchObject({ dueDate: '2028-02-29' });
    const titles = rows.map((r) => r.title);
    for (const id of [3, 6, 7]) expect(titles).not.toContain(`due ${id}`);
    expect(rows.find((r) => r.title === 'due 4')).toMatchObject({ dueDate: '1900-01-01' });
  });

  it('still refuses a due date not shaped YYYY-MM-DD with the whole push (400 VALIDATION)', async () => {
    const writer = newClientId();
    const before = await storeState();
    const res = await push({
      protocolVersion: PROTOCOL_VERSION,
      clientId: writer,
      mutations: [
        {
          type: 'task.create',
          id: 1,
          hlc: new HybridLogicalClock(writer).now(),
          entityId: newEntityId(),
          fields: {
            projectId,
            title: 'x',
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: 'soon',
          },
        },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION',
      details: [
        { path: '/mutations/0/fields/dueDate', message: 'Invalid date: expected YYYY-MM-DD' },
      ],
    });
    expect(await storeState()).toEqual(before);
  });

  it('refuses malformed JSON with a 400 and changes nothing', async () => {
    const before = await storeState();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"protocolVersion": 1, "clientId": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: expect.any(String), code: expect.any(String) });
    expect(await storeState()).toEqual(before);
  });

  it('refuses bad cursors: negative → 400 VALIDATION, ahead of head → 400 BAD_CURSOR', async () => {
    const before = await storeState();
    const negative = await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: -1 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ code: 'VALIDATION' });
    const ahead = await pull({
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      cursor: before.head + 100,
    });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json()).toMatchObject({ code: 'BAD_CURSOR', details: { head: before.head } });
    const tooBig = await pull({
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      cursor: 0,
      limit: 1001,
    });
    expect(tooBig.statusCode).toBe(400);
    expect(await storeState()).toEqual(before);
  });

  it('answers 400 naming the rule for a protocolVersion that is no version, 409 with the range for one it does not speak', async () => {
    for (const send of [push, pull]) {
      const body = (v: unknown) =>
        send === push
          ? { protocolVersion: v, clientId, mutations: [{ nope: true }] }
          : { protocolVersion: v, clientId, cursor: 0 };
      for (const v of [0, -1, 10_001, '7', null, undefined]) {
        const res = await send(body(v));
        expect(res.statusCode, String(v)).toBe(400);
        expect(res.json().code).toBe('VALIDATION');
        expect(res.json().details, String(v)).toContainEqual({
          path: '/protocolVersion',
          message: 'must be a sync protocol version: a whole number from 1 to 10000',
        });
      }
      const fraction = await send(body(1.5));
      expect(fraction.statusCode).toBe(400);
      expect(fraction.json().details).toContainEqual({
        path: '/protocolVersion',
        message: 'must be a whole number (no fraction)',
      });
      for (const [v, code] of [
        [1, 'CLIENT_TOO_OLD'],
        [PROTOCOL_VERSION + 1, 'SERVER_TOO_OLD'],
        [10_000, 'SERVER_TOO_OLD'],
      ] as const) {
        const res = await send(body(v));
        expect(res.statusCode, String(v)).toBe(409);
        expect(res.json()).toMatchObject({
          code,
          details: { clientVersion: v, serverVersion: PROTOCOL_VERSION, minVersion: 2 },
        });
      }
    }
  });

  it('answers a client newer than the server with 409 SERVER_TOO_OLD (CLIENT_TOO_OLD: sync-engine-push)', async () => {
    const newer = await pull({ protocolVersion: PROTOCOL_VERSION + 1, clientId, cursor: 0 });
    expect(newer.statusCode).toBe(409);
    expect(newer.json()).toMatchObject({
      code: 'SERVER_TOO_OLD',
      error: expect.stringContaining('server'),
    });
  });

  it('requires a token, and refuses another user of a bound client id', async () => {
    const anon = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      payload: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 },
    });
    expect(anon.statusCode).toBe(401);
    const ben = await devToken(app, { email: 'ben@example.com', orgId: ORG, role: 'member' });
    const res = await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 }, ben.token);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets a sync credential push but not pull', async () => {
    const cred = await app.inject({
      method: 'POST',
      url: '/api/v1/sync/credentials',
      headers: bearer(token),
      payload: { clientId },
    });
    expect(cred.statusCode).toBe(201);
    const { credential } = cred.json() as { credential: string };
    const state = await storeState();
    const ok = await push(
      {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          {
            type: 'project.update',
            id: state.lastMutationId + 1,
            hlc: clock.now(),
            entityId: projectId,
            fields: { name: 'Renamed' },
          },
        ],
      },
      credential,
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ results: [{ status: 'applied' }] });
    const denied = await pull(
      { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 },
      credential,
    );
    expect(denied.statusCode).toBe(403);
  });

  it('documents both routes with their body and response schemas in OpenAPI', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = (
      res.json() as {
        paths: Record<
          string,
          Record<string, { requestBody?: unknown; responses?: Record<string, unknown> }>
        >;
      }
    ).paths;
    for (const route of ['/api/v1/sync/push', '/api/v1/sync/pull']) {
      const op = paths[route]?.['post'];
      expect(op?.requestBody, route).toBeDefined();
      expect(Object.keys(op?.responses ?? {}), route).toEqual(
        expect.arrayContaining(['200', '400', '401', '409']),
      );
    }
  });

  it('converges a same-field race across sync and REST to one winner, recording the loser', async () => {
    const taskId = newEntityId();
    const state = await storeState();
    let next = state.lastMutationId + 1;
    const created = await push({
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          type: 'task.create',
          id: next++,
          hlc: clock.now(),
          entityId: taskId,
          fields: {
            projectId,
            title: 'Draft',
            notes: '',
            status: 'todo',
            assigneeId: null,
            dueDate: null,
          },
        },
      ],
    });
    expect(created.json()).toMatchObject({ results: [{ status: 'applied' }] });
    // An offline edit stamped now, delivered only after a REST edit of the same field.
    const offline = {
      type: 'task.update',
      id: next++,
      hlc: clock.now(),
      entityId: taskId,
      fields: { title: 'Offline title' },
    };
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/primary-data/tasks/${taskId}`,
      headers: bearer(token),
      payload: { title: 'REST title' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ title: 'REST title' });
    const late = await push({ protocolVersion: PROTOCOL_VERSION, clientId, mutations: [offline] });
    expect(late.json()).toMatchObject({ results: [{ status: 'applied' }] });

    const got = await app.inject({
      method: 'GET',
      url: `/api/v1/primary-data/tasks/${taskId}`,
      headers: bearer(token),
    });
    expect(got.json()).toMatchObject({ title: 'REST title' });
    const page = pullResponseSchema.parse(
      (await pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: state.head })).json(),
    );
    const taskChanges = page.changes.filter((c) => c.entity === 'task');
    expect(taskChanges.at(-1)?.row).toMatchObject({ title: 'REST title' });
    const conflicts = page.changes.filter(
      (c) => c.entity === 'activity' && c.row.action === 'conflict',
    );
    expect(conflicts.map((c) => (c.row as { changes: unknown[] }).changes)).toEqual([
      [
        expect.objectContaining({
          field: 'title',
          lost: 'Offline title',
          lostHlc: offline.hlc,
          to: 'REST title',
        }),
      ],
    ]);
  });
});
