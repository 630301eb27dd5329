import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/** A cached answer of the source, with when it was fetched and its ETag. */
export interface CacheEntry<T> {
  storedAt: number;
  etag: string;
  value: T;
}

/**
 * Cache-aside storage for source answers. Entries are kept long after they stop being fresh
 * (`retentionMs`): an old copy is what we serve, flagged stale, while the source is down.
 * Freshness is decided by the caller with its own clock. A cache failure is a miss, never an error.
 */
export interface ResponseCache {
  get<T>(key: string, schema: z.core.$ZodType<T>): Promise<CacheEntry<T> | undefined>;
  set<T>(key: string, entry: CacheEntry<T>): Promise<void>;
}

export class LruResponseCache implements ResponseCache {
  readonly #lru: LRUCache<string, CacheEntry<unknown>>;

  constructor(opts: { max: number; retentionMs: number }) {
    this.#lru = new LRUCache({ max: opts.max, ttl: opts.retentionMs });
  }

  async get<T>(key: string): Promise<CacheEntry<T> | undefined> {
    // Only this process wrote it, with the type its key implies.
    return this.#lru.get(key) as CacheEntry<T> | undefined;
  }

  async set<T>(key: string, entry: CacheEntry<T>): Promise<void> {
    this.#lru.set(key, entry);
  }
}

const envelopeSchema = z.object({ storedAt: z.number(), etag: z.string(), value: z.unknown() });

/** Shared by every server instance, so one instance's fetch (or last good copy) serves all. */
export class RedisResponseCache implements ResponseCache {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { retentionMs: number; prefix?: string },
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  async get<T>(key: string, schema: z.core.$ZodType<T>): Promise<CacheEntry<T> | undefined> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.#key(key));
    } catch (err) {
      this.log.warn({ err }, 'external-data cache: redis read failed; treating as a miss');
      return undefined;
    }
    if (raw === null) return undefined;
    // Another (possibly older) server version may have written it: parse, don't trust.
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return undefined;
    const value = z.safeParse(schema, envelope.data.value);
    if (!value.success) return undefined;
    return { storedAt: envelope.data.storedAt, etag: envelope.data.etag, value: value.data };
  }

  async set<T>(key: string, entry: CacheEntry<T>): Promise<void> {
    try {
      await this.redis.set(this.#key(key), JSON.stringify(entry), 'PX', this.opts.retentionMs);
    } catch (err) {
      this.log.warn({ err }, 'external-data cache: redis write failed');
    }
  }

  #key(key: string): string {
    // Fixed-length keys whatever the search text; the version lets a new shape start clean.
    return `${this.opts.prefix ?? 'outpost:external:v1:'}${createHash('sha256').update(key).digest('base64url')}`;
  }
}

/**
 * In-process LRU in front of Redis: hot pages cost no round trip, and an entry that is no
 * longer fresh here is looked up in Redis in case another instance refreshed it.
 */
export class TieredResponseCache implements ResponseCache {
  constructor(
    private readonly local: ResponseCache,
    private readonly shared: ResponseCache,
    private readonly isFresh: (entry: CacheEntry<unknown>) => boolean,
  ) {}

  async get<T>(key: string, schema: z.core.$ZodType<T>): Promise<CacheEntry<T> | undefined> {
    const near = await this.local.get(key, schema);
    if (near && this.isFresh(near)) return near;
    const far = await this.shared.get(key, schema);
    if (far && (!near || far.storedAt > near.storedAt)) {
      await this.local.set(key, far);
      return far;
    }
    return near;
  }

  async set<T>(key: string, entry: CacheEntry<T>): Promise<void> {
    await Promise.all([this.local.set(key, entry), this.shared.set(key, entry)]);
  }
}
