import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, WS_PUSH_MAX_BYTES, newClientId } from '@outpost/shared';
import { buildApp } from '../src/app.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';
import { startRedis, type RedisServer } from './helpers/redis.js';
import { WsTestClient } from './helpers/ws-client.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';

const LIMIT = 5;
const env = { AUTH_FAILURE_LIMIT: String(LIMIT), AUTH_FAILURE_WINDOW_MS: '60000' };

/** Pino lines the app logged, parsed. */
function logSink(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

const push = (t: TestApp, token: string | null, ip: string, payload: unknown = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/sync/push',
    remoteAddress: ip,
    headers: token === null ? {} : bearer(token),
    payload: payload as object,
  });

describe('failed authentication is throttled per IP before any work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(env);
  });
  afterAll(() => t.close());

  it('a burst of garbage bearer tokens gets 429 with Retry-After after the limit; other IPs are unaffected', async () => {
    const codes: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++)
      codes.push((await push(t, `garbage.${i}.token`, '10.9.0.1')).statusCode);
    expect(codes.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(401));
    expect(codes.slice(LIMIT)).toEqual([429, 429, 429]);
    const limited = await push(t, 'garbage', '10.9.0.1');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await push(t, 'garbage', '10.9.0.2')).statusCode).toBe(401);
  });

  it('a burst of guessed osc_ sync credentials gets 429 after the limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const guess = `osc_guess${i}.${'A'.repeat(43)}`;
      codes.push((await push(t, guess, '10.9.0.3')).statusCode);
    }
    expect(codes).toEqual([...Array(LIMIT).fill(401), 429, 429]);
  });

  it('counts token-less requests too, and a blocked IP is refused even with a valid token', async () => {
    const { token } = await devToken(t.app, { email: 'valid@example.com' });
    for (let i = 0; i < LIMIT; i++) expect((await push(t, null, '10.9.0.4')).statusCode).toBe(401);
    expect((await push(t, token, '10.9.0.4')).statusCode).toBe(429);
    // The same token from an address in good standing is fine (400: the body is empty).
    expect((await push(t, token, '10.9.0.5')).statusCode).toBe(400);
  });

  it('refuses a token-less large body with 401 before parsing or validating it', async () => {
    // 900 kB that is neither JSON nor a push: parsing first would answer 400.
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/push',
      remoteAddress: '10.9.0.6',
      headers: { 'content-type': 'application/json' },
      payload: '{'.repeat(900_000),
    });
    expect(notJson.statusCode).toBe(401);
    // 500 invalid mutations: validating first would answer 400 VALIDATION.
    const invalid = await push(t, null, '10.9.0.7', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: 'not-a-client-id',
      mutations: Array.from({ length: 500 }, (_, i) => ({ id: i, bogus: 'x'.repeat(1500) })),
    });
    expect(invalid.statusCode).toBe(401);
    expect(invalid.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('failed-auth audit log', () => {
  it('logs the first failure of an IP and the one that blocks it, not one line per guess', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-authlog-'));
    const sink = logSink();
    const app = await buildApp(
      loadConfig({ DATA_DIR: dir, CLIENT_DIST_DIR: '/nonexistent', ...env }),
      { logger: { level: 'warn', stream: sink.stream } },
    );
    try {
      for (let i = 0; i < 40; i++)
        await app.inject({
          method: 'POST',
          url: '/api/v1/sync/pull',
          remoteAddress: '10.9.1.1',
          headers: bearer(`bad-${i}`),
          payload: {},
        });
      const audit = sink.lines.filter((l) => l['audit'] === 'auth-failed');
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ ip: '10.9.1.1', failuresInWindow: 1, blocked: false });
      expect(audit[1]).toMatchObject({ failuresInWindow: LIMIT, blocked: true });
      const metrics = await app.metrics.registry.getSingleMetricAsString(
        'outpost_auth_throttled_total',
      );
      expect(metrics).toContain(
        `outpost_auth_throttled_total{service="outpost-server"} ${40 - LIMIT}`,
      );
    } finally {
      await app.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('failed-auth counts shared through Redis', () => {
  let redis: RedisServer;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    redis = await startRedis();
    a = await buildTestApp({ ...env, REDIS_URL: redis.url });
    b = await buildTestApp({ ...env, REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('blocks an IP on every instance once the instances together saw the limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < LIMIT; i++)
      codes.push((await push(i % 2 ? a : b, 'garbage', '10.9.2.1')).statusCode);
    expect(codes).toEqual(Array(LIMIT).fill(401));
    expect((await push(a, 'garbage', '10.9.2.1')).statusCode).toBe(429);
    expect((await push(b, 'garbage', '10.9.2.1')).statusCode).toBe(429);
    expect(await a.app.redis!.keys('outpost:authfail:*')).toEqual(['outpost:authfail:10.9.2.1']);
  });
});

describe('request charset', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await buildTestApp();
    ({ token } = await devToken(t.app, { email: 'charset@example.com' }));
  });
  afterAll(() => t.close());

  const pull = (contentType: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: { ...bearer(token), 'content-type': contentType },
      payload: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        clientId: newClientId(),
        cursor: 0,
      }),
    });

  it('refuses a body in a charset other than UTF-8 with 415', async () => {
    const res = await pull('application/json; charset=utf-16le');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await pull('application/json; charset=ISO-8859-1')).statusCode).toBe(415);
  });

  it('accepts UTF-8, declared or not', async () => {
    expect((await pull('application/json; charset=utf-8')).statusCode).toBe(200);
    expect((await pull('application/json; charset="UTF-8"')).statusCode).toBe(200);
    expect((await pull('application/json')).statusCode).toBe(200);
  });
});

describe('an oversized WebSocket frame before hello', () => {
  it('closes the socket 1009 naming the limit; past the HTTP body limit ws closes it, without an error-level log line', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-wsframe-'));
    const sink = logSink();
    const app = await buildApp(
      loadConfig({ DATA_DIR: dir, CLIENT_DIST_DIR: '/nonexistent', PORT: '0' }),
      { logger: { level: 'info', stream: sink.stream } },
    );
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const client = await WsTestClient.open(base);
      client.ws.send('x'.repeat(WS_PUSH_MAX_BYTES + 1));
      const limit = `A frame is at most ${WS_PUSH_MAX_BYTES} bytes (this one has ${WS_PUSH_MAX_BYTES + 1})`;
      expect(await client.closed).toEqual({ code: 1009, reason: expect.stringContaining(limit) });
      expect(client.messages).toEqual([
        { type: 'error', code: 'frame_too_large', message: expect.stringContaining(limit) },
      ]);
      const huge = await WsTestClient.open(base);
      huge.ws.send('x'.repeat(1024 * 1024 + 1));
      expect((await huge.closed).code).toBe(1009);
      await app.close();
      expect(sink.lines.filter((l) => Number(l['level']) >= 50)).toEqual([]);
      expect(sink.lines.some((l) => l['code'] === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')).toBe(true);
    } finally {
      await app.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
