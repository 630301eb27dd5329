import { z } from '../schema.js';
import { clientIdSchema, mutationIdSchema } from '../ids.js';
import { pokeCarriedSchema } from './change.js';
import { mutationSchema } from './mutation.js';
import { protocolVersionSchema } from './version.js';

export const MAX_PUSH_MUTATIONS = 500;

/**
 * Each field's `z.describe` is its one line in the OpenAPI (docs/protocol.md#push says the
 * rest). Request schemas only: the client bundles the response schemas, not these.
 */
export const pushRequestSchema = z.strictObject({
  protocolVersion: protocolVersionSchema.check(
    z.describe(
      "The client's protocol version, a whole number from 1 (anything else is 400 VALIDATION): below the server's minimum is 409 CLIENT_TOO_OLD, above its own 409 SERVER_TOO_OLD, read before the rest of the body; neither writes",
    ),
  ),
  clientId: clientIdSchema.check(
    z.describe(
      "This replica's id: a UUID (a new one in lower case, as newClientId makes it), bound to the caller's user and org by its first push or pull; compared as text",
    ),
  ),
  /** In increasing id order; ids already acknowledged are answered `duplicate`. */
  mutations: z.array(mutationSchema).check(
    z.minLength(1),
    z.maxLength(MAX_PUSH_MUTATIONS),
    z.refine((ms) => ms.every((m, i) => i === 0 || m.id > ms[i - 1]!.id), {
      message: 'mutation ids must be strictly increasing within a push',
    }),
    z.describe(
      `1 to ${MAX_PUSH_MUTATIONS} mutations, ids strictly increasing, applied in one transaction; ids at or below lastMutationId are answered \`duplicate\`, the new ones must continue at lastMutationId + 1 (else 409 MUTATION_GAP)`,
    ),
  ),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const rejectionCodeSchema = z.enum(['validation', 'forbidden', 'not_found']);
export type RejectionCode = z.infer<typeof rejectionCodeSchema>;

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ id: mutationIdSchema, status: z.literal('applied') }),
  /** Already applied earlier (a replay): acknowledged, not reapplied. */
  z.strictObject({ id: mutationIdSchema, status: z.literal('duplicate') }),
  /** Refused for good: the client must roll back its optimistic effect, never retry. */
  z.strictObject({
    id: mutationIdSchema,
    status: z.literal('rejected'),
    code: rejectionCodeSchema,
    reason: z.string(),
  }),
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResponseSchema = z.strictObject({
  protocolVersion: protocolVersionSchema,
  /** Highest mutation id of this client the server has processed (applied or rejected). */
  lastMutationId: z.number().check(z.int(), z.nonnegative()),
  results: z.array(mutationResultSchema),
  /** The org's change-log cursor after this push. */
  cursor: z.number().check(z.int(), z.nonnegative()),
  /**
   * Protocol ≥ 7: this push's own log entries, when they are every entry of `(from, cursor]`
   * (nobody else's write committed between) and few enough for a poke to carry: a client
   * whose cursor is `from` applies them with the ack of this batch and needs no pull to get
   * its rows back as the server stored them. Absent otherwise, or (over the socket) when the
   * socket's buffer has no room.
   */
  echo: z.optional(pokeCarriedSchema),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
