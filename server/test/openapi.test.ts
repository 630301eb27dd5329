import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';

interface Spec {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: {
          content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
        };
        responses: Record<string, unknown>;
        parameters?: { name: string; in: string }[];
      }
    >
  >;
  components: { securitySchemes: Record<string, unknown> };
}

describe('OpenAPI', () => {
  let t: TestApp;
  let spec: Spec;
  beforeAll(async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    spec = res.json();
  });
  afterAll(() => t.close());

  it('lists every API route with its methods', () => {
    expect(spec.openapi).toMatch(/^3\./);
    const expected: Record<string, string[]> = {
      '/api/v1/health': ['get'],
      '/api/v1/auth/dev-token': ['post'],
      '/api/v1/auth/sign-out': ['post'],
      '/api/v1/me': ['get'],
      '/api/v1/sync/push': ['post'],
      '/api/v1/sync/pull': ['post'],
      '/api/v1/sync/credentials': ['post'],
      '/api/v1/sync/credentials/{id}': ['delete'],
      '/api/v1/primary-data/users': ['get', 'post'],
      '/api/v1/primary-data/users/{id}': ['get', 'put', 'patch', 'delete'],
      '/api/v1/primary-data/projects': ['get', 'post'],
      '/api/v1/primary-data/projects/{id}': ['get', 'put', 'patch', 'delete'],
      '/api/v1/primary-data/tasks': ['get', 'post'],
      '/api/v1/primary-data/tasks/{id}': ['get', 'put', 'patch', 'delete'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(spec.paths, path).toHaveProperty([path]);
      for (const m of methods) expect(spec.paths[path], `${m} ${path}`).toHaveProperty(m);
    }
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/api/v1/external-data/'))).toBe(true);
    expect(spec.components.securitySchemes).toHaveProperty('bearerAuth');
  });

  it('derives bodies, parameters and responses from the zod schemas', () => {
    const create = spec.paths['/api/v1/primary-data/projects']!['post']!;
    const props = create.requestBody!.content['application/json']!.schema.properties!;
    expect(Object.keys(props).sort()).toEqual(['description', 'id', 'name', 'ownerId', 'status']);
    expect(create.responses).toHaveProperty('201');
    const list = spec.paths['/api/v1/primary-data/tasks']!['get']!;
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['projectId', 'status', 'limit', 'cursor']),
    );
    const patch = spec.paths['/api/v1/primary-data/tasks/{id}']!['patch']!;
    expect(patch.responses).toHaveProperty('412');
    expect(patch.parameters!.some((p) => p.name === 'if-match' && p.in === 'header')).toBe(true);
    const push = spec.paths['/api/v1/sync/push']!['post']!;
    expect(Object.keys(push.requestBody!.content['application/json']!.schema.properties!)).toEqual(
      expect.arrayContaining(['protocolVersion', 'clientId', 'mutations']),
    );
  });

  it('documents 429 (failed-auth throttle) on every authenticated route and 415 where there is a body', () => {
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const o = op as {
          security?: unknown[];
          requestBody?: unknown;
          responses: Record<string, unknown>;
        };
        if (!o.security?.length) continue;
        expect(o.responses, `${method} ${path}`).toHaveProperty('429');
        expect(JSON.stringify(o.responses['429'])).toContain('failed authentications');
        if (o.requestBody) expect(o.responses, `${method} ${path}`).toHaveProperty('415');
      }
    }
    expect(spec.paths['/api/v1/primary-data/tasks/{id}']!['get']!.responses).toHaveProperty('429');
  });

  it('serves the docs UI at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger');
  });
});
