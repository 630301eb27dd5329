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
  /**
   * The document `id` names (`idCandidates`: an id is exact text, except an ObjectId's text,
   * which names its document in either case), as the source stores it; null when none does.
   */
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

/** An ObjectId's text: 24 hex digits. */
const OBJECT_ID_TEXT = /^[0-9a-f]{24}$/i;

/** Whether `id` is an ObjectId's text (24 hex digits, in either case). */
export function isObjectIdText(id: string): boolean {
  return OBJECT_ID_TEXT.test(id);
}

/**
 * The stored ids a `get(id)` takes for `id`, best first. Every source agrees: an id is exact
 * text (`r0003` is not `R0003`), except an ObjectId's text — 24 hex digits name the same 12
 * bytes in either case, and MongoDB finds an ObjectId from either — so such an id also names a
 * document stored under its lower- or upper-case spelling (the id as given wins when both exist).
 */
export function idCandidates(id: string): string[] {
  if (!isObjectIdText(id)) return [id];
  return [...new Set([id, id.toLowerCase(), id.toUpperCase()])];
}
