import { z } from '../schema.js';
import { clientIdSchema, entityIdSchema } from '../ids.js';
import { entityKindSchema, rowMetaShape } from './common.js';

export const activityActionSchema = z.enum([
  'create',
  'update',
  'delete',
  /** A concurrent write lost a last-writer-wins race; `changes[].lost` holds the losing value. */
  'conflict',
  /** The server refused a mutation (validation, permission); `reason` says why. */
  'rejected',
  'access-denied',
]);
export type ActivityAction = z.infer<typeof activityActionSchema>;

/**
 * Whose write a side of a conflict was: the user and the device (client id). A write through
 * the REST API has a user and no client id; a system write (or a REST write stored before
 * REST stamps named their writer) has neither.
 */
export const writerSchema = z.strictObject({
  userId: z.nullable(entityIdSchema),
  clientId: z.nullable(clientIdSchema),
});
export type Writer = z.infer<typeof writerSchema>;

export const fieldChangeSchema = z.strictObject({
  field: z.string().check(z.minLength(1), z.maxLength(100)),
  from: z.optional(z.unknown()),
  to: z.optional(z.unknown()),
  /** For `conflict`: the value that lost, and the clock it was written at. */
  lost: z.optional(z.unknown()),
  lostHlc: z.optional(z.string()),
  wonHlc: z.optional(z.string()),
  /** For `conflict` (protocol 3): whose value was kept (`to`) and whose was lost (`lost`). */
  winner: z.optional(writerSchema),
  loser: z.optional(writerSchema),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** Audit log entry: written by the server only, synced to clients read-only. */
export const activitySchema = z.strictObject({
  ...rowMetaShape,
  actorId: z.nullable(entityIdSchema),
  action: activityActionSchema,
  entity: entityKindSchema,
  entityId: z.nullable(z.string().check(z.maxLength(200))),
  /**
   * `update`: `{ field, from, to }` per changed field; `create`: `{ field, to }`; `delete`: the
   * row's title or name as `{ field, from }` (so a deleted row can still be named); `conflict`:
   * `{ field, lost, to, lostHlc, wonHlc, winner, loser }`.
   */
  changes: z.array(fieldChangeSchema),
  reason: z.nullable(z.string().check(z.maxLength(2000))),
  requestId: z.nullable(z.string().check(z.maxLength(200))),
  clientId: z.nullable(clientIdSchema),
  mutationId: z.nullable(z.number().check(z.int(), z.positive())),
});
export type Activity = z.infer<typeof activitySchema>;
