import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ExternalDataOptions } from '../src/external/routes.js';
import { RedisResponseCache } from '../src/external/cache.js';
import { EmbeddedRepository } from '../src/external/embedded-repository.js';
import { DocumentValidator } from '../src/external/validate.js';
import { listPayloadSchema } from '../src/external/service.js';
import { MemoryAuthEngine } from './helpers/memory-engine.js';
import { bearer, devToken } from './helpers/auth.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { sampleDocs, silentLog, SwitchableRepository } from './external-fixtures.js';

const URL_LIST = '/api/v1/external-data/shared-resources';
let server: RedisServer;
let redis: Redis;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  redis.disconnect();
  await server.stop();
});

async function instance(
  dataDir: string,
  env: Record<string, string>,
  external: Omit<ExternalDataOptions, 'config'>,
): Promise<FastifyInstance> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLIENT_DIST_DIR: '/nonexistent',
    REDIS_URL: server.url,
    ...env,
  });
  const app = await buildApp(config, { logger: false, externalData: external });
  if (!app.hasDecorator('engine')) app.decorate('engine', new MemoryAuthEngine());
  await app.ready();
  closers.push(() => app.close());
  return app;
}

describe('external data cache in Redis', () => {
  it('round-trips an entry, and treats a foreign or corrupt value as a miss', async () => {
    const cache = new RedisResponseCache(
      redis,
      { retentionMs: 60_000, prefix: 'test:ext:' },
      silentLog,
    );
    const value = { data: sampleDocs(2), nextCursor: null };
    await cache.set('k1', { storedAt: 123, etag: 'W/"x"', value });
    expect(await cache.get('k1', listPayloadSchema)).toEqual({
      storedAt: 123,
      etag: 'W/"x"',
      value,
    });
    expect(await redis.pttl((await redis.keys('test:ext:*'))[0]!)).toBeGreaterThan(0);

    await cache.set('k2', {
      storedAt: 1,
      etag: 'e',
      value: { data: [{ id: 'no-name' }], nextCursor: null },
    });
    expect(await cache.get('k2', listPayloadSchema)).toBeUndefined();
  });

  it('lets a second server instance serve the first one’s copy — fresh, then stale — while its source is down', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ext-redis-'));
    closers.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    let now = 10_000_000;
    const clock = () => now;
    const healthy = new EmbeddedRepository(sampleDocs(30), new DocumentValidator(silentLog));
    const down = new SwitchableRepository(
      new EmbeddedRepository(sampleDocs(30), new DocumentValidator(silentLog)),
    );
    down.mode = 'fail';
    const env = { EXTERNAL_CACHE_TTL_MS: '5000', EXTERNAL_RATE_LIMIT_MAX: '1000' };
    // Both instances share DATA_DIR, so they verify the same dev tokens.
    const a = await instance(dataDir, env, { repository: healthy, now: clock });
    const b = await instance(dataDir, env, { repository: down, now: clock });
    const auth = bearer(
      (await devToken(a, { email: 'admin@example.com', role: 'admin', orgId: 'org_redis' })).token,
    );

    const fromA = await a.inject({ url: `${URL_LIST}?limit=7&q=manual`, headers: auth });
    expect(fromA.statusCode).toBe(200);

    const fresh = await b.inject({ url: `${URL_LIST}?limit=7&q=MANUAL`, headers: auth });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toEqual(fromA.json());
    expect(down.calls).toBe(0);

    now += 20_000;
    const stale = await b.inject({ url: `${URL_LIST}?limit=7&q=manual`, headers: auth });
    expect(stale.json()).toMatchObject({
      stale: true,
      staleAgeMs: 20_000,
      data: fromA.json().data,
    });
    expect(down.calls).toBeGreaterThan(0);
  });

  it('counts the per-user rate limit across instances', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-ext-redis-'));
    closers.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const repo = () => new EmbeddedRepository(sampleDocs(5), new DocumentValidator(silentLog));
    const env = { EXTERNAL_RATE_LIMIT_MAX: '2' };
    const a = await instance(dataDir, env, { repository: repo() });
    const b = await instance(dataDir, env, { repository: repo() });
    const auth = bearer(
      (await devToken(a, { email: 'carol@example.com', role: 'manager', orgId: 'org_rl' })).token,
    );
    expect((await a.inject({ url: URL_LIST, headers: auth })).statusCode).toBe(200);
    expect((await b.inject({ url: URL_LIST, headers: auth })).statusCode).toBe(200);
    const third = await a.inject({ url: URL_LIST, headers: auth });
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
  });
});
