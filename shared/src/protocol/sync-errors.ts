import { z } from '../schema.js';
import type { CodedError, ERROR_CODES, ErrorCode } from './error.js';

/** Every non-2xx JSON response: a human message, a stable machine code, optional details. */
export const errorBodySchema = z.object({
  error: z.string(),
  code: z.string(),
  details: z.optional(z.unknown()),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** One entry of the error table (`ERROR_CODES`). */
export function errorCode<D extends z.ZodMiniType>(status: number, message: string, details: D) {
  return { status, message, details };
}

/*
 * The codes a sync client branches on, defined once here and placed in `ERROR_CODES`
 * (`error.ts`); the engine reads errors through `SYNC_ERROR_CODES` only, so it does not bundle
 * the whole table (its messages and the details schemas of REST-only codes).
 */
export const BAD_CURSOR = errorCode(
  400,
  'The cursor is not valid for this org',
  /** Sync pull: the cursor is ahead of the org's log (reset and pull from 0). */
  z.optional(
    z.strictObject({ cursor: z.number().check(z.int()), head: z.number().check(z.int()) }),
  ),
);
export const MUTATION_GAP = errorCode(
  409,
  'Mutation ids must continue from the last acknowledged id without gaps',
  /** Resend from `expected`. */
  z.strictObject({ expected: z.number().check(z.int()), received: z.number().check(z.int()) }),
);
export const CLIENT_TOO_OLD = errorCode(
  409,
  'This app is too old for the server: update (reload) the app',
  z.strictObject({
    clientVersion: z.number().check(z.int()),
    serverVersion: z.number().check(z.int()),
    minVersion: z.number().check(z.int()),
  }),
);
export const SERVER_TOO_OLD = errorCode(
  409,
  'The server does not yet support this app version',
  z.strictObject({
    clientVersion: z.number().check(z.int()),
    serverVersion: z.number().check(z.int()),
    minVersion: z.number().check(z.int()),
  }),
);
export const RESYNC_REQUIRED = errorCode(
  410,
  'Tombstones after this cursor were purged: download the live snapshot again (pull from 0, then drop local rows it lacks)',
  /** Sync pull: the replica's cursor and the org's purge horizon (docs/protocol.md). */
  z.strictObject({ cursor: z.number().check(z.int()), horizon: z.number().check(z.int()) }),
);

/** What a sync client tells apart (`parseErrorOf(SYNC_ERROR_CODES, …)`). */
export const SYNC_ERROR_CODES = {
  BAD_CURSOR,
  MUTATION_GAP,
  CLIENT_TOO_OLD,
  SERVER_TOO_OLD,
  RESYNC_REQUIRED,
} as const;
/** `parseCodedError` for the codes of `table` only (a subset of `ERROR_CODES`); others are null. */
export function parseErrorOf<C extends ErrorCode>(
  table: { readonly [K in C]: (typeof ERROR_CODES)[K] },
  status: number,
  body: unknown,
): Extract<CodedError, { code: C }> | null {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success || !Object.hasOwn(table, parsed.data.code)) return null;
  const code = parsed.data.code as C;
  const entry = table[code] as { status: number; details: z.ZodMiniType };
  if (entry.status !== status) return null;
  const details = entry.details.safeParse(parsed.data.details);
  if (!details.success) return null;
  return { code, status, message: parsed.data.error, details: details.data } as Extract<
    CodedError,
    { code: C }
  >;
}
