import { z } from '../schema.js';
import {
  BAD_CURSOR,
  CLIENT_TOO_OLD,
  errorCode,
  MUTATION_GAP,
  parseErrorOf,
  RESYNC_REQUIRED,
  SERVER_TOO_OLD,
} from './sync-errors.js';

/**
 * One problem with a field or parameter: `path` is the JSON pointer (RFC 6901) of what it is
 * about in what was sent — the body, query or params, or the socket frame (`/request/mutations/0/title`);
 * an unknown key's is the key's own (`/extra`), `''` the whole value.
 */
export const fieldIssueSchema = z.strictObject({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

const none = z.undefined();

/**
 * Every error the API answers: its HTTP status, a default message a developer can act on, and
 * the schema of its `details`. The server constructs errors from this table only; clients
 * branch on `code` and parse `details` with the same schema. Add a code here, never inline.
 */
export const ERROR_CODES = {
  BAD_REQUEST: errorCode(
    400,
    'The request is invalid',
    /** A malformed conditional header, as sent. */
    z.optional(
      z.union([
        z.strictObject({ ifMatch: z.string() }),
        z.strictObject({ ifNoneMatch: z.string() }),
      ]),
    ),
  ),
  VALIDATION: errorCode(
    400,
    'The request body, query or params failed validation',
    z.union([
      z.array(fieldIssueSchema),
      /** A list filtered by fields it cannot filter on. */
      z.strictObject({ unknownFilters: z.array(z.string()) }),
    ]),
  ),
  BAD_CURSOR,
  UNAUTHENTICATED: errorCode(
    401,
    'A valid session token is required (Authorization: Bearer <token>)',
    /** Why the token or credential was refused (docs/protocol.md lists the reasons). */
    z.strictObject({ reason: z.string() }),
  ),
  FORBIDDEN: errorCode(403, 'Your role does not allow this action', none),
  MEMBER_REMOVED: errorCode(
    403,
    'You were removed from this organization',
    /** The token is valid, but its user no longer belongs to the org: never re-created. */
    z.strictObject({ reason: z.literal('member-removed'), orgId: z.string() }),
  ),
  EMAIL_IN_USE: errorCode(
    403,
    'Another member of this organization has your email under another sign-in',
    /**
     * A first sign-in (a new identity-provider user id) whose email a member of the org already
     * has: never a second member with one email; linked only when that is safe (docs/protocol.md).
     */
    z.strictObject({ reason: z.literal('email-in-use'), orgId: z.string() }),
  ),
  ROLE_MANAGED_BY_PROVIDER: errorCode(
    403,
    'Roles are managed by the identity provider (Clerk): change them there',
    z.strictObject({ reason: z.literal('role-managed-by-clerk') }),
  ),
  WEBHOOK_UNVERIFIED: errorCode(
    401,
    'The webhook signature or timestamp did not verify',
    z.strictObject({ reason: z.enum(['missing-signature', 'bad-signature', 'stale-timestamp']) }),
  ),
  WEBHOOK_EVENT_UNSUPPORTED: errorCode(
    422,
    'This webhook event type is not handled: subscribe only to the documented events',
    z.strictObject({ type: z.nullable(z.string()) }),
  ),
  NOT_FOUND: errorCode(404, 'Not found', none),
  METHOD_NOT_ALLOWED: errorCode(
    405,
    'This path does not take this method: the Allow header lists those it takes',
    /** The methods the path takes, as in the Allow header. */
    z.strictObject({ allow: z.array(z.string()) }),
  ),
  MUTATION_GAP,
  CLIENT_TOO_OLD,
  SERVER_TOO_OLD,
  CONFLICT: errorCode(409, 'The request conflicts with the current state', none),
  RESYNC_REQUIRED,
  PRECONDITION_FAILED: errorCode(
    412,
    'If-Match does not match the current version',
    /** The If-Match header as sent, and the row's version (its ETag is `"<current>"`). */
    z.strictObject({ ifMatch: z.string(), current: z.number().check(z.int()) }),
  ),
  REQUEST_TIMEOUT: errorCode(408, 'The request did not arrive in time: send it again, whole', none),
  HEADERS_TOO_LARGE: errorCode(
    431,
    'The request headers are larger than the server accepts',
    /** How many bytes of headers (all of them together) the server reads. */
    z.strictObject({ maxBytes: z.number().check(z.int(), z.positive()) }),
  ),
  PAYLOAD_TOO_LARGE: errorCode(
    413,
    'The request body is too large',
    /** Which limit was passed (an HTTP body, a socket frame) and how many bytes it allows. */
    z.strictObject({
      limit: z.enum(['body', 'frame']),
      maxBytes: z.number().check(z.int(), z.positive()),
    }),
  ),
  UNSUPPORTED_MEDIA_TYPE: errorCode(415, 'Request bodies must be JSON in UTF-8', none),
  UPGRADE_REQUIRED: errorCode(
    426,
    'This endpoint speaks WebSocket: connect with an Upgrade request, then send hello',
    none,
  ),
  RATE_LIMITED: errorCode(
    429,
    'Too many requests: retry after the indicated delay',
    z.optional(z.strictObject({ retryAfterSeconds: z.number().check(z.int(), z.nonnegative()) })),
  ),
  UNAVAILABLE: errorCode(503, 'The service is temporarily unavailable', none),
  INTERNAL: errorCode(500, 'Internal server error', none),
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** The `details` an error with this code carries. */
export type ErrorDetails<C extends ErrorCode> = z.infer<(typeof ERROR_CODES)[C]['details']>;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** An error body narrowed by its code: `details` parsed with that code's schema. */
export type CodedError = {
  [C in ErrorCode]: { code: C; status: number; message: string; details: ErrorDetails<C> };
}[ErrorCode];

/**
 * Reads an error answer: a known code whose details match its schema, or null (an error from
 * a proxy, an older or newer server, a body that is not ours).
 */
export function parseCodedError(status: number, body: unknown): CodedError | null {
  return parseErrorOf(ERROR_CODES, status, body);
}
