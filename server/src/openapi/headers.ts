/**
 * Documents the response headers the routes set (route schemas describe bodies only), so a
 * generated client and a reader of `/openapi.json` see them: a row's `ETag` and a create's
 * `Location`, the shared resources' caching headers, `Retry-After` on 429 and the challenge on
 * 401. Runs after `shareErrorResponses` (the 401 and 429 are shared components by then).
 */

type Json = Record<string, unknown>;

const text = (description: string) => ({ description, schema: { type: 'string' } });

const ROW_ETAG = text(
  'The row\u2019s version as a strong ETag (`"12"`): send it back in `If-Match` (writes) or `If-None-Match` (GET)',
);
const LOCATION = text('The path of the row just created');
const RESOURCE_ETAG = text(
  'A weak ETag of this answer (`W/"…"`): send it back in `If-None-Match` for a 304',
);
const CACHE_CONTROL = text(
  '`private, max-age=60, stale-while-revalidate=600`; `max-age=0` when the answer is a stale copy (`stale: true`)',
);
const RETRY_AFTER = text('Seconds to wait before trying again');
const CHALLENGE = text(
  '`Bearer realm="outpost"`, with `error="invalid_request"` or `error="invalid_token"` once credentials were sent (RFC 6750)',
);

/** Operation id → status → the headers that response carries. */
const BY_OPERATION: Record<string, Record<string, Record<string, Json>>> = {};
for (const entity of ['User', 'Project', 'Task']) {
  BY_OPERATION[`get${entity}`] = { 200: { ETag: ROW_ETAG }, 304: { ETag: ROW_ETAG } };
  BY_OPERATION[`create${entity}`] = { 201: { ETag: ROW_ETAG, Location: LOCATION } };
  BY_OPERATION[`replace${entity}`] = { 200: { ETag: ROW_ETAG } };
  BY_OPERATION[`update${entity}`] = { 200: { ETag: ROW_ETAG } };
}
for (const id of ['listSharedResources', 'getSharedResource']) {
  const cached = { ETag: RESOURCE_ETAG, 'Cache-Control': CACHE_CONTROL };
  BY_OPERATION[id] = { 200: cached, 304: cached };
}

/** Shared response component → the headers it carries. */
const BY_COMPONENT: Record<string, Record<string, Json>> = {
  Unauthorized: { 'WWW-Authenticate': CHALLENGE },
  TooManyRequests: { 'Retry-After': RETRY_AFTER },
};

function withHeaders(response: Json, headers: Record<string, Json>): Json {
  const had = (response['headers'] ?? {}) as Record<string, Json>;
  return { ...response, headers: { ...had, ...headers } };
}

export function documentHeaders<T extends object>(document: T): T {
  const doc = document as Json;
  const paths = (doc['paths'] ?? {}) as Record<string, Record<string, Json>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const byStatus = BY_OPERATION[String(operation['operationId'])];
      const responses = operation['responses'] as Record<string, Json> | undefined;
      if (!byStatus || !responses) continue;
      for (const [status, headers] of Object.entries(byStatus)) {
        const response = responses[status];
        if (response && !('$ref' in response)) responses[status] = withHeaders(response, headers);
      }
    }
  }
  const components = (doc['components'] ?? {}) as Json;
  const shared = { ...((components['responses'] ?? {}) as Record<string, Json>) };
  for (const [name, headers] of Object.entries(BY_COMPONENT))
    if (shared[name]) shared[name] = withHeaders(shared[name], headers);
  return { ...doc, components: { ...components, responses: shared } } as T;
}
