import type { SharedResource } from '@outpost/shared';

/**
 * The external dataset, read-only by construction: this interface is the only way the rest of
 * the server reaches the source, and it has no write method. Implementations validate every
 * document (see `validate.ts`) and never return one that fails.
 */
export interface SharedResourceRepository {
  readonly kind: 'embedded' | 'file' | 'mongodb';
  /** One page in stable id order. `after` is an opaque cursor from a previous `nextCursor`. */
  list(query: ResourceListQuery, signal?: AbortSignal): Promise<ResourcePage>;
  get(id: string, signal?: AbortSignal): Promise<SharedResource | null>;
  count(criteria: ResourceCriteria, signal?: AbortSignal): Promise<number>;
  /** Documents skipped because they failed validation, since start. */
  readonly invalidCount: number;
  close(): Promise<void>;
}

export interface ResourceCriteria {
  /** Case-insensitive substring of `name`. */
  q?: string | undefined;
  filter?: ResourceFilter | undefined;
}

/** Equality filters on the document's `data` (the only ones the API exposes). */
export interface ResourceFilter {
  kind?: string | undefined;
}

export interface ResourceListQuery extends ResourceCriteria {
  after?: string | undefined;
  limit: number;
}

export interface ResourcePage {
  items: SharedResource[];
  nextCursor: string | null;
}

/** Escapes a user's search text for a literal, case-insensitive substring match. */
export function substringPattern(q: string): RegExp {
  return new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}
