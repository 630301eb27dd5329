import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEntityId } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

describe('GET /metrics', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp();
    b = await buildTestApp();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('exposes default metrics and an HTTP duration histogram by route pattern and status', async () => {
    for (let i = 0; i < 3; i++) await a.app.inject({ method: 'GET', url: '/api/v1/health' });
    const { token } = await devToken(a.app, { email: 'ana@example.com' });
    await a.app.inject({
      method: 'GET',
      url: `/api/v1/primary-data/projects/${newEntityId()}`,
      headers: bearer(token),
    });

    const res = await a.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/health"[^}]*status_code="200"[^}]*\} 3/,
    );
    // The pattern, not the id: one label value for every project.
    expect(res.body).toMatch(
      /route="\/api\/v1\/primary-data\/projects\/:id"[^}]*status_code="404"/,
    );
  });

  it('keeps one registry per app instance', async () => {
    const res = await b.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('route="/api/v1/health"');
  });
});
