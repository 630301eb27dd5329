import { z } from '../schema.js';
import { clientIdSchema } from '../ids.js';
import { changeSchema } from './change.js';
import { protocolVersionSchema } from './version.js';

/** A poke carries its changes only when the whole message stays within this (UTF-8 bytes). */
export const POKE_CARRY_MAX_BYTES = 32 * 1024;

/**
 * The changes a poke carries (protocol ≥ 5): every log entry of `(from, cursor]`, as a pull
 * from `from` would return them at that moment — so only a client whose cursor is `from`
 * may apply them, and then its cursor becomes the poke's `cursor`. Anyone else pulls.
 */
export const pokeCarriedSchema = z.strictObject({
  from: z.number().check(z.int(), z.nonnegative()),
  changes: z.array(changeSchema),
  /** The activity window's floor after these changes, as a pull page's `activityFloor`. */
  activityFloor: z.number().check(z.int(), z.nonnegative()),
});
export type PokeCarried = z.infer<typeof pokeCarriedSchema>;

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
]);
export type WsUp = z.infer<typeof wsUpSchema>;

/**
 * Server → client. A poke says "the org's log reached `cursor`": pull to catch up — or, when
 * it carries the changes and the client is at `carried.from`, apply them instead.
 */
export const wsDownSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('welcome'),
    cursor: z.number().check(z.int(), z.nonnegative()),
    heartbeatMs: z.number().check(z.int(), z.positive()),
  }),
  z.strictObject({
    type: z.literal('poke'),
    cursor: z.number().check(z.int(), z.nonnegative()),
    carried: z.optional(pokeCarriedSchema),
  }),
  z.strictObject({ type: z.literal('pong'), t: z.number() }),
  z.strictObject({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type WsDown = z.infer<typeof wsDownSchema>;

/** Close codes (4000–4999 are application-defined). */
export const WS_CLOSE = {
  unauthenticated: 4001,
  invalidMessage: 4002,
  forbidden: 4003,
  tokenExpired: 4004,
  tooManyConnections: 4008,
  slowConsumer: 4009,
  protocolVersion: 4010,
  helloTimeout: 4011,
  /** The user was removed from the org (or deleted): do not reconnect with this identity. */
  memberRemoved: 4012,
  serverShutdown: 1001,
} as const;
