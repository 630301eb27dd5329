import { z } from '../schema.js';
import { activitySchema } from '../entities/activity.js';
import { entityIdSchema } from '../ids.js';
import { queryLimit, queryWholeNumber } from './query.js';

export const MAX_ACTIVITY_PAGE = 200;

/** `GET /api/v1/activities`: older activity, newest first, paged by seq (online only). */
export const activityPageQuerySchema = z.strictObject({
  /** Only entries with a seq (`version`) below this; omit for the newest. */
  before: z.optional(/* @__PURE__ */ queryWholeNumber(1)),
  limit: /* @__PURE__ */ queryLimit(MAX_ACTIVITY_PAGE, 50),
  /** Only entries about this row (a task's, a project's or a user's history); omit for all. */
  entityId: z.optional(entityIdSchema),
});
export type ActivityPageQuery = z.infer<typeof activityPageQuerySchema>;

export const activityPageSchema = z.strictObject({
  data: z.array(activitySchema),
  /** Pass as `before` for the next (older) page; null when there is none. */
  nextBefore: z.nullable(z.number().check(z.int(), z.positive())),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;
