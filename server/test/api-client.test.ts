import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutpostClient, type OutpostClient } from '@outpost/api-client';
import { SPEC_FILE, specText, TYPES_FILE, typesText } from '@outpost/api-client/generate';
import { buildTestApp } from './helpers/app.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';

const REGENERATE =
  'The committed REST client is out of date with the served OpenAPI: run `pnpm gen:api-client` and commit packages/api-client.';

describe('generated REST client (packages/api-client)', () => {
  it('is generated from exactly the document the server serves', async () => {
    const t = await buildTestApp();
    try {
      const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as object;
      expect(await fs.readFile(SPEC_FILE, 'utf8'), REGENERATE).toBe(specText(spec));
      expect(await fs.readFile(TYPES_FILE, 'utf8'), REGENERATE).toBe(await typesText(spec));
    } finally {
      await t.close();
    }
  });
});

describe('generated REST client against a started server', () => {
  let server: ServerProcess;
  let dataDir: string;
  let client: OutpostClient;
  let token = '';

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-api-client-'));
    server = await startServerProcess({ dataDir });
    client = createOutpostClient({ baseUrl: server.url, token: () => token });
    const { data, error } = await client.POST('/api/v1/auth/dev-token', {
      body: { email: 'integrator@example.com', name: 'Integrator' },
    });
    expect(error).toBeUndefined();
    token = data!.token;
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('creates, patches with If-Match and lists tasks; a stale If-Match gets a typed 412', async () => {
    const me = await client.GET('/api/v1/me');
    expect(me.data?.role).toBe('admin');

    const project = await client.POST('/api/v1/primary-data/projects', {
      body: { name: 'Launch' },
    });
    expect(project.response.status).toBe(201);
    const projectId = project.data!.id;

    const created = await client.POST('/api/v1/primary-data/tasks', {
      body: { projectId, title: 'Write the announcement' },
    });
    expect(created.response.status).toBe(201);
    const task = created.data!;
    expect(task).toMatchObject({ title: 'Write the announcement', status: 'todo', notes: '' });
    const etag = created.response.headers.get('etag')!;
    expect(etag).toBe(`"${task.version}"`);

    const patched = await client.PATCH('/api/v1/primary-data/tasks/{id}', {
      params: { path: { id: task.id }, header: { 'if-match': etag } },
      body: { status: 'done' },
    });
    expect(patched.error).toBeUndefined();
    expect(patched.data).toMatchObject({ id: task.id, status: 'done', title: task.title });
    expect(patched.data!.version).toBeGreaterThan(task.version);

    // The version we read is no longer current: the write is refused and nothing changes.
    const stale = await client.PATCH('/api/v1/primary-data/tasks/{id}', {
      params: { path: { id: task.id }, header: { 'if-match': etag } },
      body: { title: 'Overwritten' },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.data).toBeUndefined();
    expect(stale.error).toMatchObject({ code: 'PRECONDITION_FAILED' });

    const listed = await client.GET('/api/v1/primary-data/tasks', {
      params: { query: { projectId, status: 'done' } },
    });
    expect(listed.error).toBeUndefined();
    expect(listed.data!.data.map((t) => [t.id, t.title, t.status])).toEqual([
      [task.id, 'Write the announcement', 'done'],
    ]);
    expect(listed.data!.nextCursor).toBeNull();
  });
});
