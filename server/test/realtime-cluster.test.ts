import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  pullResponseSchema,
  pushResponseSchema,
  WS_CLOSE,
  type WsDown,
} from '@outpost/shared';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { WsTestClient } from './helpers/ws-client.js';

/**
 * Two real server processes on one SQLite DATA_DIR and one real redis-server: a write made
 * through either instance pokes the org's sockets on both, and never another org's.
 */
describe('real-time fan-out across two server processes through Redis', () => {
  let redis: RedisServer;
  let dataDir: string;
  let one: ServerProcess;
  let two: ServerProcess;
  const clients: WsTestClient[] = [];
  const track = (c: WsTestClient) => (clients.push(c), c);

  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-rt-cluster-'));
    const options = { dataDir, env: { REDIS_URL: redis.url } };
    [one, two] = await Promise.all([startServerProcess(options), startServerProcess(options)]);
  }, 90_000);

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await redis?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(
    server: ServerProcess,
    email: string,
    orgId: string,
  ): Promise<{ token: string; userId: string }> {
    const res = await fetch(`${server.url}/api/v1/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: email.split('@')[0], orgId, role: 'admin' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { token: string; user: { id: string } };
    return { token: body.token, userId: body.user.id };
  }

  async function createProject(
    server: ServerProcess,
    token: string,
    name: string,
  ): Promise<string> {
    const res = await fetch(`${server.url}/api/v1/primary-data/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  async function head(
    server: ServerProcess,
    token: string,
  ): Promise<{ cursor: number; entityIds: string[] }> {
    const res = await fetch(`${server.url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        clientId: newClientId(),
        cursor: 0,
        limit: 1000,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = pullResponseSchema.parse(await res.json());
    return { cursor: body.headCursor, entityIds: body.changes.map((c) => c.entityId) };
  }

  const pokeAtLeast = (cursor: number) => (m: WsDown) => m.type === 'poke' && m.cursor >= cursor;

  it('pokes sockets on instance 2 (and 1) for a REST write made through instance 1', async () => {
    const ana = await signIn(one, 'ana@example.test', 'org_rest');
    const onTwo = track(
      await WsTestClient.join(two.url, { token: ana.token, clientId: newClientId() }),
    );
    const onOne = track(
      await WsTestClient.join(one.url, { token: ana.token, clientId: newClientId() }),
    );
    const projectId = await createProject(one, ana.token, 'Launch');
    const after = await head(two, ana.token);
    expect(after.entityIds).toContain(projectId);
    await onTwo.waitFor(pokeAtLeast(after.cursor));
    await onOne.waitFor(pokeAtLeast(after.cursor));
  });

  it('pokes sockets on instance 2 for a sync push made through instance 1', async () => {
    const ben = await signIn(one, 'ben@example.test', 'org_push');
    const socket = track(
      await WsTestClient.join(two.url, { token: ben.token, clientId: newClientId() }),
    );
    const clientId = newClientId();
    const clock = new HybridLogicalClock(clientId);
    const res = await fetch(`${one.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ben.token}` },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          {
            type: 'project.create',
            id: 1,
            hlc: clock.now(),
            entityId: newEntityId(),
            fields: {
              name: 'Offline plan',
              description: '',
              status: 'active',
              ownerId: ben.userId,
            },
          },
        ],
      }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const pushed = pushResponseSchema.parse(await res.json());
    expect(pushed.results).toEqual([{ id: 1, status: 'applied' }]);
    await socket.waitFor(pokeAtLeast(pushed.cursor));
  });

  it('never pokes an org-A socket for an org-B write, on either instance', async () => {
    const ana = await signIn(one, 'ana2@example.test', 'org_iso_a');
    const ben = await signIn(two, 'ben2@example.test', 'org_iso_b');
    const a = track(
      await WsTestClient.join(two.url, { token: ana.token, clientId: newClientId() }),
    );
    const b = track(
      await WsTestClient.join(two.url, { token: ben.token, clientId: newClientId() }),
    );
    const aOnOne = track(
      await WsTestClient.join(one.url, { token: ana.token, clientId: newClientId() }),
    );
    const before = { a: a.pokes.length, aOnOne: aOnOne.pokes.length };
    await createProject(one, ben.token, 'B only');
    await createProject(one, ana.token, 'A only');
    const aHead = await head(one, ana.token);
    const bHead = await head(one, ben.token);
    await a.waitFor(pokeAtLeast(aHead.cursor));
    await aOnOne.waitFor(pokeAtLeast(aHead.cursor));
    await b.waitFor(pokeAtLeast(bHead.cursor));
    // Org A saw only its own write: every poke it got is within org A's log.
    expect(a.pokes.slice(before.a).every((c) => c <= aHead.cursor)).toBe(true);
    expect(a.pokes.length - before.a).toBe(1);
    expect(aOnOne.pokes.length - before.aOnOne).toBe(1);
    expect(b.pokes).toEqual([bHead.cursor]);
  });

  it('closes an unauthenticated socket on instance 2 with 4001; it receives no poke', async () => {
    const cy = await signIn(one, 'cy@example.test', 'org_unauth');
    const intruder = track(await WsTestClient.open(two.url));
    intruder.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: cy.token.slice(0, -4) + 'AAAA',
    });
    expect((await intruder.waitClosed()).code).toBe(WS_CLOSE.unauthenticated);
    const witness = track(
      await WsTestClient.join(two.url, { token: cy.token, clientId: newClientId() }),
    );
    await createProject(one, cy.token, 'Secret');
    await witness.waitFor((m) => m.type === 'poke');
    expect(intruder.messages.filter((m) => m.type !== 'error')).toEqual([]);
  });
  it('keeps poking local sockets while Redis is down, and resumes cross-instance pokes when it returns', async () => {
    const dee = await signIn(one, 'dee@example.test', 'org_outage');
    const local = track(
      await WsTestClient.join(one.url, { token: dee.token, clientId: newClientId() }),
    );
    const remote = track(
      await WsTestClient.join(two.url, { token: dee.token, clientId: newClientId() }),
    );
    const port = redis.port;
    await redis.stop();
    try {
      await createProject(one, dee.token, 'During the outage');
      const during = await head(one, dee.token);
      // The socket is a fast path: the write succeeded and this instance's sockets still hear of it.
      await local.waitFor(pokeAtLeast(during.cursor));
    } finally {
      redis = await startRedis({ port });
    }
    // Once both instances have reconnected and re-subscribed, a write reaches instance 2 again.
    // Reconnect timing is ioredis's backoff, so retry the write with a deadline.
    const deadline = Date.now() + 20_000;
    for (;;) {
      await createProject(one, dee.token, 'After the outage');
      const after = await head(one, dee.token);
      try {
        await remote.waitFor(pokeAtLeast(after.cursor), 1_000);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }, 40_000);
});
