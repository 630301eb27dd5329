import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import path from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { AppError } from '../errors.js';
import {
  ifNoneMatchHeaders,
  noneMatchHits,
  parseIfNoneMatch,
  type IfNoneMatch,
} from '../rest/if-match.js';
import {
  LruResponseCache,
  RedisResponseCache,
  TieredResponseCache,
  type ResponseCache,
} from './cache.js';
import { EmbeddedRepository, LazyEmbeddedRepository } from './embedded-repository.js';
import { FileRepository } from './file-repository.js';
import { MongoRepository } from './mongo-repository.js';
import type { SharedResourceRepository } from './repository.js';
import { DEFAULT_RESILIENCE, SourceGuard, realTimers } from './resilience.js';
import { errorBodySchema } from '@outpost/shared';
import { errorResponses } from '../openapi/responses.js';
import {
  idParamsSchema,
  itemResponseSchema,
  listQuerySchema,
  listResponseSchema,
} from './schemas.js';
import { ExternalDataService, type Served } from './service.js';
import { DocumentValidator } from './validate.js';
import { invalidDocumentCounter, observeBreaker } from './metrics.js';
import { describe } from '../openapi/describe.js';

export interface ExternalDataOptions {
  config: Config;
  /** Seams for tests and embedding; by default everything is built from `config`. */
  repository?: SharedResourceRepository;
  /** Documents for the embedded source instead of the shipped sample (validated and counted as usual). */
  embeddedDocuments?: readonly unknown[];
  guard?: SourceGuard;
  cache?: ResponseCache;
  now?: () => number;
}

/** How long a stale copy is kept to fall back on when the source is down. */
const RETENTION_MS = 24 * 60 * 60 * 1000;
const LRU_ENTRIES = 2_000;
/** Browsers and the service worker may reuse a page briefly and keep it for offline use. */
const CACHE_CONTROL_FRESH = 'private, max-age=60, stale-while-revalidate=600';
const CACHE_CONTROL_STALE = 'private, max-age=0, stale-while-revalidate=600';

const listErrors = {
  ...errorResponses(400, 401, 429, 503),
  403: describe(
    errorBodySchema,
    'Your role is not in EXTERNAL_DATA_ROLES, or a sync credential was used',
  ),
};
/** One resource's: a list answers no 404. */
const errors = { ...listErrors, ...errorResponses(404) };

/**
 * `GET /external-data/shared-resources` and `/:id`: the read-only external dataset, for the
 * roles in `EXTERNAL_DATA_ROLES`, rate-limited per user, cached and served stale when the
 * source is down.
 */
async function externalData(root: FastifyInstance, opts: ExternalDataOptions): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config } = opts;
  const now = opts.now ?? Date.now;
  const redis = (app as FastifyInstance & { redis?: Redis | null }).redis ?? null;

  const repository =
    opts.repository ?? (await createRepository(app, config, opts.embeddedDocuments));
  const guard =
    opts.guard ??
    new SourceGuard(
      { ...DEFAULT_RESILIENCE, timeoutMs: config.EXTERNAL_TIMEOUT_MS },
      { ...realTimers, random: Math.random, log: app.log },
    );
  const freshMs = config.EXTERNAL_CACHE_TTL_MS;
  const local = new LruResponseCache({ max: LRU_ENTRIES, retentionMs: RETENTION_MS });
  const cache =
    opts.cache ??
    (redis
      ? new TieredResponseCache(
          local,
          new RedisResponseCache(redis, { retentionMs: RETENTION_MS }, app.log),
          (e) => now() - e.storedAt < freshMs,
        )
      : local);
  const service = new ExternalDataService(repository, guard, cache, { freshMs, now, log: app.log });
  const stopObserving = observeBreaker(app, guard);
  app.addHook('onClose', async () => {
    stopObserving();
    if (!opts.guard) guard.shutdown();
    if (!opts.repository) await repository.close();
  });

  // The auth/hardening plugin normally registers @fastify/rate-limit for the whole app (with
  // its Redis store); if it did not, limit this feature on its own so the budget still holds.
  if (!app.hasDecorator('rateLimit')) {
    await app.register(rateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: 'outpost-external-rl-' } : {}),
    });
  }

  const routeConfig = {
    auditEntity: 'shared-resource' as const,
    rateLimit: {
      max: config.EXTERNAL_RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      // After authentication (an onRequest hook) and before the role check, so a
      // refused caller cannot flood the audit log either.
      hook: 'preValidation' as const,
      keyGenerator: (req: FastifyRequest) => `external:${req.actor.user.id}`,
      groupId: 'external-data',
    },
  };
  const gate = {
    onRequest: app.authenticate,
    preHandler: [app.requireSession, app.requireRole(...config.EXTERNAL_DATA_ROLES)],
  };

  app.get(
    '/external-data/shared-resources',
    {
      ...gate,
      config: routeConfig,
      schema: {
        operationId: 'listSharedResources',
        summary: 'List shared resources (read-only external data), searchable, cursor-paginated',
        description:
          'Ordered by id. `total` is on the first page only. When the source is down the last good copy is served with `stale: true`; 503 only when none is cached. Supports If-None-Match (a malformed one is 400, checked before the source is asked).',
        tags: ['external-data'],
        querystring: listQuerySchema,
        headers: ifNoneMatchHeaders,
        response: {
          200: describe(
            listResponseSchema,
            'A page of shared resources, and whether it is a stale copy',
          ),
          304: z.null().describe('Not modified since the ETag in If-None-Match'),
          ...listErrors,
        },
      },
    },
    async (req, reply) => {
      const ifNoneMatch = parseIfNoneMatch(req.headers['if-none-match']);
      const served = await guarded(reply, () =>
        service.list({
          q: req.query.q,
          kind: req.query.kind,
          cursor: req.query.cursor,
          limit: req.query.limit,
        }),
      );
      if (notModified(ifNoneMatch, reply, served)) return reply;
      return { ...served.value, ...freshness(served) };
    },
  );

  app.get(
    '/external-data/shared-resources/:id',
    {
      ...gate,
      config: routeConfig,
      schema: {
        operationId: 'getSharedResource',
        summary: 'One shared resource',
        description:
          "Served from the cache or the source; when the source is down the last good copy is served with `stale: true`. Supports If-None-Match (a malformed one is 400, checked before the source is asked). The id is exact text, served as the source stores it, except an ObjectId's text (24 hex digits), which is found in either case.",
        tags: ['external-data'],
        params: idParamsSchema,
        headers: ifNoneMatchHeaders,
        response: {
          200: describe(itemResponseSchema, 'The shared resource, and whether it is a stale copy'),
          304: z.null().describe('Not modified since the ETag in If-None-Match'),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const ifNoneMatch = parseIfNoneMatch(req.headers['if-none-match']);
      const served = await guarded(reply, () => service.get(req.params.id));
      const { data } = served.value;
      if (!data) throw new AppError('NOT_FOUND', `Shared resource ${req.params.id} not found`);
      if (notModified(ifNoneMatch, reply, served)) return reply;
      return { data, ...freshness(served) };
    },
  );

  async function guarded<T>(
    reply: FastifyReply,
    serve: () => Promise<Served<T>>,
  ): Promise<Served<T>> {
    try {
      return await serve();
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNAVAILABLE') {
        reply.header('Retry-After', String(Math.ceil(DEFAULT_RESILIENCE.resetTimeoutMs / 1000)));
      }
      throw err;
    }
  }
}

function freshness(served: Served<unknown>): { stale: boolean; staleAgeMs?: number } {
  return served.stale
    ? { stale: true, staleAgeMs: Math.round(served.staleAgeMs ?? 0) }
    : { stale: false };
}

/** Sets the caching headers; answers 304 when the client already holds this representation. */
function notModified(
  ifNoneMatch: IfNoneMatch,
  reply: FastifyReply,
  served: Served<unknown>,
): boolean {
  reply.header('ETag', served.etag);
  reply.header('Cache-Control', served.stale ? CACHE_CONTROL_STALE : CACHE_CONTROL_FRESH);
  reply.header('Vary', 'Authorization');
  if (!noneMatchHits(ifNoneMatch, served.etag)) return false;
  reply.code(304).send();
  return true;
}

async function createRepository(
  app: FastifyInstance,
  config: Config,
  embeddedDocuments: readonly unknown[] | undefined,
): Promise<SharedResourceRepository> {
  const validator = new DocumentValidator(app.log, invalidDocumentCounter(app));
  if (config.EXTERNAL_MONGODB_URI && config.EXTERNAL_DATA_FILE) {
    throw new ConfigError(
      'Set EXTERNAL_MONGODB_URI or EXTERNAL_DATA_FILE, not both: they are two sources of the same shared resources',
    );
  }
  if (config.EXTERNAL_MONGODB_URI) {
    app.log.info(
      { db: config.EXTERNAL_MONGODB_DB, collection: config.EXTERNAL_MONGODB_COLLECTION },
      'external data: MongoDB source',
    );
    return MongoRepository.open(
      {
        uri: config.EXTERNAL_MONGODB_URI,
        db: config.EXTERNAL_MONGODB_DB,
        collection: config.EXTERNAL_MONGODB_COLLECTION,
        serverSelectionTimeoutMS: config.EXTERNAL_TIMEOUT_MS,
        socketTimeoutMS: config.EXTERNAL_TIMEOUT_MS * 2,
        maxTimeMS: config.EXTERNAL_TIMEOUT_MS,
      },
      validator,
    );
  }
  if (config.EXTERNAL_DATA_FILE && !embeddedDocuments) {
    // Relative to the server's working directory, like DATA_DIR.
    return FileRepository.open(path.resolve(config.EXTERNAL_DATA_FILE), validator, app.log);
  }
  const loaded = (repo: EmbeddedRepository) =>
    app.log.info({ invalid: repo.invalidCount }, 'external data: embedded sample dataset');
  if (!embeddedDocuments) return LazyEmbeddedRepository.open(validator, loaded);
  const repo = new EmbeddedRepository(embeddedDocuments, validator);
  loaded(repo);
  return repo;
}

export default fp<ExternalDataOptions>(externalData, {
  name: 'external-data',
  // A feature: its hooks, rate limiter and routes stay inside its own context.
  encapsulate: true,
  dependencies: ['auth'],
});
