import { z } from 'zod/mini';
import {
  changeSchema,
  clientIdSchema,
  errorBodySchema,
  hlcStringSchema,
  projectFieldsSchema,
  pullResponseSchema,
  pushResponseSchema,
  SYNC_ERROR_CODES,
  syncCredentialSchema,
  taskFieldsSchema,
  userSchema,
  wsPokeSchema,
  wsPushedSchema,
  wsPushFailedSchema,
  wsWelcomeSchema,
} from '@outpost/shared';

/**
 * Every schema the engine checks at runtime (`checked`, below), and the engine's own. The
 * engine imports this file for types only; its checks come from `check.ts`, which the build
 * compiles from `checked` (check-gen.ts) so zod's runtime stays out of the engine bundle.
 */

export const noticeKindSchema = z.enum([
  'rejected',
  'conflict',
  'evicted',
  'quota',
  'update-required',
  'sync-blocked',
  'resynced',
]);

/**
 * Something sync did that the user should know about: its kind and the facts (`detail`,
 * built in `notice-drafts.ts`). The words are the app's (`app/engine/notice-text.ts`).
 */
export const noticeSchema = z.object({
  id: z.string(),
  kind: noticeKindSchema,
  detail: z.unknown(),
  at: z.number(),
});

/** The status fields only the leader knows (it runs the network side); followers adopt them. */
export const sharedStatusSchema = z.object({
  lastSyncedAt: z.nullable(z.number()),
  lastError: z.nullable(
    z.object({
      name: z.string(),
      message: z.string(),
      code: z.nullable(z.string()),
      at: z.number(),
    }),
  ),
  download: z.nullable(
    z.object({
      kept: z.number(),
      received: z.number(),
      remaining: z.number(),
      startedAt: z.number(),
      at: z.number(),
    }),
  ),
  protocol: z.enum(['ok', 'client_too_old', 'server_too_old']),
  syncing: z.boolean(),
  failures: z.number().check(z.int(), z.nonnegative()),
  retryAt: z.nullable(z.number()),
});

/**
 * The protocol between one user's tabs (BroadcastChannel). Another tab may run a different
 * app version, so what arrives is parsed, and what does not parse is ignored.
 */
export const tabMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: sharedStatusSchema }),
  z.object({ type: z.literal('notice'), notice: noticeSchema }),
  /** The user dismissed a notice in one tab: it goes in all. */
  z.object({ type: z.literal('dismiss'), id: z.string() }),
  /**
   * A follower asks the leader to sync (a local write, back online); `syncNow`: a person
   * pressed Sync now there (absent from older versions: then an urgent wake-up).
   */
  z.object({ type: z.literal('wake'), urgent: z.boolean(), syncNow: z.optional(z.boolean()) }),
]);

/**
 * Typed keys of the `meta` table. Values written by an older app version are parsed on read:
 * a value that no longer fits its schema reads as absent instead of travelling inward.
 */
export const metaSchemas = {
  clientId: clientIdSchema,
  /** Last change-log seq applied to `base`. */
  cursor: z.number().check(z.int(), z.nonnegative()),
  /** The server's purge horizon as of the last applied page (sent back with each pull). */
  purgeHorizon: z.number().check(z.int(), z.nonnegative()),
  /**
   * While a live-snapshot download (a first sync) is under way: its first page's
   * `liveThrough`, sent with the remaining pages (tombstones at or below it are left out).
   */
  liveThrough: z.number().check(z.int(), z.positive()),
  /** Lowest seq of the synced activity window; older activity is paged from the server. */
  activityFloor: z.number().check(z.int(), z.nonnegative()),
  /** Last HLC stamp issued or received here; the clock resumes from it. */
  lastHlc: hlcStringSchema,
  /** Highest mutation id ever assigned by this replica (ids never repeat, even after ack). */
  lastMutationId: z.number().check(z.int(), z.nonnegative()),
  /**
   * Multi-tab leader heartbeat (also the lease when Web Locks are missing), with the protocol
   * the leading tab's code speaks: a newer tab takes over from an older one (leader.ts).
   */
  leader: z.object({
    tabId: z.string(),
    heartbeatAt: z.number(),
    protocolVersion: z.optional(z.number()),
  }),
  lastSyncedAt: z.number(),
  /**
   * Set when the database was found empty although this browser had a replica for the user
   * (evicted/cleared); cleared once the first pull has told us what the server processed.
   */
  vanished: z.object({ lastMutationId: z.number().check(z.int(), z.nonnegative()) }),
  /**
   * Ids of answered notices told once per event (a conflict lost, a refusal: `ONCE` in
   * `notices.ts`), newest last, bounded: a start raises the unanswered ones again from the
   * stored audit entries (`stored-notices.ts`).
   */
  dismissedNotices: z.array(z.string()),
  /**
   * The cursor when this database first kept notices across starts: audit entries at or below
   * it were told (and perhaps answered) before answers were kept, so they are not raised again.
   */
  noticesFrom: z.number().check(z.int(), z.nonnegative()),
  /**
   * The `evicted` notice a recovery raised (`recovery.ts`), written in the transaction that
   * ends it (renumbering, `vanished` deleted), so a page closed before the notice was shown
   * still shows it at the next start, in any tab; deleted when the user dismisses it.
   * `lostChanges` after an eviction, `keptChanges` after a restored older copy.
   */
  evictionNotice: z.object({
    id: z.string(),
    at: z.number(),
    serverLastMutationId: z.number().check(z.int(), z.nonnegative()),
    lostChanges: z.optional(z.number().check(z.int(), z.nonnegative())),
    keptChanges: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
} as const;

/**
 * The `meta` values the engine keeps for the app and never reads itself (`stored.ts`), parsed on
 * read as `metaSchemas`' are. Their checks are compiled apart from the engine's (`stored` in
 * `check.generated.js`), so only a bundle that reads them carries them.
 */
export const storedSchemas = {
  /** The signed-in user this database belongs to (`openReplica`'s `user`, for offline start). */
  user: userSchema,
  /** Device sync credential for service-worker replay (`app/pwa/sync-credential.ts`). */
  credential: syncCredentialSchema,
} as const;

/** The replica marker in localStorage (`sentinel.ts`). */
export const sentinelSchema = z.object({
  clientId: clientIdSchema,
  lastMutationId: z.number().check(z.int(), z.nonnegative()),
});

function coded<C extends keyof typeof SYNC_ERROR_CODES>(code: C) {
  const { status, details } = SYNC_ERROR_CODES[code];
  return { status, details };
}

/**
 * The server's socket messages the engine acts on (`wsDownSchema` without `pong` and `error`,
 * which carry nothing it uses: every frame counts as heard before it is read, and a close
 * follows an error). Those two read as a type it does not know: ignored, as they were.
 */
export const wsDownReadSchema = z.discriminatedUnion('type', [
  wsWelcomeSchema,
  wsPokeSchema,
  wsPushedSchema,
  wsPushFailedSchema,
]);
export type WsDownRead = z.infer<typeof wsDownReadSchema>;

/** What the engine checks at runtime, by name (`check.ts`); also compiled by `check-gen.ts`. */
export const checked = {
  /** A pull answer with its changes left unchecked: they are checked in slices. */
  pullEnvelope: z.extend(pullResponseSchema, { changes: z.array(z.unknown()) }),
  changes: z.array(changeSchema),
  pushResponse: pushResponseSchema,
  errorBody: errorBodySchema,
  /** The status and details of each coded sync error (`SYNC_ERROR_CODES`). */
  errors: {
    BAD_CURSOR: coded('BAD_CURSOR'),
    MUTATION_GAP: coded('MUTATION_GAP'),
    CLIENT_TOO_OLD: coded('CLIENT_TOO_OLD'),
    SERVER_TOO_OLD: coded('SERVER_TOO_OLD'),
    RESYNC_REQUIRED: coded('RESYNC_REQUIRED'),
  },
  wsDown: wsDownReadSchema,
  tabMessage: tabMessageSchema,
  meta: metaSchemas,
  sentinel: sentinelSchema,
  /** Local writes: a new record's fields, and a patch of some of them. */
  fields: { project: projectFieldsSchema, task: taskFieldsSchema },
  patch: { project: z.partial(projectFieldsSchema), task: z.partial(taskFieldsSchema) },
  /** Key lists the engine iterates (a row's writable fields, the status tabs share). */
  keys: {
    project: { keysOf: projectFieldsSchema },
    task: { keysOf: taskFieldsSchema },
    sharedStatus: { keysOf: sharedStatusSchema },
  },
} as const;
