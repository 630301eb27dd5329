import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';
import { startRedis, type RedisServer } from './helpers/redis.js';

describe('security headers, CORS and body limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ CORS_ORIGINS: 'https://app.example.com', BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => t.close());

  it('sends a CSP fit for the PWA and the usual security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('marks API answers no-store (tokens and org data stay out of caches)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'a@example.com', name: 'A' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers CORS only for allow-listed origins', async () => {
    const ok = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/me',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain(
      'authorization',
    );
    const evil = await t.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses an oversized body with 413 and malformed JSON with 400, both coded', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(4096) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toHaveProperty('error');
    expect(bad.json()).toHaveProperty('code');
  });
});

const hitMe = (t: TestApp, token: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });

describe('rate limit (in process)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' });
  });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After once a user exceeds the limit; other users are unaffected', async () => {
    const ana = await devToken(t.app, { email: 'ana@example.com' });
    const ben = await devToken(t.app, { email: 'ben@example.com' });
    for (let i = 0; i < 3; i++) expect((await hitMe(t, ana.token)).statusCode).toBe(200);
    const limited = await hitMe(t, ana.token);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await hitMe(t, ben.token)).statusCode).toBe(200);
  });

  it('keys anonymous requests by IP', async () => {
    const from = (ip: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: ip });
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.1')).statusCode).toBe(200);
    expect((await from('10.0.0.1')).statusCode).toBe(429);
    expect((await from('10.0.0.2')).statusCode).toBe(200);
  });
});

describe('rate limit shared through Redis', () => {
  let redis: RedisServer;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_MS: '60000' };
    a = await buildTestApp(env);
    b = await buildTestApp(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('counts one user across two app instances', async () => {
    expect(a.app.redis).not.toBeNull();
    // Anonymous (IP-keyed) requests: the two instances share nothing but Redis.
    const from = (t: TestApp) =>
      t.app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: '10.1.1.1' });
    expect((await from(a)).statusCode).toBe(200);
    expect((await from(b)).statusCode).toBe(200);
    expect((await from(a)).statusCode).toBe(200);
    expect((await from(b)).statusCode).toBe(200);
    const limited = await from(a);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await from(b)).statusCode).toBe(429);
    const keys = await a.app.redis!.keys('outpost:rl:*');
    expect(keys.length).toBeGreaterThan(0);
  });
});

describe('rate limit when Redis goes away', () => {
  it('keeps answering (the limiter steps aside) instead of failing requests', async () => {
    const redis = await startRedis();
    const t = await buildTestApp({ REDIS_URL: redis.url, RATE_LIMIT_MAX: '100' });
    try {
      const health = () => t.app.inject({ method: 'GET', url: '/api/v1/health' });
      const first = await health();
      expect(first.statusCode).toBe(200);
      expect(first.headers['x-ratelimit-remaining']).toBe('99');
      await redis.stop();
      const during = await health();
      expect(during.statusCode).toBe(200);
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});
