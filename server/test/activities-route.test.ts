import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPageSchema, newEntityId, type Activity } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

const P = '/api/v1/primary-data';

/** `GET /api/v1/activities`: the feed's older entries, all of them or one row's. */
describe('GET /api/v1/activities', () => {
  let t: TestApp;
  let token: string;
  let other: string;
  let taskId: string;
  let otherTaskId: string;

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, auth: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(auth), ...(payload ? { payload } : {}) });
  const page = async (query: string, auth = token) => {
    const res = await req('GET', `/api/v1/activities?${query}`, auth);
    expect(res.statusCode, res.body).toBe(200);
    return activityPageSchema.parse(res.json());
  };

  beforeAll(async () => {
    t = await buildTestApp({ RATE_LIMIT_MAX: '100000' });
    ({ token } = await devToken(t.app, {
      email: 'ana@example.com',
      orgId: 'org_a',
      role: 'admin',
    }));
    ({ token: other } = await devToken(t.app, {
      email: 'ben@example.com',
      orgId: 'org_b',
      role: 'admin',
    }));
    const task = async (auth: string, title: string) => {
      const project = await req('POST', `${P}/projects`, auth, { name: 'P' });
      const res = await req('POST', `${P}/tasks`, auth, { projectId: project.json().id, title });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    taskId = await task(token, 'Write');
    // Another task's entries between this one's, so its history is not the feed's tail.
    const between = await task(token, 'Other');
    for (const title of ['Write 2', 'Write 3', 'Write 4']) {
      await req('PATCH', `${P}/tasks/${taskId}`, token, { title });
      await req('PATCH', `${P}/tasks/${between}`, token, { title: `${title}?` });
    }
    otherTaskId = await task(other, 'Theirs');
  });
  afterAll(() => t.close());

  it('pages one row’s history, newest first, by entityId', async () => {
    const seen: Activity[] = [];
    let query = `entityId=${taskId}&limit=2`;
    for (;;) {
      const p = await page(query);
      expect(p.data.length).toBeLessThanOrEqual(2);
      seen.push(...p.data);
      if (p.nextBefore === null) break;
      query = `entityId=${taskId}&limit=2&before=${p.nextBefore}`;
    }
    expect(seen.map((a) => a.entityId)).toEqual(Array(4).fill(taskId));
    expect(seen.map((a) => a.action)).toEqual(['update', 'update', 'update', 'create']);
    const versions = seen.map((a) => a.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    // The whole feed holds the other task's entries too.
    expect((await page('limit=200')).data.length).toBeGreaterThan(seen.length + 3);
  });

  it('finds a row’s history by its id in upper case, as a REST path does', async () => {
    const lower = await page(`entityId=${taskId}`);
    expect(lower.data).toHaveLength(4);
    expect(await page(`entityId=${taskId.toUpperCase()}`)).toEqual(lower);
    // Another org's row stays out of reach in either case.
    expect(await page(`entityId=${otherTaskId.toUpperCase()}`)).toEqual({
      data: [],
      nextBefore: null,
    });
  });

  it('answers another org’s row, or an id never used, with an empty page', async () => {
    expect(await page(`entityId=${otherTaskId}`)).toEqual({ data: [], nextBefore: null });
    expect(await page(`entityId=${newEntityId()}`)).toEqual({ data: [], nextBefore: null });
    expect((await page(`entityId=${otherTaskId}`, other)).data).toHaveLength(1);
  });

  it('refuses a malformed id, a bad limit or before, and unknown parameters with 400 VALIDATION naming them', async () => {
    for (const [query, path] of [
      ['entityId=abc', '/entityId'],
      ['entityId=', '/entityId'],
      [`entityId=${taskId.toUpperCase().replace(/-/g, '')}`, '/entityId'],
      ['limit=0', '/limit'],
      ['limit=-5', '/limit'],
      ['limit=201', '/limit'],
      ['limit=ten', '/limit'],
      ['before=0', '/before'],
      ['before=1.5', '/before'],
      ['before=abc', '/before'],
      ['task=x', '/task'],
    ] as const) {
      const res = await req('GET', `/api/v1/activities?${query}`, token);
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toMatchObject({
        code: 'VALIDATION',
        details: [expect.objectContaining({ path })],
      });
    }
  });
});
