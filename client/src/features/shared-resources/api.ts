import { z } from 'zod/mini';
import {
  sharedResourceItemSchema,
  sharedResourcePageSchema,
  type SharedResource,
} from '@outpost/shared';

/**
 * An authenticated GET of an API path (e.g. `/api/v1/external-data/...`) returning the parsed
 * JSON body; it rejects on a non-2xx answer, ideally with an error carrying `status`. The app
 * shell provides it (it owns the session token); this feature never touches auth.
 */
export type FetchJson = (path: string, init?: { signal?: AbortSignal }) => Promise<unknown>;

/** Set by the service worker when it answers from its copy because the network failed. */
const offline = { offlineCopy: z.optional(z.boolean()) };

export const resourcePageSchema = z.extend(sharedResourcePageSchema, offline);
export type ResourcePage = z.infer<typeof resourcePageSchema>;

export const resourceItemSchema = z.extend(sharedResourceItemSchema, offline);
export type ResourceItem = z.infer<typeof resourceItemSchema>;

export const RESOURCES_PATH = '/api/v1/external-data/shared-resources';
/** Rows per request: large enough to scroll fast, small enough to show the first rows at once. */
export const PAGE_SIZE = 100;

export interface ResourceSearch {
  q: string;
  kind: string;
}

export function pagePath(
  search: ResourceSearch,
  cursor: string | undefined,
  limit = PAGE_SIZE,
): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (search.q) params.set('q', search.q);
  if (search.kind) params.set('kind', search.kind);
  if (cursor) params.set('cursor', cursor);
  return `${RESOURCES_PATH}?${params.toString()}`;
}

export class ResourceResponseError extends Error {
  override name = 'ResourceResponseError';
}

function parse<T>(schema: z.ZodMiniType<T>, body: unknown, path: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ResourceResponseError(
      `Unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      { cause: parsed.error },
    );
  return parsed.data;
}

export async function fetchResourcePage(
  fetchJson: FetchJson,
  search: ResourceSearch,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<ResourcePage> {
  const path = pagePath(search, cursor);
  return parse(resourcePageSchema, await fetchJson(path, signal ? { signal } : {}), path);
}

export async function fetchResource(
  fetchJson: FetchJson,
  id: string,
  signal?: AbortSignal,
): Promise<ResourceItem> {
  const path = `${RESOURCES_PATH}/${encodeURIComponent(id)}`;
  return parse(resourceItemSchema, await fetchJson(path, signal ? { signal } : {}), path);
}

export { statusOf } from '../../data';

export type { SharedResource };
