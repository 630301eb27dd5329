import { z } from '../schema.js';
import { sharedResourceSchema } from '../entities/shared-resource.js';

/** Longest search text `GET /api/v1/external-data/shared-resources` takes (`q`). */
export const RESOURCE_SEARCH_MAX = 200;

/**
 * Answers of `GET /api/v1/external-data/shared-resources[/:id]`: the server serializes with
 * these schemas and the client parses with them.
 */
const freshness = {
  /** True when the source could not be read and this is the last good copy. */
  stale: z.boolean(),
  /** Age of the stale copy in milliseconds (only when `stale`). */
  staleAgeMs: z.optional(z.number().check(z.int(), z.nonnegative())),
};

export const sharedResourcePageSchema = z.object({
  data: z.array(sharedResourceSchema),
  nextCursor: z.nullable(z.string()),
  /**
   * Matching documents in the source, on the first page only (it costs a count). A source
   * document that fails validation is counted here but never served.
   */
  total: z.optional(z.number().check(z.int(), z.nonnegative())),
  ...freshness,
});
export type SharedResourcePage = z.infer<typeof sharedResourcePageSchema>;

export const sharedResourceItemSchema = z.object({ data: sharedResourceSchema, ...freshness });
export type SharedResourceItem = z.infer<typeof sharedResourceItemSchema>;
