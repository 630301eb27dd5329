import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HybridLogicalClock, newClientId, newEntityId, PROTOCOL_VERSION } from '@outpost/shared';
import { MAX_PARAM_LENGTH } from '../src/errors.js';
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

  it('lets an allowed origin send every request header the API reads (a conditional GET too)', async () => {
    for (const header of [
      'authorization',
      'content-type',
      'if-match',
      'if-none-match',
      'x-request-id',
    ]) {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/primary-data/projects',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'GET',
          'access-control-request-headers': header,
        },
      });
      expect(preflight.statusCode, header).toBe(204);
      expect(
        String(preflight.headers['access-control-allow-headers']).toLowerCase(),
        header,
      ).toContain(header);
    }
  });

  it('names its challenge on every 401 (RFC 9110: WWW-Authenticate), with an error code once a token was sent', async () => {
    const me = (authorization?: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: {
          origin: 'https://app.example.com',
          ...(authorization ? { authorization } : {}),
        },
      });
    const none = await me();
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="outpost"');
    // A browser app on an allowed origin can read it.
    expect(String(none.headers['access-control-expose-headers'])).toContain('WWW-Authenticate');
    const basic = await me('Basic abc');
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toBe(
      'Bearer realm="outpost", error="invalid_request"',
    );
    const bad = await me('Bearer not-a-token');
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="outpost", error="invalid_token"');
    // Other errors name none.
    const { token } = await devToken(t.app, { email: 'challenge@example.com' });
    const missing = await t.app.inject({
      method: 'GET',
      url: `/api/v1/primary-data/projects/${newEntityId()}`,
      headers: bearer(token),
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['www-authenticate']).toBeUndefined();
  });

  it('refuses an oversized body with 413 and malformed JSON with 400, both coded', async () => {
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(4096) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      error: `The request body is larger than this endpoint accepts: at most ${t.config.BODY_LIMIT_BYTES} bytes`,
      details: { limit: 'body', maxBytes: t.config.BODY_LIMIT_BYTES },
    });
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

describe('bad bodies: one coded answer from the one parser, and nothing changes', () => {
  let t: TestApp;
  let token: string;
  let userId: string;
  beforeAll(async () => {
    t = await buildTestApp();
    ({
      token,
      user: { id: userId },
    } = await devToken(t.app, { email: 'bodies@example.com' }));
  });
  afterAll(() => t.close());

  const post = (url: string, payload: string | Buffer, contentType?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...bearer(token), ...(contentType ? { 'content-type': contentType } : {}) },
      payload,
    });
  const createProject = (payload: string | Buffer, contentType: string | undefined) =>
    post('/api/v1/primary-data/projects', payload, contentType);
  const projectCount = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/primary-data/projects',
      headers: bearer(token),
    });
    return (res.json() as { data: unknown[] }).data.length;
  };

  it('refuses a __proto__ or constructor.prototype key with 400 VALIDATION naming it (REST)', async () => {
    const before = await projectCount();
    for (const [body, path] of [
      ['{"name":"P","__proto__":{"status":"archived"}}', '/__proto__'],
      ['{"name":"P","\\u005f_proto__":{"status":"archived"}}', '/__proto__'],
      ['{"name":"P","constructor":{"prototype":{"x":1}}}', '/constructor/prototype'],
    ] as const) {
      const res = await createProject(body, 'application/json');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'VALIDATION',
        error: expect.stringContaining(`${path} the key`),
        details: [{ path, message: expect.stringMatching(/^the key ".*" is not allowed$/) }],
      });
    }
    expect(await projectCount()).toBe(before);
    // The word alone is text like any other.
    expect(
      (await createProject('{"name":"the constructor of __proto__"}', 'application/json'))
        .statusCode,
    ).toBe(201);
  });

  it('refuses a key given twice in one object with 400 VALIDATION naming it (REST)', async () => {
    const before = await projectCount();
    const res = await createProject(
      '{"name":"Meant","status":"active","name":"Sent"}',
      'application/json',
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toEqual({
      error: 'Invalid body: /name the key "name" is given twice in one object',
      code: 'VALIDATION',
      details: [{ path: '/name', message: 'the key "name" is given twice in one object' }],
    });
    expect(await projectCount()).toBe(before);
  });

  it('refuses a push whose mutation has a __proto__ key, applying none of it', async () => {
    const clientId = newClientId();
    const hlc = new HybridLogicalClock(clientId);
    const projectId = newEntityId();
    const body = {
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: [
        {
          id: 1,
          type: 'project.create',
          entityId: projectId,
          hlc: hlc.now(),
          fields: { name: 'Pushed', description: '', status: 'active', ownerId: userId },
        },
        {
          id: 2,
          type: 'project.update',
          entityId: projectId,
          hlc: hlc.now(),
          fields: { name: 'Renamed' },
          base: { name: null },
        },
      ],
    };
    const poisoned = JSON.stringify(body).replace('"base":{', '"base":{"__proto__":null,');
    const res = await post('/api/v1/sync/push', poisoned, 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION',
      details: [{ path: '/mutations/1/base/__proto__' }],
    });
    const pull = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sync/pull',
      headers: bearer(token),
      payload: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: 0 },
    });
    expect(pull.json()).toMatchObject({ lastMutationId: 0 });
    const clean = await post('/api/v1/sync/push', JSON.stringify(body), 'application/json');
    expect(clean.json()).toMatchObject({ lastMutationId: 2 });
  });

  it('answers every other parser-level failure coded, with a message naming the problem', async () => {
    const before = await projectCount();
    const cases: [string | Buffer, string | undefined, number, string, RegExp][] = [
      ['{"name":', 'application/json', 400, 'BAD_REQUEST', /^The body is not valid JSON: /],
      ['', 'application/json', 400, 'BAD_REQUEST', /not valid JSON: it is empty/],
      [
        Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
        'application/json',
        400,
        'BAD_REQUEST',
        /not valid UTF-8/,
      ],
      ['{"name":"P"}', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
      ['{"name":"P"}', undefined, 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json/],
      ['{"name":"P"}', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE', /JSON/],
      [
        JSON.stringify({ name: 'x'.repeat(t.config.BODY_LIMIT_BYTES) }),
        'application/json',
        413,
        'PAYLOAD_TOO_LARGE',
        /larger than this endpoint accepts: at most \d+ bytes/,
      ],
      // Nested as deep as the body limit allows: parsed, then refused by the schema.
      [
        `{"name":${'['.repeat(400_000)}${']'.repeat(400_000)}}`,
        'application/json',
        400,
        'VALIDATION',
        /^Invalid body: \/name /,
      ],
    ];
    for (const [payload, contentType, status, code, message] of cases) {
      const res = await createProject(payload, contentType);
      expect({ ...(res.json() as object), http: res.statusCode }).toMatchObject({
        http: status,
        code,
        error: expect.stringMatching(message),
      });
    }
    expect(await projectCount()).toBe(before);
  });

  it('refuses a compressed body with 415 naming its Content-Encoding, instead of reading its bytes', async () => {
    const before = await projectCount();
    const gzipped = gzipSync('{"name":"Zipped"}');
    for (const coding of ['gzip', 'br', 'deflate, gzip']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/primary-data/projects',
        headers: {
          ...bearer(token),
          'content-type': 'application/json',
          'content-encoding': coding,
        },
        payload: gzipped,
      });
      expect(res.statusCode, coding).toBe(415);
      expect(res.json(), coding).toEqual({
        error: `Request bodies are not decompressed (Content-Encoding: ${coding}): send the JSON as is`,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
    }
    expect(await projectCount()).toBe(before);
    // identity is no coding at all; a request without a body is not refused for the header.
    const plain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/primary-data/projects',
      headers: {
        ...bearer(token),
        'content-type': 'application/json',
        'content-encoding': 'identity',
      },
      payload: '{"name":"Plain"}',
    });
    expect(plain.statusCode, plain.body).toBe(201);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/primary-data/projects',
      headers: { ...bearer(token), 'content-encoding': 'gzip' },
    });
    expect(list.statusCode, list.body).toBe(200);
  });

  it('takes an empty body on a route that reads none, whatever the Content-Type says, and refuses any other', async () => {
    const created = await createProject('{"name":"Doomed"}', 'application/json');
    const url = `/api/v1/primary-data/projects/${(created.json() as { id: string }).id}`;
    const del = (payload?: string) =>
      t.app.inject({
        method: 'DELETE',
        url,
        headers: { ...bearer(token), 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { payload }),
      });
    // Not JSON is still refused, and nothing is deleted.
    expect((await del('{')).json()).toMatchObject({ code: 'BAD_REQUEST' });
    // Nor is a body it would ignore taken: the caller meant something by it.
    for (const [payload, type] of [
      ['{"ifMatch":"3"}', 'application/json'],
      ['please', 'text/plain'],
    ] as const) {
      const res = await t.app.inject({
        method: 'DELETE',
        url,
        headers: { ...bearer(token), 'content-type': type },
        payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({
        error:
          'DELETE /api/v1/primary-data/projects/:id takes no body: send the request without one',
        code: 'BAD_REQUEST',
      });
    }
    expect((await t.app.inject({ method: 'GET', url, headers: bearer(token) })).statusCode).toBe(
      200,
    );
    // A GET neither: a filter sent as a body would have come back as the whole list.
    const list = '/api/v1/primary-data/projects';
    for (const [payload, type] of [
      ['{"name":"Doomed"}', 'application/json'],
      ['x'.repeat(100_000), 'text/plain'],
    ] as const) {
      const res = await t.app.inject({
        method: 'GET',
        url: list,
        headers: { ...bearer(token), 'content-type': type },
        payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({
        error: 'GET /api/v1/primary-data/projects takes no body: send the request without one',
        code: 'BAD_REQUEST',
      });
    }
    // An empty one is no body, whatever the Content-Type says.
    const emptyGet = await t.app.inject({
      method: 'GET',
      url: list,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '',
    });
    expect(emptyGet.statusCode, emptyGet.body).toBe(200);
    expect((await del()).statusCode).toBe(204);
    // A route that reads a body still refuses an empty one, and says so when nothing was sent
    // at all (no Content-Type either), instead of "expected object, received null".
    expect((await createProject('', 'application/json')).json()).toMatchObject({
      code: 'BAD_REQUEST',
      error: expect.stringMatching(/it is empty/),
    });
    const before = await projectCount();
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/primary-data/projects',
      headers: bearer(token),
    });
    expect(none.statusCode, none.body).toBe(400);
    expect(none.json()).toEqual({
      error:
        'The body is empty: POST /api/v1/primary-data/projects takes a JSON body (Content-Type: application/json)',
      code: 'BAD_REQUEST',
    });
    expect(await projectCount()).toBe(before);
  });

  it("answers the router's refusals of a path in the error shape, and takes every id a route takes", async () => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
    for (const [url, message] of [
      ['/api/v1/primary-data/projects/%E0%A4%A', /^The URL path does not decode/],
      ['/api/v1/primary-data/projects/%ZZ', /^The URL path does not decode/],
      [`/api/v1/primary-data/tasks/${'1'.repeat(MAX_PARAM_LENGTH + 1)}`, /longer than 2048/],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toEqual({
        error: expect.stringMatching(message),
        code: 'BAD_REQUEST',
      });
    }
    // A query string that does not decode is refused the same way (it was read as other text:
    // `%ZZ` literally, `%C3%28` as U+FFFD), on a route with a query and on one without.
    for (const url of [
      '/api/v1/primary-data/projects?name=%ZZ',
      '/api/v1/primary-data/tasks?title=%C3%28',
      '/api/v1/primary-data/projects?name=a&%E0%A4%A=1',
      '/api/v1/me?x=%',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toEqual({
        error:
          'The query string does not decode: a % must start an escape of UTF-8 bytes (%20, %C3%A9)',
        code: 'BAD_REQUEST',
      });
    }
    // Escapes that decode, `+` for a space included, are read as ever.
    const spaced = await get('/api/v1/primary-data/projects?name=No+such%20project%C3%A9%25');
    expect(spaced.statusCode, spaced.body).toBe(200);
    // An external resource id is up to 200 characters: the longest, all escaped, is looked up.
    const id = encodeURIComponent('é'.repeat(200));
    const res = await get(`/api/v1/external-data/shared-resources/${id}`);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
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
