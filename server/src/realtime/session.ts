import { isUtf8 } from 'node:buffer';
import type { FastifyBaseLogger } from 'fastify';
import {
  checkProtocolVersion,
  isProtocolVersion,
  SOCKET_PUSH_PROTOCOL,
  unreachable,
  WS_CLOSE,
  WS_PUSH_MAX_BYTES,
  wsUpSchema,
  type ClientId,
  type OrgId,
  type PushRequest,
  type PushResponse,
  type WsDown,
  type WsUp,
} from '@outpost/shared';
import { AppError, fieldIssues, validationError, type SchemaIssue } from '../errors.js';
import { parseJsonText } from '../json-text.js';
import type { Actor } from '../engine/types.js';
import type { Hub, PokeFrames, RoomMember } from './hub.js';
import {
  closeReason,
  encodeDown,
  OPEN,
  sendBounded,
  type PeerSocket,
  type PreparedFrame,
} from './peer-socket.js';
import { SocketPushes } from './socket-push.js';
import { MAX_TIMER_MS, type Timers } from './timers.js';
import { tokenExpiresAt } from './token-expiry.js';

/** `app.resolveActor`; the auth plugin adds when the token's authority ends (epoch ms). */
export type ResolveActor = (
  token: string,
  requestId: string,
) => Promise<Actor & { expiresAt?: number }>;

export interface SessionLimits {
  helloTimeoutMs: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  maxConnectionsPerUser: number;
}

/** What every session of one server shares. */
export interface SessionContext {
  resolveActor: ResolveActor;
  head: (orgId: OrgId) => Promise<number>;
  /**
   * The engine's check of a client id for this actor (`checkClientOwner`, as push and pull
   * make it): 403 FORBIDDEN when another user or org owns it, 400 VALIDATION for a new one
   * not in lower case.
   */
  checkClient: (actor: Actor, clientId: ClientId) => Promise<void>;
  /** The engine's push, for pushes sent over the socket (protocol ≥ 6). */
  push: (actor: Actor, req: PushRequest) => Promise<PushResponse>;
  /** Counts a socket push against the actor's HTTP request budget: null, or seconds to wait. */
  throttle: (actor: Actor) => Promise<number | null>;
  /** One socket push answered: seconds taken and the HTTP status it stands for. */
  observePush: (seconds: number, status: number) => void;
  hub: Hub<Session>;
  limits: SessionLimits;
  now: () => number;
  timers: Timers;
  log: Pick<FastifyBaseLogger, 'warn' | 'error' | 'debug'>;
}

type State = 'awaiting-hello' | 'joining' | 'open' | 'closed';

const MISSED_HEARTBEATS_LIMIT = 2;

/** The first protocol version whose pokes may carry changes. */
const CARRIED_POKES = 5;

/**
 * One client socket: hello → authenticate → join the org room → welcome, then pokes until it
 * closes. Every way out closes with a code from `WS_CLOSE` and a short reason, preceded by an
 * `error` frame carrying the full message.
 */
export class Session implements RoomMember {
  #state: State = 'awaiting-hello';
  #actor: Actor | null = null;
  /** The hello deadline while awaiting hello, then the token-expiry deadline. */
  #timer: unknown = null;
  /** Highest cursor this socket was told; pokes at or below it carry no news. */
  #cursor = -1;
  /** Pokes that arrive between joining the room and sending welcome. */
  #pendingCursor = -1;
  #authSeq = 0;
  /** Heartbeats since the peer last answered (a pong or any message). */
  #missed = 0;
  /**
   * A device sync credential can be revoked (sign-out) long before it expires, so it is
   * re-verified at every heartbeat. Session tokens are not kept: they expire within minutes.
   */
  #credential: string | null = null;
  /** The client id the hello announced; a credential must stay bound to it. */
  #clientId: string | null = null;
  #revalidating = false;
  /**
   * Whether pokes may carry changes to this socket: its hello spoke protocol ≥ 5 (older
   * clients' strict schemas would drop such a poke) and it may pull (a sync credential may
   * not: a poke never gives more than a pull would).
   */
  #takesChanges = false;
  /** The token the socket last authenticated with (hello or auth): each push verifies it. */
  #token: string | null = null;
  /** The protocol version the hello spoke. */
  #protocol = 0;
  readonly #pushes: SocketPushes;

  constructor(
    private readonly socket: PeerSocket,
    private readonly requestId: string,
    private readonly ctx: SessionContext,
  ) {
    this.#pushes = new SocketPushes({
      actor: () => this.#pushActor(),
      push: ctx.push,
      throttle: ctx.throttle,
      observe: ctx.observePush,
      send: (msg) => this.#send(msg),
      sendFrame: (frame) => this.#sendFrame(frame),
      // An answer must never be what fills the socket's buffer (4009 on the next send).
      echoRoom: () => ctx.limits.maxBufferedBytes - this.socket.bufferedAmount,
      logError: (err) =>
        ctx.log.error({ err, requestId }, 'a push over the websocket failed unexpectedly'),
    });
    this.#timer = ctx.timers.setTimeout(
      () =>
        this.#close(
          WS_CLOSE.helloTimeout,
          'hello_timeout',
          `No hello within ${ctx.limits.helloTimeoutMs} ms`,
        ),
      ctx.limits.helloTimeoutMs,
    );
  }

  get orgId(): OrgId {
    return this.#requireActor().orgId;
  }

  get userId(): string {
    return this.#requireActor().user.id;
  }

  get state(): State {
    return this.#state;
  }

  get pushing(): boolean {
    return this.#pushes.pending;
  }

  /** Raw frame from the socket; parsed here, once. */
  onMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.#state === 'closed') return;
    this.#missed = 0;
    if (isBinary) return this.#invalid('binary frames are not accepted: send JSON text');
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    if (bytes.length > WS_PUSH_MAX_BYTES) return this.#tooLarge(bytes);
    // ws leaves UTF-8 to us (skipUTF8Validation, ws.ts), so bad bytes are named, not a bare 1007.
    if (!isUtf8(bytes)) return this.#invalid('the message is not UTF-8 text');
    const text = bytes.toString('utf8');
    const json = parseJsonText(text);
    if (!json.ok && json.kind === 'syntax') return this.#invalid('the message is not valid JSON');
    if (!json.ok) return this.#refuse(json.value, [json]);
    // The version speaks first, as over HTTP: a hello of another version may have another
    // shape, and its client must hear 4010 (update / server older), not 4002.
    const version = this.#state === 'awaiting-hello' ? helloVersion(json.value) : null;
    if (version !== null) {
      const check = checkProtocolVersion(version);
      if (!check.ok) return this.#close(WS_CLOSE.protocolVersion, check.code, check.message);
    }
    const parsed = wsUpSchema.safeParse(json.value);
    if (!parsed.success) return this.#refuse(json.value, parsed.error.issues);
    this.#dispatch(parsed.data);
  }

  /**
   * A push with a bad body is refused like HTTP's 400, each issue pointing into the frame
   * (`/request/mutations/0/title`); the socket stays usable. Any other bad frame closes 4002.
   */
  #refuse(json: unknown, problems: readonly SchemaIssue[]): void {
    const n = pushNumber(json);
    const refusal = validationError(n === null ? 'message' : 'push', fieldIssues(problems));
    if (n !== null && this.#state === 'open' && this.#protocol >= SOCKET_PUSH_PROTOCOL)
      return this.#pushes.refuse(n, refusal);
    return this.#invalid(refusal.message);
  }

  /**
   * A frame over `WS_PUSH_MAX_BYTES`, both answers naming the limit: a push is refused like
   * HTTP's 413 (the socket stays open; send it over HTTP), anything else closes 1009.
   */
  #tooLarge(bytes: Buffer): void {
    const message = `A frame is at most ${WS_PUSH_MAX_BYTES} bytes (this one has ${bytes.length}): send a larger push over HTTP (POST /api/v1/sync/push)`;
    if (this.#state === 'open' && this.#protocol >= SOCKET_PUSH_PROTOCOL) {
      const json = parseJsonText(bytes.toString('utf8'));
      const n = 'value' in json ? pushNumber(json.value) : null;
      if (n !== null) return this.#pushes.tooLarge(n, message, WS_PUSH_MAX_BYTES);
    }
    this.#close(WS_CLOSE.frameTooLarge, 'frame_too_large', message);
  }

  onPong(): void {
    this.#missed = 0;
  }

  /** The socket closed (either side): forget it everywhere. */
  onClose(): void {
    this.#state = 'closed';
    this.#clearTimer();
    if (this.#actor) this.ctx.hub.leave(this);
  }

  /**
   * Heartbeat tick. A peer that answered none of the last two pings is dead: two, not one, so
   * a single stall of this process (GC, a busy loop) that leaves a pong unread in the socket
   * when the timer fires does not cut a live client.
   */
  heartbeat(): void {
    if (this.#state === 'closed') return;
    if (this.#missed >= MISSED_HEARTBEATS_LIMIT) {
      this.ctx.log.debug(
        { requestId: this.requestId },
        'websocket peer missed a heartbeat; terminating',
      );
      this.socket.terminate();
      this.onClose();
      return;
    }
    this.#missed++;
    if (this.socket.readyState === OPEN) this.socket.ping();
    if (this.#state === 'open' && this.#credential !== null && !this.#revalidating) {
      this.#revalidating = true;
      void this.#auth(this.#credential)
        .catch((err: unknown) => this.#internal(err))
        .finally(() => (this.#revalidating = false));
    }
  }

  poke(cursor: number, frames: PokeFrames): void {
    if (this.#state === 'joining') {
      this.#pendingCursor = Math.max(this.#pendingCursor, cursor);
      return;
    }
    if (this.#state !== 'open' || cursor <= this.#cursor) return;
    this.#cursor = cursor;
    this.#sendFrame(this.#takesChanges && frames.carried ? frames.carried : frames.plain);
  }

  /** The user was removed from the org this socket joined: close it now. */
  memberRemoved(): void {
    this.#close(
      WS_CLOSE.memberRemoved,
      'member_removed',
      'You were removed from this organization',
    );
  }

  /** Whether this socket speaks for that user in that org. */
  isMember(orgId: OrgId, userId: string): boolean {
    return this.#actor !== null && this.#actor.orgId === orgId && this.#actor.user.id === userId;
  }

  /** App shutdown. */
  shutdown(): void {
    this.#close(
      WS_CLOSE.serverShutdown,
      'server_shutdown',
      'The server is shutting down: reconnect shortly',
    );
  }

  #dispatch(msg: WsUp): void {
    // The handshake comes first: nothing is answered on a socket that has not said who it is.
    if (this.#state === 'awaiting-hello' && msg.type !== 'hello')
      return this.#invalid(`the first message must be hello, not ${msg.type}`);
    switch (msg.type) {
      case 'hello':
        void this.#hello(msg).catch((err: unknown) => this.#internal(err));
        return;
      case 'auth':
        void this.#auth(msg.token).catch((err: unknown) => this.#internal(err));
        return;
      case 'ping':
        this.#send({ type: 'pong', t: msg.t });
        return;
      case 'push':
        if (this.#state !== 'open') return this.#invalid('push is only accepted after welcome');
        if (this.#protocol < SOCKET_PUSH_PROTOCOL)
          return this.#invalid(`push over the socket needs protocol ${SOCKET_PUSH_PROTOCOL}`);
        this.#pushes.offer(msg.n, msg.request);
        return;
      default:
        unreachable(msg);
    }
  }

  async #hello(msg: Extract<WsUp, { type: 'hello' }>): Promise<void> {
    if (this.#state !== 'awaiting-hello') return this.#invalid('hello was already received');
    this.#state = 'joining';
    this.#clearTimer();

    const version = checkProtocolVersion(msg.protocolVersion);
    if (!version.ok) return this.#close(WS_CLOSE.protocolVersion, version.code, version.message);

    this.#clientId = msg.clientId;
    const actor = await this.#resolve(msg.token);
    if (!actor || this.#isClosed()) return;
    if (!this.#boundToClient(actor)) return;
    if (!(await this.#clientAccepted(actor, msg.clientId)) || this.#isClosed()) return;
    const expiresAt = expiryOf(actor, msg.token);
    if (expiresAt !== null && expiresAt <= this.ctx.now()) {
      return this.#close(
        WS_CLOSE.tokenExpired,
        'token_expired',
        'The token has expired: sign in again',
      );
    }

    this.#actor = actor;
    this.#token = msg.token;
    this.#protocol = msg.protocolVersion;
    this.#credential = actor.via === 'sync-credential' ? msg.token : null;
    this.#takesChanges = msg.protocolVersion >= CARRIED_POKES && this.#credential === null;
    // Join before reading the head so a commit in between is not missed (it lands in
    // #pendingCursor and welcome carries the later of the two).
    if (!this.ctx.hub.join(this)) {
      this.#actor = null;
      const max = this.ctx.limits.maxConnectionsPerUser;
      return this.#close(
        WS_CLOSE.tooManyConnections,
        'too_many_connections',
        `At most ${max} real-time connections per user`,
      );
    }
    const head = await this.ctx.head(actor.orgId);
    if (this.#isClosed()) return;
    this.#state = 'open';
    this.#cursor = Math.max(head, this.#pendingCursor);
    this.#send({ type: 'welcome', cursor: this.#cursor, heartbeatMs: this.ctx.limits.heartbeatMs });
    this.#armExpiry(expiresAt);
  }

  async #auth(token: string): Promise<void> {
    if (this.#state !== 'open') return this.#invalid('auth is only accepted after welcome');
    const seq = ++this.#authSeq;
    const actor = await this.#resolve(token);
    if (!actor || this.#isClosed() || seq !== this.#authSeq) return;
    const current = this.#requireActor();
    if (!this.#boundToClient(actor)) return;
    if (actor.user.id !== current.user.id || actor.orgId !== current.orgId) {
      return this.#close(
        WS_CLOSE.forbidden,
        'forbidden',
        'The new token is for another user or org: reconnect with hello',
      );
    }
    this.#actor = actor;
    this.#token = token;
    this.#credential = actor.via === 'sync-credential' ? token : null;
    if (this.#credential !== null) this.#takesChanges = false;
    this.#armExpiry(expiryOf(actor, token));
  }

  /**
   * The actor a push acts as: the socket's token verified again (an HTTP push verifies its
   * token each time; a role or membership change applies to the next push here too).
   */
  async #pushActor(): Promise<Actor> {
    const current = this.#requireActor();
    const actor = await this.ctx.resolveActor(this.#token ?? '', this.requestId);
    if (actor.user.id !== current.user.id || actor.orgId !== current.orgId)
      throw new AppError('FORBIDDEN', 'The socket changed identity: reconnect with hello');
    return actor;
  }

  /** A sync credential only speaks for the client id it was issued to. */
  #boundToClient(actor: Actor): boolean {
    if (actor.clientId === null || actor.clientId === this.#clientId) return true;
    this.#close(
      WS_CLOSE.forbidden,
      'forbidden',
      'This sync credential belongs to another client id',
    );
    return false;
  }

  /**
   * The hello's client id, checked as a push checks it: one the server has not seen must be in
   * lower case (else 4002 `invalid_message` naming `/clientId`, as a push's 400 VALIDATION
   * does), and one bound to another user or org is 4003 `forbidden` (its pushes would be
   * refused). On refusal closes the socket and returns false.
   */
  async #clientAccepted(actor: Actor, clientId: ClientId): Promise<boolean> {
    try {
      await this.ctx.checkClient(actor, clientId);
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION') {
        // Said of the frame, as its schema errors are: "Invalid message: /clientId …".
        const { details } = err as AppError<'VALIDATION'>;
        this.#invalid(
          Array.isArray(details) ? validationError('message', details).message : err.message,
        );
        return false;
      }
      if (err instanceof AppError && err.code === 'FORBIDDEN') {
        this.#close(WS_CLOSE.forbidden, 'forbidden', err.message);
        return false;
      }
      throw err;
    }
  }

  /** Verifies a token; on failure closes the socket and returns null. */
  async #resolve(token: string): Promise<(Actor & { expiresAt?: number }) | null> {
    try {
      return await this.ctx.resolveActor(token, this.requestId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'MEMBER_REMOVED') {
        this.#close(WS_CLOSE.memberRemoved, 'member_removed', err.message);
        return null;
      }
      if (err instanceof AppError && err.code === 'EMAIL_IN_USE') {
        this.#close(WS_CLOSE.emailInUse, 'email_in_use', err.message);
        return null;
      }
      if (err instanceof AppError && err.status === 401) {
        this.#close(WS_CLOSE.unauthenticated, 'unauthenticated', err.message);
        return null;
      }
      if (err instanceof AppError && err.status === 403) {
        this.#close(WS_CLOSE.forbidden, 'forbidden', err.message);
        return null;
      }
      throw err;
    }
  }

  /** Closes at the token's expiry unless a fresh `auth` re-arms it first. */
  #armExpiry(expiresAt: number | null): void {
    this.#clearTimer();
    if (expiresAt === null) return;
    const left = expiresAt - this.ctx.now();
    if (left <= 0) {
      return this.#close(
        WS_CLOSE.tokenExpired,
        'token_expired',
        'The token expired: send { type: "auth", token } before it does',
      );
    }
    this.#timer = this.ctx.timers.setTimeout(
      () => this.#armExpiry(expiresAt),
      Math.min(left, MAX_TIMER_MS),
    );
  }

  #send(msg: WsDown): void {
    this.#sendFrame(encodeDown(msg));
  }

  #sendFrame(frame: string | PreparedFrame): void {
    sendBounded(this.socket, frame, this.ctx.limits.maxBufferedBytes);
    // sendBounded closes a slow consumer; the hub must stop counting it at once.
    if (this.socket.readyState !== OPEN && this.#state !== 'closed') this.onClose();
  }

  #invalid(message: string): void {
    this.#close(WS_CLOSE.invalidMessage, 'invalid_message', message);
  }

  #internal(err: unknown): void {
    this.ctx.log.error({ err, requestId: this.requestId }, 'websocket session failed');
    this.#close(WS_CLOSE.internalError, 'internal', 'The server failed to handle this connection');
  }

  /** Sends an `error` frame with the full message, then closes with a short reason. */
  #close(code: number, errorCode: string, message: string): void {
    if (this.#state === 'closed') return;
    if (this.socket.readyState === OPEN) {
      sendBounded(
        this.socket,
        encodeDown({ type: 'error', code: errorCode, message }),
        this.ctx.limits.maxBufferedBytes,
      );
    }
    if (this.socket.readyState === OPEN) this.socket.close(code, closeReason(message));
    this.onClose();
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.ctx.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #requireActor(): Actor {
    if (!this.#actor) throw new Error('session has not joined yet');
    return this.#actor;
  }
}

/** The `n` of something shaped like a push, or null. */
function pushNumber(json: unknown): number | null {
  if (typeof json !== 'object' || json === null) return null;
  const { type, n } = json as { type?: unknown; n?: unknown };
  // Safe integers only, as the schema takes them: a `push-failed` must fit wsPushFailedSchema.
  return type === 'push' && typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The auth plugin's `expiresAt` when given, else the JWT's `exp` (null: does not expire). */
function expiryOf(actor: Actor & { expiresAt?: number }, token: string): number | null {
  return typeof actor.expiresAt === 'number' ? actor.expiresAt : tokenExpiresAt(token);
}

/** A hello's `protocolVersion` when it is a well-formed version, whatever the rest holds; else null. */
function helloVersion(json: unknown): number | null {
  if (typeof json !== 'object' || json === null) return null;
  const { type, protocolVersion } = json as { type?: unknown; protocolVersion?: unknown };
  return type === 'hello' && isProtocolVersion(protocolVersion) ? protocolVersion : null;
}
