/**
 * Coded errors: every error the API returns comes from this table, with its HTTP status and
 * a message a developer can act on. Body: `{ error, code, details? }`.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is invalid' },
  VALIDATION: { status: 400, message: 'The request body, query or params failed validation' },
  BAD_CURSOR: { status: 400, message: 'The cursor is not valid for this org' },
  UNAUTHENTICATED: { status: 401, message: 'A valid session token is required (Authorization: Bearer <token>)' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  MUTATION_GAP: { status: 409, message: 'Mutation ids must continue from the last acknowledged id without gaps' },
  CLIENT_TOO_OLD: { status: 409, message: 'This app is too old for the server: update (reload) the app' },
  SERVER_TOO_OLD: { status: 409, message: 'The server does not yet support this app version' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state' },
  PRECONDITION_FAILED: { status: 412, message: 'If-Match does not match the current version' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Request bodies must be JSON in UTF-8' },
  UPGRADE_REQUIRED: { status: 426, message: 'This endpoint speaks WebSocket: connect with an Upgrade request, then send hello' },
  RATE_LIMITED: { status: 429, message: 'Too many requests: retry after the indicated delay' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable' },
  INTERNAL: { status: 500, message: 'Internal server error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }

  toBody(): { error: string; code: string; details?: unknown } {
    return this.details === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, details: this.details };
  }
}
