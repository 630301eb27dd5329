import { createHash } from 'node:crypto';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { sharedResourcePageSchema, sharedResourceSchema } from '@outpost/shared';
import { AppError } from '../errors.js';
import type { ResponseCache } from './cache.js';
import { bindListCursor, innerListCursor } from './cursor.js';
import type { SharedResourceRepository } from './repository.js';
import type { SourceGuard } from './resilience.js';

/** A page as cached: the answer without its freshness (added when it is served). */
export const listPayloadSchema = zm.omit(sharedResourcePageSchema, {
  stale: true,
  staleAgeMs: true,
});
export type ListPayload = z.infer<typeof listPayloadSchema>;

export const itemPayloadSchema = z.object({ data: z.nullable(sharedResourceSchema) });
export type ItemPayload = z.infer<typeof itemPayloadSchema>;

export interface ListParams {
  q?: string | undefined;
  kind?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** What a route sends: the payload and whether it is the last good copy rather than a fresh read. */
export interface Served<T> {
  value: T;
  etag: string;
  stale: boolean;
  /** How old the copy is, when `stale`. */
  staleAgeMs?: number;
}

export interface ServiceOptions {
  /** A cached answer younger than this is served without asking the source. */
  freshMs: number;
  now: () => number;
  log: { warn(obj: object, msg: string): void };
}

/**
 * Cache-aside over the guarded source. Keys are built from the normalized query only, never
 * from the caller's org: the dataset is the same for everyone. Concurrent misses for one key
 * share a single source call.
 */
export class ExternalDataService {
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(
    readonly repository: SharedResourceRepository,
    readonly guard: SourceGuard,
    private readonly cache: ResponseCache,
    private readonly opts: ServiceOptions,
  ) {}

  list(params: ListParams): Promise<Served<ListPayload>> {
    const q = normalizeSearch(params.q);
    const criteria = { q, filter: params.kind === undefined ? undefined : { kind: params.kind } };
    const binding = { q, kind: params.kind };
    // Refused before the cache or the source is asked: a cursor of another search is no page.
    const after = params.cursor === undefined ? undefined : innerListCursor(params.cursor, binding);
    const key = `list:${JSON.stringify([q ?? null, params.kind ?? null, after ?? null, params.limit])}`;
    return this.#serve(key, listPayloadSchema, async (signal) => {
      const [page, total] = await Promise.all([
        this.repository.list({ ...criteria, after, limit: params.limit }, signal),
        after === undefined ? this.repository.count(criteria, signal) : Promise.resolve(undefined),
      ]);
      const nextCursor = page.nextCursor === null ? null : bindListCursor(page.nextCursor, binding);
      return total === undefined
        ? { data: page.items, nextCursor }
        : { data: page.items, nextCursor, total };
    });
  }

  get(id: string): Promise<Served<ItemPayload>> {
    return this.#serve(`get:${id}`, itemPayloadSchema, async (signal) => ({
      data: await this.repository.get(id, signal),
    }));
  }

  async #serve<T>(
    key: string,
    schema: z.core.$ZodType<T>,
    fetch: (signal: AbortSignal) => Promise<T>,
  ): Promise<Served<T>> {
    const cached = await this.cache.get(key, schema);
    const now = this.opts.now();
    if (cached && now - cached.storedAt < this.opts.freshMs)
      return { value: cached.value, etag: cached.etag, stale: false };
    try {
      const value = await this.#coalesce(key, async () => {
        const fetched = await this.guard.run(fetch);
        await this.cache.set(key, {
          storedAt: this.opts.now(),
          etag: etagOf(fetched),
          value: fetched,
        });
        return fetched;
      });
      return { value, etag: etagOf(value), stale: false };
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (cached) {
        const staleAgeMs = Math.max(0, this.opts.now() - cached.storedAt);
        this.opts.log.warn(
          { err, key, staleAgeMs },
          'external source failed; serving the last good copy',
        );
        return { value: cached.value, etag: cached.etag, stale: true, staleAgeMs };
      }
      this.opts.log.warn({ err, key }, 'external source failed and nothing is cached');
      throw new AppError(
        'UNAVAILABLE',
        'The shared-resources source is unavailable and no copy of this page is cached: retry later',
      );
    }
  }

  #coalesce<T>(key: string, run: () => Promise<T>): Promise<T> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const p = run().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, p);
    return p;
  }
}

/** Search is case-insensitive and ignores surrounding or repeated spaces, so those share a cache key. */
export function normalizeSearch(q: string | undefined): string | undefined {
  const n = q?.trim().replace(/\s+/g, ' ').toLowerCase();
  return n ? n : undefined;
}

/** Weak: the same data may be sent with different `stale` flags. */
export function etagOf(value: unknown): string {
  return `W/"${createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 27)}"`;
}
