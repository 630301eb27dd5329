import type * as Driver from 'mongodb';
import type { Collection, Document, Filter, MongoClient } from 'mongodb';
import type { SharedResource } from '@outpost/shared';
import { decodeCursor, encodeCursor, type ResourceCursor } from './cursor.js';
import {
  idCandidates,
  isObjectIdText,
  substringPattern,
  type ResourceCriteria,
  type ResourceListQuery,
  type ResourcePage,
  type SharedResourceRepository,
} from './repository.js';
import type { DocumentValidator } from './validate.js';

export interface MongoSourceOptions {
  uri: string;
  db: string;
  collection: string;
  serverSelectionTimeoutMS?: number;
  socketTimeoutMS?: number;
  maxPoolSize?: number;
  /** Server-side limit per operation, so an abandoned query stops costing the source too. */
  maxTimeMS?: number;
}

type ObjectIdClass = typeof Driver.ObjectId;

/** Only the fields the API serves travel over the wire; anything else in the source stays there. */
const PROJECTION = { _id: 1, name: 1, data: 1, createdAt: 1 } as const;

/**
 * The external MongoDB, read through `find` and `countDocuments` only. Ordered by `_id`
 * because it is the one index every collection has, and we may not create others on a
 * database we only read. The client connects lazily, so a source that is down at start does
 * not stop the server (the routes degrade to stale copies or 503 instead).
 */
export class MongoRepository implements SharedResourceRepository {
  readonly kind = 'mongodb' as const;
  readonly #client: MongoClient;
  readonly #collection: Collection;
  readonly #validator: DocumentValidator;
  readonly #limits: { maxTimeMS?: number };

  readonly #ObjectId: ObjectIdClass;

  /** Loads the driver (only when a MongoDB source is configured) and connects lazily. */
  static async open(
    options: MongoSourceOptions,
    validator: DocumentValidator,
  ): Promise<MongoRepository> {
    return new MongoRepository(await import('mongodb'), options, validator);
  }

  private constructor(
    driver: typeof Driver,
    options: MongoSourceOptions,
    validator: DocumentValidator,
  ) {
    const { MongoClient, ObjectId } = driver;
    this.#ObjectId = ObjectId;
    this.#validator = validator;
    this.#limits = options.maxTimeMS === undefined ? {} : { maxTimeMS: options.maxTimeMS };
    this.#client = new MongoClient(options.uri, {
      readPreference: 'secondaryPreferred',
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
      socketTimeoutMS: options.socketTimeoutMS ?? 10_000,
      connectTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
      maxPoolSize: options.maxPoolSize ?? 10,
      retryReads: true,
      appName: 'outpost-external-data',
    });
    this.#collection = this.#client.db(options.db).collection(options.collection);
  }

  get invalidCount(): number {
    return this.#validator.invalidCount;
  }

  async list(query: ResourceListQuery, signal?: AbortSignal): Promise<ResourcePage> {
    const filter = and(
      criteriaFilter(query),
      query.after === undefined ? null : afterFilter(decodeCursor(query.after), this.#ObjectId),
    );
    // One extra document tells whether another page exists without a second round trip.
    const docs = await this.#collection
      .find(filter, {
        projection: PROJECTION,
        sort: { _id: 1 },
        limit: query.limit + 1,
        ...this.#limits,
        ...(signal ? { signal } : {}),
      })
      .toArray();
    const consumed = docs.slice(0, query.limit);
    const items: SharedResource[] = [];
    for (const doc of consumed) {
      const row = this.#validator.parse(toCandidate(doc));
      if (row) items.push(row);
    }
    // The cursor follows the last document read, valid or not, so a run of invalid documents
    // can never stall pagination.
    const last = consumed[consumed.length - 1];
    const lastKey = last ? keyOf(last._id) : null;
    return {
      items,
      nextCursor: docs.length > query.limit && lastKey ? encodeCursor(lastKey) : null,
    };
  }

  async get(id: string, signal?: AbortSignal): Promise<SharedResource | null> {
    const lookup = idLookup(id, this.#ObjectId);
    const docs = await this.#collection
      .find(lookup.filter, {
        projection: PROJECTION,
        limit: lookup.candidates,
        ...this.#limits,
        ...(signal ? { signal } : {}),
      })
      .toArray();
    for (const doc of docs.sort((a, b) => lookup.rank(a) - lookup.rank(b))) {
      const row = this.#validator.parse(toCandidate(doc));
      if (row) return row;
    }
    return null;
  }

  async count(criteria: ResourceCriteria, signal?: AbortSignal): Promise<number> {
    return this.#collection.countDocuments(criteriaFilter(criteria) ?? {}, {
      ...this.#limits,
      ...(signal ? { signal } : {}),
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

/**
 * The `_id`s a `get(id)` reads and their order of preference (lower first): the id as text in
 * each spelling `idCandidates` allows, then — ranked after the id as given — the ObjectId an
 * ObjectId's text names (its own text is the lower-case spelling).
 */
export function idLookup(
  id: string,
  ObjectId: ObjectIdClass,
): { filter: Filter<Document>; candidates: number; rank: (doc: Document) => number } {
  const strings = idCandidates(id);
  const ids: unknown[] = [...strings];
  if (isObjectIdText(id)) ids.push(new ObjectId(id.toLowerCase()));
  return {
    filter: { _id: { $in: ids } } as Filter<Document>,
    candidates: ids.length,
    rank: (doc) => {
      const key: unknown = doc['_id'];
      return typeof key === 'string' ? strings.indexOf(key) : 0.5;
    },
  };
}

export function criteriaFilter(criteria: ResourceCriteria): Filter<Document> | null {
  const parts: Filter<Document>[] = [];
  if (criteria.q) parts.push({ name: { $regex: substringPattern(criteria.q) } });
  if (criteria.filter?.kind !== undefined) parts.push({ 'data.kind': criteria.filter.kind });
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { $and: parts };
}

/**
 * Documents after the cursor in `_id` order. BSON sorts every string before every ObjectId,
 * and `$gt` compares within one type only, so a string cursor must also admit all ObjectIds.
 */
export function afterFilter(cursor: ResourceCursor, ObjectId: ObjectIdClass): Filter<Document> {
  if (cursor.t === 'oid') {
    if (!ObjectId.isValid(cursor.id)) return { _id: { $in: [] } };
    return { _id: { $gt: new ObjectId(cursor.id) } };
  }
  return { $or: [{ _id: { $gt: cursor.id } }, { _id: { $type: 'objectId' } }] } as Filter<Document>;
}

function and(a: Filter<Document> | null, b: Filter<Document> | null): Filter<Document> {
  if (a && b) return { $and: [a, b] };
  return a ?? b ?? {};
}

function keyOf(id: unknown): Omit<ResourceCursor, 'v'> | null {
  if (isObjectId(id)) return { id: id.toHexString(), t: 'oid' };
  if (typeof id === 'string' && id.length > 0 && id.length <= 200) return { id, t: 'str' };
  return null;
}

/** BSON's own type tag (no `instanceof`: that would need the driver loaded here). */
function isObjectId(id: unknown): id is { toHexString(): string } {
  return (
    typeof id === 'object' &&
    id !== null &&
    (id as { _bsontype?: unknown })._bsontype === 'ObjectId'
  );
}

/** The document in the API's shape, still unvalidated: `_id` becomes `id`, Dates become ISO strings. */
export function toCandidate(doc: Document): unknown {
  const key = keyOf(doc['_id']);
  const createdAt: unknown = doc['createdAt'];
  return {
    id: key?.id,
    name: doc['name'],
    data: doc['data'],
    createdAt: createdAt instanceof Date ? createdAt.toISOString() : createdAt,
  };
}
