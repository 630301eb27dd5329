import { z } from '../schema.js';
import { isoDateTimeSchema } from '../entities/common.js';

/**
 * `GET /api/v1/members/last-seen` (member management; admins): who owns roles, and when each
 * member of the org last made an authenticated request (at most a minute stale).
 */
export const memberActivitySchema = z.strictObject({
  /** `clerk`: roles come from Clerk and REST role edits are refused; `local`: edited here. */
  roleSource: z.enum(['clerk', 'local']),
  /** Last seen per user id; members never seen are absent. */
  lastSeen: z.record(z.string(), isoDateTimeSchema),
});
export type MemberActivity = z.infer<typeof memberActivitySchema>;
