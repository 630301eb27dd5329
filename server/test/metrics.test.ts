import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEntityId } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { bearer, devToken } from './helpers/auth.js';

const METRICS_TOKEN = 'prometheus-scrape-token-0123456789';

describe('GET /metrics with METRICS_TOKEN', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp({ METRICS_TOKEN });
    b = await buildTestApp({ METRICS_TOKEN });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('refuses anonymous and wrong-token scrapes with 401', async () => {
    const anonymous = await a.app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('process_cpu');
    const wrong = await a.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer('x'.repeat(34)),
    });
    expect(wrong.statusCode).toBe(401);
    // Each names its challenge (RFC 9110 §11.6.1).
    for (const res of [anonymous, wrong])
      expect(res.headers['www-authenticate']).toBe('Bearer realm="outpost", error="invalid_token"');
  });

  it('exposes default metrics and an HTTP duration histogram by route pattern and status', async () => {
    for (let i = 0; i < 3; i++) await a.app.inject({ method: 'GET', url: '/api/v1/health' });
    const { token } = await devToken(a.app, { email: 'ana@example.com' });
    await a.app.inject({
      method: 'GET',
      url: `/api/v1/primary-data/projects/${newEntityId()}`,
      headers: bearer(token),
    });

    const res = await a.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer(METRICS_TOKEN),
    });
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
    const res = await b.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer(METRICS_TOKEN),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('route="/api/v1/health"');
  });
});

describe('GET /metrics without a credential configured', () => {
  it('is off (404), not the PWA and not the metrics', async () => {
    const t = await buildTestApp();
    try {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('process_cpu');
    } finally {
      await t.close();
    }
  });
});

describe('METRICS_PORT: metrics only on the internal listener', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp({ METRICS_PORT: '0', METRICS_TOKEN });
    base = `http://127.0.0.1:${t.app.metrics.port}`;
  });
  afterAll(() => t.close());

  it('serves /metrics there (with the token) and 404 on the public port', async () => {
    expect(t.app.metrics.port).toBeGreaterThan(0);
    const pub = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer(METRICS_TOKEN),
    });
    expect(pub.statusCode).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(404);
  });

  it('answers its refusals as every error is answered: { error, code, details? }', async () => {
    // They were { error } alone, which a client reading errors by their code could not place.
    const anonymous = await fetch(`${base}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(
      'Bearer realm="outpost", error="invalid_token"',
    );
    expect(await anonymous.json()).toEqual({
      error: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
      code: 'UNAUTHENTICATED',
      details: { reason: 'metrics-token' },
    });
    const elsewhere = await fetch(`${base}/api/v1/health`);
    expect(await elsewhere.json()).toEqual({
      error: 'Route GET /api/v1/health not found: this port serves GET /metrics only',
      code: 'NOT_FOUND',
    });
  });
});
