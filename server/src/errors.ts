import { ERROR_CODES, type ErrorCode, type ErrorDetails } from '@outpost/shared';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

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
 * Any error a route threw, as a coded error: ours as they are, Fastify's schema validation as
 * VALIDATION, Fastify's own 4xx (bad JSON, media type, body size) by status; anything else is
 * INTERNAL, so every answer carries a code of the table. `bodyLimit` is the route's, in bytes
 * (a 413 names it).
 */
export function toAppError(err: unknown, bodyLimit: number): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new AppError(
      'VALIDATION',
      `Invalid ${err.validationContext ?? 'request'}: ${err.validation
        .map((v) => `${v.instancePath || '/'} ${v.message}`)
        .join('; ')}`,
      err.validation.map((v) => ({ path: v.instancePath, message: v.message ?? 'invalid' })),
    );
  }
  const e = err as { statusCode?: number; message?: string };
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
