import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { startRedis, type RedisServer } from './helpers/redis.js';

describe('liveness and readiness', () => {
  let t: TestApp | undefined;
  let redis: RedisServer | undefined;
  afterEach(async () => {
    await t?.close();
    await redis?.stop();
    t = undefined;
    redis = undefined;
  });

  const ready = () => t!.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
  const live = () => t!.app.inject({ method: 'GET', url: '/api/v1/health' });

  it('says which protocol versions the server speaks, oldest and newest, as a 409 would', async () => {
    t = await buildTestApp();
    const res = await live();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      storage: 'sqlite',
      version: expect.any(String),
      protocolVersion: PROTOCOL_VERSION,
      minProtocolVersion: MIN_PROTOCOL_VERSION,
    });
  });

  it('is ready while the store answers, and 503 naming the store once it breaks', async () => {
    t = await buildTestApp();
    const ok = await ready();
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'ready',
      failed: [],
      checks: { store: { ok: true } },
    });
    expect(ok.json().checks).not.toHaveProperty('redis');

    // Break the store under the running server: its tables are gone.
    const db = new Database(path.join(t.dataDir, 'outpost.db'));
    db.exec('DROP TABLE rows; DROP TABLE orgs;');
    db.close();

    const broken = await ready();
    expect(broken.statusCode).toBe(503);
    expect(broken.json()).toMatchObject({
      status: 'unavailable',
      failed: ['store'],
      checks: { store: { ok: false, error: expect.stringContaining('no such table') } },
    });
    // Liveness stays cheap and static: the process still answers.
    expect((await live()).statusCode).toBe(200);
  });

  it('checks Redis when configured, and answers 503 naming redis once it stops', async () => {
    redis = await startRedis();
    t = await buildTestApp({ REDIS_URL: redis.url });
    const client = t.app.redis!;
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    const ok = await ready();
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ready', checks: { redis: { ok: true } } });

    await redis.stop();
    const down = await ready();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      status: 'unavailable',
      failed: ['redis'],
      checks: { store: { ok: true }, redis: { ok: false } },
    });
    expect((await live()).statusCode).toBe(200);
  });

  it('is documented in OpenAPI with its 503', async () => {
    t = await buildTestApp();
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/api/v1/health/ready'].get.responses).toHaveProperty('503');
  });
});
