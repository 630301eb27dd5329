import fp from 'fastify-plugin';
import type { Redis as RedisClient } from 'ioredis';
import type { Config } from '../config.js';

export interface RedisPluginOptions {
  config: Config;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared Redis connection (rate limits, cross-instance fan-out); null without REDIS_URL. */
    redis: RedisClient | null;
  }
}

/**
 * One lazily connected ioredis client per app. Errors are logged, not thrown: features that
 * use Redis degrade (rate limits skip, fan-out stays local) instead of taking the API down.
 */
export default fp<RedisPluginOptions>(
  async (app, { config }) => {
    if (!config.REDIS_URL) {
      app.decorate('redis', null);
      return;
    }
    // Loaded only when Redis is configured (the client costs a server without it RSS).
    const { Redis } = await import('ioredis');
    const redis: RedisClient = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      // Fail a command quickly while Redis is away rather than queueing requests behind it.
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    let lastError = '';
    redis.on('error', (err: Error) => {
      // ioredis retries forever; log each distinct failure once.
      if (err.message !== lastError) app.log.warn({ err }, 'redis error');
      lastError = err.message;
    });
    redis.on('ready', () => {
      lastError = '';
    });
    app.decorate('redis', redis);
    redis
      .connect()
      .catch((err: unknown) => app.log.warn({ err }, 'redis not reachable at start; retrying'));
    app.addHook('onClose', async () => {
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    });
  },
  { name: 'redis' },
);
