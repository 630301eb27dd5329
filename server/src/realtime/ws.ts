import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { z } from 'zod';
import { WS_PUSH_MAX_BYTES, type OrgId } from '@outpost/shared';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Actor, SyncEngine } from '../engine/types.js';
import { errorResponses } from '../openapi/responses.js';
import { localBus, type PokeBus } from './bus.js';
import { commitPokes } from './commit-pokes.js';
import { PokeCoalescer } from './coalescer.js';
import { Hub } from './hub.js';
import { redisBus, type RedisPublisher } from './redis-bus.js';
import { Session, type ResolveActor, type SessionContext } from './session.js';
import { realTimers } from './timers.js';

export interface RealtimeOptions {
  config: Config;
}

const BUS_ERROR_LOG_EVERY_MS = 10_000;
/** How long shutdown waits for close handshakes before cutting sockets. */
const SHUTDOWN_GRACE_MS = 1_000;

/**
 * `GET /sync/ws`: authenticated sockets grouped in org rooms, poked (coalesced per org) after
 * every commit the engine reports — in this process directly, and from other instances
 * through Redis pub/sub when `app.redis` is configured. The socket is only a fast path:
 * a client that misses a poke still converges on its next pull.
 */
async function realtime(app: FastifyInstance, { config }: RealtimeOptions): Promise<void> {
  const limits = {
    helloTimeoutMs: config.WS_HELLO_TIMEOUT_MS,
    heartbeatMs: config.WS_HEARTBEAT_MS,
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
  };
  const hub = new Hub<Session>(limits.maxConnectionsPerUser);
  /** Every open session, joined or still awaiting hello. */
  const sessions = new Set<Session>();
  // Other instances' pokes: several publishers may poke one org, so coalesce again here.
  const fanIn = new PokeCoalescer(
    (orgId, cursor) => hub.poke(orgId, cursor),
    config.WS_POKE_COALESCE_MS,
  );
  /** What every session shares; each adds its own request budget. */
  let ctx: Omit<SessionContext, 'throttle'> | null = null;
  /** Counts a socket push like an HTTP request of its actor: seconds to wait, or null. */
  let throttle = async (_request: FastifyRequest, _actor: Actor): Promise<number | null> => null;
  let bus: PokeBus | null = null;
  let local: PokeCoalescer | null = null;
  let remote: PokeCoalescer | null = null;
  let unsubscribe = (): void => {};
  let closes: Counter<'code'> | null = null;

  // One sweep for all sockets (cheaper per idle connection than a timer each).
  const heartbeat = setInterval(() => {
    for (const session of sessions) session.heartbeat();
  }, limits.heartbeatMs);
  heartbeat.unref();

  // The engine, resolveActor and redis are read once everything is registered, so this
  // plugin does not depend on the order in which infrastructure decorates the instance.
  app.addHook('onReady', async () => {
    const engine = app.getDecorator<SyncEngine>('engine');
    const redis = app.getDecorator<RedisPublisher | null>('redis');
    const { registry } = app.getDecorator<{ registry: Registry }>('metrics');
    // A socket push is work like an HTTP request: the idle collector waits for quiet after it.
    const noteActivity = app.hasDecorator('noteActivity')
      ? app.getDecorator<() => void>('noteActivity')
      : () => {};
    const pushDuration = new Histogram({
      name: 'outpost_ws_push_duration_seconds',
      help: 'Pushes over the real-time socket, by the HTTP status they stand for (200, 400, 409, 429 …)',
      labelNames: ['status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    ctx = {
      resolveActor: app.getDecorator<ResolveActor>('resolveActor'),
      head: (orgId) => engine.head(orgId),
      checkClient: (actor, clientId) => engine.checkClientOwner(actor, clientId),
      push: (actor, req) => engine.push(actor, req),
      observePush: (seconds, status) => {
        pushDuration.observe({ status_code: String(status) }, seconds);
        noteActivity();
      },
      hub,
      limits,
      now: Date.now,
      timers: realTimers,
      log: app.log,
    };
    if (app.hasDecorator('createRateLimit')) {
      const limit = app.createRateLimit();
      throttle = async (request, actor) => {
        // The HTTP limiter keys a user's budget on `request.actor`: a socket push spends the
        // same budget as a POST /sync/push by the same user.
        Object.assign(request, { actor });
        try {
          const verdict = await limit(request);
          return verdict.isAllowed || !verdict.isExceeded ? null : verdict.ttlInSeconds;
        } catch (err) {
          // As for HTTP (skipOnError): a limiter outage (Redis) lets the push through.
          app.log.warn({ err }, 'rate limiting a socket push failed; letting it through');
          return null;
        }
      };
    }
    new Gauge({
      name: 'outpost_ws_sockets',
      help: 'Open real-time sockets: joined an org room, or still awaiting hello',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'joined' }, hub.size);
        this.set({ state: 'pending' }, sessions.size - hub.size);
      },
    });
    closes = new Counter({
      name: 'outpost_ws_closes_total',
      help: 'Real-time sockets closed, by close code (4001 unauthenticated … 4012 member removed; 1006 dropped)',
      labelNames: ['code'] as const,
      registers: [registry],
    });
    // During a Redis outage every publish and reconnect fails: log each kind once per window.
    const lastLogged = new Map<string, number>();
    const onBusError = (err: unknown, what: string) => {
      const now = Date.now();
      if (now - (lastLogged.get(what) ?? -Infinity) < BUS_ERROR_LOG_EVERY_MS) return;
      lastLogged.set(what, now);
      app.log.warn(
        { err },
        `real-time fan-out: ${what} failed (Redis); pokes stay on this instance meanwhile`,
      );
    };
    bus = redis
      ? await redisBus({
          redis,
          deliverRemote: (orgId: OrgId, cursor) => {
            // Only orgs with sockets here are worth a timer.
            if (hub.hasRoom(orgId)) fanIn.offer(orgId, cursor);
          },
          onError: onBusError,
        })
      : localBus;
    const out = bus;
    // This instance's commits: a burst becomes a bounded number of pokes per org, to this
    // instance's sockets and (through Redis) to the others, each coalesced on its own.
    local = new PokeCoalescer(
      (orgId, cursor, carried) => hub.poke(orgId, cursor, carried),
      config.WS_POKE_COALESCE_MS,
    );
    remote =
      out.kind === 'redis'
        ? new PokeCoalescer(
            (orgId, cursor) => out.publish(orgId, cursor),
            config.WS_POKE_COALESCE_MS,
          )
        : null;
    // A small commit's changes ride on the poke to this instance's sockets; other instances
    // are told first, without waiting for that read. The writer's answer waits for this (the
    // engine awaits it): the poke is sent first.
    const offCommit = engine.onCommit(
      commitPokes({
        hasRoom: (orgId) => hub.hasRoom(orgId),
        carry: (orgId, committed) => engine.carry(orgId, committed),
        local,
        remote,
        onCarryError: (err) =>
          app.log.warn({ err }, 'reading the activity window for a poke failed; poking bare'),
      }),
    );
    // A removed member's sockets on this instance close at once (elsewhere: a credential
    // socket at its next heartbeat re-check, a session socket at its next token refresh).
    const offRemoved = engine.onMemberRemoved((orgId, userId) => {
      for (const session of [...sessions])
        if (session.isMember(orgId, userId)) session.memberRemoved();
    });
    unsubscribe = () => {
      offCommit();
      offRemoved();
    };
    app.log.debug({ bus: bus.kind }, 'real-time fan-out ready');
  });

  // Graceful shutdown: every socket gets 1001 and a reason before the server closes
  // (added before the websocket plugin's own preClose, which then closes the rest).
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const session of [...sessions]) session.shutdown();
    // A peer that never completes the close handshake (a stalled or slow one) must not hold
    // the shutdown for ws's 30 s close timeout.
    const wss = app.websocketServer;
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (wss.clients.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    for (const client of wss.clients) client.terminate();
  });
  await app.register(websocket, {
    // The largest frame a client sends is a push of at most WS_PUSH_MAX_BYTES (protocol ≥ 6).
    // Frames up to the HTTP body limit are still read, so that one over it is answered naming
    // the limit (session.ts); past that, ws closes 1009 with no reason.
    options: {
      maxPayload: Math.max(config.BODY_LIMIT_BYTES, WS_PUSH_MAX_BYTES),
      perMessageDeflate: false,
      // Checked by the session (session.ts), which names the problem in an error frame before
      // closing; ws would close 1007 without a word.
      skipUTF8Validation: true,
    },
    errorHandler: (error, socket, request) => {
      // A peer breaking the protocol (an oversized frame, a bad opcode) is not our failure:
      // ws already closes with the fitting code (1009, 1002), so no stack and no terminate.
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        request.log.info({ code, reason: error.message }, 'websocket peer broke the protocol');
        return;
      }
      request.log.error({ err: error }, 'websocket failed');
      socket.terminate();
    },
  });

  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    unsubscribe();
    local?.close();
    remote?.close();
    fanIn.close();
    await bus?.close();
  });

  app.route({
    method: 'GET',
    url: '/sync/ws',
    // Documented in OpenAPI (a plain GET answers 426); the socket itself is `wsHandler`.
    schema: {
      operationId: 'openSyncSocket',
      tags: ['sync'],
      summary: 'Real-time pokes over WebSocket (connect with an Upgrade request)',
      description: WS_DESCRIPTION,
      // The socket authenticates with its `hello` message, not a header.
      security: [],
      'x-asyncapi': '/asyncapi.json',
      response: {
        101: z.null().describe('Switching Protocols: the socket is open; send `hello` first'),
        ...errorResponses(426),
      },
    },
    handler: async (_request, reply) => {
      reply.header('Upgrade', 'websocket');
      throw new AppError('UPGRADE_REQUIRED');
    },
    wsHandler: (socket, request) => {
      if (!ctx) {
        socket.close(1011, 'real-time is not ready');
        return;
      }
      const session = new Session(socket, request.id, {
        ...ctx,
        throttle: (actor) => throttle(request, actor),
      });
      socket.on('message', (data, isBinary) => session.onMessage(data, isBinary));
      socket.on('pong', () => session.onPong());
      sessions.add(session);
      socket.on('close', (code) => {
        closes?.inc({ code: String(code) });
        sessions.delete(session);
        session.onClose();
      });
    },
  });
}

const WS_DESCRIPTION = [
  'Tokens never go in the URL. Send `{ "type": "hello", "protocolVersion", "clientId", "token" }` first',
  '(a session token, or a device sync credential for its own client id) within 5 s; any other first message (a ping too) closes 4002.',
  'The client id is checked as a push checks it: one the server has not seen must be in lower case (else 4002),',
  'one bound to another user or org closes 4003.',
  'The server answers `{ "type": "welcome", "cursor", "heartbeatMs" }`, then `{ "type": "poke", "cursor" }`',
  "whenever the org's change log advances (coalesced per org): pull from your cursor. From protocol 5 a poke",
  'may carry the changes themselves (`carried: { from, changes, activityFloor }`, up to 32 KiB): a client whose',
  'cursor is `from` applies them and moves to `cursor` without pulling. Send',
  '`{ "type": "auth", "token" }` to refresh a token before it expires, `{ "type": "ping", "t" }` for a `pong`.',
  'From protocol 6, `{ "type": "push", "n", "request" }` (a POST /sync/push body, ≤ 64 KiB) is answered in order by',
  '`{ "type": "pushed", "n", "response" }` or `{ "type": "push-failed", "n", "status", "error" }` (what HTTP would answer;',
  'a push frame over 64 KiB: 413 `PAYLOAD_TOO_LARGE` with `details: { limit: "frame", maxBytes }`).',
  'Before closing (but 4009, whose buffer is full) the server sends `{ "type": "error", "code", "message" }`. Close codes:',
  '4001 unauthenticated, 4002 invalid message, 4003 forbidden, 4004 token expired, 4008 too many connections,',
  '4009 slow consumer, 4010 protocol version, 4011 no hello in time, 4012 removed from the org, 1001 server shutting down,',
  '1009 a frame over 64 KiB that is not a push (its error frame and reason name the limit), 1011 the server failed (reconnect).',
  'Every message is described, from the same schemas, by the AsyncAPI document at `/asyncapi.json`',
  '(`x-asyncapi`); see docs/protocol.md#real-time--websocket-apiv1syncws.',
].join(' ');

export default fp(realtime, {
  name: 'realtime',
  dependencies: ['engine', 'auth', 'redis', 'metrics'],
});
