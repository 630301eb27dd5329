import { z } from 'zod';
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
 * Whose write a side of a conflict was: the user and the device (client id). Null when the
 * server cannot tell (a write through the REST API carries no client id).
 */
export const writerSchema = z.strictObject({
  userId: entityIdSchema.nullable(),
  clientId: clientIdSchema.nullable(),
});
export type Writer = z.infer<typeof writerSchema>;

export const fieldChangeSchema = z.strictObject({
  field: z.string().min(1).max(100),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
  /** For `conflict`: the value that lost, and the clock it was written at. */
  lost: z.unknown().optional(),
  lostHlc: z.string().optional(),
  wonHlc: z.string().optional(),
  /** For `conflict` (protocol 3): whose value was kept (`to`) and whose was lost (`lost`). */
  winner: writerSchema.optional(),
  loser: writerSchema.optional(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** Audit log entry: written by the server only, synced to clients read-only. */
export const activitySchema = z.strictObject({
  ...rowMetaShape,
  actorId: entityIdSchema.nullable(),
  action: activityActionSchema,
  entity: entityKindSchema,
  entityId: z.string().max(200).nullable(),
  /**
   * `update`: `{ field, from, to }` per changed field; `create`: `{ field, to }`; `delete`: the
   * row's title or name as `{ field, from }` (so a deleted row can still be named); `conflict`:
   * `{ field, lost, to, lostHlc, wonHlc, winner, loser }`.
   */
  changes: z.array(fieldChangeSchema),
  reason: z.string().max(2000).nullable(),
  requestId: z.string().max(200).nullable(),
  clientId: clientIdSchema.nullable(),
  mutationId: z.number().int().positive().nullable(),
});
export type Activity = z.infer<typeof activitySchema>;
