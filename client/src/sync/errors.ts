/**
 * Client-side sync errors: named subclasses carrying `cause` (and HTTP status where there is one).
 * Their properties are `declare`d and set in the constructor: a class field (or a parameter
 * property) is also a field definition in the built code, one more line per property.
 */

export class SyncError extends Error {
  override name = 'SyncError';
  /** Whether retrying the same request later can succeed. */
  declare readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    // Error takes `cause` from the options (and leaves `retryable`).
    super(message, options);
    this.retryable = options.retryable ?? false;
  }
}

/** The request never got an answer (offline, DNS, connection reset, aborted by timeout). */
export class NetworkError extends SyncError {
  override name = 'NetworkError';
  constructor(message: string, cause?: unknown) {
    super(message, { cause, retryable: true });
  }
}

/** The server answered with a non-2xx status. */
export class HttpError extends SyncError {
  override name = 'HttpError';
  declare readonly status: number;
  declare readonly code: string;
  declare readonly details?: unknown;
  /** How long the server asked to wait before trying again (`Retry-After`), if it said. */
  declare readonly retryAfterMs: number | null;
  constructor(
    message: string,
    status: number,
    code: string,
    details?: unknown,
    retryAfterMs: number | null = null,
  ) {
    // 4xx are answers about the request itself: retrying the same bytes cannot help, except
    // rate limiting (429) and a token that may be refreshed (401).
    super(message, {
      retryable: status >= 500 || status === 429 || status === 401 || status === 408,
    });
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterMs = retryAfterMs;
  }
}

/** 409 CLIENT_TOO_OLD / SERVER_TOO_OLD: stop syncing, keep the outbox, tell the user. */
export class ProtocolVersionError extends HttpError {
  override name = 'ProtocolVersionError';
  declare readonly which: 'client_too_old' | 'server_too_old';
  constructor(message: string, which: 'client_too_old' | 'server_too_old') {
    super(message, 409, which === 'client_too_old' ? 'CLIENT_TOO_OLD' : 'SERVER_TOO_OLD');
    this.which = which;
  }
}

/** 409 MUTATION_GAP: the server has not seen mutations this outbox assumes it has. */
export class MutationGapError extends HttpError {
  override name = 'MutationGapError';
  declare readonly expected: number | null;
  constructor(message: string, expected: number | null) {
    super(message, 409, 'MUTATION_GAP');
    this.expected = expected;
  }
}

/** 400 BAD_CURSOR: our cursor is ahead of the server's log (server restored): pull from 0. */
export class BadCursorError extends HttpError {
  override name = 'BadCursorError';
  constructor(message: string) {
    super(message, 400, 'BAD_CURSOR');
  }
}

/**
 * 410 RESYNC_REQUIRED: tombstones past our cursor were purged on the server, so the replica
 * may hold rows deleted there. Download the live snapshot and drop what it lacks.
 */
export class ResyncRequiredError extends HttpError {
  override name = 'ResyncRequiredError';
  constructor(message: string) {
    super(message, 410, 'RESYNC_REQUIRED');
  }
}

/** The response body did not match the protocol schema. */
export class ResponseParseError extends SyncError {
  override name = 'ResponseParseError';
  constructor(message: string, cause?: unknown) {
    super(message, { cause, retryable: true });
  }
}

/** The token available belongs to a different user than the replica: never send. */
export class IdentityMismatchError extends SyncError {
  override name = 'IdentityMismatchError';
}

/** No session token (signed out, or the identity provider is unreachable). */
export class NotSignedInError extends SyncError {
  override name = 'NotSignedInError';
  constructor(message = 'Not signed in') {
    super(message, { retryable: true });
  }
}

/** A local write named a row the mirror does not have (or that is deleted). */
export class NotFoundError extends SyncError {
  override name = 'NotFoundError';
}

/** A local write's fields are invalid; nothing was written. `issues` are zod's. */
export class ValidationError extends SyncError {
  override name = 'ValidationError';
  declare readonly issues: readonly { path: readonly PropertyKey[]; message: string }[];
  constructor(
    message: string,
    issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ) {
    super(message);
    this.issues = issues;
  }
}

export function isQuotaError(err: unknown): boolean {
  // Dexie wraps the DOMException; the original is in `inner`.
  const e = err as { name?: unknown; inner?: { name?: unknown } } | null | undefined;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
