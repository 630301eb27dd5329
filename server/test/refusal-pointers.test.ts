import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  newClientId,
  newEntityId,
  PROTOCOL_VERSION,
  type OrgId,
} from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, unknown> };
  parameters?: { name: string; in: string; schema?: { type?: string } }[];
}

/** The Clerk webhook reads its body only after checking the signature (clerk-webhooks.test). */
const UNVALIDATED_BODY = new Set(['receiveClerkWebhook']);

/**
 * A refusal points at what it is about, on every route the OpenAPI lists: an unknown key at
 * the key itself (not at the object holding it), a query parameter given twice at the
 * parameter, saying so.
 */
describe('validation details point at the problem', () => {
  let t: TestApp;
  let token: string;
  let operations: { method: string; url: string; path: string; op: Operation }[];

  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '100000' });
    token = (await devToken(t.app, { email: 'ptr@example.com', orgId: 'org_ptr' as OrgId })).token;
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        url: path.replace(/\{[^}]+\}/g, newEntityId()),
        path,
        op,
      })),
    );
  });
  afterAll(() => t.close());

  const send = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as 'POST',
      url,
      headers: bearer(token),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('an unknown body key is named by its own pointer on every route with a body', async () => {
    const withBody = operations.filter(
      (o) => o.op.requestBody && !UNVALIDATED_BODY.has(o.op.operationId),
    );
    expect(withBody.length).toBeGreaterThanOrEqual(10);
    for (const { method, url, op } of withBody) {
      const res = await send(method, url, { zz_extra: 1 });
      expect(res.statusCode, `${op.operationId}: ${res.body}`).toBe(400);
      expect(res.json().details, op.operationId).toContainEqual({
        path: '/zz_extra',
        message: 'Unrecognized key: "zz_extra"',
      });
      expect(res.json().error, op.operationId).toContain('/zz_extra Unrecognized key');
    }
  });

  it('an unknown query parameter is named by its own pointer on every route, with a query schema or without', async () => {
    // A body is validated first: the routes without one show the query's refusal.
    const bodiless = operations.filter((o) => !o.op.requestBody);
    const withQuery = bodiless.filter((o) => o.op.parameters?.some((p) => p.in === 'query'));
    expect(withQuery.length).toBeGreaterThanOrEqual(4);
    expect(bodiless.map((o) => o.op.operationId)).toEqual(
      expect.arrayContaining(['getMe', 'getHealth', 'getMemberActivity', 'getTask', 'deleteTask']),
    );
    for (const { method, url, op } of bodiless) {
      const res = await send(method, `${url}?zz_extra=1`);
      expect(res.statusCode, `${op.operationId}: ${res.body}`).toBe(400);
      expect(res.json().details, op.operationId).toEqual([
        { path: '/zz_extra', message: 'Unrecognized key: "zz_extra"' },
      ]);
    }
  });

  it('a path with a trailing slash is 404 naming the route without it, on every route', async () => {
    const collections = operations.filter(
      (o) => o.method === 'GET' && /\/(tasks|projects|users)$/.test(o.url),
    );
    expect(collections).toHaveLength(3);
    for (const { method, url, op } of operations) {
      for (const slashed of [`${url}/`, `${url}/?limit=5`]) {
        const res = await send(method, slashed);
        const where = `${op.operationId} ${slashed}: ${res.body}`;
        expect(res.statusCode, where).toBe(404);
        expect(res.json(), where).toEqual({
          error: `No route ${method} ${url}/: paths of this API never end in "/" (${method} ${url})`,
          code: 'NOT_FOUND',
        });
      }
    }
  });

  it('a path asked with a method it does not take is 405 with Allow, OPTIONS 204 with Allow, on every path', async () => {
    const byPath = new Map<string, { url: string; methods: string[] }>();
    for (const o of operations) {
      const known = byPath.get(o.path) ?? { url: o.url, methods: [] };
      byPath.set(o.path, { ...known, methods: [...known.methods, o.method] });
    }
    const order = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
    let refused = 0;
    for (const { url, methods } of byPath.values()) {
      const takes = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
      const allow = order.filter((m) => takes.includes(m)).join(', ');
      for (const method of order.filter((m) => !takes.includes(m))) {
        const res = await send(method, url);
        const where = `${method} ${url}: ${res.body}`;
        expect(res.statusCode, where).toBe(405);
        expect(res.headers['allow'], where).toBe(allow);
        refused++;
        // A HEAD answer has no body.
        if (method === 'HEAD') continue;
        expect(res.json(), where).toEqual({
          error: `${method} is not a method of ${url}: it takes ${allow}`,
          code: 'METHOD_NOT_ALLOWED',
          details: { allow: allow.split(', ') },
        });
      }
      const options = await send('OPTIONS', url);
      expect(options.statusCode, `OPTIONS ${url}`).toBe(204);
      expect(options.headers['allow'], `OPTIONS ${url}`).toBe(allow);
    }
    expect(refused).toBeGreaterThan(50);
    // A path the API does not have is still 404.
    const none = await send('PATCH', '/api/v1/primary-data/nothing');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toEqual({
      error: 'Route PATCH /api/v1/primary-data/nothing not found',
      code: 'NOT_FOUND',
    });
  });

  it('answers 405 or 404 whatever body the request carries: the method or path is what is wrong', async () => {
    const withBody = (method: string, url: string, payload: string, type: string) =>
      t.app.inject({
        method: method as 'POST',
        url,
        headers: { ...bearer(token), 'content-type': type },
        payload,
      });
    for (const [payload, type] of [
      ['{"title":"x"}', 'application/json'],
      ['{', 'application/json'],
      ['please', 'text/plain'],
    ] as const) {
      const where = `${type} ${payload}`;
      // A write with a body, sent with a method the path does not take (PUT on a collection,
      // POST on a row), used to be 400 "PUT /api/v1/primary-data/tasks takes no body".
      const put = await withBody('PUT', '/api/v1/primary-data/tasks', payload, type);
      expect(put.statusCode, `${where}: ${put.body}`).toBe(405);
      expect(put.headers['allow'], where).toBe('GET, HEAD, POST');
      expect(put.json(), where).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
      const post = await withBody(
        'POST',
        `/api/v1/primary-data/tasks/${newEntityId()}`,
        payload,
        type,
      );
      expect(post.statusCode, `${where}: ${post.body}`).toBe(405);
      expect(post.headers['allow'], where).toBe('GET, HEAD, PUT, PATCH, DELETE');
      // A path the API does not have stays 404 with a body.
      const none = await withBody('POST', '/api/v1/primary-data/nothing', payload, type);
      expect(none.statusCode, `${where}: ${none.body}`).toBe(404);
      expect(none.json(), where).toEqual({
        error: 'Route POST /api/v1/primary-data/nothing not found',
        code: 'NOT_FOUND',
      });
    }
  });

  it('lists the first 20 problems and counts the rest, on every route, query or body', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => `zz${i}`);
    const expectCapped = (res: { statusCode: number; body: string }, where: string) => {
      expect(res.statusCode, where).toBe(400);
      const body = JSON.parse(res.body) as { error: string; details: unknown[] };
      expect(body.details, where).toHaveLength(21);
      expect(body.details[0], where).toEqual({ path: '/zz0', message: 'Unrecognized key: "zz0"' });
      expect(body.details[20], where).toEqual({
        path: '',
        message: '1980 more problems, not listed',
      });
      expect(body.error, where).toMatch(/\/zz19 Unrecognized key: "zz19"; and 1980 more$/);
      expect(res.body.length, where).toBeLessThan(4000);
    };
    const bodiless = operations.filter((o) => !o.op.requestBody);
    for (const { method, url, op } of bodiless) {
      const res = await send(method, `${url}?${many.map((k) => `${k}=1`).join('&')}`);
      expectCapped(res, `${op.operationId} query`);
    }
    const withBody = operations.filter(
      (o) => o.op.requestBody && !UNVALIDATED_BODY.has(o.op.operationId),
    );
    for (const { method, url, op } of withBody) {
      const res = await send(method, url, Object.fromEntries(many.map((k) => [k, 1])));
      const body = res.json() as { details: { path: string }[] };
      // A body's own required fields may be listed first; the unknown keys follow, capped.
      expect(res.statusCode, op.operationId).toBe(400);
      expect(body.details, op.operationId).toHaveLength(21);
      expect(body.details.at(-1), op.operationId).toMatchObject({ path: '' });
      expect(res.body.length, op.operationId).toBeLessThan(4000);
    }
  });

  it('quotes a huge key back cut to 200 characters, not whole', async () => {
    const key = 'k'.repeat(900_000);
    const res = await send('POST', '/api/v1/primary-data/projects', { name: 'x', [key]: 1 });
    expect(res.statusCode).toBe(400);
    const cut = `${'k'.repeat(200)}…`;
    expect(res.json().details).toEqual([
      { path: `/${'k'.repeat(199)}…`, message: `Unrecognized key: "${cut}"` },
    ]);
    expect(res.body.length).toBeLessThan(2000);
  });

  it('a query parameter given twice is refused saying so, at its pointer, on every route with a query', async () => {
    const withQuery = operations.flatMap((o) =>
      (o.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ ...o, name: p.name })),
    );
    expect(withQuery.map((o) => o.name)).toContain('limit');
    for (const { method, url, op, name } of withQuery) {
      const res = await send(method, `${url}?${name}=5&${name}=6`);
      const where = `${op.operationId} ${name}: ${res.body}`;
      expect(res.statusCode, where).toBe(400);
      expect(res.json(), where).toEqual({
        error: `Invalid querystring: /${name} given 2 times: give each query parameter once`,
        code: 'VALIDATION',
        details: [{ path: `/${name}`, message: 'given 2 times: give each query parameter once' }],
      });
    }
  });

  it("names a number's own bound, not also zod's safe-integer one", async () => {
    const huge = `1${'0'.repeat(20)}`;
    for (const [url, path, message] of [
      [
        `/api/v1/primary-data/tasks?limit=${huge}`,
        '/limit',
        'Too big: expected number to be <=200',
      ],
      [
        `/api/v1/activities?before=${huge}`,
        '/before',
        'Too big: expected number to be <=9007199254740991',
      ],
      ['/api/v1/activities?limit=0', '/limit', 'Too small: expected number to be >=1'],
    ] as const) {
      const res = await send('GET', url);
      expect(res.json().details, url).toEqual([{ path, message }]);
    }
  });

  it('takes a query number only written in plain digits, on every route with one', async () => {
    const numeric = operations.flatMap((o) =>
      (o.op.parameters ?? [])
        .filter((p) => p.in === 'query' && p.schema?.type === 'integer')
        .map((p) => ({ ...o, name: p.name })),
    );
    expect(numeric.map((o) => o.name)).toEqual(expect.arrayContaining(['limit', 'before']));
    for (const { method, url, op, name } of numeric) {
      for (const written of ['0x10', '1e1', ' 5', '5.0', '+5', '-5', '', 'five']) {
        const res = await send(method, `${url}?${name}=${encodeURIComponent(written)}`);
        const where = `${op.operationId} ${name}=${JSON.stringify(written)}: ${res.body}`;
        expect(res.statusCode, where).toBe(400);
        expect(res.json(), where).toEqual({
          error: `Invalid querystring: /${name} must be a whole number written in digits`,
          code: 'VALIDATION',
          details: [{ path: `/${name}`, message: 'must be a whole number written in digits' }],
        });
      }
      const plain = await send(method, `${url}?${name}=5`);
      expect(plain.statusCode, `${op.operationId} ${name}=5: ${plain.body}`).not.toBe(400);
    }
  });

  it('says a number must be whole, or is too large to read, in words instead of zod types', async () => {
    const pull = (cursor: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/pull',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: `{"protocolVersion":${PROTOCOL_VERSION},"clientId":"${newClientId()}","cursor":${cursor}}`,
      });
    for (const [cursor, message] of [
      ['1.5', 'must be a whole number (no fraction)'],
      [`1${'0'.repeat(400)}`, 'Too big: too large a number to read at all'],
    ] as const) {
      const res = await pull(cursor);
      expect(res.json().details, cursor).toEqual([{ path: '/cursor', message }]);
    }
  });

  it("refuses a base naming anything but the entity's fields, at the key, and writes nothing", async () => {
    const orgId = 'org_ptr' as OrgId;
    const head = await t.engine.head(orgId);
    const update = (entity: 'task' | 'project', fields: object, base: object) => ({
      type: `${entity}.update`,
      id: 1,
      hlc: '0000000000000-0000-x',
      entityId: newEntityId(),
      fields,
      base,
    });
    const res = await send('POST', '/api/v1/sync/push', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      mutations: [
        update('task', { title: 'x' }, { title: null, bogus: null }),
        // A project's field is not a task's, nor a row's meta field a writable one.
        update('task', { title: 'x' }, { name: null, version: null }),
        update('project', { name: 'x' }, { title: null }),
      ].map((m, i) => ({ ...m, id: i + 1 })),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION' });
    expect(res.json().details).toEqual(
      expect.arrayContaining([
        { path: '/mutations/0/base/bogus', message: 'Unrecognized key: "bogus"' },
        { path: '/mutations/1/base/name', message: 'Unrecognized key: "name"' },
        { path: '/mutations/1/base/version', message: 'Unrecognized key: "version"' },
        { path: '/mutations/2/base/title', message: 'Unrecognized key: "title"' },
      ]),
    );
    expect(await t.engine.head(orgId)).toBe(head);
  });

  it('refuses a base clock for a field the mutation does not write, at the key, and writes nothing', async () => {
    const orgId = 'org_ptr' as OrgId;
    // An admin, who may write projects: the refusal is the schema's, not the role's.
    const admin = await devToken(t.app, { email: 'ptr-admin@example.com', orgId, role: 'admin' });
    const clientId = newClientId();
    const push = (mutations: object[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/sync/push',
        headers: bearer(admin.token),
        payload: { protocolVersion: PROTOCOL_VERSION, clientId, mutations },
      });
    const clock = new HybridLogicalClock(clientId);
    const projectId = newEntityId();
    const create = {
      type: 'project.create',
      id: 1,
      hlc: clock.now(),
      entityId: projectId,
      fields: { name: 'Base', description: '', status: 'active', ownerId: admin.user.id },
    };
    const update = (id: number, fields: object, base: object) => ({
      type: 'project.update',
      id,
      hlc: clock.now(),
      entityId: projectId,
      fields,
      base,
    });
    const head = await t.engine.head(orgId);
    const res = await push([
      create,
      // `name` is written; `status` is a project's field but this mutation does not write it.
      update(2, { name: 'Renamed' }, { name: null, status: null }),
      update(3, { description: 'd' }, { name: null }),
    ]);
    expect(res.statusCode, res.body).toBe(400);
    const message =
      'not written by this mutation: base holds clocks only for the fields in `fields`';
    expect(res.json()).toMatchObject({
      code: 'VALIDATION',
      details: [
        { path: '/mutations/1/base/status', message },
        { path: '/mutations/2/base/name', message },
      ],
    });
    expect(await t.engine.head(orgId)).toBe(head);
    // A base for the fields it writes is taken.
    const ok = await push([create, update(2, { name: 'Renamed' }, { name: null })]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
    ]);
  });

  it('points inside nested values, one issue per unknown key, escaping ~ and /', async () => {
    const res = await send('POST', '/api/v1/sync/push', {
      protocolVersion: PROTOCOL_VERSION,
      clientId: newClientId(),
      mutations: [
        {
          type: 'task.update',
          id: 1,
          hlc: '0000000000000-0000-x',
          entityId: newEntityId(),
          fields: { title: 'x' },
          base: {},
          'a/b~c': 1,
          other: 2,
        },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual(
      expect.arrayContaining([
        { path: '/mutations/0/a~1b~0c', message: 'Unrecognized key: "a/b~c"' },
        { path: '/mutations/0/other', message: 'Unrecognized key: "other"' },
      ]),
    );
  });
});
