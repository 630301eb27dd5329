import {
  PROTOCOL_VERSION,
  unreachable,
  WS_CLOSE_EMAIL_IN_USE,
  WS_CLOSE_MEMBER_REMOVED,
  WS_CLOSE_PROTOCOL_VERSION,
  type ClientId,
  type PokeCarried,
  type WsUp,
} from '@outpost/shared';
import { check } from './check';
import type { WsDownRead } from './schemas';
import { socketPushes, type SocketPusher } from './socket-push';
import { backoffDelay, realTimers, sleep, type Timers } from './timers';

/** The subset of the browser WebSocket we use (the `ws` package satisfies it in Node). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface ConnectPokesOptions {
  /** `ws(s)://host/api/v1/sync/ws`; see `pokeUrl()`. */
  url: string;
  /** A fresh session token (or the device sync credential) for `hello` and `auth`. */
  getToken: () => Promise<string | null>;
  clientId: ClientId;
  /**
   * The org's log reached `cursor`: call `syncClient.poke(cursor, carried)`. `carried`: the
   * changes of `(carried.from, cursor]`, when the poke brought them.
   */
  onPoke: (cursor: number, carried?: PokeCarried) => void;
  signal: AbortSignal;
  /**
   * The socket is open (welcomed) and takes pushes (protocol ≥ 6), or no longer is (null):
   * the engine pushes over it, and counts on it for pokes, while it is open. Pushes still
   * unanswered when it closes fail with `SocketClosedError`.
   */
  onPusher?: (pusher: SocketPusher | null) => void;
  /**
   * The server refused this client for good — its protocol version (close 4010: the app must
   * update) or its user (4012: removed from the org; 4013: another member has its email). The
   * socket does not reconnect (a new identity is a new engine, with a socket of its own); HTTP
   * says the same, with the error the engine reports.
   */
  onRefused?: (close: { code: number; reason: string }) => void;
  WebSocket?: new (url: string) => WebSocketLike;
  timers?: Timers;
  random?: () => number;
}

/** `http://host` → `ws://host/api/v1/sync/ws` (and https → wss). */
export function pokeUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/api/v1/sync/ws`;
}

const OPEN = 1;
/** The token is sent again this often (session tokens live about a minute). */
const AUTH_REFRESH_MS = 30_000;

/**
 * A server message, or null. A poke whose carried changes this client cannot read (rows a
 * newer server added fields to) still counts as a poke, a push answer whose echo it cannot
 * read still answers the push: without them, the client pulls.
 */
function parseDown(json: unknown): WsDownRead | null {
  const parsed = check.wsDown.safeParse(json);
  if (parsed.success) return parsed.data;
  const bare = withoutChanges(json);
  const plain = bare && check.wsDown.safeParse(bare);
  return plain?.success ? plain.data : null;
}

/**
 * `json` without the changes it carries (a poke's `carried`, a push answer's `echo`, also
 * inside a `pushed` frame), or null when it carries none: what is left when they fail the
 * checks.
 */
export function withoutChanges(json: unknown): object | null {
  if (typeof json !== 'object' || json === null) return null;
  const { carried, echo, ...bare } = json as Record<string, unknown>;
  if (carried !== undefined || echo !== undefined) return bare;
  const response = withoutChanges(bare.response);
  return response && { ...bare, response };
}

/**
 * Keeps a WebSocket to the server open for pokes, reconnecting with capped exponential
 * backoff + jitter. A poke only says "pull now": correctness never depends on this socket,
 * so every failure here just means slower updates. Resolves when `signal` aborts or the
 * server refuses this client for good (its protocol version, or its user removed).
 */
export async function connectPokes(o: ConnectPokesOptions): Promise<void> {
  const timers = o.timers ?? realTimers;
  const random = o.random ?? Math.random;
  // Without one (Node before 22, and no `WebSocket` given) the first connect throws: the
  // engine gives up on pokes and syncs without them.
  const Ctor =
    o.WebSocket ?? (globalThis as { WebSocket: new (url: string) => WebSocketLike }).WebSocket;
  let attempt = 0;

  while (!o.signal.aborted) {
    const token = await o.getToken().catch(() => null);
    if (!token) {
      attempt++;
      await sleep(timers, backoffDelay(attempt, random), o.signal);
      continue;
    }
    const outcome = await new Promise<{ code: number; reason: string; welcomed: boolean }>(
      (resolve) => {
        const ws = new Ctor(o.url);
        let welcomed = false;
        let lastHeard = Date.now();
        let heartbeatMs = 30_000;
        let refresh: unknown = null;
        let liveness: unknown = null;
        const send = (msg: WsUp) => {
          if (ws.readyState === OPEN) ws.send(JSON.stringify(msg));
        };
        const pushes = socketPushes((frame) => {
          if (ws.readyState !== OPEN) return false;
          ws.send(frame);
          return true;
        });
        const finish = (code: number, reason: string) => {
          if (welcomed) o.onPusher?.(null);
          pushes.close();
          timers.clearTimeout(refresh);
          timers.clearTimeout(liveness);
          o.signal.removeEventListener('abort', onAbort);
          resolve({ code, reason, welcomed });
        };
        const onAbort = () => ws.close(1000, 'client stopped');
        o.signal.addEventListener('abort', onAbort, { once: true });
        const scheduleRefresh = () => {
          refresh = timers.setTimeout(() => {
            void o.getToken().then(
              (t) => t && send({ type: 'auth', token: t }),
              () => undefined,
            );
            scheduleRefresh();
          }, AUTH_REFRESH_MS);
        };
        // An app-level ping; a connection silent for two intervals is half-open: drop it.
        const scheduleLiveness = () => {
          liveness = timers.setTimeout(() => {
            if (Date.now() - lastHeard > 2 * heartbeatMs) {
              ws.close(4000, 'no answer from server');
              return;
            }
            send({ type: 'ping', t: Date.now() });
            scheduleLiveness();
          }, heartbeatMs);
        };
        ws.onopen = () =>
          send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: o.clientId, token });
        ws.onmessage = (ev) => {
          lastHeard = Date.now();
          let json: unknown;
          try {
            json = JSON.parse(String(ev.data));
          } catch {
            return; // Not JSON: ignore; the server never sends that.
          }
          const msg = parseDown(json);
          if (!msg) return; // pong, error, or a newer server's message type: ignore.
          switch (msg.type) {
            case 'welcome':
              welcomed = true;
              attempt = 0;
              heartbeatMs = msg.heartbeatMs;
              scheduleRefresh();
              scheduleLiveness();
              o.onPusher?.(pushes.pusher);
              o.onPoke(msg.cursor);
              break;
            case 'pushed':
            case 'push-failed':
              pushes.answer(msg);
              break;
            case 'poke':
              o.onPoke(msg.cursor, msg.carried);
              break;
            default:
              unreachable(msg);
          }
        };
        ws.onerror = () => undefined; // A close event always follows.
        ws.onclose = (ev) => finish(ev.code, ev.reason);
      },
    );
    if (o.signal.aborted) break;
    if (
      outcome.code === WS_CLOSE_PROTOCOL_VERSION ||
      outcome.code === WS_CLOSE_MEMBER_REMOVED ||
      outcome.code === WS_CLOSE_EMAIL_IN_USE
    ) {
      o.onRefused?.({ code: outcome.code, reason: outcome.reason });
      break;
    }
    attempt = outcome.welcomed ? 1 : attempt + 1;
    await sleep(timers, backoffDelay(attempt, random), o.signal);
  }
}
