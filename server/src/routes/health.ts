import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '@outpost/shared';
import type { SyncEngine } from '../engine/types.js';

export interface HealthOptions {
  version: string;
  storageKind: () => string;
  /** Per dependency check, so a hung dependency cannot hang the probe. */
  readyTimeoutMs?: number;
}

const checkSchema = z.object({
  ok: z.boolean(),
  ms: z.number(),
  error: z.string().optional(),
});
const readySchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  /** The dependencies that failed (empty when ready). */
  failed: z.array(z.enum(['store', 'redis'])),
  checks: z.object({ store: checkSchema, redis: checkSchema.optional() }),
});
type Check = z.infer<typeof checkSchema>;

const healthSchema = z
  .strictObject({
    status: z.literal('ok'),
    storage: z.string().describe('`sqlite` or `mongodb`'),
    version: z.string().describe('Server version'),
    protocolVersion: z
      .number()
      .int()
      .min(1)
      .describe(
        'Newest sync protocol version the server speaks (a newer client gets 409 SERVER_TOO_OLD)',
      ),
    minProtocolVersion: z
      .number()
      .int()
      .min(1)
      .describe(
        'Oldest sync protocol version the server speaks (an older client gets 409 CLIENT_TOO_OLD)',
      ),
  })
  .describe('The process is up; its storage kind, version and the protocol versions it speaks');

async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (err) {
    return {
      ok: false,
      ms: Math.round(performance.now() - start),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health` is liveness: static and cheap, it says the process answers. `/health/ready` is
 * readiness for a load balancer: a real store query, and a Redis PING when Redis is
 * configured; 503 names the dependency that failed.
 */
const health: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  const timeoutMs = opts.readyTimeoutMs ?? 2000;
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness and build information (never touches a dependency)',
        description:
          'Public. Answers 200 while the process is up; your client can talk to this server when its protocol version is from `minProtocolVersion` to `protocolVersion`.',
        tags: ['meta'],
        response: { 200: healthSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
      storage: opts.storageKind(),
      version: opts.version,
      protocolVersion: PROTOCOL_VERSION,
      minProtocolVersion: MIN_PROTOCOL_VERSION,
    }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness: the store answers a query, and Redis a PING when configured',
        description:
          'For load balancers and orchestrators. 200 `ready`, or 503 `unavailable` with `failed` naming each dependency that did not answer (`store`, `redis`) and `checks` giving the error.',
        tags: ['meta'],
        response: {
          200: readySchema.describe('Ready: every dependency answered'),
          503: readySchema.describe(
            'Unavailable: `failed` names each dependency that did not answer',
          ),
        },
      },
    },
    async (_request, reply) => {
      const engine = app.getDecorator<SyncEngine>('engine');
      const redis = app.getDecorator<Redis | null>('redis');
      const [store, redisCheck] = await Promise.all([
        timed(() => engine.ping(), timeoutMs),
        redis
          ? timed(async () => {
              // ioredis would queue the command while reconnecting; a probe wants the truth now.
              if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
              await redis.ping();
            }, timeoutMs)
          : Promise.resolve(undefined),
      ]);
      const failed: ('store' | 'redis')[] = [];
      if (!store.ok) failed.push('store');
      if (redisCheck && !redisCheck.ok) failed.push('redis');
      if (failed.length > 0) reply.code(503);
      return {
        status: failed.length > 0 ? ('unavailable' as const) : ('ready' as const),
        failed,
        checks: redisCheck ? { store, redis: redisCheck } : { store },
      };
    },
  );
};

export default health;
