import { z } from 'zod';
import { entityIdSchema, orgIdSchema } from '../ids.js';

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** Fields every synced row carries; written by the server, never by a client mutation. */
export const rowMetaShape = {
  id: entityIdSchema,
  orgId: orgIdSchema,
  createdAt: isoDateTimeSchema,
  updatedAt: isoDateTimeSchema,
  /** Per-org change-log sequence of the row's last change; `If-Match` compares against it. */
  version: z.number().int().nonnegative(),
};

/** Entities clients may write through sync mutations. */
export const writableEntitySchema = z.enum(['project', 'task']);
export type WritableEntity = z.infer<typeof writableEntitySchema>;

/** Everything that travels in the change log. */
export const syncedEntitySchema = z.enum(['user', 'project', 'task', 'activity']);
export type SyncedEntity = z.infer<typeof syncedEntitySchema>;
