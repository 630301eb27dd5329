import * as zm from 'zod/mini';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  newClientId,
  newEntityId,
  pullRequestSchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  taskFieldsSchema,
  taskSchema,
} from '@outpost/shared';
import {
  pullRequestExample,
  pullResponseExample,
  pushRequestExample,
  pushResponseExample,
  taskPatchedExample,
  taskPatchExample,
} from '../src/openapi/examples.js';
import {
  MESSAGE_PROPERTY_DESCRIPTIONS,
  PROPERTY_DESCRIPTIONS,
  unusedMessagePropertyKeys,
  unusedPropertyKeys,
} from '../src/openapi/properties.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  requestBody?: {
    content: Record<string, { schema: Schema; example?: unknown }>;
  };
  responses: Record<
    string,
    { description?: string; $ref?: string; content?: Record<string, { example?: unknown }> }
  >;
  parameters?: { name: string; in: string }[];
}
interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
}
interface Spec {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, Schema>;
    responses: Record<string, { description: string }>;
  };
}

const WS_UPGRADE = 'openSyncSocket';

/** A body each operation accepts, so the unauthenticated probe reaches the auth check (validation runs first). */
function probeBody(operationId: string, example: unknown): unknown {
  const userId = newEntityId();
  const bodies: Record<string, unknown> = {
    createDevToken: { email: 'probe@example.com', name: 'Probe' },
    receiveClerkWebhook: { object: 'event', type: 'user.deleted', data: { id: 'user_probe' } },
    createSyncCredential: { clientId: newClientId() },
    signOut: { clientId: newClientId() },
    createUser: { email: 'new@example.com', name: 'New' },
    replaceUser: { email: 'new@example.com', name: 'New', role: 'member' },
    updateUser: { name: 'Renamed' },
    createProject: { name: 'Probe' },
    replaceProject: { name: 'Probe', description: '', status: 'active', ownerId: userId },
    updateProject: { name: 'Renamed' },
    createTask: { projectId: newEntityId(), title: 'Probe' },
    replaceTask: {
      projectId: newEntityId(),
      title: 'Probe',
      notes: '',
      status: 'todo',
      assigneeId: null,
      dueDate: null,
    },
  };
  return bodies[operationId] ?? example;
}

describe('OpenAPI', () => {
  let t: TestApp;
  let spec: Spec;
  let operations: { method: string; path: string; op: Operation }[];
  beforeAll(async () => {
    // With a webhook secret, so the probe meets the Clerk webhook's signature check.
    t = await buildTestApp({
      CLERK_WEBHOOK_SECRET: `whsec_${Buffer.from('probe').toString('base64')}`,
    });
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    spec = res.json();
    operations = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method, path, op })),
    );
  });
  afterAll(() => t.close());

  it('lists every API route with its methods', () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(spec.servers.length).toBeGreaterThan(0);
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
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual([
      'bearerAuth',
      'svixSignature',
      'syncCredential',
    ]);
  });

  it('gives every operation a unique camelCase operationId, a summary and a description', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId)
        problems.push(`${where}: add schema.operationId (camelCase verb + noun, e.g. 'listTasks')`);
      else if (!/^[a-z][a-zA-Z0-9]*$/.test(op.operationId))
        problems.push(`${where}: operationId '${op.operationId}' is not camelCase`);
      else if (seen.has(op.operationId))
        problems.push(`${where}: operationId '${op.operationId}' is used twice`);
      if (op.operationId) seen.add(op.operationId);
      if (!op.summary) problems.push(`${where}: add schema.summary`);
      if (!op.description) problems.push(`${where}: add schema.description`);
    }
    expect(problems).toEqual([]);
  });

  it('describes every response, and every operation but the socket upgrade has a 2xx', () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const [status, response] of Object.entries(op.responses)) {
        const description = response.$ref
          ? spec.components.responses[response.$ref.split('/').pop()!]?.description
          : response.description;
        if (!description || description === 'Default Response') {
          problems.push(
            `${where} ${status}: describe it (errorResponses(...) in src/openapi/responses.ts, or schema.describe('…'))`,
          );
        }
      }
      if (
        op.operationId !== WS_UPGRADE &&
        !Object.keys(op.responses).some((s) => s.startsWith('2'))
      ) {
        problems.push(`${where}: document its 2xx response`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declares security exactly where the server asks for credentials (probed without a token)', async () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path} (${op.operationId})`;
      const example = op.requestBody?.content['application/json']?.example;
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url: path.replace(/\{[^}]+\}/g, () => newEntityId()),
        ...(op.requestBody ? { payload: probeBody(op.operationId ?? '', example) as object } : {}),
      });
      const security = op.security;
      if (security === undefined) {
        problems.push(`${where}: no security at all (public routes declare [])`);
        continue;
      }
      for (const requirement of security) {
        for (const scheme of Object.keys(requirement)) {
          if (!(scheme in spec.components.securitySchemes))
            problems.push(`${where}: unknown security scheme '${scheme}'`);
        }
      }
      if (res.statusCode === 400 && op.requestBody) {
        problems.push(
          `${where}: the probe's body was refused (${res.body}); add one to probeBody() in this test`,
        );
      } else if (res.statusCode === 401 && security.length === 0) {
        problems.push(
          `${where}: answers 401 without a token but declares no security — run its auth hook (app.authenticate) so conventions.ts derives it, or set schema.security`,
        );
      } else if (res.statusCode !== 401 && security.length > 0) {
        problems.push(`${where}: declares security but answered ${res.statusCode} without a token`);
      }
      if (res.statusCode === 401 && !('401' in op.responses))
        problems.push(`${where}: document its 401 response`);
    }
    expect(problems).toEqual([]);
  });

  it('derives push and sign-out as session or sync credential, pull as session only', () => {
    const security = (path: string, method = 'post') => spec.paths[path]![method]!.security;
    expect(security('/api/v1/sync/push')).toEqual([{ bearerAuth: [] }, { syncCredential: [] }]);
    expect(security('/api/v1/auth/sign-out')).toEqual([{ bearerAuth: [] }, { syncCredential: [] }]);
    expect(security('/api/v1/sync/pull')).toEqual([{ bearerAuth: [] }]);
    expect(security('/api/v1/health', 'get')).toEqual([]);
  });

  it('documents 403 on dev-token, as a removed member asking again is answered (probed)', async () => {
    const orgId = 'org_openapi_removed';
    const admin = await devToken(t.app, { email: 'boss@example.com', orgId, role: 'admin' });
    const member = await devToken(t.app, { email: 'gone@example.com', orgId, role: 'member' });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/primary-data/users/${member.user.id}`,
      headers: bearer(admin.token),
    });
    expect(removed.statusCode).toBe(204);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/dev-token',
      payload: { email: 'gone@example.com', name: 'Gone', orgId },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toMatchObject({ code: 'MEMBER_REMOVED' });
    const documented = spec.paths['/api/v1/auth/dev-token']!['post']!.responses;
    expect(documented['403']?.description).toMatch(/MEMBER_REMOVED/);
  });

  it('documents revoking a sync credential as idempotent: already revoked is 204, not 404', () => {
    const { responses } = spec.paths['/api/v1/sync/credentials/{id}']!['delete']!;
    expect(responses['204']!.description).toMatch(/already revoked/i);
    expect(responses['404']!.description).not.toMatch(/revoked/i);
    expect(responses['404']!.description).toMatch(/another user/i);
  });

  it('documents 410 RESYNC_REQUIRED on pull only, and MUTATION_GAP on push only', () => {
    const responses = (path: string) => spec.paths[path]!['post']!.responses;
    const text = (r: { description?: string }) => r.description ?? '';
    // A push never answers 410 (nor does anything but a pull below the purge horizon).
    expect(Object.keys(responses('/api/v1/sync/push'))).not.toContain('410');
    expect(text(responses('/api/v1/sync/pull')['410']!)).toMatch(/^RESYNC_REQUIRED/);
    expect(text(responses('/api/v1/sync/push')['409']!)).toMatch(/MUTATION_GAP/);
    // A pull applies nothing, so it has no gap to refuse; its 409 is the version check.
    expect(text(responses('/api/v1/sync/pull')['409']!)).not.toMatch(/MUTATION_GAP/);
    expect(text(responses('/api/v1/sync/pull')['409']!)).toMatch(/CLIENT_TOO_OLD/);
  });

  it('names every entity, mutation, change, page and the error body as a component, once', () => {
    const names = Object.keys(spec.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining([
        'User',
        'Project',
        'Task',
        'Activity',
        'SharedResource',
        'Mutation',
        'TaskCreateMutation',
        'TaskUpdateMutation',
        'TaskDeleteMutation',
        'ProjectUpdateMutation',
        'Change',
        'TaskChange',
        'ProjectChange',
        'UserChange',
        'ActivityChange',
        'PushRequest',
        'PushResponse',
        'PullRequest',
        'PullResponse',
        'TaskPage',
        'ProjectPage',
        'UserPage',
        'NewTask',
        'TaskPatch',
        'ErrorBody',
      ]),
    );
    // One name per shape: request twins fold into their response name when they are equal.
    expect(names.filter((n) => n.endsWith('Input'))).toEqual([]);
    const push = spec.paths['/api/v1/sync/push']!['post']!;
    expect(push.requestBody!.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/PushRequest',
    });
    const text = JSON.stringify(spec);
    // The date-time pattern appeared 46 times when every use was inlined.
    expect(text.match(/"format":"date-time"/g)?.length).toBe(1);
  });

  it('shows examples of a push, a pull and a REST write that the shared schemas accept', () => {
    const media = (path: string, method: string) => spec.paths[path]![method]!;
    const push = media('/api/v1/sync/push', 'post');
    expect(push.requestBody!.content['application/json']!.example).toEqual(pushRequestExample);
    expect(push.responses['200']!.content!['application/json']!.example).toEqual(
      pushResponseExample,
    );
    const pull = media('/api/v1/sync/pull', 'post');
    expect(pull.requestBody!.content['application/json']!.example).toEqual(pullRequestExample);
    expect(pull.responses['200']!.content!['application/json']!.example).toEqual(
      pullResponseExample,
    );
    const patch = media('/api/v1/primary-data/tasks/{id}', 'patch');
    expect(patch.requestBody!.content['application/json']!.example).toEqual(taskPatchExample);
    expect(patch.responses['200']!.content!['application/json']!.example).toEqual(
      taskPatchedExample,
    );

    expect(pushRequestSchema.safeParse(pushRequestExample).error).toBeUndefined();
    expect(pushResponseSchema.safeParse(pushResponseExample).error).toBeUndefined();
    expect(pullRequestSchema.safeParse(pullRequestExample).error).toBeUndefined();
    expect(pullResponseSchema.safeParse(pullResponseExample).error).toBeUndefined();
    expect(zm.partial(taskFieldsSchema).safeParse(taskPatchExample).error).toBeUndefined();
    expect(taskSchema.safeParse(taskPatchedExample).error).toBeUndefined();
  });

  it('derives bodies, parameters and responses from the zod schemas', () => {
    const create = spec.paths['/api/v1/primary-data/projects']!['post']!;
    const body = create.requestBody!.content['application/json']!.schema;
    const props = spec.components.schemas[body.$ref!.split('/').pop()!]!.properties!;
    expect(Object.keys(props).sort()).toEqual(['description', 'id', 'name', 'ownerId', 'status']);
    expect(create.responses).toHaveProperty('201');
    const list = spec.paths['/api/v1/primary-data/tasks']!['get']!;
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['projectId', 'status', 'limit', 'cursor']),
    );
    const patch = spec.paths['/api/v1/primary-data/tasks/{id}']!['patch']!;
    expect(patch.responses).toHaveProperty('412');
    expect(patch.parameters!.some((p) => p.name === 'if-match' && p.in === 'header')).toBe(true);
    // A GET of a row evaluates If-Match too (RFC 9110 §13.1.1).
    const get = spec.paths['/api/v1/primary-data/tasks/{id}']!['get']!;
    expect(get.responses).toHaveProperty('412');
    expect(get.parameters!.some((p) => p.name === 'if-match' && p.in === 'header')).toBe(true);
    const pushRequest = spec.components.schemas['PushRequest']!;
    expect(Object.keys(pushRequest.properties!)).toEqual(
      expect.arrayContaining(['protocolVersion', 'clientId', 'mutations']),
    );
  });

  it('describes every field of the sync push and pull request bodies', () => {
    for (const path of ['/api/v1/sync/push', '/api/v1/sync/pull']) {
      const body = spec.paths[path]!['post']!.requestBody!.content['application/json']!.schema;
      const schema = body.$ref ? spec.components.schemas[body.$ref.split('/').pop()!]! : body;
      const props = Object.entries(schema.properties ?? {});
      expect(props.length, path).toBeGreaterThan(2);
      for (const [name, prop] of props) {
        const text = (prop as { description?: string }).description ?? '';
        expect(text.trim(), `${path} body field ${name}: describe it (docs/protocol.md)`).not.toBe(
          '',
        );
      }
    }
  });

  it('documents 429 (failed-auth throttle) on every authenticated route and 415 where there is a body', () => {
    for (const { method, path, op } of operations) {
      if (!op.security?.length) continue;
      expect(op.responses, `${method} ${path}`).toHaveProperty('429');
      const ref = op.responses['429']!.$ref!.split('/').pop()!;
      expect(spec.components.responses[ref]!.description).toContain('failed authentications');
      if (op.requestBody) expect(op.responses, `${method} ${path}`).toHaveProperty('415');
    }
    expect(spec.paths['/api/v1/primary-data/tasks/{id}']!['get']!.responses).toHaveProperty('429');
  });

  it('documents 413 where the route reads a body, as it answers one over its limit (probed)', async () => {
    const { token } = await devToken(t.app, { email: 'big@example.com', role: 'admin' });
    const oversize = JSON.stringify({ pad: 'x'.repeat(t.config.BODY_LIMIT_BYTES) });
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      if (!op.requestBody) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const res = await t.app.inject({
        method: method.toUpperCase() as 'POST',
        url: path.replace(/\{[^}]+\}/g, () => newEntityId()),
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: oversize,
      });
      if (res.statusCode !== 413) problems.push(`${where}: answered ${res.statusCode}, not 413`);
      if (!('413' in op.responses)) problems.push(`${where}: no 413 documented`);
    }
    expect(problems).toEqual([]);
  });

  it('documents 400 on every API operation, as each refuses an unknown query parameter (probed)', async () => {
    const { token } = await devToken(t.app, { email: 'query@example.com', role: 'admin' });
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      if (!path.startsWith('/api/')) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const example = op.requestBody?.content['application/json']?.example;
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url: `${path.replace(/\{[^}]+\}/g, () => newEntityId())}?bogus=1`,
        headers: bearer(token),
        ...(op.requestBody ? { payload: probeBody(op.operationId ?? '', example) as object } : {}),
      });
      if (res.statusCode !== 400) problems.push(`${where}: answered ${res.statusCode}, not 400`);
      if (!('400' in op.responses)) problems.push(`${where}: no 400 documented`);
    }
    expect(problems).toEqual([]);
  });

  it('documents 404 where the path names a row or resource, and not on lists and creates', () => {
    // The webhook is the one route without a path parameter that answers 404 (when switched off).
    const switchable = new Set(['/api/v1/webhooks/clerk']);
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      if (!path.startsWith('/api/')) continue;
      const names = path.includes('{');
      const documented = '404' in op.responses;
      if (names && !documented) problems.push(`${method.toUpperCase()} ${path}: no 404`);
      if (!names && documented && !switchable.has(path))
        problems.push(`${method.toUpperCase()} ${path}: 404 documented, but it names nothing`);
    }
    expect(problems).toEqual([]);
  });

  it('documents the WebSocket messages in an AsyncAPI document linked from the upgrade operation', async () => {
    const ws = spec.paths['/api/v1/sync/ws']!['get']! as Operation & { 'x-asyncapi'?: string };
    expect(ws['x-asyncapi']).toBe('/asyncapi.json');
    const res = await t.app.inject({ method: 'GET', url: '/asyncapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      asyncapi: string;
      components: { messages: Record<string, unknown> };
    };
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.components.messages).sort()).toEqual([
      'auth',
      'error',
      'hello',
      'ping',
      'poke',
      'pong',
      'push',
      'push-failed',
      'pushed',
      'welcome',
    ]);
  });

  it('documents the response headers the routes set, and each is set where documented (probed)', async () => {
    type WithHeaders = { headers?: Record<string, unknown> };
    const declared = (operationId: string, status: string) => {
      const found = operations.find((o) => o.op.operationId === operationId);
      const response = found?.op.responses[status] as WithHeaders | undefined;
      return Object.keys(response?.headers ?? {}).sort();
    };
    const component = (name: string) =>
      Object.keys((spec.components.responses[name] as WithHeaders).headers ?? {});
    expect(declared('createProject', '201')).toEqual(['ETag', 'Location']);
    for (const [id, status] of [
      ['getTask', '200'],
      ['getTask', '304'],
      ['updateUser', '200'],
      ['replaceProject', '200'],
    ])
      expect(declared(id!, status!), `${id} ${status}`).toEqual(['ETag']);
    expect(declared('listSharedResources', '200')).toEqual(['Cache-Control', 'ETag']);
    expect(component('Unauthorized')).toEqual(['WWW-Authenticate']);
    expect(component('TooManyRequests')).toEqual(['Retry-After']);

    // What the server answers carries each header documented for it.
    const { token } = await devToken(t.app, { email: 'headers@example.com', role: 'admin' });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/primary-data/projects',
      headers: bearer(token),
      payload: { name: 'Headers' },
    });
    expect(created.statusCode).toBe(201);
    for (const h of declared('createProject', '201'))
      expect(created.headers[h.toLowerCase()], h).toBeTruthy();
    const url = String(created.headers['location']);
    const got = await t.app.inject({ url, headers: bearer(token) });
    expect(got.statusCode).toBe(200);
    const again = await t.app.inject({
      url,
      headers: { ...bearer(token), 'if-none-match': String(got.headers['etag']) },
    });
    expect(again.statusCode).toBe(304);
    for (const res of [got, again]) expect(res.headers['etag']).toMatch(/^"\d+"$/);
    const resources = await t.app.inject({
      url: '/api/v1/external-data/shared-resources?limit=1',
      headers: bearer(token),
    });
    expect(resources.statusCode).toBe(200);
    for (const h of declared('listSharedResources', '200'))
      expect(resources.headers[h.toLowerCase()], h).toBeTruthy();
    const anonymous = await t.app.inject({ url: '/api/v1/me' });
    expect(anonymous.headers['www-authenticate']).toBeTruthy();
  });

  it('describes every parameter, those whose schema is a named component too', () => {
    type Param = { name: string; in: string; description?: string };
    const bare = operations.flatMap(({ method, path, op }) =>
      ((op.parameters ?? []) as Param[])
        .filter((p) => !p.description)
        .map((p) => `${method.toUpperCase()} ${path} ${p.in} ${p.name}`),
    );
    expect(bare).toEqual([]);
    const param = (operationId: string, name: string) =>
      (operations.find((o) => o.op.operationId === operationId)!.op.parameters as Param[]).find(
        (p) => p.name === name,
      )?.description;
    expect(param('getTask', 'id')).toBe(
      'The row\u2019s UUIDv7, in either case (the row\u2019s is lower case)',
    );
    expect(param('listTasks', 'assigneeId')).toBe(
      'Only rows whose `assigneeId` names this row (its id in either case); `null` for rows without one',
    );
    expect(param('listProjects', 'limit')).toBe('Page size: 1 to 200, 50 when omitted');
    // An identity provider's user id is text, compared exactly (a Clerk id is case-sensitive):
    // only a filter whose schema is a row id is told it names a row in either case.
    expect(param('listUsers', 'externalId')).toBe('Only rows whose `externalId` is exactly this');
  });

  it('says in what order a primary-data list comes, and not that an email filter is exact', () => {
    const description = (operationId: string) =>
      String(operations.find((o) => o.op.operationId === operationId)!.op.description);
    for (const id of ['listUsers', 'listProjects', 'listTasks'])
      expect(description(id), id).toMatch(/^Rows come in id order/);
    expect(description('listUsers')).not.toMatch(/every filter is an exact match/i);
  });

  it('describes every property of every component, nested and union variants too', () => {
    const bare: string[] = [];
    let count = 0;
    const walk = (schema: unknown, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      if (Array.isArray(schema)) return schema.forEach((s) => walk(s, where));
      const s = schema as Record<string, unknown>;
      for (const [name, p] of Object.entries((s['properties'] ?? {}) as Record<string, Schema>)) {
        count++;
        const text = (p as { description?: string }).description ?? '';
        if (text.trim() === '') bare.push(`${where}.${name}`);
        walk(p, `${where}.${name}`);
      }
      for (const k of ['anyOf', 'oneOf', 'allOf', 'items', 'additionalProperties'])
        walk(s[k], where);
    };
    for (const [name, schema] of Object.entries(spec.components.schemas)) walk(schema, name);
    expect(count).toBeGreaterThan(200);
    expect(bare).toEqual([]);
    // OpenAPI 3.1: a description beside a `$ref` is read, and the reference stays.
    const task = spec.components.schemas['Task']!.properties as Record<string, Schema>;
    expect(task['projectId']).toEqual({
      $ref: '#/components/schemas/EntityId',
      description: PROPERTY_DESCRIPTIONS['Task.projectId'],
    });
  });

  it('has no property description for a property the components do not have', () => {
    expect(unusedPropertyKeys(spec)).toEqual([]);
    const broken = structuredClone(spec);
    delete broken.components.schemas['Task']!.properties!['version'];
    expect(unusedPropertyKeys(broken)).toEqual(['Task.version']);
  });

  describe('the AsyncAPI document', () => {
    type Doc = { components: { schemas: Record<string, Schema> } };
    let doc: Doc;
    beforeAll(async () => {
      doc = (await t.app.inject({ method: 'GET', url: '/asyncapi.json' })).json() as Doc;
    });
    const propertyOf = (schema: Schema, ...path: string[]) =>
      path.reduce<unknown>((s, name) => ((s as Schema).properties ?? {})[name], schema) as
        { description?: string } | undefined;

    it('describes every property of every message, nested and union variants too', () => {
      const bare: string[] = [];
      let count = 0;
      const walk = (schema: unknown, where: string): void => {
        if (!schema || typeof schema !== 'object') return;
        if (Array.isArray(schema)) return schema.forEach((s) => walk(s, where));
        const s = schema as Record<string, unknown>;
        for (const [name, p] of Object.entries((s['properties'] ?? {}) as Record<string, Schema>)) {
          count++;
          const text = (p as { description?: string }).description ?? '';
          if (text.trim() === '') bare.push(`${where}.${name}`);
          walk(p, `${where}.${name}`);
        }
        for (const k of ['anyOf', 'oneOf', 'allOf', 'items', 'additionalProperties'])
          walk(s[k], where);
      };
      for (const [name, schema] of Object.entries(doc.components.schemas)) walk(schema, name);
      expect(count).toBeGreaterThan(250);
      expect(bare).toEqual([]);
      expect(JSON.stringify(doc)).not.toContain('x-property-key');
    });

    it('gives a shared schema the OpenAPI document\u2019s line for each field, from the one table', () => {
      const s = doc.components.schemas;
      // A message's own field.
      expect(propertyOf(s['HelloMessage']!, 'token')?.description).toBe(
        MESSAGE_PROPERTY_DESCRIPTIONS['HelloMessage.token'],
      );
      // A push's body over the socket is PushRequest: its fields read as the OpenAPI's.
      const openApiRequest = spec.components.schemas['PushRequest']!.properties as Record<
        string,
        { description?: string }
      >;
      expect(propertyOf(s['PushMessage']!, 'request', 'clientId')?.description).toBe(
        openApiRequest['clientId']!.description,
      );
      expect(propertyOf(s['PushedMessage']!, 'response', 'cursor')?.description).toBe(
        PROPERTY_DESCRIPTIONS['PushResponse.cursor'],
      );
      // A poke's `carried` is a push answer's `echo`.
      expect(propertyOf(s['PokeMessage']!, 'carried', 'from')?.description).toBe(
        PROPERTY_DESCRIPTIONS['PushResponse.echo.from'],
      );
      expect(propertyOf(s['PushFailedMessage']!, 'error', 'code')?.description).toBe(
        PROPERTY_DESCRIPTIONS['ErrorBody.code'],
      );
      // No line is written twice: the message table keys only the messages' own fields.
      expect(
        Object.keys(MESSAGE_PROPERTY_DESCRIPTIONS).filter((k) => k in PROPERTY_DESCRIPTIONS),
      ).toEqual([]);
    });

    it('has no message property description for a property the messages do not have', () => {
      expect(unusedMessagePropertyKeys(doc)).toEqual([]);
      const broken = structuredClone(doc);
      delete broken.components.schemas['WelcomeMessage']!.properties!['heartbeatMs'];
      expect(unusedMessagePropertyKeys(broken)).toEqual(['WelcomeMessage.heartbeatMs']);
    });
  });

  it('serves the docs UI at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger');
  });
});
