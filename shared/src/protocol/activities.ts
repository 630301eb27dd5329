import { z } from 'zod';
import { activitySchema } from '../entities/activity.js';

export const MAX_ACTIVITY_PAGE = 200;

/** `GET /api/v1/activities`: older activity, newest first, paged by seq (online only). */
export const activityPageQuerySchema = z.strictObject({
  /** Only entries with a seq (`version`) below this; omit for the newest. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ACTIVITY_PAGE).default(50),
});
export type ActivityPageQuery = z.infer<typeof activityPageQuerySchema>;

export const activityPageSchema = z.strictObject({
  data: z.array(activitySchema),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.number().int().positive().nullable(),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;
