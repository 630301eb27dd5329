import { z } from '../schema.js';
import { entityIdSchema, orgIdSchema } from '../ids.js';

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
/** A calendar date `YYYY-MM-DD`. */
export const calendarDateSchema = z.iso.date();

/** Fields every synced row carries; written by the server, never by a client mutation. */
export const rowMetaShape = {
  id: entityIdSchema,
  orgId: orgIdSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  /** Per-org change-log sequence of the row's last change; `If-Match` compares against it. */
  version: z.number().check(z.int(), z.nonnegative()),
};

/** Every kind of entity the server knows; the sets below are its subsets. */
export const entityKindSchema = z.enum(['user', 'project', 'task', 'activity', 'shared-resource']);
export type EntityKind = z.infer<typeof entityKindSchema>;

/** Entities clients may write through sync mutations. */
export const writableEntitySchema = z.enum(['project', 'task']);
export type WritableEntity = z.infer<typeof writableEntitySchema>;

/** Entities with rows the server stores and REST reads and writes. */
export const rowEntitySchema = z.enum(['user', 'project', 'task']);
export type RowEntity = z.infer<typeof rowEntitySchema>;

/** Everything that travels in the change log. */
export const syncedEntitySchema = z.enum(['user', 'project', 'task', 'activity']);
export type SyncedEntity = z.infer<typeof syncedEntitySchema>;
