import fs from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import type { WebSocketServer } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  WS_CLOSE,
  type Change,
  type OrgId,
  type PokeCarried,
} from '@outpost/shared';
import { loadConfig } from '../src/config.js';
import { AppError } from '../src/errors.js';
import realtime from '../src/realtime/ws.js';
import { POKE_BURST } from '../src/realtime/coalescer.js';
import type { Actor, CommitListener, Committed } from '../src/engine/types.js';
import { WsTestClient } from './helpers/ws-client.js';

/** The engine as the real-time plugin uses it: a head per org and commit listeners. */
class FakeEngine {
  readonly heads = new Map<string, number>();
  readonly listeners = new Set<CommitListener>();
  async head(orgId: OrgId): Promise<number> {
    return this.heads.get(orgId) ?? 0;
  }
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onMemberRemoved(): () => void {
    return () => {};
  }
  /** The engine's client id check is its own test's business (socket-refusals.test.ts). */
  async checkClientOwner(): Promise<void> {}
  /** The engine's window check is its own test's business: here every commit may be carried. */
  async carry(_orgId: OrgId, committed: Committed): Promise<PokeCarried> {
    return { from: committed.from, changes: committed.changes as Change[], activityFloor: 1 };
  }
  commit(orgId: string): number {
    const cursor = (this.heads.get(orgId) ?? 0) + 1;
    this.heads.set(orgId, cursor);
    for (const l of this.listeners) void l(orgId as OrgId, cursor, null);
    return cursor;
  }
  /** One commit of `count` task changes with notes `notes` long; returns its changes. */
  commitTasks(orgId: string, count = 1, notes = 0): Change[] {
    const from = this.heads.get(orgId) ?? 0;
    const at = new Date().toISOString();
    const changes = Array.from({ length: count }, (_, i) => {
      const id = newEntityId();
      return {
        seq: from + 1 + i,
        entity: 'task',
        entityId: id,
        clocks: {},
        deleted: null,
        row: {
          id,
          orgId,
          createdAt: at,
          updatedAt: at,
          version: from + 1 + i,
          projectId: newEntityId(),
          title: 'Carried',
          notes: 'n'.repeat(notes),
          status: 'todo',
          assigneeId: null,
          dueDate: null,
        },
      } as unknown as Change;
    });
    this.heads.set(orgId, from + count);
    for (const l of this.listeners) void l(orgId as OrgId, from + count, { from, changes });
    return changes;
  }
}

/** JWT-shaped test token: the fake resolveActor trusts its payload, as if verified. */
function token(claims: { sub: string; org: string; exp?: number; clientId?: string }): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64(claims)}.sig`;
}

/** Tokens the fake auth refuses from now on (a revoked sync credential). */
const revoked = new Set<string>();

async function fakeResolveActor(tok: string, requestId: string): Promise<Actor> {
  const payload = tok.split('.')[1];
  if (!payload || tok.endsWith('.bad'))
    throw new AppError('UNAUTHENTICATED', 'The token signature is invalid', {
      reason: 'token-invalid-signature',
    });
  if (revoked.has(tok))
    throw new AppError('UNAUTHENTICATED', 'This sync credential was revoked', {
      reason: 'credential-revoked',
    });
  const c = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    sub: string;
    org: string;
    exp?: number;
    clientId?: string;
  };
  if (c.exp !== undefined && c.exp * 1000 <= Date.now())
    throw new AppError('UNAUTHENTICATED', 'The token has expired', { reason: 'token-expired' });
  const now = new Date().toISOString();
  return {
    user: {
      id: c.sub,
      externalId: c.sub,
      email: `${c.sub}@example.test`,
      name: c.sub,
      role: 'member',
      orgId: c.org,
      createdAt: now,
      updatedAt: now,
      version: 1,
    } as unknown as Actor['user'],
    orgId: c.org as OrgId,
    role: 'member',
    requestId,
    clientId: (c.clientId ?? null) as Actor['clientId'],
    via: c.clientId ? 'sync-credential' : 'session',
  };
}

interface Harness {
  app: FastifyInstance;
  registry: Registry;
  wss: WebSocketServer;
  engine: FakeEngine;
  url: string;
  close(): Promise<void>;
}

async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-rt-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLIENT_DIST_DIR: '/nonexistent',
    WS_HELLO_TIMEOUT_MS: '400',
    WS_MAX_CONNECTIONS_PER_USER: '2',
    ...env,
  });
  const engine = new FakeEngine();
  const app = Fastify({ logger: false });
  // As in buildApp: route schemas are zod.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(
    fp(async (a) => void a.decorate('engine', engine as never), { name: 'engine' }),
  );
  await app.register(
    fp(async (a) => void a.decorate('resolveActor', fakeResolveActor as never), { name: 'auth' }),
  );
  await app.register(fp(async (a) => void a.decorate('redis', null), { name: 'redis' }));
  const registry = new Registry();
  await app.register(
    fp(async (a) => void a.decorate('metrics', { registry, port: null }), { name: 'metrics' }),
  );
  let wss: WebSocketServer | undefined;
  await app.register(
    async (api) => {
      await api.register(realtime, { config });
      wss = api.websocketServer;
    },
    { prefix: '/api/v1' },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  if (!wss) throw new Error('the realtime plugin did not register @fastify/websocket');
  return {
    app,
    registry,
    wss,
    engine,
    url: `http://127.0.0.1:${addr.port}`,
    async close() {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

const ana = (org = 'org_a') => ({ token: token({ sub: 'ana', org }), clientId: newClientId() });

describe('real-time socket /api/v1/sync/ws (in-process)', () => {
  let h: Harness;
  const clients: WsTestClient[] = [];
  const track = (c: WsTestClient) => (clients.push(c), c);
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(() => h.close());

  it('welcomes an authenticated hello with the org head and heartbeat, then pokes after each commit', async () => {
    h.engine.commit('org_a');
    const head = h.engine.commit('org_a');
    const c = track(await WsTestClient.join(h.url, ana()));
    expect(c.messages[0]).toEqual({ type: 'welcome', cursor: head, heartbeatMs: 30_000 });
    const next = h.engine.commit('org_a');
    await c.waitFor((m) => m.type === 'poke' && m.cursor === next);
    c.send({ type: 'ping', t: 42 });
    await c.waitFor((m) => m.type === 'pong' && m.t === 42);
  });

  it("carries a small commit's changes to sockets that may pull them, a bare poke to the rest", async () => {
    const org = 'org_carry';
    const join = (sub: string, extra: { protocolVersion?: number; credential?: boolean } = {}) => {
      const clientId = newClientId();
      const claims = extra.credential ? { sub, org, clientId } : { sub, org };
      return WsTestClient.join(h.url, {
        token: token(claims),
        clientId,
        ...(extra.protocolVersion ? { protocolVersion: extra.protocolVersion } : {}),
      });
    };
    const current = track(await join('ana'));
    // A protocol-4 client's strict schema would drop a poke with changes: it gets the bare one.
    const older = track(await join('ben', { protocolVersion: 4 }));
    // A sync credential may not pull, so a poke gives it no more than a pull would: nothing.
    const credential = track(await join('cy', { credential: true }));
    const [change] = h.engine.commitTasks(org);
    const pokeAt = (c: WsTestClient) =>
      c.waitFor((m) => m.type === 'poke' && m.cursor === change!.seq);
    const [got, bare, credGot] = await Promise.all([current, older, credential].map(pokeAt));
    expect(got).toEqual({
      type: 'poke',
      cursor: change!.seq,
      carried: { from: change!.seq - 1, changes: [change], activityFloor: 1 },
    });
    expect(bare).toEqual({ type: 'poke', cursor: change!.seq });
    expect(credGot).toEqual({ type: 'poke', cursor: change!.seq });
    // Past 32 KiB a poke goes bare: the client pulls.
    const big = h.engine.commitTasks(org, 2, 20_000);
    const head = big.at(-1)!.seq;
    expect(await current.waitFor((m) => m.type === 'poke' && m.cursor === head)).toEqual({
      type: 'poke',
      cursor: head,
    });
  });

  it('answers a plain GET (no Upgrade) with 426 and a coded error', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/sync/ws' });
    expect(res.statusCode).toBe(426);
    expect(res.headers['upgrade']).toBe('websocket');
    expect(res.json()).toMatchObject({ code: 'UPGRADE_REQUIRED' });
  });

  it('closes an unauthenticated socket with 4001 and never pokes it', async () => {
    const c = track(await WsTestClient.open(h.url));
    c.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: 'x.y.bad',
    });
    const closed = await c.waitClosed();
    expect(closed.code).toBe(WS_CLOSE.unauthenticated);
    h.engine.commit('org_a');
    expect(c.messages.filter((m) => m.type === 'poke' || m.type === 'welcome')).toEqual([]);
    expect(c.messages).toContainEqual({
      type: 'error',
      code: 'unauthenticated',
      message: 'The token signature is invalid',
    });
  });

  it('never delivers an org-B poke to an org-A socket', async () => {
    const a = track(await WsTestClient.join(h.url, ana('org_a')));
    const b = track(
      await WsTestClient.join(h.url, {
        token: token({ sub: 'ben', org: 'org_b' }),
        clientId: newClientId(),
      }),
    );
    const bCursor = h.engine.commit('org_b');
    const aCursor = h.engine.commit('org_a');
    await a.waitFor((m) => m.type === 'poke' && m.cursor === aCursor);
    await b.waitFor((m) => m.type === 'poke' && m.cursor === bCursor);
    expect(a.pokes).toEqual([aCursor]);
    expect(b.pokes).toEqual([bCursor]);
  });

  it('closes with 4002 and a reason on invalid JSON, schema violations and auth before hello', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [
        { type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: 'nope', token: 't' },
        /clientId/,
      ],
      [{ type: 'subscribe' }, /type/],
      [{ type: 'auth', token: ana().token }, /^the first message must be hello, not auth$/],
    ];
    for (const [msg, reason] of cases) {
      const c = track(await WsTestClient.open(h.url));
      c.send(msg);
      const closed = await c.waitClosed();
      expect(closed.code).toBe(WS_CLOSE.invalidMessage);
      expect(closed.reason).toMatch(reason);
    }
  });

  it('answers nothing before hello: a ping or a push first closes 4002 after an error frame', async () => {
    const push = {
      type: 'push',
      n: 0,
      request: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: newClientId(),
        mutations: [
          {
            type: 'task.delete',
            id: 1,
            hlc: new HybridLogicalClock('before-hello').now(),
            entityId: newEntityId(),
          },
        ],
      },
    };
    for (const msg of [{ type: 'ping', t: 1 }, push]) {
      const c = track(await WsTestClient.open(h.url));
      c.send(msg);
      const closed = await c.waitClosed();
      expect(closed.code).toBe(WS_CLOSE.invalidMessage);
      expect(c.messages).toEqual([
        {
          type: 'error',
          code: 'invalid_message',
          message: `the first message must be hello, not ${msg.type}`,
        },
      ]);
    }
    // After hello, a ping is answered even before welcome comes.
    const c = track(await WsTestClient.open(h.url));
    c.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, ...ana() });
    c.send({ type: 'ping', t: 9 });
    await c.waitFor((m) => m.type === 'pong' && m.t === 9);
    await c.waitFor((m) => m.type === 'welcome');
  });

  it('closes with 4011 when no hello arrives in time', async () => {
    const c = track(await WsTestClient.open(h.url));
    expect((await c.waitClosed()).code).toBe(WS_CLOSE.helloTimeout);
  });

  it('closes with 4010 and says which side is too old on a protocol mismatch', async () => {
    const c = track(await WsTestClient.open(h.url));
    c.send({ type: 'hello', protocolVersion: 99, clientId: newClientId(), token: ana().token });
    expect((await c.waitClosed()).code).toBe(WS_CLOSE.protocolVersion);
    expect(c.messages[0]).toMatchObject({ type: 'error', code: 'server_too_old' });
  });

  it('closes with 4002, not 4010, when the hello carries no version at all (0, -1, 1.5, "7", 10001)', async () => {
    for (const protocolVersion of [0, -1, 1.5, '7', 10_001]) {
      const c = track(await WsTestClient.open(h.url));
      c.send({ type: 'hello', protocolVersion, clientId: newClientId(), token: ana().token });
      expect((await c.waitClosed()).code, String(protocolVersion)).toBe(WS_CLOSE.invalidMessage);
      expect(c.messages[0]).toMatchObject({ type: 'error', code: 'invalid_message' });
    }
  });

  it("closes with 4010 too when the other version's hello has a shape this server refuses", async () => {
    // A newer client's hello with a field this server does not know, an older one's without
    // its client id: the version is read first (it was 4002 invalid message).
    for (const [hello, code] of [
      [
        { protocolVersion: 99, clientId: newClientId(), token: ana().token, resume: 1 },
        'server_too_old',
      ],
      [{ protocolVersion: 1, token: ana().token }, 'client_too_old'],
    ] as const) {
      const c = track(await WsTestClient.open(h.url));
      c.send({ type: 'hello', ...hello });
      expect((await c.waitClosed()).code, code).toBe(WS_CLOSE.protocolVersion);
      expect(c.messages[0], code).toMatchObject({ type: 'error', code });
    }
  });

  it('caps connections per user (4008) and frees the slot when one closes', async () => {
    const first = track(await WsTestClient.join(h.url, ana()));
    track(await WsTestClient.join(h.url, ana()));
    const third = track(await WsTestClient.open(h.url));
    third.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, ...ana() });
    expect((await third.waitClosed()).code).toBe(WS_CLOSE.tooManyConnections);
    // Another user of the same org is not affected.
    track(
      await WsTestClient.join(h.url, {
        token: token({ sub: 'cy', org: 'org_a' }),
        clientId: newClientId(),
      }),
    );
    first.ws.close();
    await first.waitClosed();
    const again = track(await WsTestClient.open(h.url));
    again.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, ...ana() });
    await again.until(() =>
      again.messages.some((m) => m.type === 'welcome') || again.isClosed ? true : undefined,
    );
    expect(again.isClosed).toBe(false);
  });

  it('refuses a sync credential bound to another client id (4003), at hello and in auth', async () => {
    const c = track(await WsTestClient.open(h.url));
    c.send({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      token: token({ sub: 'ana', org: 'org_a', clientId: newClientId() }),
    });
    expect((await c.waitClosed()).code).toBe(WS_CLOSE.forbidden);
    const joined = track(await WsTestClient.join(h.url, ana()));
    joined.send({
      type: 'auth',
      token: token({ sub: 'ana', org: 'org_a', clientId: newClientId() }),
    });
    expect((await joined.waitClosed()).code).toBe(WS_CLOSE.forbidden);
  });

  it('closes with 4004 at token expiry, unless a fresh token arrives first', async () => {
    const exp = Math.ceil(Date.now() / 1000) + 1;
    const stale = track(
      await WsTestClient.join(h.url, {
        token: token({ sub: 'dee', org: 'org_a', exp }),
        clientId: newClientId(),
      }),
    );
    const refreshed = track(
      await WsTestClient.join(h.url, {
        token: token({ sub: 'dee', org: 'org_a', exp }),
        clientId: newClientId(),
      }),
    );
    refreshed.send({ type: 'auth', token: token({ sub: 'dee', org: 'org_a', exp: exp + 60 }) });
    const closed = await stale.waitClosed(4_000);
    expect(closed.code).toBe(WS_CLOSE.tokenExpired);
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
    const cursor = h.engine.commit('org_a');
    await refreshed.waitFor((m) => m.type === 'poke' && m.cursor === cursor);
    expect(refreshed.isClosed).toBe(false);
  });

  it('closes with 4003 when auth brings a token for another org', async () => {
    const c = track(await WsTestClient.join(h.url, ana('org_a')));
    c.send({ type: 'auth', token: token({ sub: 'ana', org: 'org_b' }) });
    expect((await c.waitClosed()).code).toBe(WS_CLOSE.forbidden);
  });

  it('coalesces a burst of commits into a bounded number of pokes ending with the latest cursor', async () => {
    const c = track(await WsTestClient.join(h.url, ana('org_burst')));
    let last = 0;
    for (let i = 0; i < 500; i++) last = h.engine.commit('org_burst');
    await c.waitFor((m) => m.type === 'poke' && m.cursor === last);
    // The burst's credit at once, one trailing poke with the newest cursor.
    expect(c.pokes.length).toBeLessThanOrEqual(POKE_BURST + 2);
    // A burst spread over time: at most one poke per 10 ms window, plus the credit.
    const started = Date.now();
    const before = c.pokes.length;
    while (Date.now() - started < 200) {
      last = h.engine.commit('org_burst');
      await new Promise((r) => setImmediate(r));
    }
    const elapsed = Date.now() - started;
    await c.waitFor((m) => m.type === 'poke' && m.cursor === last);
    expect(c.pokes.length - before).toBeLessThanOrEqual(Math.ceil(elapsed / 10) + POKE_BURST + 1);
    expect(c.pokes.at(-1)).toBe(last);
    expect([...c.pokes].sort((x, y) => x - y)).toEqual(c.pokes);
  });
});

describe('real-time socket lifecycle', () => {
  it('drops a peer that stops answering heartbeats and keeps a live one', async () => {
    const h = await startHarness({ WS_HEARTBEAT_MS: '150' });
    try {
      const dead = await WsTestClient.join(h.url, ana(), { autoPong: false });
      const live = await WsTestClient.join(h.url, {
        token: token({ sub: 'ben', org: 'org_a' }),
        clientId: newClientId(),
      });
      const closed = await dead.waitClosed(3_000);
      expect(closed.code).toBe(1006);
      expect(live.isClosed).toBe(false);
      const cursor = h.engine.commit('org_a');
      await live.waitFor((m) => m.type === 'poke' && m.cursor === cursor);
      live.close();
    } finally {
      await h.close();
    }
  });

  it('re-verifies a sync credential at each heartbeat and closes 4001 once it is revoked', async () => {
    const h = await startHarness({ WS_HEARTBEAT_MS: '150' });
    try {
      const clientId = newClientId();
      const credential = token({ sub: 'eve', org: 'org_a', clientId });
      const device = await WsTestClient.join(h.url, { token: credential, clientId });
      const session = await WsTestClient.join(h.url, {
        token: token({ sub: 'eve', org: 'org_a' }),
        clientId: newClientId(),
      });
      revoked.add(credential);
      expect((await device.waitClosed(3_000)).code).toBe(WS_CLOSE.unauthenticated);
      expect(device.messages).toContainEqual({
        type: 'error',
        code: 'unauthenticated',
        message: 'This sync credential was revoked',
      });
      expect(session.isClosed).toBe(false);
      session.close();
    } finally {
      await h.close();
    }
  });

  it('exposes open sockets and closes by code as Prometheus metrics', async () => {
    const h = await startHarness();
    try {
      const joined = await WsTestClient.join(h.url, ana());
      const pending = await WsTestClient.open(h.url);
      const gauge = await h.registry.getSingleMetricAsString('outpost_ws_sockets');
      expect(gauge).toContain('outpost_ws_sockets{state="joined"} 1');
      expect(gauge).toContain('outpost_ws_sockets{state="pending"} 1');
      pending.send('{oops');
      await pending.waitClosed();
      // The server counts the close when its side of the socket ends: poll with a deadline.
      const deadline = Date.now() + 3_000;
      let closes = '';
      while (!closes.includes('code="4002"} 1') && Date.now() < deadline) {
        closes = await h.registry.getSingleMetricAsString('outpost_ws_closes_total');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(closes).toContain('outpost_ws_closes_total{code="4002"} 1');
      joined.close();
    } finally {
      await h.close();
    }
  });

  it('closes every socket with 1001 on shutdown', async () => {
    const h = await startHarness();
    const joined = await WsTestClient.join(h.url, ana());
    const waiting = await WsTestClient.open(h.url);
    await h.close();
    expect(await joined.waitClosed()).toMatchObject({ code: 1001 });
    expect((await waiting.waitClosed()).code).toBe(1001);
  });

  it('drops a consumer that stops reading (4009) instead of buffering without bound', async () => {
    const h = await startHarness({ WS_POKE_COALESCE_MS: '0', WS_MAX_BUFFERED_BYTES: '4096' });
    try {
      const slow = await WsTestClient.join(h.url, ana('org_slow'));
      const [server] = [...h.wss.clients];
      if (!server) throw new Error('no server-side socket');
      // A peer that stops reading shows up server-side as writes the socket cannot flush.
      // Loopback kernel buffers hold tens of MB, so stall the server's socket directly.
      const raw = (server as unknown as { _socket: Socket })._socket;
      raw.cork();
      let commits = 0;
      let maxBuffered = 0;
      while (server.readyState === server.OPEN && commits < 100_000) {
        h.engine.commit('org_slow');
        commits++;
        maxBuffered = Math.max(maxBuffered, server.bufferedAmount);
      }
      expect(server.readyState).not.toBe(server.OPEN);
      // Bounded: the limit plus at most one poke frame and the close frame.
      expect(maxBuffered).toBeLessThanOrEqual(4096 + 128);
      raw.uncork();
      expect((await slow.waitClosed()).code).toBe(WS_CLOSE.slowConsumer);
      expect(slow.pokes.length).toBeLessThan(commits);
    } finally {
      await h.close();
    }
  });
});
