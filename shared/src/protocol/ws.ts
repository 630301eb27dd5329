import { z } from '../schema.js';
import { clientIdSchema } from '../ids.js';
import { pokeCarriedSchema } from './change.js';
import { errorBodySchema } from './sync-errors.js';
import { pushRequestSchema, pushResponseSchema } from './push.js';
import { protocolVersionSchema } from './version.js';

/** A poke carries its changes only when the whole message stays within this (UTF-8 bytes). */
export const POKE_CARRY_MAX_BYTES = 32 * 1024;

/**
 * A push over the socket (protocol ≥ 6) is one frame of at most this many UTF-8 bytes; a
 * larger batch goes over HTTP. Also the largest frame the server accepts.
 */
export const WS_PUSH_MAX_BYTES = 64 * 1024;

/** The first protocol version whose sockets take pushes. */
export const SOCKET_PUSH_PROTOCOL = 6;

/** Client → server. The first message must be `hello`; tokens never go in the URL. */
export const wsUpSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    protocolVersion: protocolVersionSchema,
    clientId: clientIdSchema,
    /** A session token (Clerk or dev) or a device sync credential. */
    token: z.string().check(z.minLength(1), z.maxLength(8192)),
  }),
  /** Replace the session token before it expires, without reconnecting. */
  z.strictObject({
    type: z.literal('auth'),
    token: z.string().check(z.minLength(1), z.maxLength(8192)),
  }),
  z.strictObject({ type: z.literal('ping'), t: z.number() }),
  /**
   * `POST /sync/push` over the socket (protocol ≥ 6, after welcome): the same service, answered
   * in order by `pushed` or `push-failed` with the same `n`. Unanswered when the socket
   * closes: resend it (over HTTP or a new socket) — ids make a resend harmless.
   */
  z.strictObject({
    type: z.literal('push'),
    n: z.number().check(z.int(), z.nonnegative()),
    request: pushRequestSchema,
  }),
]);
export type WsUp = z.infer<typeof wsUpSchema>;

export const wsWelcomeSchema = z.strictObject({
  type: z.literal('welcome'),
  cursor: z.number().check(z.int(), z.nonnegative()),
  heartbeatMs: z.number().check(z.int(), z.positive()),
});

export const wsPokeSchema = z.strictObject({
  type: z.literal('poke'),
  cursor: z.number().check(z.int(), z.nonnegative()),
  carried: z.optional(pokeCarriedSchema),
});

/** The answer to push `n`, as `POST /sync/push` answers 200. */
export const wsPushedSchema = z.strictObject({
  type: z.literal('pushed'),
  n: z.number().check(z.int(), z.nonnegative()),
  response: pushResponseSchema,
});

/** Push `n` was refused (nothing applied): the HTTP status and body `POST /sync/push` would give. */
export const wsPushFailedSchema = z.strictObject({
  type: z.literal('push-failed'),
  n: z.number().check(z.int(), z.nonnegative()),
  status: z.number().check(z.int()),
  error: errorBodySchema,
});

/**
 * Server → client. A poke says "the org's log reached `cursor`": pull to catch up — or, when
 * it carries the changes and the client is at `carried.from`, apply them instead.
 */
export const wsDownSchema = z.discriminatedUnion('type', [
  wsWelcomeSchema,
  wsPokeSchema,
  z.strictObject({ type: z.literal('pong'), t: z.number() }),
  z.strictObject({ type: z.literal('error'), code: z.string(), message: z.string() }),
  wsPushedSchema,
  wsPushFailedSchema,
]);
export type WsDown = z.infer<typeof wsDownSchema>;

/**
 * A protocol version the server refuses: the client must update, and does not reconnect. Its
 * own constant so a client that acts on no other close code bundles no table of them.
 */
export const WS_CLOSE_PROTOCOL_VERSION = 4010;

/**
 * The user was removed from the org (or deleted): do not reconnect with this identity. Its own
 * constant for the same reason as `WS_CLOSE_PROTOCOL_VERSION`.
 */
export const WS_CLOSE_MEMBER_REMOVED = 4012;

/** Close codes (4000–4999 are application-defined). */
export const WS_CLOSE = {
  unauthenticated: 4001,
  invalidMessage: 4002,
  forbidden: 4003,
  tokenExpired: 4004,
  tooManyConnections: 4008,
  slowConsumer: 4009,
  protocolVersion: WS_CLOSE_PROTOCOL_VERSION,
  helloTimeout: 4011,
  memberRemoved: WS_CLOSE_MEMBER_REMOVED,
  serverShutdown: 1001,
  /** A frame over `WS_PUSH_MAX_BYTES` that is not a push (RFC 6455's "message too big"). */
  frameTooLarge: 1009,
  /** The server failed handling the connection (RFC 6455's "internal error"): reconnect. */
  internalError: 1011,
} as const;
