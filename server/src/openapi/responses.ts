import { errorBodySchema } from '@outpost/shared';
import { describe } from './describe.js';

/**
 * The documented meaning of each error status, shared by every route so each response has a
 * real description (the default would be "Default Response"). A route with a more specific
 * meaning overrides one entry: `{ ...errorResponses(400, 401), 409: describe(errorBodySchema, '…') }`.
 */
const ERRORS = {
  400: [
    'BadRequest',
    'Invalid request: `details` lists each problem and its `path`, the JSON pointer of what it is about (an unknown key: the key; a query parameter given twice: the parameter), at most the first 20 (then a last entry with path `""` counts the rest); nothing was changed',
  ],
  401: [
    'Unauthorized',
    'Missing, malformed, expired or revoked credentials (`details.reason` says which). `WWW-Authenticate` names the challenge: `Bearer realm="outpost"` when none was sent, with `error="invalid_request"` (not `Bearer <token>`) or `error="invalid_token"` (did not verify) otherwise',
  ],
  403: [
    'Forbidden',
    'Authenticated, but your role or credential may not do this (recorded as an `access-denied` activity), or your sign-in may not act in this org: `MEMBER_REMOVED`, `EMAIL_IN_USE` (`details.reason` says which)',
  ],
  404: [
    'NotFound',
    'No such row in your org (ids of other orgs are indistinguishable from unknown ones)',
  ],
  409: ['Conflict', 'Conflicts with the current state (the `code` says which)'],
  412: [
    'PreconditionFailed',
    '`If-Match` names no strong ETag of the row (`details: { ifMatch, current }`): fetch the row and retry with its ETag',
  ],
  413: [
    'PayloadTooLarge',
    'PAYLOAD_TOO_LARGE: the request body is larger than this route accepts (`details.maxBytes`; BODY_LIMIT_BYTES, 1 MiB by default)',
  ],
  415: [
    'UnsupportedMediaType',
    'UNSUPPORTED_MEDIA_TYPE: the body is not `application/json`, declares a charset other than UTF-8, or is compressed (`Content-Encoding`)',
  ],
  426: [
    'UpgradeRequired',
    'A plain GET: this endpoint only speaks WebSocket (send an Upgrade request)',
  ],
  429: [
    'TooManyRequests',
    'RATE_LIMITED: too many failed authentications from this address (checked before the token), or too many requests; Retry-After gives the seconds to wait',
  ],
  503: [
    'Unavailable',
    'A dependency is unavailable and nothing cached can answer: retry after `Retry-After`',
  ],
} as const;
const ERROR_DESCRIPTIONS = Object.fromEntries(
  Object.entries(ERRORS).map(([status, [, text]]) => [status, text]),
) as { [S in keyof typeof ERRORS]: (typeof ERRORS)[S][1] };

export type ErrorStatus = keyof typeof ERRORS;

const described = Object.fromEntries(
  Object.entries(ERROR_DESCRIPTIONS).map(([status, text]) => [
    status,
    describe(errorBodySchema, text),
  ]),
) as Record<ErrorStatus, typeof errorBodySchema>;

/** Error responses for a route's `schema.response`, each an `ErrorBody` with its description. */
export function errorResponses<S extends ErrorStatus>(
  ...statuses: S[]
): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, described[s]])) as Record<
    S,
    typeof errorBodySchema
  >;
}

type Json = Record<string, unknown>;

/**
 * Moves every standard error response (as built by `errorResponses`) into
 * `components.responses` and refers to it, so each is written once, not once per operation.
 */
export function shareErrorResponses<T extends object>(document: T): T {
  const doc = document as Json;
  const shared: Record<string, unknown> = {};
  const paths = (doc['paths'] ?? {}) as Record<string, Record<string, Json>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const responses = operation['responses'] as Record<string, Json> | undefined;
      for (const [status, response] of Object.entries(responses ?? {})) {
        const known = ERRORS[Number(status) as ErrorStatus] as
          readonly [string, string] | undefined;
        if (!known || response['description'] !== known[1]) continue;
        shared[known[0]] = response;
        responses![status] = { $ref: `#/components/responses/${known[0]}` };
      }
    }
  }
  const components = (doc['components'] ?? {}) as Json;
  const sorted = Object.fromEntries(Object.entries(shared).sort(([a], [b]) => a.localeCompare(b)));
  return { ...doc, components: { ...components, responses: sorted } } as T;
}
