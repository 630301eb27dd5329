import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  WS_CLOSE,
  WS_PUSH_MAX_BYTES,
  type Mutation,
  type WsDown,
} from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';
import { WsTestClient } from './helpers/ws-client.js';

/** The socket on the full app: real engine (SQLite), real dev-mode auth, real sync credentials. */
describe('real-time socket on the full app', () => {
  let t: TestApp;
  let url: string;
  const clients: WsTestClient[] = [];
  const track = (c: WsTestClient) => (clients.push(c), c);

  beforeAll(async () => {
    t = await buildTestApp({ WS_HEARTBEAT_MS: '200' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => t.close());

  it('pokes with the new head after a REST write, and the head matches a pull', async () => {
    const { token } = await devToken(t.app, {
      email: 'ana@example.test',
      orgId: 'org_app',
      role: 'admin',
    });
    const socket = track(await WsTestClient.join(url, { token, clientId: newClientId() }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/primary-data/projects',
      headers: bearer(token),
      payload: { name: 'Roadmap' },
    });
    expect(res.statusCode).toBe(201);
    const pull = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(token),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId: newClientId(), cursor: 0 },
    });
    const { headCursor } = pull.json() as { headCursor: number };
    const poke = await socket.waitFor((m) => m.type === 'poke' && m.cursor === headCursor);
    // The poke carries the change; encoded once for every socket, it still goes out as text.
    expect(poke).toMatchObject({
      carried: {
        changes: expect.arrayContaining([expect.objectContaining({ entity: 'project' })]),
      },
    });
    expect(socket.binaryFrames).toBe(0);
  });

  it('documents /sync/ws in OpenAPI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    const doc = res.json() as {
      paths: Record<string, { get?: { tags?: string[]; description?: string } }>;
    };
    expect(doc.paths['/api/v1/sync/ws']?.get?.tags).toEqual(['sync']);
    expect(doc.paths['/api/v1/sync/ws']?.get?.description).toContain('4009 slow consumer');
  });

  it('accepts a device sync credential for its own client id only, and closes 4001 once it is revoked', async () => {
    const { token } = await devToken(t.app, {
      email: 'ben@example.test',
      orgId: 'org_app',
      role: 'member',
    });
    const clientId = newClientId();
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/credentials',
      headers: bearer(token),
      payload: { clientId },
    });
    expect(issued.statusCode).toBe(201);
    const { id, credential } = issued.json() as { id: string; credential: string };

    const wrong = track(await WsTestClient.open(url));
    wrong.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: credential,
    });
    expect((await wrong.waitClosed()).code).toBe(WS_CLOSE.forbidden);

    const device = track(await WsTestClient.join(url, { token: credential, clientId }));
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/sync/credentials/${id}`,
      headers: bearer(token),
    });
    expect(revoke.statusCode).toBeLessThan(300);
    expect((await device.waitClosed(3_000)).code).toBe(WS_CLOSE.unauthenticated);
  });

  describe('pushes over the socket (protocol 6)', () => {
    const answer = (socket: WsTestClient, n: number) =>
      socket.waitFor(
        (m): m is Extract<WsDown, { type: 'pushed' | 'push-failed' }> =>
          (m.type === 'pushed' || m.type === 'push-failed') && m.n === n,
      );

    it('applies them in order like POST /sync/push, pokes the org, answers resends duplicate and refusals with the HTTP status', async () => {
      const writer = await devToken(t.app, {
        email: 'cy@example.test',
        orgId: 'org_wspush',
        role: 'admin',
      });
      const reader = await devToken(t.app, {
        email: 'di@example.test',
        orgId: 'org_wspush',
        role: 'admin',
      });
      const clientId = newClientId();
      const socket = track(await WsTestClient.join(url, { token: writer.token, clientId }));
      const other = track(
        await WsTestClient.join(url, { token: reader.token, clientId: newClientId() }),
      );
      const hlc = new HybridLogicalClock(clientId);
      const projectId = newEntityId();
      const project = {
        id: 1,
        type: 'project.create',
        entityId: projectId,
        hlc: hlc.now(),
        fields: { name: 'Socket', description: '', status: 'active', ownerId: writer.user.id },
      } as Mutation;
      const task = {
        id: 2,
        type: 'task.create',
        entityId: newEntityId(),
        hlc: hlc.now(),
        fields: {
          projectId,
          title: 'over the socket',
          notes: '',
          status: 'todo',
          assigneeId: null,
          dueDate: null,
        },
      } as Mutation;
      const push = (n: number, mutations: Mutation[]) =>
        socket.send({
          type: 'push',
          n,
          request: { protocolVersion: PROTOCOL_VERSION, clientId, mutations },
        });
      // Sent back to back, without waiting: answered in order, both applied.
      push(0, [project]);
      push(1, [task]);
      const [first, second] = [await answer(socket, 0), await answer(socket, 1)];
      expect(first).toMatchObject({
        type: 'pushed',
        response: { lastMutationId: 1, results: [{ id: 1, status: 'applied' }] },
      });
      expect(second).toMatchObject({
        type: 'pushed',
        response: { lastMutationId: 2, results: [{ id: 2, status: 'applied' }] },
      });
      const head = second.type === 'pushed' ? second.response.cursor : -1;
      await other.waitFor((m) => m.type === 'poke' && m.cursor === head);
      // A resend (its answer was lost) changes nothing.
      push(2, [project, task]);
      expect(await answer(socket, 2)).toMatchObject({
        type: 'pushed',
        response: {
          lastMutationId: 2,
          cursor: head,
          results: [{ status: 'duplicate' }, { status: 'duplicate' }],
        },
      });
      // A gap is refused as HTTP refuses it, and the socket stays open.
      push(3, [{ ...task, id: 5, entityId: newEntityId() } as Mutation]);
      expect(await answer(socket, 3)).toMatchObject({
        type: 'push-failed',
        status: 409,
        error: { code: 'MUTATION_GAP', details: { expected: 3 } },
      });
      // A body the schema refuses: 400 VALIDATION, nothing applied, the socket stays open.
      socket.send({
        type: 'push',
        n: 4,
        request: { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [{ id: 3 }] },
      });
      expect(await answer(socket, 4)).toMatchObject({
        type: 'push-failed',
        status: 400,
        error: { code: 'VALIDATION' },
      });
      // A __proto__ key is refused as HTTP refuses it (one parser of JSON text), naming where.
      const update = { ...task, id: 3, type: 'task.update', fields: { title: 'x' }, base: {} };
      socket.send(
        JSON.stringify({
          type: 'push',
          n: 5,
          request: { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [update] },
        }).replace('"base":{', '"base":{"__proto__":null'),
      );
      expect(await answer(socket, 5)).toMatchObject({
        type: 'push-failed',
        status: 400,
        error: {
          code: 'VALIDATION',
          details: [
            {
              path: '/request/mutations/0/base/__proto__',
              message: 'the key "__proto__" is not allowed',
            },
          ],
        },
      });
      // A push frame over the frame limit: 413 naming the limit, nothing applied, still open.
      const notes = 'n'.repeat(WS_PUSH_MAX_BYTES);
      const fields = {
        projectId,
        title: 'big',
        notes,
        status: 'todo',
        assigneeId: null,
        dueDate: null,
      };
      push(6, [{ ...task, id: 3, fields } as Mutation]);
      expect(await answer(socket, 6)).toMatchObject({
        type: 'push-failed',
        status: 413,
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          error: expect.stringMatching(/^A frame is at most 65536 bytes \(this one has \d+\)/),
          details: { limit: 'frame', maxBytes: WS_PUSH_MAX_BYTES },
        },
      });
      socket.send({ type: 'ping', t: 7 });
      await socket.waitFor((m) => m.type === 'pong' && m.t === 7);
      const pull = await t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/pull',
        headers: bearer(writer.token),
        payload: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 },
      });
      expect(pull.json()).toMatchObject({ lastMutationId: 2, headCursor: head });
    });

    it('a socket that said protocol 5 may not push (4002)', async () => {
      const { token } = await devToken(t.app, {
        email: 'fa@example.test',
        orgId: 'org_wspush3',
        role: 'admin',
      });
      const clientId = newClientId();
      const socket = track(await WsTestClient.join(url, { token, clientId, protocolVersion: 5 }));
      socket.send({
        type: 'push',
        n: 0,
        request: { protocolVersion: 5, clientId, mutations: [] },
      });
      expect((await socket.waitClosed()).code).toBe(WS_CLOSE.invalidMessage);
    });
  });
});

/** Socket pushes spend the user's HTTP request budget: a socket is no way around the limit. */
describe('socket pushes and the rate limit', () => {
  let t: TestApp;
  let url: string;
  const clients: WsTestClient[] = [];

  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_MS: '60000' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.close();
    await t.close();
  });

  it('counts each socket push against the same per-user budget as HTTP, and answers 429 past it', async () => {
    const { token, user } = await devToken(t.app, {
      email: 'rl@example.test',
      orgId: 'org_wspush_rl',
      role: 'admin',
    });
    const clientId = newClientId();
    const pull = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/pull',
        headers: bearer(token),
        payload: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 },
      });
    expect((await pull()).statusCode).toBe(200);
    const socket = await WsTestClient.join(url, { token, clientId });
    clients.push(socket);
    const hlc = new HybridLogicalClock(clientId);
    const answers: WsDown[] = [];
    for (let n = 0; n < 4; n++) {
      const mutation = {
        id: n + 1,
        type: 'project.create',
        entityId: newEntityId(),
        hlc: hlc.now(),
        fields: { name: `P${n}`, description: '', status: 'active', ownerId: user.id },
      } as Mutation;
      socket.send({
        type: 'push',
        n,
        request: { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [mutation] },
      });
      answers.push(
        await socket.waitFor((m) => (m.type === 'pushed' || m.type === 'push-failed') && m.n === n),
      );
    }
    // One pull and three pushes fill the budget of 4; the fourth push is refused.
    expect(answers.slice(0, 3).map((a) => a.type)).toEqual(['pushed', 'pushed', 'pushed']);
    expect(answers[3]).toMatchObject({
      type: 'push-failed',
      status: 429,
      error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } },
    });
    // The budget is shared: HTTP is refused too.
    expect((await pull()).statusCode).toBe(429);
  });
});

describe('a push and its poke', () => {
  let t: TestApp;
  let url: string;
  const clients: WsTestClient[] = [];
  const track = (c: WsTestClient) => (clients.push(c), c);
  const answer = (socket: WsTestClient, n: number) =>
    socket.waitFor(
      (m): m is Extract<WsDown, { type: 'pushed' | 'push-failed' }> =>
        (m.type === 'pushed' || m.type === 'push-failed') && m.n === n,
    );

  // No coalescing window: every commit is poked on its own, so the order is the engine's.
  beforeAll(async () => {
    t = await buildTestApp({ WS_POKE_COALESCE_MS: '0' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => t.close());

  it("pokes the org (the writer's socket too) before it answers the push", async () => {
    const writer = await devToken(t.app, {
      email: 'eve@example.test',
      orgId: 'org_wsorder',
      role: 'admin',
    });
    const clientId = newClientId();
    const socket = track(await WsTestClient.join(url, { token: writer.token, clientId }));
    const hlc = new HybridLogicalClock(clientId);
    for (let n = 0; n < 5; n++) {
      const mutation = {
        id: n + 1,
        type: 'project.create',
        entityId: newEntityId(),
        hlc: hlc.now(),
        fields: { name: `P${n}`, description: '', status: 'active', ownerId: writer.user.id },
      } as Mutation;
      socket.send({
        type: 'push',
        n,
        request: { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [mutation] },
      });
      const answered = await answer(socket, n);
      const head = answered.type === 'pushed' ? answered.response.cursor : -1;
      const poke = socket.messages.findIndex((m) => m.type === 'poke' && m.cursor === head);
      expect(poke).toBeGreaterThanOrEqual(0);
      expect(poke).toBeLessThan(socket.messages.indexOf(answered));
    }
  });
});

describe('socket pushes and the idle collector', () => {
  it('counts each answered socket push as activity (IDLE_GC_MS waits for quiet after it)', async () => {
    let noted = 0;
    const t = await buildTestApp({}, (app) => {
      app.noteActivity = () => void noted++;
    });
    try {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const writer = await devToken(t.app, {
        email: 'gil@example.test',
        orgId: 'org_idle',
        role: 'admin',
      });
      const clientId = newClientId();
      const socket = await WsTestClient.join(url, { token: writer.token, clientId });
      const before = noted;
      const mutation = {
        id: 1,
        type: 'project.create',
        entityId: newEntityId(),
        hlc: new HybridLogicalClock(clientId).now(),
        fields: { name: 'P', description: '', status: 'active', ownerId: writer.user.id },
      } as Mutation;
      socket.send({
        type: 'push',
        n: 0,
        request: { protocolVersion: PROTOCOL_VERSION, clientId, mutations: [mutation] },
      });
      await socket.waitFor((m) => m.type === 'pushed' && m.n === 0);
      expect(noted).toBe(before + 1);
      socket.close();
    } finally {
      await t.close();
    }
  });
});
