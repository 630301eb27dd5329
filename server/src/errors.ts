import { ERROR_CODES, type ErrorCode, type ErrorDetails, type FieldIssue } from '@outpost/shared';

export { ERROR_CODES, type ErrorCode };

/** The details argument: required when the code's schema requires them, absent when it has none. */
type DetailsArg<C extends ErrorCode> =
  undefined extends ErrorDetails<C> ? [details?: ErrorDetails<C>] : [details: ErrorDetails<C>];

/**
 * A coded error from the shared table (`shared/src/protocol/error.ts`): its status and default
 * message come from the code, its details are typed by the code. Body: `{ error, code, details? }`.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly details: ErrorDetails<C> | undefined;

  constructor(
    readonly code: C,
    message?: string,
    ...[details]: DetailsArg<C>
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }

  toBody(): { error: string; code: string; details?: unknown } {
    return this.details === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, details: this.details };
  }
}

/**
 * A sync credential used for anything but a push or its own device's sign-out (403): says
 * what it may do, and that `what` (a route as the OpenAPI names it, or an engine operation)
 * needs a session token. One wording wherever the refusal is made.
 */
export function credentialRefused(what: string): AppError<'FORBIDDEN'> {
  return new AppError(
    'FORBIDDEN',
    `A sync credential may only push and sign its own device out (POST /api/v1/auth/sign-out): ${what} needs a session token`,
  );
}

/**
 * The `WWW-Authenticate` challenge a 401 carries (RFC 9110 §11.6.1: every 401 names one), in
 * RFC 6750's Bearer form: no error code when the request sent no credentials at all,
 * `invalid_request` for an Authorization header that is not `Bearer <token>`, `invalid_token`
 * for a token or credential that did not verify. Null for any other error (a webhook's 401 is
 * about its Svix signature, not an HTTP authentication scheme).
 */
export function authChallenge(err: AppError): string | null {
  if (err.code !== 'UNAUTHENTICATED') return null;
  const details = err.details as { reason?: unknown } | undefined;
  const reason = details?.reason;
  const realm = 'Bearer realm="outpost"';
  if (reason === 'missing-token') return realm;
  return `${realm}, error="${reason === 'malformed-authorization' ? 'invalid_request' : 'invalid_token'}"`;
}

/** What a schema's issue (zod's) says that a field issue needs. */
export interface SchemaIssue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** An `unrecognized_keys` issue's keys. */
  readonly keys?: readonly string[];
  /** What a `too_big`/`too_small` bound applies to (`int`: zod's safe-integer bound). */
  readonly origin?: string;
  /** An `invalid_type` issue's expected type (`int` for a number with a fraction). */
  readonly expected?: string;
  /** What an `invalid_type` issue received, when zod names it (`Infinity`, `NaN`). */
  readonly received?: string;
}

/**
 * zod's words where they name its types instead of the rule: "expected int, received number"
 * for 1.5, "received Infinity" for a JSON number too large for a double (1e400).
 */
function issueMessage(i: SchemaIssue): string {
  if (i.code !== 'invalid_type') return i.message;
  if (i.expected === 'int') return 'must be a whole number (no fraction)';
  if (i.received === 'Infinity' || i.received === '-Infinity')
    return 'Too big: too large a number to read at all';
  return i.message;
}

/** JSON pointer (RFC 6901) of a path, `/mutations/0/base/__proto__`; `''` is the whole value. */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * A schema's issues as the error shape's field issues, each path the JSON pointer of what it
 * is about in what was sent. An unknown key is pointed at itself (`/a/extra`), one issue per
 * key, not at the object that holds it.
 */
export function fieldIssues(issues: readonly SchemaIssue[]): FieldIssue[] {
  // zod's int() bounds a number to ±(2^53 − 1) as well: beside the schema's own bound on the
  // same value (`limit` ≤ 200) that second issue only misleads, so it goes.
  const where = (i: SchemaIssue) => `${i.code}${jsonPointer(i.path)}`;
  const ownBounds = new Set(
    issues
      .filter((i) => (i.code === 'too_big' || i.code === 'too_small') && i.origin !== 'int')
      .map(where),
  );
  return issues
    .filter((i) => !(i.origin === 'int' && ownBounds.has(where(i))))
    .flatMap((i) =>
      i.code === 'unrecognized_keys' && i.keys && i.keys.length > 0
        ? i.keys.map((key) => ({
            path: jsonPointer([...i.path, key]),
            message: `Unrecognized key: ${JSON.stringify(quoted(key))}`,
          }))
        : [{ path: jsonPointer(i.path), message: issueMessage(i) }],
    );
}

/** How many problems one answer lists; the rest are counted, not listed. */
export const MAX_LISTED_PROBLEMS = 20;
/**
 * The longest key or pointer an answer quotes back (UTF-16 units): no name of the API comes
 * near it, and a 900 KB key sent back four times made a 3.6 MB answer. Messages get 5×.
 */
export const MAX_QUOTED = 200;

/** `s` as an answer quotes it: whole up to `max`, else cut there (not inside a pair) with `…`. */
export function quoted(s: string, max = MAX_QUOTED): string {
  if (s.length <= max) return s;
  const cut = /[\uD800-\uDBFF]/.test(s.charAt(max - 1)) ? max - 1 : max;
  return `${s.slice(0, cut)}…`;
}

/**
 * The one rule for every answer that lists problems (field issues, unknown filters): the first
 * `MAX_LISTED_PROBLEMS`, and how many more there were. A request with 2,000 unknown query
 * parameters gets an answer of a few kilobytes that says 1,980 more, not 183 KB.
 */
export function listedProblems<T>(all: readonly T[]): { listed: T[]; more: number } {
  return {
    listed: all.slice(0, MAX_LISTED_PROBLEMS),
    more: Math.max(0, all.length - MAX_LISTED_PROBLEMS),
  };
}

/** `; and 1980 more` after a list the answer cut (nothing when it did not). */
export const andMore = (more: number): string => (more > 0 ? `; and ${more} more` : '');

/**
 * 400 VALIDATION listing the issues (`listedProblems`), in the message too: `Invalid body:
 * /name Too small…; /extra Unrecognized key: "extra"`. `what` names what was checked (body,
 * querystring…). When some were left out, the last detail (path `""`, the whole value) says
 * how many, so details never look complete when they are not.
 */
export function validationError(
  what: string,
  issues: readonly FieldIssue[],
): AppError<'VALIDATION'> {
  const { listed, more } = listedProblems(
    issues.map((i) => ({ path: quoted(i.path), message: quoted(i.message, 5 * MAX_QUOTED) })),
  );
  const text = listed.map((i) => `${i.path || '(the whole value)'} ${i.message}`).join('; ');
  const details =
    more > 0 ? [...listed, { path: '', message: `${more} more problems, not listed` }] : listed;
  return new AppError('VALIDATION', `Invalid ${what}: ${text}${andMore(more)}`, details);
}

/**
 * The longest path parameter the router takes, as sent (percent-escapes included): an id of
 * an external resource is up to 200 UTF-16 units, each at most 9 characters escaped. Fastify's
 * 100 refused valid ids; a longer one is 400 BAD_REQUEST.
 */
export const MAX_PARAM_LENGTH = 2048;

/** 400 for a path parameter over `MAX_PARAM_LENGTH`, however the request reached it. */
export function paramTooLong(): AppError<'BAD_REQUEST'> {
  return new AppError(
    'BAD_REQUEST',
    `A path parameter is longer than ${MAX_PARAM_LENGTH} characters (as sent, escapes included): no id of this API is`,
  );
}

/**
 * Any error a route threw, as a coded error: ours as they are (schema validation is one,
 * `schema-validation.ts`), Fastify's own 4xx (bad JSON, media type, body size) by status;
 * anything else is INTERNAL, so every answer carries a code of the table. `bodyLimit` is the
 * route's, in bytes (a 413 names it).
 */
export function toAppError(err: unknown, bodyLimit: number): AppError {
  if (err instanceof AppError) return err;
  const e = err as { statusCode?: number; message?: string; code?: unknown };
  // The router's refusals name the whole path, however long: said here in a line instead.
  if (e.code === 'FST_ERR_BAD_URL')
    return new AppError(
      'BAD_REQUEST',
      'The URL path does not decode: a % must start an escape of UTF-8 bytes (%20, %C3%A9)',
    );
  if (e.code === 'FST_ERR_MAX_PARAM_LENGTH') return paramTooLong();
  const status = e.statusCode ?? 500;
  if (status === 404) return new AppError('NOT_FOUND', e.message);
  if (status === 413) return bodyTooLarge(bodyLimit);
  if (status === 415)
    return new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Request bodies must be JSON in UTF-8: send Content-Type: application/json',
    );
  if (status === 429) return new AppError('RATE_LIMITED', e.message);
  if (status >= 400 && status < 500) return new AppError('BAD_REQUEST', e.message);
  return new AppError('INTERNAL');
}

/** A body over the limit: the limit in the message and the details. */
export function bodyTooLarge(maxBytes: number): AppError<'PAYLOAD_TOO_LARGE'> {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than this endpoint accepts: at most ${maxBytes} bytes`,
    { limit: 'body', maxBytes },
  );
}

/**
 * An error Node's HTTP parser met before any route ran (`clientErrorHandler`): bytes that are
 * not HTTP/1.1, headers over the limit, a request that did not arrive in time. Fastify's own
 * answer to those had none of the table's codes.
 */
export function clientError(err: { code?: string }, maxHeaderBytes: number): AppError {
  if (err.code === 'HPE_HEADER_OVERFLOW')
    return new AppError(
      'HEADERS_TOO_LARGE',
      `The request headers are larger than the server accepts: at most ${maxHeaderBytes} bytes in all`,
      { maxBytes: maxHeaderBytes },
    );
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('REQUEST_TIMEOUT');
  return new AppError(
    'BAD_REQUEST',
    'The request is not valid HTTP/1.1 (its request line, headers or body framing)',
  );
}
