import { z } from '../schema.js';
import { clientIdSchema } from '../ids.js';
import { pokeCarriedSchema } from './change.js';
import { errorBodySchema } from './sync-errors.js';
import { pushRequestSchema, pushResponseSchema } from './push.js';
import { protocolVersionSchema } from './version.js';

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
