import { z } from '../schema.js';
import { clientIdSchema } from '../ids.js';
import { changeSchema } from './change.js';
import { protocolVersionSchema } from './version.js';

export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

export const pullRequestSchema = z.strictObject({
  protocolVersion: protocolVersionSchema,
  clientId: clientIdSchema,
  /** Last `seq` the client has applied; 0 for an empty replica. */
  cursor: z.number().check(z.int(), z.nonnegative()),
  limit: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_PULL_LIMIT))),
  /**
   * The `purgeHorizon` of the last page this replica applied (0 or absent for a new one). A
   * purge since then, of tombstones past `cursor`, is answered 410 RESYNC_REQUIRED.
   */
  purgeHorizon: z.optional(z.number().check(z.int(), z.nonnegative())),
  /**
   * This replica is downloading the live snapshot: it pulls from 0 with nothing of its own in
   * the mirror or the outbox (new, reset, or resyncing — then rows the snapshot lacks are
   * dropped). Tombstones written before the download began are left out: their rows were gone
   * before it started, so this replica never held them. Protocol ≥ 4.
   */
  snapshot: z.optional(z.boolean()),
  /** With `snapshot`, after the first page: that page's `liveThrough`. */
  liveThrough: z.optional(z.number().check(z.int(), z.nonnegative())),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

export const pullResponseSchema = z.strictObject({
  protocolVersion: protocolVersionSchema,
  /**
   * The latest state of every row changed after the request cursor (the log keeps one entry
   * per row, so seqs have gaps), and the activities of the window, in seq order, at most
   * `limit`.
   */
  changes: z.array(changeSchema),
  /** Pass this as the next request's cursor. */
  cursor: z.number().check(z.int(), z.nonnegative()),
  hasMore: z.boolean(),
  /** The org's latest seq when this page was read. */
  headCursor: z.number().check(z.int(), z.nonnegative()),
  /**
   * Rows (log entries, not activities) after this page's `cursor` up to `headCursor`: with the
   * rows received so far, the total a first sync shows ("3,400 of 10,000"). Protocol ≥ 3.
   */
  remaining: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** Highest mutation id of the calling client the server has processed. */
  lastMutationId: z.number().check(z.int(), z.nonnegative()),
  /**
   * Activities with a seq below this are outside the synced window and are not sent (except
   * this client's own conflicts and rejections); page them with `GET /activities?before=`.
   */
  activityFloor: z.number().check(z.int(), z.nonnegative()),
  /** Highest seq of a purged tombstone; send it back with the next pull. */
  purgeHorizon: z.number().check(z.int(), z.nonnegative()),
  /**
   * Tombstones at or below this seq were left out of this page (0: none): for a `snapshot`
   * request, `headCursor` on its first page (cursor 0), else the request's `liveThrough`. Send
   * it back with the download's next pages. Protocol ≥ 4.
   */
  liveThrough: z.optional(z.number().check(z.int(), z.nonnegative())),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
