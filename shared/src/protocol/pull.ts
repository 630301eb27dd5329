import { z } from 'zod';
import { clientIdSchema } from '../ids.js';
import { changeSchema } from './change.js';
import { protocolVersionSchema } from './version.js';

export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

export const pullRequestSchema = z.strictObject({
  protocolVersion: protocolVersionSchema,
  clientId: clientIdSchema,
  /** Last `seq` the client has applied; 0 for an empty replica. */
  cursor: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

export const pullResponseSchema = z.strictObject({
  protocolVersion: protocolVersionSchema,
  /** Every change with `seq` > request cursor, in seq order, at most `limit`. */
  changes: z.array(changeSchema),
  /** Pass this as the next request's cursor. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** The org's latest seq when this page was read (for progress: cursor / headCursor). */
  headCursor: z.number().int().nonnegative(),
  /** Highest mutation id of the calling client the server has processed. */
  lastMutationId: z.number().int().nonnegative(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
