// First: Dexie reads the indexedDB global when it loads, and liveQuery needs it.
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { newClientId, WS_CLOSE, type EntityId, type OrgId } from '@outpost/shared';
import {
  HttpError,
  NetworkError,
  pokeUrl,
  type SyncStatus,
  type WebSocketLike,
  readOutboxEntries,
} from '@outpost/sync';
import { connectPokes, ProtocolVersionError } from '@outpost/sync/testing';
import { MemoryServer, memoryTransport } from './helpers/memory-server';
import { newDevice, openTab, synced, until, type Tab } from './helpers/harness';
import { deviceTransport, startRealServer, type RealServer } from './helpers/real-server';

let server: RealServer;
beforeAll(async () => {
  server = await startRealServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
const open: Tab[] = [];
const stops: AbortController[] = [];
afterEach(async () => {
  for (const c of stops.splice(0)) c.abort();
  await Promise.all(open.splice(0).map((t) => t.stop()));
});

describe('connectPokes against the real server', () => {
  it('a write by one client pokes the other, which pulls it without waiting for its timer', async () => {
    const orgId = `org_poke_${Date.now().toString(36)}` as OrgId;
    const tabs = [];
    for (const name of ['ana', 'ben']) {
      const who = await server.signIn({
        email: `${name}.${orgId}@example.com`.toLowerCase(),
        name,
        orgId,
        role: 'admin',
      });
      const { transport } = deviceTransport(server, who);
      const tab = await openTab(newDevice(), { userId: who.user.id, orgId }, transport);
      open.push(tab);
      tabs.push({ who, tab });
    }
    const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
    await synced(a.tab);
    await synced(b.tab);

    const ctl = new AbortController();
    stops.push(ctl);
    const pokes: number[] = [];
    let welcomed = false;
    const stopped = connectPokes({
      url: pokeUrl(server.url),
      getToken: async () => (await b.who.getToken()).token,
      clientId: b.tab.replica.clientId,
      onPoke: (cursor) => {
        pokes.push(cursor);
        b.tab.client.poke(cursor);
      },
      onPusher: (p) => (welcomed = p !== null),
      signal: ctl.signal,
      WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike,
    });
    await until(() => welcomed, 5_000, 'welcome');

    const projectId = await a.tab.client.createProject({
      name: 'real time',
      ownerId: a.who.user.id as EntityId,
    });
    await synced(a.tab);
    // B's slow timer is 60 s: only the poke can bring the project this fast.
    await until(
      async () => (await b.tab.replica.db.projects.get(projectId as EntityId)) !== undefined,
      5_000,
      'B to pull after the poke',
    );
    expect(pokes.length).toBeGreaterThan(1);
    ctl.abort();
    await stopped;
    expect(welcomed).toBe(false);
  });
});

describe('pokes that carry the changes', () => {
  it('another device applies a write from its poke, without a pull; the writer acks it without one', async () => {
    const orgId = `org_carry_${Date.now().toString(36)}` as OrgId;
    const tabs = [];
    for (const name of ['ana', 'ben']) {
      const who = await server.signIn({
        email: `${name}.${orgId}@example.com`.toLowerCase(),
        name,
        orgId,
        role: 'admin',
      });
      const { transport } = deviceTransport(server, who);
      const calls = { pulls: 0, httpPushes: 0, pokes: [] as boolean[] };
      const pull = transport.pull.bind(transport);
      transport.pull = (req, ctx) => (calls.pulls++, pull(req, ctx));
      const push = transport.push.bind(transport);
      transport.push = (req, ctx) => (calls.httpPushes++, push(req, ctx));
      // The real socket, with each poke noted (did it carry the changes?) before the engine.
      class Socket extends WebSocket {
        constructor(url: string) {
          super(url);
          this.on('message', (data: Buffer) => {
            const msg = JSON.parse(data.toString()) as { type: string; carried?: unknown };
            if (msg.type === 'poke') calls.pokes.push(msg.carried !== undefined);
          });
        }
      }
      const tab = await openTab(newDevice(), { userId: who.user.id, orgId }, transport, {
        pokes: {
          url: pokeUrl(server.url),
          getToken: async () => (await who.getToken()).token,
          WebSocket: Socket as unknown as new (url: string) => WebSocketLike,
        },
      });
      open.push(tab);
      tabs.push({ who, tab, calls });
    }
    const [a, b] = tabs as [(typeof tabs)[0], (typeof tabs)[0]];
    await synced(a.tab);
    await synced(b.tab);
    // Both sockets are welcomed (the welcome is a poke without changes: one pull each).
    await until(() => a.calls.pulls >= 2 && b.calls.pulls >= 2, 5_000, 'welcome pulls');
    await until(
      async () => (await readOutboxEntries(a.tab.replica.db)).length === 0,
      5_000,
      'idle',
    );
    const pullsBefore = [a.calls.pulls, b.calls.pulls];
    const httpPushesBefore = a.calls.httpPushes;
    const pokesBefore = b.calls.pokes.length;
    // B's status while it applies A's change: it never says "syncing" (no flicker per change).
    const bSyncing: boolean[] = [];
    const bSyncedAt = b.tab.client.status.getSnapshot().lastSyncedAt ?? 0;
    const offStatus = b.tab.client.status.subscribe(() =>
      bSyncing.push(b.tab.client.status.getSnapshot().syncing),
    );

    const projectId = await a.tab.client.createProject({
      name: 'carried',
      ownerId: a.who.user.id as EntityId,
    });
    await until(
      async () => (await b.tab.replica.db.projects.get(projectId as EntityId)) !== undefined,
      5_000,
      'B to apply the carried project',
    );
    // The writer's own change came back on its socket: its outbox is empty, no pull needed.
    await until(
      async () => (await readOutboxEntries(a.tab.replica.db)).length === 0,
      5_000,
      'A acked',
    );
    expect(b.calls.pokes.slice(pokesBefore)).toContain(true);
    expect([a.calls.pulls, b.calls.pulls]).toEqual(pullsBefore);
    await until(
      () => (b.tab.client.status.getSnapshot().lastSyncedAt ?? 0) > bSyncedAt,
      5_000,
      'B to report the step',
    );
    offStatus();
    expect(bSyncing).not.toContain(true);
    // The write went over the open socket (protocol 6), not over HTTP.
    expect(a.calls.httpPushes).toBe(httpPushesBefore);
    // Both replicas hold the server's row (its version), in base-less mirror form.
    const [ra, rb] = await Promise.all(
      [a, b].map((t) => t.tab.replica.db.projects.get(projectId as EntityId)),
    );
    expect(ra).toEqual(rb);
    expect(rb?.version).toBeGreaterThan(0);
    expect(await a.tab.replica.db.base.count()).toBe(0);
  });
});

const REFUSALS = {
  protocol: WS_CLOSE.protocolVersion,
  removed: WS_CLOSE.memberRemoved,
  'email-in-use': WS_CLOSE.emailInUse,
};

/**
 * A scripted socket: each instance plays the next script entry — `welcome` then a poke, `open`
 * (welcomed at cursor 0, then quiet until closed), or closed at once.
 */
function scriptedSockets(script: ('welcome' | 'open' | 'drop' | keyof typeof REFUSALS)[]) {
  const opened: string[] = [];
  const sockets: WebSocketLike[] = [];
  class FakeSocket implements WebSocketLike {
    readyState = 0;
    onopen: ((ev: unknown) => void) | null = null;
    onmessage: ((ev: { data: unknown }) => void) | null = null;
    onclose: ((ev: { code: number; reason: string }) => void) | null = null;
    onerror: ((ev: unknown) => void) | null = null;
    readonly sent: unknown[] = [];
    constructor(url: string) {
      opened.push(url);
      sockets.push(this);
      const step = script.shift() ?? 'drop';
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.({});
        if (step === 'welcome') {
          this.onmessage?.({
            data: JSON.stringify({ type: 'welcome', cursor: 7, heartbeatMs: 60_000 }),
          });
          this.onmessage?.({ data: JSON.stringify({ type: 'poke', cursor: 9 }) });
        } else if (step === 'open') {
          this.onmessage?.({
            data: JSON.stringify({ type: 'welcome', cursor: 0, heartbeatMs: 60_000 }),
          });
        } else this.close(REFUSALS[step as keyof typeof REFUSALS] ?? 1006, step);
      });
    }
    send(data: string) {
      this.sent.push(JSON.parse(data));
    }
    close(code = 1000, reason = '') {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code, reason }));
    }
  }
  return { FakeSocket, opened, sockets };
}

describe('connectPokes reconnects', () => {
  it('after dropped connections, with backoff, and reports pokes once welcomed', async () => {
    const { FakeSocket, opened } = scriptedSockets(['drop', 'drop', 'welcome']);
    const delays: number[] = [];
    const ctl = new AbortController();
    stops.push(ctl);
    const pokes: number[] = [];
    void connectPokes({
      url: 'ws://x/api/v1/sync/ws',
      getToken: async () => 'token',
      clientId: newClientId(),
      onPoke: (c) => pokes.push(c),
      signal: ctl.signal,
      WebSocket: FakeSocket,
      random: () => 0,
      timers: {
        setTimeout: (fn, ms) => (delays.push(ms), setTimeout(fn, 0)),
        clearTimeout: (h) => clearTimeout(h as never),
      },
    });
    await until(() => pokes.length === 2, 5_000, 'pokes');
    expect(opened).toHaveLength(3);
    expect(pokes).toEqual([7, 9]);
    // Growing backoff between the failed attempts (jitter pinned by random = 0).
    expect(delays.slice(0, 2)).toEqual([500, 1000]);
  });

  it.each([
    ['refuses the protocol version', 'protocol', WS_CLOSE.protocolVersion],
    ['removed the member', 'removed', WS_CLOSE.memberRemoved],
    ['refuses the sign-in: another member has its email', 'email-in-use', WS_CLOSE.emailInUse],
  ] as const)('stops for good when the server %s', async (_, step, code) => {
    // A reconnect would be welcomed (and never end): only stopping resolves.
    const { FakeSocket, opened } = scriptedSockets([step, 'welcome']);
    const refused: { code: number; reason: string }[] = [];
    const ctl = new AbortController();
    stops.push(ctl);
    await connectPokes({
      url: 'ws://x/api/v1/sync/ws',
      getToken: async () => 'token',
      clientId: newClientId(),
      onPoke: () => undefined,
      onRefused: (close) => refused.push(close),
      signal: ctl.signal,
      WebSocket: FakeSocket,
      timers: {
        setTimeout: (fn) => setTimeout(fn, 0),
        clearTimeout: (h) => clearTimeout(h as never),
      },
    });
    expect(opened).toHaveLength(1);
    expect(refused).toEqual([{ code, reason: step }]);
  });
});

describe('the engine after a live socket drops', () => {
  it('pulls at once, so a server that is gone is reported within seconds, not at the slow timer', async () => {
    const server = new MemoryServer();
    const user = server.addUser('member');
    const transport = memoryTransport(server, user.id);
    const { FakeSocket, sockets } = scriptedSockets(['open']);
    const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport, {
      pokes: { url: 'ws://x/api/v1/sync/ws', getToken: async () => 'token', WebSocket: FakeSocket },
    });
    open.push(tab);
    await synced(tab);
    await until(() => sockets.length === 1 && sockets[0]!.readyState === 1, 5_000, 'socket');
    // The server goes away: nothing unsent here, so only a pull can notice.
    let pulls = 0;
    transport.pull = async () => {
      pulls++;
      throw new NetworkError('connection refused');
    };
    sockets[0]!.close(1006, 'gone');
    // The slow timer is 60 s: only the drop runs a pull this soon.
    await until(() => tab.client.status.getSnapshot().failures >= 1, 5_000, 'the failed pull');
    expect(pulls).toBeGreaterThan(0);
    expect(tab.client.status.getSnapshot().lastError?.name).toBe('NetworkError');
  });
});

describe('the engine after the socket is refused for good', () => {
  it.each([
    [
      'member removed (4012)',
      WS_CLOSE.memberRemoved,
      () => new HttpError('You were removed from this organization', 403, 'MEMBER_REMOVED'),
      (s: SyncStatus) => s.lastError?.code === 'MEMBER_REMOVED',
    ],
    [
      'email in use (4013)',
      WS_CLOSE.emailInUse,
      () => new HttpError('Another member has this email', 403, 'EMAIL_IN_USE'),
      (s: SyncStatus) => s.lastError?.code === 'EMAIL_IN_USE',
    ],
    [
      'protocol refused (4010)',
      WS_CLOSE.protocolVersion,
      () => new ProtocolVersionError('update the app', 'client_too_old'),
      (s: SyncStatus) => s.protocol === 'client_too_old',
    ],
  ] as const)(
    '%s: reports the refusal at once, as HTTP gives it, and opens no other socket',
    async (_, code, refusal, reported) => {
      const server = new MemoryServer();
      const user = server.addUser('member');
      const transport = memoryTransport(server, user.id);
      const { FakeSocket, opened, sockets } = scriptedSockets(['open']);
      const tab = await openTab(newDevice(), { userId: user.id, orgId: server.orgId }, transport, {
        pokes: {
          url: 'ws://x/api/v1/sync/ws',
          getToken: async () => 'token',
          WebSocket: FakeSocket,
        },
      });
      open.push(tab);
      await synced(tab);
      await until(() => sockets.length === 1 && sockets[0]!.readyState === 1, 5_000, 'socket');
      // From now on the server refuses this client over HTTP too.
      let refusals = 0;
      transport.pull = transport.push = async () => {
        refusals++;
        throw refusal();
      };
      sockets[0]!.close(code, 'refused');
      // The slow timer is 60 s: only the socket's refusal runs a cycle this soon.
      await until(() => reported(tab.client.status.getSnapshot()), 5_000, 'the refusal reported');
      expect(refusals).toBe(1);
      expect(opened).toHaveLength(1);
    },
  );
});
