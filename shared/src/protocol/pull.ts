import { z } from '../schema.js';
import { clientIdSchema } from '../ids.js';
import { changeSchema } from './change.js';
import { protocolVersionSchema } from './version.js';

export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

/**
 * Each field's `z.describe` is its one line in the OpenAPI (docs/protocol.md#pull says the
 * rest). Request schemas only: the client bundles the response schemas, not these.
 */
export const pullRequestSchema = z.strictObject({
  protocolVersion: protocolVersionSchema.check(
    z.describe(
      "The client's protocol version, a whole number from 1 (anything else is 400 VALIDATION): below the server's minimum is 409 CLIENT_TOO_OLD, above its own 409 SERVER_TOO_OLD, read before the rest of the body",
    ),
  ),
  clientId: clientIdSchema.check(
    z.describe(
      "This replica's id: a UUID (a new one in lower case, as newClientId makes it), bound to the caller's user and org by its first push or pull; the page's lastMutationId is this client's",
    ),
  ),
  /** Last `seq` the client has applied; 0 for an empty replica. */
  cursor: z
    .number()
    .check(
      z.int(),
      z.nonnegative(),
      z.describe(
        "The last seq this replica applied (the previous page's cursor), 0 for an empty one; ahead of the org's head is 400 BAD_CURSOR",
      ),
    ),
  limit: z.optional(
    z
      .number()
      .check(
        z.int(),
        z.gte(1),
        z.lte(MAX_PULL_LIMIT),
        z.describe(
          `At most this many changes in the page (default ${DEFAULT_PULL_LIMIT}, max ${MAX_PULL_LIMIT})`,
        ),
      ),
  ),
  /**
   * The `purgeHorizon` of the last page this replica applied (0 or absent for a new one). A
   * purge since then, of tombstones past `cursor`, is answered 410 RESYNC_REQUIRED.
   */
  purgeHorizon: z.optional(
    z
      .number()
      .check(
        z.int(),
        z.nonnegative(),
        z.describe(
          'The purgeHorizon of the last page this replica applied (0 or absent for a new one); a purge since then of tombstones past cursor is 410 RESYNC_REQUIRED',
        ),
      ),
  ),
  /**
   * This replica is downloading the live snapshot: it pulls from 0 with nothing of its own in
   * the mirror or the outbox (new, reset, or resyncing — then rows the snapshot lacks are
   * dropped). Tombstones written before the download began are left out: their rows were gone
   * before it started, so this replica never held them. Protocol ≥ 4.
   */
  snapshot: z.optional(
    z
      .boolean()
      .check(
        z.describe(
          'Protocol ≥ 4: a live-snapshot download (from cursor 0, empty outbox; a new device, a reset or a resync): tombstones written before the download began are left out',
        ),
      ),
  ),
  /** With `snapshot`, after the first page: that page's `liveThrough`. */
  liveThrough: z.optional(
    z
      .number()
      .check(
        z.int(),
        z.nonnegative(),
        z.describe(
          "With snapshot, on every page after the first: the first page's liveThrough (tombstones at or below it are left out); without snapshot it is 400 VALIDATION",
        ),
      ),
  ),
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
